/**
 * Object keys are relative, slash-separated paths of plain segments, e.g.
 * `tasks/<task uuid>/output.mp4`. Anything else (absolute paths, `..`, `.`,
 * empty segments, backslashes, control or non-ASCII characters) is refused, so
 * a key can never name a file outside the local storage root.
 */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
export const MAX_KEY_LENGTH = 512;

export class InvalidStorageKeyError extends Error {
  readonly code = "invalid_key";
  constructor(readonly key: string) {
    super("invalid storage key");
    this.name = "InvalidStorageKeyError";
  }
}

/** True when `key` is a well-formed object key (see above). */
export function isValidKey(key: unknown): key is string {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  return key.split("/").every((s) => s !== "." && s !== ".." && SEGMENT.test(s));
}

/** Returns the key or throws InvalidStorageKeyError. */
export function assertValidKey(key: unknown): string {
  if (!isValidKey(key)) throw new InvalidStorageKeyError(String(key));
  return key;
}
