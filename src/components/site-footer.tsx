import { getTranslations } from "next-intl/server";
import { siteConfig } from "@/config/site";

export async function SiteFooter() {
  const t = await getTranslations("common.footer");
  return (
    <footer className="mt-16 border-t bg-muted/40">
      <div className="mx-auto max-w-6xl px-4 py-8 text-sm text-muted-foreground">
        <p>{t("tagline")}</p>
        <p className="mt-2">{t("rights", { year: new Date().getFullYear(), brand: siteConfig.name })}</p>
      </div>
    </footer>
  );
}
