"use client";

// Account → API keys: create (the secret is shown once, with a copy button), list, revoke.
// Writes go through the JSON routes (/api/keys), which are session only; the list is
// re-read from the server afterwards.
import { useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { SecretOnce } from "@/components/forms/secret-once";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useRouter } from "@/i18n/client-navigation";
import { apiFetch } from "@/lib/http/api-client";
import { API_KEY_NAME_MAX, type ApiKeyDto } from "@/lib/schemas/api-keys";

export function ApiKeys({ keys }: { keys: ApiKeyDto[] }) {
  const t = useTranslations("account.apiKeys");
  const format = useFormatter();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const date = (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" }) : "—");

  async function create(form: FormData) {
    setBusy(true);
    setError(null);
    setSecret(null);
    const expires = String(form.get("expiresAt") ?? "");
    const cap = String(form.get("monthlyCreditCap") ?? "");
    try {
      const r = await apiFetch<{ key: string; apiKey: ApiKeyDto }>("/api/keys", {
        method: "POST",
        json: {
          name: String(form.get("name") ?? ""),
          // A date picks the end of that day, in the browser's time zone.
          expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
          monthlyCreditCap: cap ? Number(cap) : null,
        },
      });
      if (r.ok) {
        setSecret(r.data.key);
        router.refresh();
      } else {
        setError(r.field ? t("invalidField", { field: t(`fields.${r.field}` as "fields.name"), message: r.message }) : t("failed", { message: r.message || String(r.status) }));
      }
    } finally {
      setBusy(false);
    }
  }

  async function revoke(key: ApiKeyDto) {
    if (!window.confirm(t("revokeConfirm", { name: key.name }))) return;
    setBusy(true);
    setError(null);
    try {
      const r = await apiFetch(`/api/keys/${encodeURIComponent(key.id)}`, { method: "DELETE" });
      if (r.ok) router.refresh();
      else setError(t("failed", { message: r.message || String(r.status) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-6">
      <Card className="gap-4 p-4">
        <form action={create} className="space-y-3" data-testid="create-api-key-form">
          <h2 className="font-semibold">{t("createTitle")}</h2>
          <p className="text-xs text-muted-foreground">{t("createHint")}</p>
          <div className="flex flex-wrap gap-3">
            <label className="flex min-w-48 flex-1 flex-col gap-1 text-sm">
              {t("fields.name")}
              <Input name="name" required maxLength={API_KEY_NAME_MAX} />
            </label>
            <label className="flex flex-col gap-1 text-sm">
              {t("fields.expiresAt")}
              <Input name="expiresAt" type="date" className="w-44" />
            </label>
            <label className="flex flex-col gap-1 text-sm">
              {t("fields.monthlyCreditCap")}
              <Input name="monthlyCreditCap" type="number" min={1} step={1} className="w-40" placeholder={t("noCap")} />
            </label>
          </div>
          <Button type="submit" disabled={busy}>
            {busy ? t("working") : t("create")}
          </Button>
        </form>
        {secret && (
          <SecretOnce title={t("secretTitle")} hint={t("secretHint")} secret={secret} labels={{ copy: t("copy"), copied: t("copied") }} testId="api-key-secret" />
        )}
        {error && <Alert tone="error">{error}</Alert>}
      </Card>

      <section>
        <h2 className="mb-2 font-semibold">{t("listTitle")}</h2>
        {keys.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t("empty")}</p>
        ) : (
          <div className="overflow-x-auto">
            <Table data-testid="api-keys">
              <TableHeader>
                <TableRow>
                  <TableHead>{t("fields.name")}</TableHead>
                  <TableHead>{t("prefix")}</TableHead>
                  <TableHead>{t("created")}</TableHead>
                  <TableHead>{t("lastUsed")}</TableHead>
                  <TableHead>{t("spent")}</TableHead>
                  <TableHead>{t("status")}</TableHead>
                  <TableHead />
                </TableRow>
              </TableHeader>
              <TableBody>
                {keys.map((k) => (
                  <TableRow key={k.id} data-key-id={k.id}>
                    <TableCell className="break-all">{k.name}</TableCell>
                    <TableCell className="font-mono text-xs">{k.prefix}…</TableCell>
                    <TableCell>{date(k.createdAt)}</TableCell>
                    <TableCell>{k.lastUsedAt ? date(k.lastUsedAt) : t("never")}</TableCell>
                    <TableCell>{k.monthlyCreditCap ? t("spentOfCap", { spent: k.spentThisMonth, cap: k.monthlyCreditCap }) : format.number(k.spentThisMonth)}</TableCell>
                    <TableCell>{k.status === "active" && k.expiresAt ? t("expiresOn", { date: date(k.expiresAt) }) : t(`statuses.${k.status}`)}</TableCell>
                    <TableCell>
                      {k.status !== "revoked" && (
                        <Button type="button" variant="secondary" disabled={busy} onClick={() => revoke(k)}>
                          {t("revoke")}
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </section>
    </div>
  );
}
