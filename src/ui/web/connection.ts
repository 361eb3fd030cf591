import type { BrowserMessage, ScreenMessage, ServerMessage } from "../protocol.js";

export interface Connection {
  send(message: BrowserMessage): void;
}

/**
 * One WebSocket to the kiosk, reopened whenever it drops (the kiosk restarting, a reload): the
 * server sends the current screen on every connect, so the browser never keeps state of its own.
 */
export function connect(
  onScreen: (message: ScreenMessage) => void,
  onError: (code: string) => void,
  onOnline: (online: boolean) => void,
): Connection {
  let socket: WebSocket | null = null;
  let lastSeq = -1;
  let retryMs = 250;
  const open = (): void => {
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
    const next = new WebSocket(url);
    socket = next;
    next.onopen = () => {
      retryMs = 250;
      lastSeq = -1;
      onOnline(true);
    };
    next.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if (message.type === "error") return onError(message.code);
      if (message.seq < lastSeq) return;
      lastSeq = message.seq;
      onScreen(message);
    };
    next.onclose = () => {
      onOnline(false);
      socket = null;
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 4000);
    };
  };
  open();
  return {
    send: (message) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    },
  };
}
