"use client";

import { useFormStatus } from "react-dom";
import { Button, type ButtonVariant } from "@/components/ui/button";

/**
 * Every Server Action form's submit button: disabled while its form's action runs, and
 * showing `pendingLabel` then. With several submit buttons in one form (`name`/`value`),
 * only the pressed one changes its label.
 */
export function SubmitButton({
  children,
  pendingLabel,
  disabled,
  name,
  value,
  variant,
  className,
  autoFocus,
  testId,
}: {
  children: React.ReactNode;
  pendingLabel: string;
  disabled?: boolean;
  name?: string;
  value?: string;
  variant?: ButtonVariant;
  className?: string;
  autoFocus?: boolean;
  testId?: string;
}) {
  const { pending, data } = useFormStatus();
  const pressed = pending && (!name || data?.get(name) === value);
  return (
    <Button
      type="submit"
      name={name}
      value={value}
      variant={variant}
      className={className}
      disabled={disabled || pending}
      autoFocus={autoFocus}
      data-testid={testId}
      data-pending={pending || undefined}
    >
      {pressed ? pendingLabel : children}
    </Button>
  );
}
