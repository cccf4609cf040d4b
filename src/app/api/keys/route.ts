import { ok, parseJson, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { createApiKeyInput } from "@/lib/schemas/api-keys";
import { requireActiveUser } from "@/services/accounts/users";
import { createApiKey, listApiKeys } from "@/services/api-keys";

export const dynamic = "force-dynamic";

// Session only (an API key gets 403): keys manage keys nowhere.

// GET /api/keys: data.apiKeys, the caller's keys, newest first (revoked ones included).
export const GET = route(async () => {
  const user = await requireUser();
  return ok({ apiKeys: await listApiKeys(user.uuid) });
});

// POST /api/keys { name, expiresAt?, monthlyCreditCap? }: 201 with data.key (the secret,
// shown this once) and data.apiKey (its record). 400 naming the field, 409 past the limit.
export const POST = route(async (request) => {
  const user = await requireUser();
  const input = await parseJson(request, createApiKeyInput);
  await requireActiveUser(user.uuid);
  return ok(await createApiKey(user.uuid, input), { status: 201 });
});
