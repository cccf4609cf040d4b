import { ok, parseJson, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { webhookEndpointInputSchema } from "@/lib/schemas/webhooks";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/services/webhooks";

export const dynamic = "force-dynamic";

// GET /api/webhooks/endpoints: the signed-in user's endpoints (never their secrets).
export const GET = route(async () => {
  const user = await requireUser();
  return ok({ endpoints: await listWebhookEndpoints(user.uuid) });
});

// POST /api/webhooks/endpoints { url, events } -> 201 { endpoint, secret }: the whsec_ secret, this once.
export const POST = route(async (request) => {
  const input = await parseJson(request, webhookEndpointInputSchema);
  const user = await requireUser();
  return ok(await createWebhookEndpoint(user.uuid, input), { status: 201 });
});
