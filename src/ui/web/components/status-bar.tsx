import type { ComponentChildren } from "preact";
import type { StatusBar as Status } from "../../protocol.js";
import type { View } from "../view.js";
import { Button } from "./button.js";

/**
 * Always on top: online or offline (sync), records waiting to sync, the card readers, card payments
 * when they cannot be taken (apart from sync), the language, and (simulated devices) the DEV button —
 * in the bar, where it covers nothing on the screen below.
 */
export function StatusBar({
  status,
  view,
  locales,
  connected,
  children,
}: {
  status: Status;
  view: View;
  locales: readonly string[];
  connected: boolean;
  children?: ComponentChildren;
}) {
  const { t } = view;
  const online = !connected ? "down" : status.online === null ? "local" : status.online ? "up" : "down";
  const next = locales[(locales.indexOf(view.locale) + 1) % locales.length];
  return (
    <div class="status-bar" data-testid="status-bar">
      <span class={`status-item status-${online}`} data-testid="status-online">
        <span class="dot" />
        {t(`status.online.${online}`)}
      </span>
      <span class="status-item" data-testid="status-waiting">
        {t("status.waiting", { count: status.waitingToSync })}
      </span>
      {status.smartReader === "none" ? (
        <span class={`status-item status-reader-${status.reader}`} data-testid="status-reader">
          {t(`status.reader.${status.reader}`)}
        </span>
      ) : status.reader !== "none" ? (
        // Beside a smart reader, the serial reader is there for invoice codes: the scanner.
        <span class={`status-item status-reader-${status.reader}`} data-testid="status-reader">
          {t(`status.scanReader.${status.reader}`)}
        </span>
      ) : null}
      {status.smartReader === "none" ? null : (
        <span
          class={`status-item status-smart-reader-${status.smartReader}`}
          data-testid="status-smart-reader"
        >
          {t(`status.smartReader.${status.smartReader}`)}
        </span>
      )}
      {status.cards === "ready" ? null : (
        <span class={`status-item status-cards-${status.cards}`} data-testid="status-cards">
          {t(`status.cards.${status.cards}`)}
        </span>
      )}
      {next && next !== view.locale ? (
        <Button kind="quiet" testId="locale" onPress={() => view.touch("locale", next)}>
          {t(`locale.${next.split("-")[0]}`)}
        </Button>
      ) : null}
      {children}
    </div>
  );
}
