/**
 * `Authorization: Bearer <token>`: the token (possibly empty), or null when the header is
 * absent or another scheme (Basic auth in front of a staging site is not an API key).
 * The one reading of the header: the API caller (src/lib/auth/api-caller.ts), the session
 * lookup that refuses keys (current-user.ts) and the same-origin check (./api.ts).
 */
export function bearerToken(authorization: string | null): string | null {
  const match = /^\s*bearer(?:\s+(.*))?$/i.exec(authorization ?? "");
  return match ? (match[1] ?? "").trim() : null;
}
