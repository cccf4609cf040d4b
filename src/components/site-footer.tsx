import { getTranslations } from "next-intl/server";
import { legalEntityValues, siteConfig } from "@/config/site";
import { Link } from "@/i18n/navigation";
import { LogoMark } from "./logo";

/** The brand and its tagline, the product and legal links, the support address, the legal entity. */
export async function SiteFooter() {
  const t = await getTranslations("common");
  const columns = [
    {
      title: t("footer.product"),
      links: [
        { href: siteConfig.links.pricing, label: t("footer.links.pricing") },
        { href: "/tasks", label: t("footer.links.tasks") },
      ],
    },
    {
      title: t("footer.legal"),
      links: [
        { href: siteConfig.links.terms, label: t("footer.links.terms") },
        { href: siteConfig.links.privacy, label: t("footer.links.privacy") },
        { href: siteConfig.links.refund, label: t("footer.links.refund") },
        { href: siteConfig.links.contact, label: t("footer.links.contact") },
      ],
    },
  ];
  const link = "focus-ring rounded-sm hover:text-foreground hover:underline";
  return (
    <footer className="mt-16 border-t bg-muted/40" data-testid="site-footer">
      <div className="mx-auto grid max-w-7xl gap-8 px-4 py-10 text-sm text-muted-foreground sm:grid-cols-[2fr_1fr_1fr]">
        <div>
          <p className="flex items-center gap-2 font-semibold text-foreground">
            <LogoMark id="footer" className="size-6" />
            {siteConfig.name}
          </p>
          <p className="mt-2 max-w-sm" data-testid="footer-tagline">
            {t("site.tagline")}
          </p>
          <p className="mt-4">
            {t("site.support")}:{" "}
            <a href={`mailto:${siteConfig.supportEmail}`} className={link} data-testid="footer-support">
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
        <p className="mx-auto max-w-7xl px-4 py-4 text-xs text-muted-foreground" data-testid="footer-rights">
          {t("site.rights", { year: new Date().getFullYear(), ...legalEntityValues })}
        </p>
      </div>
    </footer>
  );
}
