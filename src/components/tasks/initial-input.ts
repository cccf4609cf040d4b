/**
 * The settings a task form starts with (TaskFormProps.initialInput): the followed task's own
 * input (?task=), a task's input to use again (?from=), or the draft a visitor kept through
 * sign-up (./draft.ts). Untrusted: each value is taken only when it has the field's shape, and
 * the server validates the whole body again at submit. Client-safe.
 */
export type InitialInput = Record<string, unknown> | null | undefined;

/** `input[key]` when it is a string, else the fallback. */
export function initialString(input: InitialInput, key: string, fallback: string): string {
  const value = input?.[key];
  return typeof value === "string" ? value : fallback;
}

/** `input[key]` when it is one of `choices`, else the fallback. */
export function initialChoice<T extends string | number>(input: InitialInput, key: string, choices: readonly T[], fallback: T): T {
  const value = input?.[key];
  return choices.includes(value as T) ? (value as T) : fallback;
}

/** `input[key]` as the text of a number field (a finite number, or a string as typed), else the fallback. */
export function initialNumberText(input: InitialInput, key: string, fallback: number): string {
  const value = input?.[key];
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && /^\d{1,4}$/.test(value)) return value;
  return String(fallback);
}

/** A plain object (what a task's input is), or null. */
export function asInput(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
