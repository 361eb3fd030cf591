import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import { Button } from "../../components/button.js";
import { Header } from "../../components/header.js";
import type { ScreenProps, View } from "../../view.js";

type Swipe = Extract<SelfServiceScreen, { name: "self.swipe" }>;

/** The issuer's reason in plain words: the message file's wording for its code, else the processor's. */
function reason(view: View, problem: Swipe["problem"]): string {
  if (!problem) return "";
  const key = `self.swipe.reason.${problem.code}`;
  const text = view.t(key);
  return text === key ? problem.message : text;
}

/** The smart reader at work: getting ready, "Insert, tap or swipe your card", or cancelling. */
function ReaderCollecting({ screen, view }: ScreenProps<Swipe>) {
  const { t } = view;
  const waiting = screen.phase === "reader-waiting";
  return (
    <>
      <div class={`reader-shape${waiting ? " reader-shape-waiting" : ""}`} aria-hidden="true">
        <div class="reader-screen" />
      </div>
      <p class="message-big" data-testid="reader-prompt">
        {t(
          waiting
            ? "self.reader.prompt"
            : screen.phase === "cancelling"
              ? "self.reader.cancelling"
              : "self.reader.starting",
        )}
      </p>
      <p>{t("self.reader.hint")}</p>
      {screen.saveCard ? (
        <p class="consent-saving" data-testid="saving-card">
          {t("self.reader.savingCard")}
        </p>
      ) : null}
      {screen.phase === "cancelling" ? null : (
        <Button kind="secondary" testId="cancel" onPress={() => view.touch("cancel")}>
          {t("self.reader.cancel")}
        </Button>
      )}
    </>
  );
}

/** A card the smart reader did not take: why, then try again there or pay another way. */
function ReaderDeclined({ screen, view }: ScreenProps<Swipe>) {
  const { t } = view;
  return (
    <>
      <p class="message-big problem">{t("self.swipe.declined")}</p>
      <p class="problem-detail" data-testid="swipe-reason">
        {reason(view, screen.problem)}
      </p>
      <p>{t("self.reader.again")}</p>
      <div class="button-row">
        <Button kind="primary" testId="retry" onPress={() => view.touch("retry")}>
          {t("self.reader.retry")}
        </Button>
        <Button kind="secondary" testId="cancel" onPress={() => view.touch("cancel")}>
          {t("self.swipe.otherMethod")}
        </Button>
      </div>
    </>
  );
}

const READER_COLLECTING = new Set<Swipe["phase"]>(["reader-starting", "reader-waiting", "cancelling"]);

/** "Swipe your card", then processing, then (if it did not go through) why, and try again. */
export function SwipeScreen({ screen, view }: ScreenProps<Swipe>) {
  const { t, money } = view;
  if (screen.via === "reader" && (READER_COLLECTING.has(screen.phase) || screen.phase === "declined")) {
    return (
      <div class={`screen swipe swipe-${screen.phase}`}>
        <Header view={view} title={t("self.swipe.title", { amount: money(screen.amount) })} />
        <div class="message" data-testid="swipe-phase" data-phase={screen.phase}>
          {screen.phase === "declined" ? (
            <ReaderDeclined screen={screen} view={view} />
          ) : (
            <ReaderCollecting screen={screen} view={view} />
          )}
        </div>
      </div>
    );
  }
  const waiting = screen.phase === "waiting";
  const processing = screen.phase === "processing";
  return (
    <div class={`screen swipe swipe-${screen.phase}`}>
      <Header view={view} title={t("self.swipe.title", { amount: money(screen.amount) })} />
      <div class="message" data-testid="swipe-phase" data-phase={screen.phase}>
        {processing ? (
          <>
            <div class="spinner" aria-hidden="true" />
            <p class="message-big">{t("self.swipe.processing")}</p>
            <p>{t("self.swipe.wait")}</p>
          </>
        ) : screen.phase === "unknown" ? (
          <>
            <p class="message-big problem">{t("self.swipe.unknown")}</p>
            <p data-testid="swipe-reason">{t("self.swipe.unknownDetail")}</p>
            <Button kind="primary" testId="done" onPress={() => view.touch("done")}>
              {t("common.done")}
            </Button>
          </>
        ) : (
          <>
            <div class="card-slot" aria-hidden="true">
              <div class="card-shape" />
            </div>
            {waiting ? (
              <p class="message-big">{t("self.swipe.prompt")}</p>
            ) : (
              <>
                <p class="message-big problem">{t(`self.swipe.${screen.phase}`)}</p>
                <p class="problem-detail" data-testid="swipe-reason">
                  {reason(view, screen.problem)}
                </p>
              </>
            )}
            <p>{waiting ? t("self.swipe.hint") : t("self.swipe.again")}</p>
            <Button kind="secondary" testId="cancel" onPress={() => view.touch("cancel")}>
              {t("self.swipe.otherMethod")}
            </Button>
          </>
        )}
      </div>
    </div>
  );
}
