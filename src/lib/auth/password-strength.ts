/**
 * Password strength, estimated with zxcvbn-ts (@zxcvbn-ts/core with its common and English
 * dictionaries, pinned in package.json): how many guesses an attacker who knows common
 * passwords, words, names, keyboard patterns, dates and the user's own details would need.
 * Shared by the server (the rule: score >= MIN_PASSWORD_SCORE at sign-up, reset and change)
 * and the forms (live hints). Client-safe: the estimator and its dictionaries (about a
 * megabyte) are loaded with dynamic import() on first use, so no page ships them in its
 * first-load JavaScript; a form loads them when the password field is first used.
 *
 * Feedback comes back as zxcvbn's keys (warnings: "simpleRepeat", "common", ...;
 * suggestions: "capitalization", ...), which the forms say in the user's language
 * (messages/<locale>/auth.json, `passwordStrength.warnings.*` / `.suggestions.*`).
 */

/** The lowest accepted score (0 too guessable … 4 very unguessable; 3: safely unguessable, about 10^8 guesses or more). */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Only the first characters are scored: zxcvbn's work grows steeply with length (a repeated
 * 128-character pattern costs it over half a second), and a password whose first 32
 * characters are strong is strong.
 */
export const STRENGTH_SCORED_LENGTH = 32;

export type PasswordScore = 0 | 1 | 2 | 3 | 4;

export interface PasswordStrength {
  score: PasswordScore;
  /** A zxcvbn warning key, or null. */
  warning: string | null;
  /** zxcvbn suggestion keys. */
  suggestions: string[];
}

export type PasswordEstimator = (password: string, userInputs: string[]) => PasswordStrength;

// Words of this product that make a password guessable here ("credits123").
const SITE_WORDS = ["credits", "credit", "studio", "video", "generate", "password"];

/**
 * What the estimator is told about the user: the email, its local part and domain name, the
 * name and each of its words, and the product's own words. They count as the most likely
 * guesses, so "alice2024" is weak for alice@example.com.
 */
export function passwordUserInputs({ email, name }: { email?: string | null; name?: string | null }): string[] {
  const inputs = new Set<string>(SITE_WORDS);
  const add = (value: string) => {
    const v = value.trim().toLowerCase();
    if (v.length >= 2) inputs.add(v);
  };
  if (email) {
    add(email);
    const [local, domain = ""] = email.split("@");
    add(local);
    for (const part of local.split(/[^\p{L}\p{N}]+/u)) add(part);
    add(domain.split(".")[0] ?? "");
  }
  if (name) {
    add(name);
    add(name.replace(/\s+/g, ""));
    for (const part of name.split(/\s+/)) add(part);
  }
  return [...inputs];
}

/** A copy of zxcvbn's feedback texts with each text replaced by its own key. */
function keysOf<T extends Record<string, unknown>>(group: T): Record<keyof T, string> {
  return Object.fromEntries(Object.keys(group).map((key) => [key, key])) as Record<keyof T, string>;
}

let estimator: Promise<PasswordEstimator> | undefined;

/** The estimator, loaded (dictionaries and all) on the first call and kept. */
export function loadPasswordEstimator(): Promise<PasswordEstimator> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    const factory = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: {
        ...en.translations,
        warnings: keysOf(en.translations.warnings),
        suggestions: keysOf(en.translations.suggestions),
      },
      maxLength: STRENGTH_SCORED_LENGTH,
    });
    return (password, userInputs) => {
      const result = factory.check(password, userInputs);
      return { score: result.score as PasswordScore, warning: result.feedback.warning || null, suggestions: result.feedback.suggestions };
    };
  })();
  estimator.catch(() => (estimator = undefined)); // a failed chunk load may be retried
  return estimator;
}

/** The strength of `password` for this user. */
export async function passwordStrength(password: string, user: { email?: string | null; name?: string | null }): Promise<PasswordStrength> {
  return (await loadPasswordEstimator())(password, passwordUserInputs(user));
}
