import { createRequire } from "node:module";
import type { Logger } from "../../core/logger.js";

interface DatagramSocket {
  send(
    buffer: Buffer,
    offset: number,
    length: number,
    path: string,
    callback?: (error?: Error) => void,
  ): void;
  close(): void;
  on(event: "error", listener: (error: Error) => void): void;
}

interface UnixDgram {
  createSocket(type: "unix_dgram"): DatagramSocket;
}

/**
 * Talks to systemd over $NOTIFY_SOCKET: READY=1 when the kiosk serves, WATCHDOG=1 at half of
 * $WATCHDOG_USEC, STOPPING=1 on shutdown. Node has no unix datagram sockets of its own, so this uses
 * the optional `unix-dgram` addon (as zigbee2mqtt does); without systemd, or without the addon, it
 * does nothing.
 */
export interface SystemdNotifier {
  readonly active: boolean;
  /** Half of WATCHDOG_USEC in ms, or null when systemd does not watch this process. */
  readonly watchdogIntervalMs: number | null;
  ready(status?: string): void;
  status(text: string): void;
  stopping(): void;
  /** Starts the heartbeat; it runs on the event loop, so a blocked loop stops it and systemd restarts us. */
  startWatchdog(isHealthy?: () => boolean): void;
  close(): void;
}

function loadUnixDgram(): UnixDgram | null {
  try {
    return createRequire(import.meta.url)("unix-dgram") as UnixDgram;
  } catch {
    return null;
  }
}

export function systemdNotifier(env: NodeJS.ProcessEnv, logger: Logger): SystemdNotifier {
  const path = env.NOTIFY_SOCKET;
  const usec = Number(env.WATCHDOG_USEC);
  const watchdogPid = env.WATCHDOG_PID ? Number(env.WATCHDOG_PID) : process.pid;
  const watchdogIntervalMs =
    Number.isFinite(usec) && usec > 0 && watchdogPid === process.pid ? Math.floor(usec / 2000) : null;
  const addon = path ? loadUnixDgram() : null;
  if (path && !addon)
    logger.warn(
      "NOTIFY_SOCKET is set but the unix-dgram addon is missing: systemd will not hear from the kiosk",
    );
  // An abstract socket name starts with "@" in the environment and a NUL byte on the wire.
  const target = path?.startsWith("@") ? `\0${path.slice(1)}` : path;
  const socket = addon && target ? addon.createSocket("unix_dgram") : null;
  socket?.on("error", (error) => logger.warn(`sd_notify failed: ${error.message}`));
  let heartbeat: NodeJS.Timeout | null = null;

  const send = (message: string): void => {
    if (!socket || !target) return;
    const buffer = Buffer.from(message);
    socket.send(buffer, 0, buffer.length, target, (error) => {
      if (error) logger.warn(`sd_notify ${message.split("=")[0]} failed: ${error.message}`);
    });
  };

  return {
    active: socket !== null,
    watchdogIntervalMs,
    ready: (status) => send(status ? `READY=1\nSTATUS=${status}` : "READY=1"),
    status: (text) => send(`STATUS=${text}`),
    stopping: () => send("STOPPING=1"),
    startWatchdog: (isHealthy = () => true) => {
      if (watchdogIntervalMs === null || heartbeat) return;
      heartbeat = setInterval(() => {
        if (isHealthy()) send("WATCHDOG=1");
      }, watchdogIntervalMs);
    },
    close: () => {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      socket?.close();
    },
  };
}
