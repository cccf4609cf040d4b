import { parseJson, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { okWithUrl } from "@/lib/http/redirect-envelope";
import { createSubscriptionCheckout, subscriptionCheckoutSchema } from "@/services/payments";
import { planLabels } from "@/services/payments/labels";

export const dynamic = "force-dynamic";

// { plan, interval: "month" | "year" } (+ optional locale) -> a subscription-mode Checkout Session;
// 400 unknown plan/interval, 409 when the user already has a subscription. Answers its url.
export const POST = route(async (request) => {
  const input = await parseJson(request, subscriptionCheckoutSchema);
  const user = await requireUser();
  const checkout = await createSubscriptionCheckout({ userUuid: user.uuid, request: input, labels: await planLabels(input.locale ?? "en") });
  return okWithUrl({ url: checkout.url, plan: checkout.plan, interval: checkout.interval });
});
