"use client";

import { ChevronDownIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
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
  examples,
  ...field
}: TextFieldProps & {
  maxLength: number;
  placeholder?: string;
  rows?: number;
  /** Prompts to start from, one button each (fills the prompt), under a label, e.g. "Try an example:". */
  examples?: { label: string; prompts: readonly string[] };
}) {
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
      {examples && examples.prompts.length > 0 && (
        <div className="flex flex-wrap items-center gap-2 text-xs" data-testid={`${id}-examples`}>
          <span className="text-muted-foreground">{examples.label}</span>
          {examples.prompts.map((prompt) => (
            <button
              key={prompt}
              type="button"
              onClick={() => onChange(prompt)}
              className="focus-ring rounded-full border border-input px-2.5 py-1 text-left hover:bg-accent"
            >
              {prompt}
            </button>
          ))}
        </div>
      )}
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
 * One choice from a short list, as a native <select> dressed like the design system's Select
 * trigger: a form with a handful of options does not need Radix Select (~17 kB gzip on every
 * task page), and the native control brings the platform's own picker and keyboard handling.
 * The select carries data-testid `id`, each option `<id>-<value>`.
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
  return (
    <Field id={id} label={label}>
      <div className="relative">
        <select
          id={id}
          data-testid={id}
          value={value}
          onChange={(e) => onChange(e.target.value as V)}
          className="h-9 w-full appearance-none rounded-md border border-input bg-transparent py-2 pr-9 pl-3 text-sm shadow-xs transition-[color,box-shadow] outline-none focus-visible:border-ring focus-ring disabled:cursor-not-allowed disabled:opacity-50 dark:bg-input/30 dark:hover:bg-input/50 [&>option]:bg-popover [&>option]:text-popover-foreground"
        >
          {options.map((o) => (
            <option key={o.value} value={o.value} data-testid={`${id}-${o.value}`}>
              {o.label}
            </option>
          ))}
        </select>
        <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 opacity-50" aria-hidden />
      </div>
    </Field>
  );
}

/**
 * One choice from a few, each showing its own detail (its price), as radio cards side by side
 * rather than a menu. The checked card is outlined in the primary colour; keyboard focus shows
 * on the card with the `--ring` outline every control has. Each radio carries data-testid
 * `<id>-<value>`.
 */
export function ChoiceCards<V extends string | number>({
  id,
  name,
  legend,
  value,
  onChange,
  options,
}: {
  id: string;
  /** The radios' form name (the input field they set). */
  name: string;
  legend: string;
  value: V;
  onChange: (value: V) => void;
  options: ReadonlyArray<{ value: V; label: ReactNode }>;
}) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-2 text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap gap-3">
        {options.map((o) => (
          <label
            key={o.value}
            className="flex cursor-pointer items-center gap-2 rounded-md border border-input px-3 py-2 text-sm has-[:checked]:border-primary has-[:checked]:bg-accent has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring"
          >
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
              className="accent-primary"
              data-testid={`${id}-${o.value}`}
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
