import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import { Button } from "../../components/button.js";
import type { ScreenProps } from "../../view.js";

type Attract = Extract<SelfServiceScreen, { name: "self.attract" }>;

/**
 * The idle screen: the studio's name and one big button; staff get a discreet way in. When cards
 * cannot be charged (the processor unreachable, or none set up) it says so before anyone starts.
 */
export function AttractScreen({ screen, view, status }: ScreenProps<Attract>) {
  const cards = status?.cards ?? "ready";
  return (
    <div class="screen attract">
      {cards === "ready" ? null : (
        <p class={`attract-cards attract-cards-${cards}`} data-testid="attract-cards" role="status">
          {view.t(`self.attract.cards.${cards}`)}
        </p>
      )}
      <button type="button" class="attract-start" data-testid="start" onClick={() => view.touch("start")}>
        <span class="attract-studio">{screen.studioName}</span>
        <span class="attract-title">{view.t("self.attract.title")}</span>
        <span class="attract-cta">{view.t("self.attract.cta")}</span>
        <span class="attract-hint">{view.t("self.attract.hint")}</span>
      </button>
      <div class="attract-staff">
        <Button kind="quiet" testId="staff" onPress={() => view.touch("staff")}>
          {view.t("self.attract.staff")}
        </Button>
      </div>
    </div>
  );
}
