/**
 * Buying while signed out: sign up (or in), then come back to the credits page with the
 * bundle selected (`/credits?buy=<bundle>`), where one click continues to Stripe. The
 * path goes through the callbackUrl mechanism (src/lib/callback-url.ts), which only
 * ever follows paths on this site. Client-safe.
 */
import { findBundle } from "@/data/credits";

/** The query parameter naming the bundle to continue buying. */
export const RESUME_PARAM = "buy";

/** `/<locale>/credits?buy=<bundle>` for a known bundle, the credits page's purchase section otherwise. */
export function resumePurchasePath(locale: string, bundle: string | undefined): string {
  return bundle && findBundle(bundle) ? `/${locale}/credits?${RESUME_PARAM}=${encodeURIComponent(bundle)}` : `/${locale}/credits#buy`;
}

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
