import type { ReceiptDocument } from "../../payments/receipt/receipt-document.js";
import type { MailMessage } from "./mailer.js";

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function textOf(receipt: ReceiptDocument): string {
  const width = Math.max(...receipt.rows.map((row) => row.label.length), 0) + 2;
  const lines = [
    receipt.studioName,
    ...receipt.studioAddress,
    "",
    receipt.title,
    ...receipt.notices,
    "",
    ...receipt.rows.map((row) => `${row.label.padEnd(width)}${row.value}`),
    "",
    `${receipt.recordLabel}: ${receipt.recordId}`,
    "",
    receipt.thanks,
  ];
  return `${lines.join("\n")}\n`;
}

function htmlOf(receipt: ReceiptDocument): string {
  const rows = receipt.rows
    .map((row) => {
      const value = row.strong ? `<strong>${escapeHtml(row.value)}</strong>` : escapeHtml(row.value);
      return `<tr><td style="padding:4px 16px 4px 0;color:#555">${escapeHtml(row.label)}</td><td style="padding:4px 0;text-align:right">${value}</td></tr>`;
    })
    .join("");
  const notices = receipt.notices
    .map((notice) => `<p style="margin:4px 0;font-weight:bold">${escapeHtml(notice)}</p>`)
    .join("");
  const address = receipt.studioAddress.map(escapeHtml).join("<br>");
  return [
    `<!doctype html><html lang="${receipt.language}"><head><meta charset="utf-8"><title>${escapeHtml(receipt.subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;color:#111;max-width:480px;margin:0 auto;padding:16px">',
    `<h1 style="font-size:20px;margin:0">${escapeHtml(receipt.studioName)}</h1>`,
    address ? `<p style="margin:4px 0 16px;color:#555">${address}</p>` : "",
    `<h2 style="font-size:18px;margin:16px 0 4px">${escapeHtml(receipt.title)}</h2>`,
    notices,
    `<table style="width:100%;border-collapse:collapse;margin:12px 0">${rows}</table>`,
    `<p style="color:#555;font-size:12px">${escapeHtml(receipt.recordLabel)}: ${escapeHtml(receipt.recordId)}</p>`,
    `<p>${escapeHtml(receipt.thanks)}</p>`,
    "</body></html>",
  ].join("");
}

/** A composed receipt as an email: its subject, plain text and HTML (every value escaped), in its language. */
export function receiptEmail(to: string, receipt: ReceiptDocument): MailMessage {
  return { to, subject: receipt.subject, text: textOf(receipt), html: htmlOf(receipt) };
}
