import { getCurrentUser } from "./current-user";
import { bearerToken } from "../http/bearer";
import { authenticateApiKey, InvalidCredentialsError, type ApiCaller } from "@/services/api-keys";

export type { ApiCaller };

/**
 * Who is calling a route that API clients use too (tasks, uploads, credits read, chat, MCP):
 * the one place that decides it. With `Authorization: Bearer <key>` the key alone decides
 * (a cookie sent along is ignored, so a bearer request carries no ambient authority and the
 * same-origin check does not apply to it): 401 for a missing, malformed, unknown, revoked
 * or expired key, or a key of a disabled or deleted account; 429 past the key's rate limit.
 * Without it, the signed-in session, unless `keyOnly` (MCP: a key or nothing). No credentials
 * get the same 401 as a bad key. `apiKeyId` is null for a session.
 */
export async function requireApiCaller(request: Request, { keyOnly = false }: { keyOnly?: boolean } = {}): Promise<ApiCaller> {
  const token = bearerToken(request.headers.get("authorization"));
  // An empty token too is looked up (as a malformed key): every bad key costs the same work.
  if (token !== null) return authenticateApiKey(token);
  const user = keyOnly ? null : await getCurrentUser();
  if (!user) throw new InvalidCredentialsError();
  return { ...user, apiKeyId: null };
}
