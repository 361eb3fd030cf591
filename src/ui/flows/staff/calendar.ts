/** Calendar arithmetic on studio dates ("YYYY-MM-DD") and months ("YYYY-MM"), in UTC so no zone shifts. */

const pad = (value: number, width = 2): string => String(value).padStart(width, "0");

function fromUtc(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function utc(date: string): Date {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
}

export function addDays(date: string, days: number): string {
  const next = utc(date);
  next.setUTCDate(next.getUTCDate() + days);
  return fromUtc(next);
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function addMonths(month: string, months: number): string {
  const [year, index] = month.split("-").map(Number);
  const next = new Date(Date.UTC(year ?? 1970, (index ?? 1) - 1 + months, 1));
  return fromUtc(next).slice(0, 7);
}

export function isMonth(value: string): boolean {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/**
 * The month as weeks of seven days, Sunday first; days outside the month are null. The browser
 * labels weekdays and the month name with Intl.
 */
export function monthGrid(month: string): (string | null)[][] {
  const first = utc(`${month}-01`);
  const lead = first.getUTCDay();
  const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  const cells: (string | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length: days }, (_, day) => `${month}-${pad(day + 1)}`),
  ];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let start = 0; start < cells.length; start += 7) weeks.push(cells.slice(start, start + 7));
  return weeks;
}
