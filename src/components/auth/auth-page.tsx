import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/lib/callback-url";
import { getCurrentUser } from "@/lib/current-user";
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
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-muted-foreground">{subtitle}</p>
      <div className="mt-6 space-y-4 rounded-xl border bg-card p-6">
        <OAuthButtons callbackUrl={target} />
        {form(target)}
      </div>
    </div>
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
