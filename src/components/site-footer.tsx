import { getTranslations } from "next-intl/server";

export async function SiteFooter() {
  const t = await getTranslations("common.footer");
  return (
    <footer className="mt-16 border-t border-slate-200 bg-slate-50">
      <div className="mx-auto max-w-6xl px-4 py-8 text-sm text-slate-600">
        <p>{t("tagline")}</p>
        <p className="mt-2">{t("rights", { year: new Date().getFullYear() })}</p>
      </div>
    </footer>
  );
}
