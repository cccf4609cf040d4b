/**
 * The operator console's API key views and actions: any user's keys, and revoking one
 * (audited in the same transaction). The keys themselves live in src/services/api-keys.
 */
import { getDb, type Executor } from "@/db";
import { parseInput } from "@/lib/http/api";
import type { ApiKeyDto } from "@/lib/schemas/api-keys";
import { listApiKeys, revokeApiKey } from "@/services/api-keys";
import { writeAudit, type AdminActor } from "./audit";
import { statusReasonSchema, uuidParam } from "./users";

/** A user's API keys, newest first. */
export async function listUserApiKeys(userUuid: string, db: Executor = getDb()): Promise<ApiKeyDto[]> {
  return listApiKeys(parseInput(uuidParam, userUuid), db);
}

/**
 * Revokes any user's key with an optional reason; the audit row (`api_key.revoke`, before
 * and after) commits with it. Revoking a revoked key changes nothing and writes no audit row.
 */
export async function adminRevokeApiKey(
  actor: AdminActor,
  keyId: string,
  input: unknown = {},
  db: Executor = getDb(),
): Promise<{ apiKey: ApiKeyDto; changed: boolean }> {
  const { reason } = parseInput(statusReasonSchema, input ?? {});
  return db.transaction(async (tx) => {
    const { before, after, userUuid } = await revokeApiKey(keyId, null, tx);
    const changed = before.revokedAt === null;
    if (changed) {
      await writeAudit(
        actor,
        { action: "api_key.revoke", targetType: "api_key", targetId: after.id, before: { userUuid, ...before }, after: { userUuid, ...after }, reason: reason ?? null },
        tx,
      );
    }
    return { apiKey: after, changed };
  });
}
