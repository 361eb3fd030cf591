import WebSocket from "ws";
import type { Screen, ScreenMessage } from "../../src/ui/protocol.js";

/**
 * A second client of the kiosk's screen socket, for driving many payments quickly: it sends the
 * same touches the browser sends and waits for the screens the kiosk pushes (the browser, still
 * connected, paints every one of them too).
 */
export class ScreenClient {
  #socket: WebSocket;
  #current: ScreenMessage | null = null;
  #waiters: { match: (screen: Screen) => boolean; resolve: (screen: Screen) => void }[] = [];

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as ScreenMessage | { type: "error"; code: string };
      if (message.type !== "screen") return;
      this.#current = message;
      this.#waiters = this.#waiters.filter((waiter) => {
        if (!waiter.match(message.screen)) return true;
        waiter.resolve(message.screen);
        return false;
      });
    });
  }

  static async open(url: string): Promise<ScreenClient> {
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}ws`);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new ScreenClient(socket);
  }

  touch(action: string, value?: string): void {
    this.#socket.send(JSON.stringify({ type: "touch", action, ...(value === undefined ? {} : { value }) }));
  }

  /** Resolves with the first screen (current or next) that matches. */
  until(match: (screen: Screen) => boolean, timeoutMs = 10_000): Promise<Screen> {
    if (this.#current && match(this.#current.screen)) return Promise.resolve(this.#current.screen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for a screen")), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (screen) => {
          clearTimeout(timer);
          resolve(screen);
        },
      });
    });
  }

  /** Touches, then waits for the screen that follows. */
  async step(action: string, value: string | undefined, next: (screen: Screen) => boolean): Promise<Screen> {
    const arrived = this.until(next);
    this.touch(action, value);
    return arrived;
  }

  close(): void {
    this.#socket.close();
  }
}

export const named =
  (name: Screen["name"]) =>
  (screen: Screen): boolean =>
    screen.name === name;
