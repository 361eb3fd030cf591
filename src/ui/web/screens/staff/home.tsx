import type { StaffScreen } from "../../../flows/staff/index.js";
import { Button } from "../../components/button.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader } from "./parts.js";

type Home = Extract<StaffScreen, { name: "staff.home" }>;

/** What staff can do, as large tiles; manager-only tasks are shown only to managers. */
export function HomeScreen({ screen, view }: ScreenProps<Home>) {
  const { t } = view;
  const manager = screen.staff.role === "manager";
  const tile = (action: string, label: string, kind: "primary" | "secondary" | "danger" = "secondary") => (
    <Button kind={kind} testId={`home-${action}`} onPress={() => view.touch(action)}>
      {label}
    </Button>
  );
  return (
    <div class="screen staff staff-home">
      <StaffHeader
        view={view}
        title={t("staff.home.title")}
        staff={screen.staff}
        action={
          <Button kind="quiet" testId="sign-out" onPress={() => view.touch("sign-out")}>
            {t("staff.nav.signOut")}
          </Button>
        }
      />
      <p class="staff-hello" data-testid="staff-who">
        {t("staff.home.hello", {
          name: screen.staff.name.replace(/\s*\(.*\)$/, ""),
          role: t(`staff.role.${screen.staff.role}`),
        })}
      </p>
      {screen.kioskLocked ? (
        <p class="staff-banner" data-testid="kiosk-locked">
          {t("staff.home.locked")}
        </p>
      ) : null}
      <ErrorLine view={view} error={screen.notice} testId="home-notice" />
      <div class="home-tiles">
        {screen.kioskLocked ? null : tile("new-payment", t("staff.home.newPayment"), "primary")}
        {tile("report-x", t("staff.home.reportX"))}
        {tile("drawer-count", t("staff.home.drawerCount"))}
        {tile("attention", t("staff.home.attention"))}
        {screen.receipts ? tile("receipts", t("staff.home.receipts")) : null}
        {tile("find-payment", t("staff.home.findPayment"))}
        {manager ? tile("void", t("staff.home.void")) : null}
        {manager ? tile("report-z", t("staff.home.reportZ")) : null}
        {screen.kioskLocked
          ? manager
            ? tile("unlock", t("staff.home.unlock"), "primary")
            : null
          : tile("lock", t("staff.home.lock"), "danger")}
      </div>
    </div>
  );
}
