import { useEffect, useState } from "preact/hooks";
import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import { Keypad } from "../../components/keypad.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader } from "./parts.js";

type SignIn = Extract<StaffScreen, { name: "staff.sign-in" }>;

/** Seconds until a lockout ends, counted down on the screen (the kiosk decides; this only shows it). */
function useSecondsLeft(until: string | null): number {
  const left = () => (until ? Math.max(0, Math.ceil((Date.parse(until) - Date.now()) / 1000)) : 0);
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    if (!until) return;
    const timer = setInterval(() => setSeconds(left()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return seconds;
}

/** The PIN on an on-screen keypad: dots for the digits typed, never the digits. */
export function SignInScreen({ screen, view }: ScreenProps<SignIn>) {
  const { t } = view;
  const lockedFor = useSecondsLeft(screen.lockedUntil);
  const locked = lockedFor > 0;
  const minutes = Math.floor(lockedFor / 60);
  const seconds = String(lockedFor % 60).padStart(2, "0");
  return (
    <div class="screen staff staff-sign-in">
      <StaffHeader view={view} title={t("staff.signIn.title")} back="leave" />
      <div class="staff-columns">
        <section class="staff-panel sign-in-panel">
          {screen.kioskLocked ? <p class="staff-banner">{t("staff.signIn.kioskLocked")}</p> : null}
          <p class="sign-in-prompt">{t("staff.signIn.prompt")}</p>
          <div class="pin-dots" data-testid="pin-dots" data-length={screen.pinLength}>
            {Array.from({ length: Math.max(4, screen.pinLength) }, (_, index) => (
              <span key={index} class={`pin-dot${index < screen.pinLength ? " pin-dot-on" : ""}`} />
            ))}
          </div>
          {locked ? (
            <p class="staff-error" role="alert" data-testid="sign-in-locked">
              {t("staff.signIn.locked", { time: `${minutes}:${seconds}` })}
            </p>
          ) : (
            <ErrorLine view={view} error={screen.error} testId="sign-in-error" />
          )}
          <Button
            kind="primary"
            wide
            testId="sign-in"
            disabled={locked || screen.checking || screen.pinLength < 4}
            onPress={() => view.touch("submit")}
          >
            {screen.checking ? t("staff.signIn.checking") : t("staff.signIn.submit")}
          </Button>
        </section>
        <section class="staff-panel keypad-panel">
          <Keypad view={view} />
        </section>
      </div>
    </div>
  );
}
