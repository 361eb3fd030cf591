import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * The baseline for the screen: a bare page on a bare WebSocket. The server pushes a message, the page
 * writes it into the DOM and records when the next frame is painted; a click on the page goes to the
 * server and back the same way. No framework, no flow, no kiosk.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><body><button id="tap" style="width:200px;height:80px">tap</button><p id="out"></p>
<script>
window.spectraPaints = [];
const socket = new WebSocket("ws://" + location.host + "/ws");
let seq = 0;
socket.onmessage = (event) => {
  const mine = ++seq;
  document.getElementById("out").textContent = event.data;
  document.body.dataset.seq = String(mine);
  requestAnimationFrame(() => setTimeout(() => window.spectraPaints.push({ seq: mine, name: "bare", at: Date.now() }), 0));
};
document.getElementById("tap").onclick = () => socket.send("tap");
</script>`;

export interface BareScreen {
  readonly url: string;
  push(text: string): void;
  close(): Promise<void>;
}

export async function startBareScreen(): Promise<BareScreen> {
  const http: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(PAGE);
  });
  const sockets = new WebSocketServer({ server: http, path: "/ws" });
  let client: WebSocket | null = null;
  sockets.on("connection", (socket) => {
    client = socket;
    socket.on("message", () => socket.send(`tapped ${Date.now()}`));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    push: (text) => client?.send(text),
    close: async () => {
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
