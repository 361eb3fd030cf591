/** Money as the screen receives it: integer minor units and the currency; the browser formats it. */
export interface MoneyView {
  readonly minor: number;
  readonly currency: string;
}

export const money = (minor: number, currency: string): MoneyView => ({ minor, currency });
