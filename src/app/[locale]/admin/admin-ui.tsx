import type { ReactNode } from "react";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";
import { requireAdmin } from "@/lib/admin";
import { pageFromSearchParam } from "@/lib/pagination";

/** Server-side helpers shared by the admin pages. */

export interface AdminListPageProps {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/**
 * The start every admin list page shares: its locale, the admin check (the 404 page for
 * anyone else), the translator and formatter, the query and the page number.
 */
export async function openAdminListPage({ params, searchParams }: AdminListPageProps, namespace = "admin") {
  const { locale } = await params;
  setRequestLocale(locale);
  await requireAdmin("page");
  const [t, format, query] = await Promise.all([getTranslations(namespace), getFormatter(), searchParams]);
  return { locale, t, format, query, page: pageFromSearchParam(query.page) };
}

/** A path with query parameters (empty values dropped). */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** A single search parameter as a string ("" when absent or repeated). */
export function param(value: string | string[] | undefined): string {
  return typeof value === "string" ? value : "";
}

export async function Pager({ path, query, page, hasMore }: { path: string; query: Record<string, string | undefined>; page: number; hasMore: boolean }) {
  if (page <= 1 && !hasMore) return null;
  const t = await getTranslations("admin.common");
  return (
    <nav className="mt-6 flex justify-between">
      {page > 1 ? (
        <Link href={withQuery(path, { ...query, page: page - 1 })} className={buttonClass("secondary")}>
          {t("previous")}
        </Link>
      ) : (
        <span />
      )}
      {hasMore && (
        <Link href={withQuery(path, { ...query, page: page + 1 })} className={buttonClass("secondary")}>
          {t("next")}
        </Link>
      )}
    </nav>
  );
}

export function Table({ head, children, testId }: { head: ReactNode[]; children: ReactNode; testId?: string }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-500">
          <tr>
            {head.map((h, i) => (
              <th key={i} className="px-3 py-2 font-medium whitespace-nowrap">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export const cell = "px-3 py-2 align-top";
export const mono = "font-mono text-xs break-all";

export async function Empty() {
  const t = await getTranslations("admin.common");
  return <p className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">{t("empty")}</p>;
}

export function Card({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 p-4" data-testid={testId}>
      <p className="text-xs text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold">{value}</p>
    </div>
  );
}

/** Filter fields for a GET form. */
export const inputClass = "rounded-lg border border-slate-300 px-3 py-2 text-sm";
