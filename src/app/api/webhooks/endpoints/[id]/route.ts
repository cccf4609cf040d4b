import { ok, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { deleteWebhookEndpoint } from "@/services/webhooks";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// DELETE /api/webhooks/endpoints/<id>: removes the endpoint and its delivery log (404 unknown or not yours).
export const DELETE = route<Context>(async (_request, { params }) => {
  const user = await requireUser();
  const { id } = await params;
  await deleteWebhookEndpoint(user.uuid, id);
  return ok({ deleted: true });
});
