/**
 * The simulator's Accept Customer form (the real one is at https://test.authorize.net/customer/addPayment):
 * staff key the card here, inside the staff screen's frame, so the kiosk never sees the number.
 */
const STYLE = `body{font:20px system-ui,sans-serif;background:#0b1f33;color:#fff;margin:0;display:grid;place-items:center;min-height:100vh}
form{background:#132f4c;padding:24px;border-radius:12px;display:grid;gap:12px;min-width:360px}
input,button{font:inherit;padding:12px;border-radius:8px;border:1px solid #5c7ea3;min-height:48px}
button{background:#2e7d32;color:#fff;border:0}`;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

export function hostedProfileForm(token: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Add a payment method</title><style>${STYLE}</style></head>
<body><form method="post" action="/customer/addPayment/submit" autocomplete="off">
<h1>Add a card</h1>
<input type="hidden" name="token" value="${escapeHtml(token)}">
<input name="cardNumber" inputmode="numeric" placeholder="Card number" aria-label="Card number" required>
<div style="display:flex;gap:8px">
<input name="expirationDate" inputmode="numeric" placeholder="MM/YY" aria-label="Expiration date" size="5" required>
<input name="cardCode" inputmode="numeric" placeholder="CVV" aria-label="Card code" size="4" required>
</div>
<button type="submit">Save</button>
</form></body></html>`;
}

export function hostedFormDone(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Add a payment method</title></head>
<body style="font:24px system-ui;background:#0b1f33;color:#fff;display:grid;place-items:center;min-height:100vh">
<p>${escapeHtml(message)}</p></body></html>`;
}
