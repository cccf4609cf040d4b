"use client";

// Writes go through the JSON routes (/api/admin/users/{uuid}/...), the one write path
// of the console (each checks the admin itself: requireAdmin); the page re-renders from
// the server afterwards.
import { useState } from "react";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { useRouter } from "@/i18n/client-navigation";
import { apiFetch } from "@/lib/http/api-client";

export function UserActions({ userUuid, disabled }: { userUuid: string; disabled: boolean }) {
  const t = useTranslations("admin.actions");
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ tone: "success" | "error"; text: string } | null>(null);

  async function run(url: string, body: unknown, success: (data: Record<string, number> | null) => string) {
    setBusy(true);
    setResult(null);
    try {
      const r = await apiFetch<Record<string, number> | null>(url, { method: "POST", json: body });
      setResult(r.ok ? { tone: "success", text: success(r.data) } : { tone: "error", text: t("failed", { message: r.message || String(r.status) }) });
      if (r.ok) router.refresh();
    } finally {
      setBusy(false);
    }
  }

  async function adjust(form: FormData) {
    const credits = Number(form.get("credits"));
    await run(`/api/admin/users/${userUuid}/credits`, { credits, reason: String(form.get("reason") ?? "") }, (d) =>
      t("applied", { before: d?.balanceBefore ?? 0, after: d?.balanceAfter ?? 0 }),
    );
  }

  async function toggle() {
    if (!disabled && !window.confirm(t("disableConfirm"))) return;
    await run(`/api/admin/users/${userUuid}/${disabled ? "enable" : "disable"}`, {}, () => t("stateChanged"));
  }

  return (
    <Card className="gap-4 p-4">
      <form action={adjust} className="space-y-3" data-testid="adjust-credits-form">
        <h2 className="font-semibold">{t("adjustTitle")}</h2>
        <p className="text-xs text-muted-foreground">{t("adjustHint")}</p>
        <div className="flex flex-wrap gap-3">
          <label className="flex flex-col gap-1 text-sm">
            {t("creditsLabel")}
            <Input name="credits" type="number" step={1} required className="w-40" />
          </label>
          <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm">
            {t("reasonLabel")}
            <Input name="reason" required maxLength={500} />
          </label>
        </div>
        <Button type="submit" disabled={busy}>
          {busy ? t("working") : t("apply")}
        </Button>
      </form>
      <div className="border-t pt-4">
        <Button type="button" variant="secondary" disabled={busy} onClick={toggle} data-testid="toggle-disabled">
          {disabled ? t("enable") : t("disable")}
        </Button>
      </div>
      {result && <Alert tone={result.tone}>{result.text}</Alert>}
    </Card>
  );
}
