import { render } from "preact";
import type { ScreenMessage } from "../protocol.js";
import { App } from "./app.js";
import { type Connection, connect } from "./connection.js";

const root = document.getElementById("app") as HTMLElement;
let message: ScreenMessage | null = null;
let connected = false;
let connection: Connection | null = null;

const draw = (): void => {
  if (connection) render(<App message={message} connected={connected} connection={connection} />, root);
};

connection = connect(
  (next) => {
    message = next;
    draw();
  },
  (code) => console.warn(`kiosk: ${code}`),
  (online) => {
    connected = online;
    draw();
  },
);
draw();
