import { parseJson, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { okWithUrl } from "@/lib/http/redirect-envelope";
import { checkoutRequestSchema, createCreditsCheckout } from "@/services/payments";
import { creditLabels } from "@/services/payments/labels";

export const dynamic = "force-dynamic";

// { quantity } or { bundle } (+ optional locale) -> an order and a Stripe Checkout Session; answers its url
// (in data and at the top level of the envelope). The credits page's forms do the same with a Server Action.
export const POST = route(async (request) => {
  const input = await parseJson(request, checkoutRequestSchema);
  const user = await requireUser();
  const locale = input.locale ?? "en";
  const checkout = await createCreditsCheckout({ userUuid: user.uuid, request: input, locale, labels: await creditLabels(locale) });
  return okWithUrl({ url: checkout.url, orderNo: checkout.orderNo, credits: checkout.credits, amount: checkout.amount, currency: checkout.currency });
});
