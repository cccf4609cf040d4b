/**
 * Buying while signed out: sign up (or in), then come back to the credits page with the
 * bundle selected (`/credits?buy=<bundle>`), where one click continues to Stripe. The
 * path goes through the callbackUrl mechanism (src/lib/auth/callback-url.ts), which only
 * ever follows paths on this site. Client-safe.
 */
import { findBundle } from "@/data/credits";
import { SUBSCRIPTION_PLANS } from "@/data/plans";

/** The query parameter naming the bundle to continue buying. */
export const RESUME_PARAM = "buy";

/** `/<locale>/credits?buy=<bundle>` for a known bundle, the credits page's purchase section otherwise. */
export function resumePurchasePath(locale: string, bundle: string | undefined): string {
  return bundle && findBundle(bundle) ? `/${locale}/credits?${RESUME_PARAM}=${encodeURIComponent(bundle)}` : `/${locale}/credits#buy`;
}

/** The query parameter naming the plan to continue subscribing to. */
export const PLAN_PARAM = "plan";

/** `/<locale>/credits?plan=<plan>#plans` for a known plan (its card picked, Subscribe focused), the plans section otherwise. */
export function resumePlanPath(locale: string, plan: string | undefined): string {
  return plan && isPlan(plan) ? `/${locale}/credits?${PLAN_PARAM}=${encodeURIComponent(plan)}#plans` : `/${locale}/credits#plans`;
}

export const isPlan = (plan: string | null | undefined): plan is string => !!plan && SUBSCRIPTION_PLANS.some((p) => p.id === plan);

export function signUpToBuyPath(locale: string, resumePath: string): string {
  return `/${locale}/auth/signup?callbackUrl=${encodeURIComponent(resumePath)}`;
}

/** The bundle a sign-in/sign-up target resumes buying, if it is such a target. */
export function bundleToResume(target: string): string | null {
  let url: URL;
  try {
    url = new URL(target, "http://x");
  } catch {
    return null;
  }
  if (!/^\/[a-z]{2}\/credits$/.test(url.pathname)) return null;
  const bundle = url.searchParams.get(RESUME_PARAM);
  return bundle && findBundle(bundle) ? bundle : null;
}
