import { getLocale, getTranslations } from "next-intl/server";
import { signOut } from "@/auth";
import { Link } from "@/i18n/navigation";
import { getCurrentUser } from "@/lib/current-user";
import { getUserCredits } from "@/services/credits";
import { buttonClass } from "./ui/button";

/** Header slot: the account (balance, email, sign-out) when signed in, sign-in / sign-up links when not. */
export async function AccountMenu() {
  const t = await getTranslations("auth.menu");
  const user = await getCurrentUser();
  if (!user) {
    return (
      <span className="flex items-center gap-2">
        <Link href="/auth/signin" className={buttonClass("ghost")} data-testid="header-signin">
          {t("signIn")}
        </Link>
        <Link href="/auth/signup" className={buttonClass("primary")} data-testid="header-signup">
          {t("signUp")}
        </Link>
      </span>
    );
  }
  const [{ balance }, locale] = await Promise.all([getUserCredits(user.uuid), getLocale()]);
  return (
    <span className="flex items-center gap-3" aria-label={t("account")}>
      <Link href="/credits" className="rounded-full bg-accent px-3 py-1 text-sm font-medium text-accent-foreground outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50" data-testid="header-balance">
        {t("balance", { balance })}
      </Link>
      <Link href="/account" className="hidden max-w-40 truncate text-sm text-muted-foreground underline-offset-2 hover:underline md:inline" title={user.email} data-testid="header-account">
        {user.email}
      </Link>
      <form
        action={async () => {
          "use server";
          await signOut({ redirectTo: `/${locale}` });
        }}
      >
        <button type="submit" className={buttonClass("ghost")} data-testid="header-signout">
          {t("signOut")}
        </button>
      </form>
    </span>
  );
}
