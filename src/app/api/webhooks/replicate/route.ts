import { ok, route } from "@/lib/http/api";
import { BODY_LIMITS, readBodyText } from "@/lib/http/body";
import { handleProviderWebhook } from "@/services/tasks";

export const dynamic = "force-dynamic";

// Replicate's signed prediction webhooks; forged or stale deliveries get 400/401 and change nothing.
export const POST = route(async (request) => {
  const body = await readBodyText(request, BODY_LIMITS.webhook);
  const { handled, task } = await handleProviderWebhook("replicate", { headers: request.headers, body });
  return ok({ handled, status: task?.status ?? null });
});
