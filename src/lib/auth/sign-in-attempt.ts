import { AsyncLocalStorage } from "node:async_hooks";
import type { TooManyRequestsError } from "../http/errors";

// The sign-in limiter runs inside the Credentials provider's `authorize` (it sees exactly
// the credentials next-auth authenticates, however they were posted). next-auth turns any
// refusal there into a redirect; this carries the limiter's refusal out to the route
// handler, which answers with the 429 envelope and Retry-After instead.

const attempt = new AsyncLocalStorage<{ limited?: TooManyRequestsError }>();

/**
 * Runs a credentials sign-in (next-auth's POST handler, or its server-side signIn, which
 * throws CredentialsSignin on a refusal); a sign-in the limiter refused becomes that
 * TooManyRequestsError, whatever next-auth made of it.
 */
export async function runSignInAttempt<T>(handler: () => Promise<T>): Promise<T> {
  const state: { limited?: TooManyRequestsError } = {};
  let result: T;
  try {
    result = await attempt.run(state, handler);
  } catch (error) {
    throw state.limited ?? error;
  }
  if (state.limited) throw state.limited;
  return result;
}

/** Called by authorize when the limiter refuses (authorize then answers null). */
export function signInRefused(error: TooManyRequestsError) {
  const state = attempt.getStore();
  if (state) state.limited = error;
}
