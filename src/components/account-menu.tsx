import { getLocale, getTranslations } from "next-intl/server";
import { signOut } from "@/auth";
import { Link } from "@/i18n/navigation";
import { isAdminEmail } from "@/lib/auth/admin-email";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getUserCredits } from "@/services/credits/ledger";
import { buttonClass } from "./ui/button";

function SignOutButton({ locale, label, className, testId }: { locale: string; label: string; className?: string; testId: string }) {
  return (
    <form
      className={className}
      action={async () => {
        "use server";
        await signOut({ redirectTo: `/${locale}` });
      }}
    >
      <button type="submit" className={buttonClass("ghost", "w-full")} data-testid={testId}>
        {label}
      </button>
    </form>
  );
}

/**
 * Header slot: the balance (and, from `lg`, the console for admins, the email and sign-out)
 * when signed in; sign-up (and, from `sm`, sign-in) when not. Phones find the rest in the menu.
 * The Admin link shows for ADMIN_EMAILS (the console itself checks the stored account again).
 */
export async function AccountMenu() {
  const t = await getTranslations("auth.menu");
  const user = await getCurrentUser();
  if (!user) {
    return (
      <span className="flex items-center gap-2">
        <Link href="/auth/signin" className={buttonClass("ghost", "hidden sm:inline-flex")} data-testid="header-signin">
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
    <span className="flex items-center gap-2" aria-label={t("account")}>
      <Link
        href="/credits"
        className="focus-ring rounded-full bg-accent px-3 py-1 text-sm font-medium whitespace-nowrap text-accent-foreground"
        data-testid="header-balance"
      >
        {t("balance", { balance })}
      </Link>
      {isAdminEmail(user.email) && (
        <Link href="/admin" className={buttonClass("ghost", "hidden lg:inline-flex")} data-testid="header-admin">
          {t("admin")}
        </Link>
      )}
      <Link
        href="/account"
        className="focus-ring hidden max-w-40 truncate rounded-sm text-sm text-muted-foreground underline-offset-2 hover:underline xl:inline"
        title={user.email}
        data-testid="header-account"
      >
        {user.email}
      </Link>
      <SignOutButton locale={locale} label={t("signOut")} className="hidden lg:block" testId="header-signout" />
    </span>
  );
}

/** The account part of the phone menu: who is signed in, sign-out and (for admins) the console, or sign-in / sign-up. */
export async function AccountMenuSheet() {
  const t = await getTranslations("auth.menu");
  const user = await getCurrentUser();
  if (!user) {
    return (
      <div className="grid grid-cols-2 gap-2">
        <Link href="/auth/signin" className={buttonClass("outline")} data-testid="menu-signin">
          {t("signIn")}
        </Link>
        <Link href="/auth/signup" className={buttonClass("primary")} data-testid="menu-signup">
          {t("signUp")}
        </Link>
      </div>
    );
  }
  const locale = await getLocale();
  return (
    <div className="grid gap-2">
      <div className="flex items-center justify-between gap-2">
        <span className="min-w-0 truncate text-sm text-muted-foreground" title={user.email}>
          {user.email}
        </span>
        <SignOutButton locale={locale} label={t("signOut")} testId="menu-signout" />
      </div>
      {isAdminEmail(user.email) && (
        <Link href="/admin" className={buttonClass("outline")} data-testid="menu-admin">
          {t("admin")}
        </Link>
      )}
    </div>
  );
}
