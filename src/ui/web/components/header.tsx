import type { ComponentChildren } from "preact";
import type { View } from "../view.js";
import { Button } from "./button.js";

/** The title row: a back button when there is somewhere to go back to. */
export function Header({ view, title, back }: { view: View; title: ComponentChildren; back?: string }) {
  return (
    <header class="screen-header">
      {back ? (
        <Button kind="quiet" testId="back" onPress={() => view.touch(back)}>
          ‹ {view.t("common.back")}
        </Button>
      ) : (
        <span />
      )}
      <h1>{title}</h1>
      <span />
    </header>
  );
}
