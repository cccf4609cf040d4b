import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";

/** What signed-out visitors see on the task pages. */
export async function SignUpPrompt() {
  const t = await getTranslations("tasks.signedOut");
  return (
    <div className="mx-auto max-w-3xl rounded-xl border bg-card p-6 text-center" data-testid="t2v-signup">
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      <p className="mt-2 text-sm text-muted-foreground">{t("body")}</p>
      <div className="mt-4 flex flex-wrap justify-center gap-3">
        <Link href="/auth/signup" className={buttonClass("primary")}>
          {t("signup")}
        </Link>
        <Link href="/auth/signin" className={buttonClass("secondary")}>
          {t("signin")}
        </Link>
      </div>
    </div>
  );
}
