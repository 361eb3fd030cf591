import { useState } from "preact/hooks";

const CARDS = ["approved", "declined", "insufficient-funds", "do-not-honor", "slow"];

async function post(path: string, body: unknown): Promise<void> {
  await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Simulated devices only: swipe a test card or scan an invoice code without hardware. */
export function DevPanel() {
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState("");
  if (!open) {
    return (
      <button type="button" class="dev-toggle" data-testid="dev-open" onClick={() => setOpen(true)}>
        DEV
      </button>
    );
  }
  return (
    <div class="dev-panel" data-testid="dev-panel">
      <strong>Simulated devices</strong>
      {CARDS.map((card) => (
        <button
          type="button"
          key={card}
          data-testid={`dev-swipe-${card}`}
          onClick={() => void post("/dev/swipe", { card })}
        >
          Swipe {card}
        </button>
      ))}
      <input
        value={code}
        placeholder="invoice number or link"
        data-testid="dev-scan-code"
        onInput={(event) => setCode((event.target as HTMLInputElement).value)}
      />
      <button type="button" data-testid="dev-scan" onClick={() => void post("/dev/scan", { code })}>
        Scan
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Close
      </button>
    </div>
  );
}
