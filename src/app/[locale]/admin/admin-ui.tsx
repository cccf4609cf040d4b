import { Children, cloneElement, isValidElement, type ComponentProps, type ReactElement, type ReactNode } from "react";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { orderStatusVariant } from "@/components/billing/orders-table";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { OrderStatus, TaskStatus } from "@/db/schema";
import { Link } from "@/i18n/navigation";
import { requireAdmin } from "@/lib/auth/admin";
import { pageFromSearchParam } from "@/lib/http/pagination";

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

/** How the admin tables show a timestamp ("—" for none). */
export function dateTimeOf(format: Awaited<ReturnType<typeof getFormatter>>) {
  return (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" }) : "—");
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

/**
 * An admin list: the Table primitive in a card, like the user's orders table
 * (src/components/billing/orders-table.tsx). Rows are TableRow/TableCell from the primitive.
 * Below `sm` (a phone) each row is a stacked card: the header row is hidden and every cell
 * shows its column's name before its value (`data-label`, set here from `head`), so the table
 * never scrolls sideways.
 */
export function AdminTable({ head, children, testId }: { head: ReactNode[]; children: ReactNode; testId?: string }) {
  const label = (i: number) => (typeof head[i] === "string" ? (head[i] as string) : undefined);
  const rows = Children.map(children, (row) =>
    isValidElement<{ children?: ReactNode }>(row)
      ? cloneElement(
          row,
          undefined,
          Children.map(row.props.children, (cell, i) => (isValidElement(cell) ? cloneElement(cell as ReactElement<{ "data-label"?: string }>, { "data-label": label(i) }) : cell)),
        )
      : row,
  );
  return (
    <div className="rounded-xl border bg-card">
      <Table data-testid={testId} className={`[&_td]:px-3 [&_td]:align-top ${STACKED}`}>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            {head.map((h, i) => (
              <TableHead key={i} className="px-3 text-muted-foreground">
                {h}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>{rows}</TableBody>
      </Table>
    </div>
  );
}

/** A phone's stacked rows (see AdminTable). */
const STACKED =
  "max-sm:[&_thead]:hidden max-sm:[&_tr]:grid max-sm:[&_tr]:gap-1 max-sm:[&_tr]:py-3 max-sm:[&_td]:py-0.5 max-sm:[&_td]:whitespace-normal max-sm:[&_td]:wrap-anywhere max-sm:[&_td]:min-w-0 max-sm:[&_td]:max-w-none max-sm:[&_td[data-label]]:before:mr-2 max-sm:[&_td[data-label]]:before:font-medium max-sm:[&_td[data-label]]:before:text-muted-foreground max-sm:[&_td[data-label]]:before:content-[attr(data-label)]";

/** Identifiers and codes (order numbers, trans numbers, uuids). */
export const mono = "font-mono text-xs";
/** A cell whose content may be long (JSON, error text): it wraps instead of widening the table. */
export const wrap = "min-w-48 max-w-sm whitespace-normal wrap-anywhere";
/** Links inside the console; the lighter accent in dark mode keeps them readable on the dark card. */
export const linkClass = "text-primary underline-offset-4 hover:underline dark:text-accent-foreground";

type BadgeVariant = NonNullable<ComponentProps<typeof Badge>["variant"]>;
const TASK_STATUS_VARIANT: Record<TaskStatus, BadgeVariant> = {
  queued: "outline",
  running: "secondary",
  succeeded: "success",
  failed: "destructive",
};

/** An order's status code as a badge, coloured like the user's orders table. */
export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return <Badge variant={orderStatusVariant[status]}>{status}</Badge>;
}

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  return <Badge variant={TASK_STATUS_VARIANT[status]}>{status}</Badge>;
}

export async function Empty() {
  const t = await getTranslations("admin.common");
  return <p className="rounded-xl border border-dashed p-6 text-center text-sm text-muted-foreground">{t("empty")}</p>;
}

/** One figure with its label (overview and user pages). */
export function StatCard({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <Card className="gap-1 px-4 py-4" data-testid={testId}>
      <p className="text-xs text-muted-foreground">{label}</p>
      <div className="text-2xl font-semibold">{value}</div>
    </Card>
  );
}

/** Native <select> for the GET filter forms, styled like the Input primitive. */
export const selectClass =
  "h-9 rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs outline-none focus-visible:border-ring focus-ring dark:bg-input/30 [&>option]:bg-popover [&>option]:text-popover-foreground";

/** A <select> of a GET filter form: "any" plus the given options (values and their labels). */
export function SelectFilter({ name, label, anyLabel, options, value, testId }: { name: string; label: string; anyLabel: string; options: ReadonlyArray<{ value: string; label: string }>; value: string; testId?: string }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      {label}
      <select name={name} defaultValue={value} className={selectClass} data-testid={testId}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The status <select> of a GET filter form: "any" plus every status the schema knows. */
export function StatusFilter({ label, anyLabel, statuses, value }: { label: string; anyLabel: string; statuses: readonly string[]; value: string }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      {label}
      <select name="status" defaultValue={value} className={selectClass}>
        <option value="">{anyLabel}</option>
        {statuses.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}
