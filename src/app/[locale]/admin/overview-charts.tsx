"use client";

// Recharts is imported only here, and this component only by the admin overview page,
// so the chart library is loaded on that page alone.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

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
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="day" fontSize={11} />
          <YAxis fontSize={11} />
          <Tooltip />
          <Bar dataKey={revenueLabel} fill="#4f46e5" />
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
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="type" fontSize={11} />
          <YAxis fontSize={11} allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey={totalLabel} fill="#0ea5e9" />
          <Bar dataKey={failedLabel} fill="#ef4444" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
