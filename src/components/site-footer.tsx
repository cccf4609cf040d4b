import { getTranslations } from "next-intl/server";
import { siteConfig } from "@/config/site";
import { Link } from "@/i18n/navigation";

/** Brand, the product and legal links, the support address. */
export async function SiteFooter() {
  const t = await getTranslations("common.footer");
  const columns = [
    {
      title: t("product"),
      links: [
        { href: siteConfig.links.pricing, label: t("links.pricing") },
        { href: "/tasks", label: t("links.tasks") },
      ],
    },
    {
      title: t("legal"),
      links: [
        { href: siteConfig.links.terms, label: t("links.terms") },
        { href: siteConfig.links.privacy, label: t("links.privacy") },
        { href: siteConfig.links.refund, label: t("links.refund") },
        { href: siteConfig.links.contact, label: t("links.contact") },
      ],
    },
  ];
  const link = "rounded-sm outline-none hover:text-foreground hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50";
  return (
    <footer className="mt-16 border-t bg-muted/40" data-testid="site-footer">
      <div className="mx-auto grid max-w-7xl gap-8 px-4 py-10 text-sm text-muted-foreground sm:grid-cols-[2fr_1fr_1fr]">
        <div>
          <p className="font-semibold text-foreground">{siteConfig.name}</p>
          <p className="mt-2 max-w-sm">{t("tagline")}</p>
          <p className="mt-4">
            <a href={`mailto:${siteConfig.supportEmail}`} className={link}>
              {siteConfig.supportEmail}
            </a>
          </p>
        </div>
        {columns.map((col) => (
          <nav key={col.title} aria-label={col.title}>
            <p className="font-medium text-foreground">{col.title}</p>
            <ul className="mt-3 space-y-2">
              {col.links.map((l) => (
                <li key={l.href}>
                  <Link href={l.href} className={link} data-testid={`footer-${l.href.slice(1)}`}>
                    {l.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ))}
      </div>
      <div className="border-t">
        <p className="mx-auto max-w-7xl px-4 py-4 text-xs text-muted-foreground">
          {t("rights", { year: new Date().getFullYear(), brand: siteConfig.name })}
        </p>
      </div>
    </footer>
  );
}
