import { AsyncLocalStorage } from "node:async_hooks";
import type { TooManyRequestsError } from "./errors";

// The sign-in limiter runs inside the Credentials provider's `authorize` (it sees exactly
// the credentials next-auth authenticates, however they were posted). next-auth turns any
// refusal there into a redirect; this carries the limiter's refusal out to the route
// handler, which answers with the 429 envelope and Retry-After instead.

const attempt = new AsyncLocalStorage<{ limited?: TooManyRequestsError }>();

/** Runs next-auth's POST handler; a sign-in the limiter refused becomes that TooManyRequestsError. */
export async function runSignInAttempt(handler: () => Promise<Response>): Promise<Response> {
  const state: { limited?: TooManyRequestsError } = {};
  const response = await attempt.run(state, handler);
  if (state.limited) throw state.limited;
  return response;
}

/** Called by authorize when the limiter refuses (authorize then answers null). */
export function signInRefused(error: TooManyRequestsError) {
  const state = attempt.getStore();
  if (state) state.limited = error;
}
