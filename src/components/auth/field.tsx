import type { InputHTMLAttributes } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** A labelled design-system Input with the server's (or the form's) error under it. */
export function Field({ label, error, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string }) {
  const errorId = error ? `${input.id}-error` : undefined;
  return (
    <div>
      <Label htmlFor={input.id}>{label}</Label>
      <Input {...input} aria-invalid={error ? true : undefined} aria-describedby={errorId} className="mt-1.5" />
      {error && (
        <p id={errorId} data-testid={`${input.id}-error`} className="mt-1 text-sm text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}
