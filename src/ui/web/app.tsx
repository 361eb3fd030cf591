import { useEffect, useMemo } from "preact/hooks";
import type { MoneyView } from "../flows/money-view.js";
import type { ScreenMessage } from "../protocol.js";
import { DevPanel } from "./components/dev-panel.js";
import { IdleOverlay } from "./components/idle-overlay.js";
import { StatusBar } from "./components/status-bar.js";
import type { Connection } from "./connection.js";
import { formatMoney } from "./format.js";
import { translator } from "./i18n.js";
import { recordPaint } from "./paints.js";
import { collectAtRest } from "./rest-collect.js";
import { screenComponent } from "./screens/index.js";
import type { View } from "./view.js";

export interface AppProps {
  readonly message: ScreenMessage | null;
  readonly connected: boolean;
  readonly connection: Connection;
}

/** The status bar (with the dev panel's button, simulated), the screen the kiosk says to show, the idle countdown. */
export function App({ message, connected, connection }: AppProps) {
  const locale = message?.locale ?? "en-US";
  const timeZone = message?.timeZone ?? "UTC";
  const view = useMemo<View>(
    () => ({
      t: translator(locale),
      locale,
      timeZone,
      money: (money: MoneyView) => formatMoney(money, locale),
      touch: (action, value) =>
        connection.send({ type: "touch", action, ...(value === undefined ? {} : { value }) }),
    }),
    [locale, timeZone, connection],
  );
  useEffect(() => {
    if (!message) return;
    document.documentElement.lang = locale;
    document.body.dataset.screen = message.screen.name;
    document.body.dataset.seq = String(message.seq);
    recordPaint(message.seq, message.screen.name);
    collectAtRest(window.gc);
  }, [message, locale]);
  if (!message) {
    return (
      <div class="app">
        <div class="screen message-screen">
          <p class="message-big">{connected ? "…" : "Connecting to the kiosk…"}</p>
        </div>
      </div>
    );
  }
  const Screen = screenComponent(message.screen);
  return (
    <div class="app">
      <StatusBar status={message.status} view={view} locales={message.locales} connected={connected}>
        {message.devPanel ? <DevPanel /> : null}
      </StatusBar>
      <main class="stage">
        <Screen screen={message.screen} view={view} status={message.status} />
      </main>
      {message.overlay ? <IdleOverlay overlay={message.overlay} view={view} /> : null}
    </div>
  );
}
