import type { ComponentChildren } from "preact";

export interface ButtonProps {
  readonly onPress: () => void;
  readonly kind?: "primary" | "secondary" | "quiet" | "danger" | "key";
  readonly disabled?: boolean;
  readonly wide?: boolean;
  readonly testId?: string;
  readonly children: ComponentChildren;
}

/** A touch target of at least 48 px; it acts on click so a drag off the button cancels it. */
export function Button({ onPress, kind = "secondary", disabled, wide, testId, children }: ButtonProps) {
  return (
    <button
      type="button"
      class={`btn btn-${kind}${wide ? " btn-wide" : ""}`}
      disabled={disabled}
      data-testid={testId}
      onClick={onPress}
    >
      {children}
    </button>
  );
}
