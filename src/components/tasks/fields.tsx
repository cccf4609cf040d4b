"use client";

import type { ReactNode } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";

/** A label, the control, and an optional hint the control is described by (`<id>-hint`). */
function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
    </div>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
}

/** The prompt every text-to-something form starts with. */
export function PromptField({
  maxLength,
  placeholder,
  rows = 4,
  ...field
}: TextFieldProps & { maxLength: number; placeholder?: string; rows?: number }) {
  const { id, value, onChange, hint } = field;
  return (
    <Field {...field}>
      <Textarea
        id={id}
        data-testid={id}
        required
        rows={rows}
        maxLength={maxLength}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
    </Field>
  );
}

/** A whole number within bounds, typed as text so a half-typed value stays as typed. */
export function NumberField({ min, max, ...field }: TextFieldProps & { min: number; max: number }) {
  const { id, value, onChange, hint } = field;
  return (
    <Field {...field}>
      <Input
        id={id}
        data-testid={id}
        type="number"
        inputMode="numeric"
        required
        min={min}
        max={max}
        step={1}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
    </Field>
  );
}

/**
 * One choice from a short list, as the design system's Select. The trigger carries
 * data-testid `id`, each option `<id>-<value>`.
 */
export function SelectField<V extends string>({
  id,
  label,
  value,
  onChange,
  options,
}: {
  id: string;
  label: string;
  value: V;
  onChange: (value: V) => void;
  options: ReadonlyArray<{ value: V; label: string }>;
}) {
  const selected = options.find((o) => o.value === value);
  return (
    <Field id={id} label={label}>
      <Select value={value} onValueChange={(v) => onChange(v as V)}>
        <SelectTrigger id={id} data-testid={id} className="w-full">
          {/* The label itself, so the server-rendered trigger shows it before hydration. */}
          <SelectValue>{selected?.label}</SelectValue>
        </SelectTrigger>
        <SelectContent>
          {options.map((o) => (
            <SelectItem key={o.value} value={o.value} data-testid={`${id}-${o.value}`}>
              {o.label}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </Field>
  );
}
