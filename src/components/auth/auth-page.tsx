import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/lib/callback-url";
import { getCurrentUser } from "@/lib/current-user";
import { AuthFrame } from "./auth-frame";
import { OAuthButtons } from "./oauth-buttons";

/** The frame of the sign-in and sign-up pages; a signed-in visitor goes straight on. */
export async function AuthPage({
  locale,
  callbackUrl,
  title,
  subtitle,
  form,
}: {
  locale: string;
  callbackUrl: string | string[] | undefined;
  title: string;
  subtitle: string;
  form: (target: string) => React.ReactNode;
}) {
  const target = safeCallbackUrl(
    typeof callbackUrl === "string" ? callbackUrl : await cameFrom(),
    `/${locale}/credits`,
  );
  if (await getCurrentUser()) redirect(target);
  return (
    <AuthFrame title={title} subtitle={subtitle}>
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
