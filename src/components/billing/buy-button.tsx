"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { MAX_PURCHASE_CREDITS, MIN_PURCHASE_CREDITS } from "@/data/credits";
import { useRouter } from "@/i18n/navigation";

type Purchase = { bundle: string } | { quantity: number };
export type Problem = "notConfigured" | "invalid" | "providerError" | "rateLimited" | "alreadySubscribed" | "noBillingAccount" | "generic";

/**
 * Starts a Stripe Checkout for a bundle or a quantity and sends the browser to it.
 * `configured={false}` (known on dynamic pages) explains the setup without a request;
 * elsewhere the checkout route's 503 does the same.
 */
export function startCheckout(purchase: Purchase, locale: string): Promise<{ url: string } | { problem: Problem | "signIn" }> {
  return postForRedirect("/api/stripe/checkout/credits", { ...purchase, locale });
}

/** POSTs to a route that answers a Stripe URL (checkout, subscription, portal); a problem otherwise. */
export async function postForRedirect(
  endpoint: string,
  payload: unknown,
  badRequest: Problem = "invalid",
): Promise<{ url: string } | { problem: Problem | "signIn" }> {
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      cache: "no-store",
    });
  } catch {
    return { problem: "generic" };
  }
  const body = (await res.json().catch(() => null)) as { code: number; data: { url?: string; reason?: string } | null } | null;
  if (res.ok && body?.code === 0 && body.data?.url) return { url: body.data.url };
  if (res.status === 401) return { problem: "signIn" };
  if (res.status === 503 && body?.data?.reason === "stripe_not_configured") return { problem: "notConfigured" };
  if (res.status === 400) return { problem: badRequest };
  if (res.status === 409) return { problem: "alreadySubscribed" };
  if (res.status === 429) return { problem: "rateLimited" };
  if (res.status === 502) return { problem: "providerError" };
  return { problem: "generic" };
}

export function useCheckout() {
  const t = useTranslations("billing.buy");
  const locale = useLocale();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  function buy(purchase: Purchase, configured = true) {
    return redirectTo(() => startCheckout(purchase, locale), configured);
  }

  /** Runs `start` (a postForRedirect) and follows the URL, or shows the problem. */
  async function redirectTo(start: () => Promise<{ url: string } | { problem: Problem | "signIn" }>, configured = true) {
    if (!configured) return setProblem("notConfigured");
    setBusy(true);
    setProblem(null);
    const result = await start();
    if ("url" in result) {
      window.location.assign(result.url); // Stripe's hosted page: a full navigation
      return;
    }
    setBusy(false);
    // Back to this page after signing in, to pick the bundle again.
    if (result.problem === "signIn") return router.push({ pathname: "/auth/signin", query: { callbackUrl: window.location.pathname } });
    setProblem(result.problem);
  }

  const message = problem && (
    <div className="mt-2 text-left" data-testid="buy-problem" data-problem={problem}>
      <Alert tone={problem === "notConfigured" ? "info" : "error"}>
        {problem === "invalid" ? t("invalid", { min: MIN_PURCHASE_CREDITS, max: MAX_PURCHASE_CREDITS }) : t(problem)}
      </Alert>
    </div>
  );
  return { buy, redirectTo, busy, message, t, locale };
}

export function BuyButton({
  bundle,
  credits,
  configured = true,
  variant = "primary",
}: {
  bundle: string;
  credits: number;
  configured?: boolean;
  variant?: "primary" | "secondary";
}) {
  const { buy, busy, message, t } = useCheckout();
  return (
    <div>
      <Button
        type="button"
        variant={variant}
        className="w-full"
        disabled={busy}
        data-testid={`buy-${bundle}`}
        onClick={() => buy({ bundle }, configured)}
      >
        {busy ? t("redirecting") : t("button", { credits })}
      </Button>
      {message}
    </div>
  );
}
