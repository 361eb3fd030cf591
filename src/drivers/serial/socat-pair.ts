import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { SerialPort } from "serialport";

/**
 * A real pseudo-terminal pair made by socat (for the reader emulator, the benchmark and tests): the
 * kiosk opens `kioskPath` as it would /dev/serial/by-id/..., and the device end `devicePath` is
 * written by whoever plays the device. Killing socat is pulling the USB cable (both ends vanish);
 * `restart` plugs it back in at the same paths.
 */
export class SocatPair {
  #socat: ChildProcess | null = null;
  #device: SerialPort | null = null;

  private constructor(
    readonly kioskPath: string,
    readonly devicePath: string,
  ) {}

  static async start(dir: string, name = "reader"): Promise<SocatPair> {
    return SocatPair.at(`${dir}/${name}-kiosk`, `${dir}/${name}-device`);
  }

  static async at(kioskPath: string, devicePath: string): Promise<SocatPair> {
    const pair = new SocatPair(kioskPath, devicePath);
    await pair.restart();
    return pair;
  }

  async restart(): Promise<void> {
    const socat = spawn("socat", [`pty,rawer,link=${this.kioskPath}`, `pty,rawer,link=${this.devicePath}`], {
      stdio: "ignore",
    });
    let failed = false;
    socat.on("error", () => {
      failed = true;
    });
    this.#socat = socat;
    const deadline = Date.now() + 5000;
    while (!(existsSync(this.kioskPath) && existsSync(this.devicePath))) {
      if (failed || Date.now() > deadline || socat.exitCode !== null) {
        socat.kill();
        throw new Error(`socat did not make the pty pair at ${this.kioskPath} (is socat installed?)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** socat's process id, while it runs. */
  get pid(): number | null {
    return this.#socat?.pid ?? null;
  }

  /** The device end, opened once per socat run. */
  async device(): Promise<SerialPort> {
    if (this.#device?.isOpen) return this.#device;
    const port = new SerialPort({ path: this.devicePath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    port.on("error", () => {});
    this.#device = port;
    return port;
  }

  async send(bytes: string | Buffer): Promise<void> {
    const port = await this.device();
    await new Promise<void>((resolve, reject) => {
      port.write(typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes, (error) =>
        error ? reject(error) : resolve(),
      );
    });
    await new Promise<void>((resolve) => port.drain(() => resolve()));
  }

  async kill(): Promise<void> {
    const device = this.#device;
    this.#device = null;
    if (device?.isOpen) await new Promise<void>((resolve) => device.close(() => resolve()));
    const socat = this.#socat;
    this.#socat = null;
    if (socat && socat.exitCode === null) {
      const exited = new Promise((resolve) => socat.once("exit", resolve));
      socat.kill("SIGTERM");
      await exited;
    }
  }
}
