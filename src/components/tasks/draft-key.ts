/**
 * Where a type's draft is kept (./draft.ts), and the two checks a task page makes on every
 * load without loading the draft's code: is there one, and (after a submit) forget it.
 */
export const KEY_PREFIX = "task-draft:";

export const draftKey = (slug: string) => `${KEY_PREFIX}${slug}`;

/** Whether this browser keeps a draft of the type (storage blocked: no). */
export function hasDraft(slug: string): boolean {
  try {
    return localStorage.getItem(draftKey(slug)) !== null;
  } catch {
    return false;
  }
}

export function clearDraft(slug: string): void {
  try {
    localStorage.removeItem(draftKey(slug));
  } catch {
    // Nothing kept, or storage blocked.
  }
}
