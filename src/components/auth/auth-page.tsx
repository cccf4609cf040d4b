import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { getCurrentUser } from "@/lib/auth/current-user";
import { AuthFrame } from "./auth-frame";
import { OAuthButtons } from "./oauth-buttons";

/** Why next-auth sent the visitor back here (`?error=`), in words; its other types get the default. */
const FAILURES = ["OAuthAccountNotLinked", "OAuthCallbackError", "OAuthSignInError", "AccessDenied", "Verification", "MissingCSRF"] as const;

/**
 * The frame of the sign-in and sign-up pages; a signed-in visitor goes straight on. next-auth
 * sends every sign-in that failed outside our own forms (an OAuth provider's answer, a sign-in
 * link) back to the sign-in page with `?error=<type>` (auth.config.ts `pages`): it is said here.
 */
export async function AuthPage({
  locale,
  callbackUrl,
  error,
  title,
  subtitle,
  form,
  landing,
}: {
  locale: string;
  callbackUrl: string | string[] | undefined;
  /** Where to go without a callbackUrl (sign-up: the generator); unset: the page the visitor came from, else the credits page. */
  landing?: string;
  error?: string | string[];
  title: string;
  subtitle: string;
  form: (target: string) => React.ReactNode;
}) {
  const target = safeCallbackUrl(
    typeof callbackUrl === "string" ? callbackUrl : landing ? undefined : await cameFrom(),
    landing ?? `/${locale}/credits`,
  );
  if (await getCurrentUser()) redirect(target);
  const failure = typeof error === "string" && error ? (FAILURES.find((f) => f === error) ?? "default") : null;
  const t = await getTranslations("auth.signIn.failed");
  return (
    <AuthFrame title={title} subtitle={subtitle}>
      {failure && (
        <Alert variant="destructive" data-testid="auth-failed" data-error={failure}>
          <AlertDescription>{t(failure)}</AlertDescription>
        </Alert>
      )}
      <OAuthButtons callbackUrl={target} />
      {form(target)}
    </AuthFrame>
  );
}

/**
 * Without a callbackUrl (the header's links, sign-up prompts, Buy buttons), the page the
 * visitor came from: the Referer's path when it is this site and not an auth page.
 */
async function cameFrom(): Promise<string | undefined> {
  const h = await headers();
  const referer = h.get("referer");
  const host = h.get("x-forwarded-host") ?? h.get("host");
  if (!referer || !host) return undefined;
  try {
    const url = new URL(referer);
    if (url.host !== host || /\/(auth|api)(\/|$)/.test(url.pathname)) return undefined;
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}
