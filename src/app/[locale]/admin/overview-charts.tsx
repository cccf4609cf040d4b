"use client";

// Recharts is imported only here, and this component only by the admin overview page,
// so the chart library is loaded on that page alone.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// Colours are the theme's CSS variables (src/app/globals.css), so the charts follow light and dark.
const grid = { strokeDasharray: "3 3", stroke: "var(--border)" };
const axis = { fontSize: 11, tick: { fill: "var(--muted-foreground)" }, stroke: "var(--border)" };
const tooltip = {
  contentStyle: { background: "var(--popover)", borderColor: "var(--border)", color: "var(--popover-foreground)", borderRadius: 8 },
  cursor: { fill: "var(--muted)" },
};

export interface OverviewChartsProps {
  revenue: Array<{ day: string; amount: number }>;
  revenueLabel: string;
  byType: Array<{ type: string; total: number; failed: number }>;
  totalLabel: string;
  failedLabel: string;
}

export function RevenueChart({ revenue, revenueLabel }: Pick<OverviewChartsProps, "revenue" | "revenueLabel">) {
  return (
    <div className="h-64 w-full" data-testid="revenue-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={revenue.map((r) => ({ day: r.day.slice(5), [revenueLabel]: r.amount / 100 }))}>
          <CartesianGrid {...grid} />
          <XAxis dataKey="day" {...axis} />
          <YAxis {...axis} />
          <Tooltip {...tooltip} />
          <Bar dataKey={revenueLabel} fill="var(--primary)" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function TasksByTypeChart({ byType, totalLabel, failedLabel }: Pick<OverviewChartsProps, "byType" | "totalLabel" | "failedLabel">) {
  return (
    <div className="h-64 w-full" data-testid="tasks-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={byType.map((t) => ({ type: t.type, [totalLabel]: t.total, [failedLabel]: t.failed }))}>
          <CartesianGrid {...grid} />
          <XAxis dataKey="type" {...axis} />
          <YAxis {...axis} allowDecimals={false} />
          <Tooltip {...tooltip} />
          <Legend />
          <Bar dataKey={totalLabel} fill="var(--primary)" />
          <Bar dataKey={failedLabel} fill="var(--destructive)" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
