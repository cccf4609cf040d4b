/**
 * A visitor's form, kept in this browser (localStorage) while they sign up: pressing Generate
 * signed out saves the type's body here; the type's page reads it back after sign-up and email
 * confirmation (which may open in another tab), and a successful submit clears it. It is never
 * sent by itself: the user presses Generate, and the server validates it like any other body.
 * Kept for a day. Client-only.
 */
import { asInput } from "./initial-input";
import { draftKey, KEY_PREFIX } from "./draft-key";

const MAX_AGE_MS = 24 * 60 * 60 * 1000;
const MAX_CHARS = 20_000;

const keyOf = draftKey;

export function saveDraft(slug: string, input: unknown): void {
  try {
    const text = JSON.stringify({ at: Date.now(), input });
    if (text.length <= MAX_CHARS) localStorage.setItem(keyOf(slug), text);
  } catch {
    // Storage full or blocked (private mode): the visitor types it again.
  }
}

/** The type's kept draft, or null (none, expired, or not a draft's shape). */
export function readDraft(slug: string): Record<string, unknown> | null {
  try {
    const text = localStorage.getItem(keyOf(slug));
    if (!text || text.length > MAX_CHARS) return null;
    const saved = JSON.parse(text) as { at?: unknown; input?: unknown };
    if (typeof saved.at !== "number" || Date.now() - saved.at > MAX_AGE_MS) {
      localStorage.removeItem(keyOf(slug));
      return null;
    }
    return asInput(saved.input);
  } catch {
    return null;
  }
}

/** The type (slug) of the newest draft kept in this browser, or null: where "Start generating" leads after the email is confirmed. */
export function newestDraftSlug(): string | null {
  try {
    let newest: { slug: string; at: number } | null = null;
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key?.startsWith(KEY_PREFIX)) continue;
      const slug = key.slice(KEY_PREFIX.length);
      if (!/^[a-z0-9-]{1,64}$/.test(slug)) continue;
      const at = (JSON.parse(localStorage.getItem(key) ?? "{}") as { at?: unknown }).at;
      if (typeof at === "number" && Date.now() - at <= MAX_AGE_MS && (!newest || at > newest.at)) newest = { slug, at };
    }
    return newest?.slug ?? null;
  } catch {
    return null;
  }
}
