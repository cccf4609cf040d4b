/**
 * The one helper behind every form's Server Action: FormData -> the zod schema the
 * JSON route uses too (client-safe, src/lib/schemas) -> the signed-in user -> a service.
 * Failures come back as form state, mapped by the same rules as the JSON envelope
 * (`toErrorEnvelope` in src/lib/http/api.ts): a 400 naming a field becomes that field's
 * error, anything else the form's error (an `ApiProblem`, like src/lib/http/api-client.ts
 * answers). What the user typed is always sent back (passwords aside), so the form keeps it.
 *
 * Use with `useActionState(action, null)`; a handler answers `{ redirectTo }` to send
 * the browser on (Stripe's hosted pages included), `{ done }` to tell the form what
 * happened (a mail sent, a token used), or nothing to re-render the form.
 */
import { redirect, unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { parseInput, toErrorEnvelope } from "./api";
import { problemOf, type ApiProblem } from "./api-client";
import { getCurrentUser, type CurrentUser } from "../auth/current-user";
import { UnauthorizedError } from "./errors";

/** What the user submitted, as strings (files and React's own `$ACTION…` fields left out). */
export type FormValues = Record<string, string>;

export interface ActionState {
  /** What the user typed, passwords left out (the form asks for them again; they never travel back). */
  values: FormValues;
  /** Field name -> the server's message (forms show their own words for the field). */
  fieldErrors?: Record<string, string>;
  /** A failure not tied to one field (not signed in, rate limited, Stripe down, ...). */
  formError?: ApiProblem;
  /** What a handler that stays on the page reports (e.g. `{ sent: true }`), for the form to say. */
  done?: ActionDone;
}

export type ActionDone = Record<string, string | number | boolean>;
export type ActionResult = { redirectTo: string } | { done: ActionDone } | void;

export interface ActionOptions<I> {
  /**
   * Where to send a visitor who is not signed in (e.g. sign-up, coming back here);
   * without it a signed-out submit is a 401 form error. Actions without a user: `public: true`.
   */
  signedOut?: (input: I, values: FormValues) => string;
  public?: boolean;
  /** For the logs: which action failed. */
  name?: string;
}

export function formValues(formData: FormData): FormValues {
  const values: FormValues = {};
  for (const [key, value] of formData) {
    if (key.startsWith("$ACTION") || typeof value !== "string") continue;
    values[key] = value;
  }
  return values;
}

/** The values sent back to the form: every field but passwords. */
export function echoedValues(values: FormValues): FormValues {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !/password/i.test(key)));
}

/** The form state for a thrown error: the envelope's mapping, then field vs form. */
export function actionFailure(error: unknown, values: FormValues, context: string): ActionState {
  const envelope = toErrorEnvelope(error, context);
  const problem = problemOf(envelope.status, { code: envelope.status, message: envelope.message, data: envelope.data }, envelope.headers?.["Retry-After"]);
  if (problem.status === 400 && problem.field && problem.field in values) {
    return { values: echoedValues(values), fieldErrors: { [problem.field]: problem.message } };
  }
  return { values: echoedValues(values), formError: problem };
}

export function validatedAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.infer<S>, context: { user: CurrentUser; values: FormValues }) => Promise<ActionResult>,
  options: ActionOptions<z.infer<S>> = {},
): (previous: ActionState | null, formData: FormData) => Promise<ActionState> {
  return async (_previous, formData) => {
    const values = formValues(formData);
    let next: ActionResult;
    try {
      const input = parseInput(schema, values);
      const user = await getCurrentUser();
      if (!user && options.signedOut) redirect(options.signedOut(input, values));
      if (!user && !options.public) throw new UnauthorizedError();
      next = await handler(input, { user: user as CurrentUser, values });
    } catch (error) {
      unstable_rethrow(error); // redirect() throws to navigate: that must reach Next.js, not the form
      return actionFailure(error, values, `action ${options.name ?? "form"}`);
    }
    if (next && "redirectTo" in next) redirect(next.redirectTo);
    return { values: echoedValues(values), ...(next && "done" in next ? { done: next.done } : {}) };
  };
}
