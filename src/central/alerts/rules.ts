/** Every rule an alert can be raised for, in the order pages list them. */
export const ALERT_RULES = [
  "offline",
  "printer",
  "reader",
  "unsynced",
  "diskLow",
  "tamper",
  "outOfService",
] as const;

export type AlertRule = (typeof ALERT_RULES)[number];

/** What each rule means, in the words pages, emails and web hooks use. */
export const ALERT_RULE_LABELS: Readonly<Record<AlertRule, string>> = {
  offline: "Offline",
  printer: "Printer: paper out or error",
  reader: "Card reader unplugged or in error",
  unsynced: "Records not reaching central",
  diskLow: "Disk space low",
  tamper: "Tamper switch open",
  outOfService: "Out of service",
};

export function isAlertRule(value: string): value is AlertRule {
  return (ALERT_RULES as readonly string[]).includes(value);
}
