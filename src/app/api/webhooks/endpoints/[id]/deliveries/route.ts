import { ok, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { listWebhookDeliveries } from "@/services/webhooks";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// GET /api/webhooks/endpoints/<id>/deliveries: the endpoint's delivery log, newest first (50).
export const GET = route<Context>(async (_request, { params }) => {
  const user = await requireUser();
  const { id } = await params;
  return ok({ deliveries: await listWebhookDeliveries(user.uuid, id) });
});
