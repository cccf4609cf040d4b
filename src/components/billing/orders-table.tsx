import type { ComponentProps } from "react";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { OrderDto } from "@/services/payments";

type BadgeVariant = NonNullable<ComponentProps<typeof Badge>["variant"]>;
/** An order status's badge colour (also the admin console's). */
export const orderStatusVariant: Record<OrderDto["status"], BadgeVariant> = {
  created: "outline",
  paid: "success",
  failed: "destructive",
  expired: "secondary",
  refunded: "secondary",
  disputed: "destructive",
  needs_review: "outline",
};

/** The user's orders: a table on wide screens, stacked cards on a phone. */
export async function OrdersTable({ orders }: { orders: OrderDto[] }) {
  const t = await getTranslations("billing.orders");
  const format = await getFormatter();
  const money = (o: OrderDto) => format.number(o.amount / 100, { style: "currency", currency: o.currency.toUpperCase() });
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  if (orders.length === 0) {
    return (
      <p className="rounded-xl border border-dashed p-6 text-center text-sm text-muted-foreground" data-testid="orders-list" data-count={0}>
        {t("empty")}
      </p>
    );
  }
  const badge = (o: OrderDto) => <Badge variant={orderStatusVariant[o.status]}>{t(`statuses.${o.status}`)}</Badge>;
  return (
    <div data-testid="orders-list" data-count={orders.length}>
      <ul className="space-y-3 sm:hidden">
        {orders.map((o) => (
          <li key={o.orderNo} className="rounded-xl border bg-card p-4" data-testid="order-row" data-order-no={o.orderNo} data-status={o.status}>
            <div className="flex items-center justify-between gap-2">
              <span className="font-semibold">
                {format.number(o.credits)} {t("credits")}
              </span>
              {badge(o)}
            </div>
            <p className="mt-1 text-sm">{money(o)}</p>
            <p className="mt-1 text-xs text-muted-foreground">{date(o.createdAt)}</p>
            <p className="mt-1 break-all font-mono text-xs text-muted-foreground">{o.orderNo}</p>
          </li>
        ))}
      </ul>
      <div className="hidden rounded-xl border bg-card sm:block">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t("date")}</TableHead>
              <TableHead>{t("orderNo")}</TableHead>
              <TableHead className="text-right">{t("credits")}</TableHead>
              <TableHead className="text-right">{t("amount")}</TableHead>
              <TableHead>{t("status")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {orders.map((o) => (
              <TableRow key={o.orderNo} id={`order-${o.orderNo}`}>
                <TableCell>{date(o.createdAt)}</TableCell>
                <TableCell className="font-mono text-xs text-muted-foreground">{o.orderNo}</TableCell>
                <TableCell className="text-right">{format.number(o.credits)}</TableCell>
                <TableCell className="text-right">{money(o)}</TableCell>
                <TableCell>{badge(o)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
