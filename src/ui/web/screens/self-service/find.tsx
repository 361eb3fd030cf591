import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import { Button } from "../../components/button.js";
import { Header } from "../../components/header.js";
import { Keyboard } from "../../components/keyboard.js";
import type { ScreenProps } from "../../view.js";

type Find = Extract<SelfServiceScreen, { name: "self.find" }>;

/** Invoice number and last name, typed on the on-screen keyboard (or the invoice's QR code scanned). */
export function FindScreen({ screen, view }: ScreenProps<Find>) {
  const { t } = view;
  const field = (name: Find["field"], value: string) => (
    <button
      type="button"
      class={`field${screen.field === name ? " field-active" : ""}`}
      data-testid={`field-${name}`}
      onClick={() => view.touch("field", name)}
    >
      <span class="field-label">{t(`self.find.${name}`)}</span>
      <span class="field-value">{value || "\u00a0"}</span>
    </button>
  );
  return (
    <div class="screen find">
      <Header view={view} title={t("self.find.title")} back="back" />
      <div class="find-fields">
        {field("invoiceNumber", screen.invoiceNumber)}
        {field("lastName", screen.lastName)}
        <Button
          kind="primary"
          testId="search"
          disabled={screen.searching}
          onPress={() => view.touch("search")}
        >
          {screen.searching ? t("self.find.searching") : t("self.find.search")}
        </Button>
      </div>
      <p class={`hint${screen.problem ? " problem" : ""}`} data-testid="find-problem" role="status">
        {screen.problem ? t(`self.find.problem.${screen.problem}`) : t("self.find.hint")}
      </p>
      <Keyboard view={view} />
    </div>
  );
}
