/** Simple line icons for payment methods (no emoji font on a kiosk image). */
export function MethodIcon({ type }: { type: string }) {
  const common = {
    width: 72,
    height: 56,
    viewBox: "0 0 72 56",
    fill: "none",
    stroke: "currentColor",
    "stroke-width": 4,
  } as const;
  switch (type) {
    case "card":
      return (
        <svg {...common} aria-hidden="true">
          <rect x="4" y="6" width="64" height="44" rx="6" />
          <path d="M4 18h64M12 38h18" />
        </svg>
      );
    case "cash":
      return (
        <svg {...common} aria-hidden="true">
          <rect x="4" y="10" width="64" height="36" rx="4" />
          <circle cx="36" cy="28" r="9" />
          <path d="M12 18v20M60 18v20" />
        </svg>
      );
    default:
      return (
        <svg {...common} aria-hidden="true">
          <rect x="4" y="8" width="64" height="40" rx="4" />
          <path d="M12 20h30M12 30h20M44 38h16" />
        </svg>
      );
  }
}
