import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { NavLink } from "@/components/layout/nav-link";
import { requireAdmin } from "@/lib/auth/admin";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "admin.meta" });
  return { title: t("title"), robots: { index: false } };
}

// Every admin page also calls requireAdmin("page") itself: layouts and pages render
// independently, so the layout's check alone would not guard a page's data.
export default async function AdminLayout({ children, params }: { children: React.ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  await requireAdmin("page");
  const t = await getTranslations("admin");
  const links = [
    ["/admin", t("nav.overview")],
    ["/admin/users", t("nav.users")],
    ["/admin/orders", t("nav.orders")],
    ["/admin/tasks", t("nav.tasks")],
    ["/admin/audit", t("nav.audit")],
  ] as const;
  return (
    <div className="mx-auto max-w-6xl px-4 py-8" data-testid="admin-console">
      <h1 className="text-2xl font-bold tracking-tight">{t("meta.title")}</h1>
      <nav className="mt-4 mb-8 flex flex-wrap gap-2 border-b pb-3 text-sm" aria-label={t("meta.title")}>
        {links.map(([href, label]) => (
          <NavLink
            key={href}
            href={href}
            className="focus-ring rounded-md px-3 py-1.5 text-muted-foreground hover:bg-accent hover:text-accent-foreground aria-[current=page]:bg-accent aria-[current=page]:font-medium aria-[current=page]:text-accent-foreground"
          >
            {label}
          </NavLink>
        ))}
      </nav>
      {children}
    </div>
  );
}
