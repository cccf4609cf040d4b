import { redirect } from "@/i18n/navigation";
import { getCurrentUser, type CurrentUser } from "./current-user";

/** For protected pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requirePageUser(locale: string, returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) {
    redirect({ href: { pathname: "/auth/signin", query: { callbackUrl: `/${locale}${returnTo}` } }, locale });
  }
  return user as CurrentUser;
}
