/** The longest address SMTP carries (RFC 5321: a 256-octet path less its angle brackets). */
export const MAX_EMAIL_LENGTH = 254;

// A deliverable everyday address: a dot-atom local part (RFC 5322, no quoting), a host name of
// labels (RFC 1035) and a top-level domain of letters. Stricter than the RFCs on purpose: what a
// client types on a kiosk keyboard, never an address that could carry a header or a second recipient.
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** Whether `text` is an email address a receipt can be sent to. */
export function isEmailAddress(text: string): boolean {
  if (text.length > MAX_EMAIL_LENGTH) return false;
  const at = text.lastIndexOf("@");
  if (at < 1 || at > 64) return false;
  return ADDRESS.test(text);
}
