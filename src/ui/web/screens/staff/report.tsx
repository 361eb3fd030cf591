import type { StaffScreen } from "../../../flows/staff/index.js";
import type { ScreenProps } from "../../view.js";
import { ErrorLine, StaffHeader, timeOf } from "./parts.js";

type Report = Extract<StaffScreen, { name: "staff.report" }>;

/** The shift (X) or end-of-day (Z) report: totals by method, counts, refunds, voids, expected cash. */
export function ReportScreen({ screen, view }: ScreenProps<Report>) {
  const { t, money } = view;
  const report = screen.report;
  const title = t(screen.kind === "z" ? "staff.report.titleZ" : "staff.report.titleX");
  return (
    <div class="screen staff staff-report">
      <StaffHeader view={view} title={title} back="home" staff={screen.staff} />
      <ErrorLine view={view} error={screen.error} testId="report-error" />
      {report === null ? (
        <p class="method-note">{t("staff.loading")}</p>
      ) : (
        <div class="report-columns" data-testid="report" data-kind={screen.kind}>
          <section class="staff-panel">
            <p class="report-period">
              {t("staff.report.period", {
                from: timeOf(view, report.openedAt),
                to: report.closedAt ? timeOf(view, report.closedAt) : t("staff.report.now"),
              })}
            </p>
            <table class="report-table" data-testid="report-methods">
              <thead>
                <tr>
                  <th>{t("staff.report.method")}</th>
                  <th>{t("staff.report.payments")}</th>
                  <th>{t("staff.report.refunds")}</th>
                  <th>{t("staff.report.net")}</th>
                </tr>
              </thead>
              <tbody>
                {report.byMethod.map((line) => (
                  <tr key={line.methodId} data-testid={`report-method-${line.methodId}`}>
                    <td>{line.methodName}</td>
                    <td>
                      {money(line.payments)} <small>×{line.paymentCount}</small>
                    </td>
                    <td>
                      {money(line.refunds)} <small>×{line.refundCount}</small>
                    </td>
                    <td>
                      <strong>{money(line.net)}</strong>
                    </td>
                  </tr>
                ))}
                {report.byMethod.length === 0 ? (
                  <tr>
                    <td colSpan={4}>{t("staff.report.nothing")}</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </section>
          <section class="staff-panel report-totals">
            <dl>
              <dt>{t("staff.report.payments")}</dt>
              <dd data-testid="report-payments">
                {money(report.payments.total)} <small>×{report.payments.count}</small>
              </dd>
              <dt>{t("staff.report.refunds")}</dt>
              <dd data-testid="report-refunds">
                {money(report.refunds.total)} <small>×{report.refunds.count}</small>
              </dd>
              <dt>{t("staff.report.voids")}</dt>
              <dd data-testid="report-voids">
                {money(report.voids.total)} <small>×{report.voids.count}</small>
              </dd>
              <dt>{t("staff.report.future")}</dt>
              <dd data-testid="report-future">
                {money(report.futurePayments.total)} <small>×{report.futurePayments.count}</small>
              </dd>
              <dt>{t("staff.report.net")}</dt>
              <dd data-testid="report-net">{money(report.net)}</dd>
            </dl>
            <p class="expected-cash">
              <span>{t("staff.report.expectedCash")}</span>
              <strong data-testid="report-expected-cash">{money(report.expectedCash)}</strong>
            </p>
            {report.drawerCounts.map((count) => (
              <p class="report-count" key={count.id} data-testid="report-count">
                {t("staff.report.counted", {
                  time: timeOf(view, count.countedAt),
                  counted: money(count.counted),
                  difference: money(count.difference),
                })}
              </p>
            ))}
            {screen.kind === "z" ? <p class="staff-ok">{t("staff.report.closed")}</p> : null}
          </section>
        </div>
      )}
    </div>
  );
}
