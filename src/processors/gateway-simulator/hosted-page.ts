/** The processor's own page for keying a card: the kiosk shows it, but never sees what is typed. */
export function hostedPage(sessionId: string, amountText: string | null): string {
  const id = encodeURIComponent(sessionId);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Secure card entry</title>
<style>
body{font:20px system-ui,sans-serif;background:#0b1f33;color:#fff;margin:0;display:grid;place-items:center;min-height:100vh}
form{background:#132f4c;padding:24px;border-radius:12px;display:grid;gap:12px;min-width:360px}
input,button{font:inherit;padding:12px;border-radius:8px;border:1px solid #5c7ea3;min-height:48px}
button{background:#2e7d32;color:#fff;border:0}
</style></head>
<body><form method="post" action="/hosted/${id}" autocomplete="off">
<h1>Secure card entry</h1>
${amountText ? `<p>Amount: ${amountText}</p>` : ""}
<input name="number" inputmode="numeric" placeholder="Card number" aria-label="Card number" required>
<div style="display:flex;gap:8px">
<input name="exp_month" inputmode="numeric" placeholder="MM" aria-label="Expiry month" size="2" required>
<input name="exp_year" inputmode="numeric" placeholder="YYYY" aria-label="Expiry year" size="4" required>
<input name="cvc" inputmode="numeric" placeholder="CVC" aria-label="CVC" size="4" required>
</div>
<button type="submit">Submit card</button>
</form></body></html>`;
}

export function hostedDone(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Card entry</title></head>
<body style="font:24px system-ui;background:#0b1f33;color:#fff;display:grid;place-items:center;min-height:100vh">
<p>${message.replace(/[<>&]/g, "")}</p></body></html>`;
}
