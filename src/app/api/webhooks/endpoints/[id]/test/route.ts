import { after } from "next/server";
import { ok, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { logger } from "@/lib/logger";
import { deliverDueWebhooks, sendTestWebhook } from "@/services/webhooks";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// POST /api/webhooks/endpoints/<id>/test -> 202 { deliveryId }: a `webhook.test` event, sent
// right after the answer (retried like any other); its outcome shows in the delivery log.
export const POST = route<Context>(async (_request, { params }) => {
  const user = await requireUser();
  const { id } = await params;
  const deliveryId = await sendTestWebhook(user.uuid, id);
  after(() =>
    deliverDueWebhooks({ ids: [deliveryId] }).catch((error) => logger.error({ error: (error as Error).message }, "[webhooks] test delivery failed")),
  );
  return ok({ deliveryId }, { status: 202 });
});
