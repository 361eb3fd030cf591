import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import { Header } from "../../components/header.js";
import { MethodIcon } from "../../components/method-icon.js";
import type { ScreenProps } from "../../view.js";

type Method = Extract<SelfServiceScreen, { name: "self.method" }>;

/** How the client pays: card here; cash and check send them to the front desk. */
export function MethodScreen({ screen, view }: ScreenProps<Method>) {
  const { t, money } = view;
  return (
    <div class="screen method">
      <Header view={view} title={t("self.method.title", { amount: money(screen.amount) })} back="back" />
      <div class="tiles">
        {screen.methods.map((method) => (
          <button
            type="button"
            key={method.id}
            class={`tile${method.here ? " tile-here" : ""}`}
            data-testid={`method-${method.id}`}
            onClick={() => view.touch("method", method.id)}
          >
            <span class="tile-icon">
              <MethodIcon type={method.type} />
            </span>
            <span class="tile-name">{method.name}</span>
            <span class="tile-note">{t(method.here ? "self.method.here" : "self.method.staff")}</span>
          </button>
        ))}
      </div>
      {screen.saveCard !== null ? (
        <button
          type="button"
          class={`consent${screen.saveCard ? " consent-on" : ""}`}
          aria-pressed={screen.saveCard ? "true" : "false"}
          data-testid="save-card"
          onClick={() => view.touch("save-card")}
        >
          <span class="consent-box">{screen.saveCard ? "✓" : ""}</span>
          <span class="consent-text">
            <strong>{t("self.method.saveCard")}</strong>
            <small>{t("self.method.saveCardNote")}</small>
          </span>
        </button>
      ) : null}
    </div>
  );
}
