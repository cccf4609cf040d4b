import { getTranslations } from "next-intl/server";
import { PURCHASED_CREDITS_VALIDITY_DAYS } from "@/data/credits";
import { parseJson, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { okWithUrl } from "@/lib/redirect-envelope";
import { checkoutRequestSchema, createCreditsCheckout } from "@/services/payments";

export const dynamic = "force-dynamic";

// { quantity } or { bundle } (+ optional locale) -> an order and a Stripe Checkout Session; answers its url
// (in data and at the top level of the envelope).
export const POST = route(async (request) => {
  const input = await parseJson(request, checkoutRequestSchema);
  const user = await requireUser();
  const locale = input.locale ?? "en";
  const t = await getTranslations({ locale, namespace: "billing.checkout" });
  const checkout = await createCreditsCheckout({
    user,
    request: input,
    locale,
    labels: (credits) => ({
      name: t("productName", { credits }),
      description: t("productDescription", { credits, days: PURCHASED_CREDITS_VALIDITY_DAYS }),
    }),
  });
  return okWithUrl({ url: checkout.url, orderNo: checkout.orderNo, credits: checkout.credits, amount: checkout.amount, currency: checkout.currency });
});
