"use client";

import { useTranslations } from "next-intl";
import { Dialog } from "radix-ui";
import { useState } from "react";
import { Field } from "@/components/auth/field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

// "Delete account": a confirmation dialog asking the current password (accounts with one)
// or the email typed out (accounts without), then DELETE /api/account and a full load.
export function DeleteAccount({ email, hasPassword, afterDelete }: { email: string; hasPassword: boolean; afterDelete: string }) {
  const t = useTranslations("account");
  const ta = useTranslations("auth");
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [banner, setBanner] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("deleteConfirm") ?? "");
    setBanner(null);
    if (!value) return setError(ta("validation.required"));
    setError(undefined);
    setBusy(true);
    try {
      const res = await fetch("/api/account", {
        method: "DELETE",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(hasPassword ? { currentPassword: value } : { confirm: value }),
      });
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      if (res.ok) return window.location.assign(afterDelete); // signed out: a full load
      if (res.status === 400) setError(t(hasPassword ? "delete.wrongPassword" : "delete.wrongConfirm"));
      else if (res.status === 409) setBanner(t(/^subscription/.test(body.message ?? "") ? "delete.subscription" : "delete.tasks"));
      else setBanner(t("error"));
    } catch {
      setBanner(t("error"));
    }
    setBusy(false);
  }

  return (
    <section className="space-y-3 rounded-xl border border-red-200 p-6" data-testid="account-delete">
      <h2 className="text-lg font-semibold">{t("delete.title")}</h2>
      <p className="text-sm text-slate-600">{t("delete.text")}</p>
      <Dialog.Root open={open} onOpenChange={(o) => !busy && setOpen(o)}>
        <Dialog.Trigger asChild>
          <Button type="button" variant="secondary" data-testid="account-delete-open">
            {t("delete.open")}
          </Button>
        </Dialog.Trigger>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 bg-slate-900/40" />
          <Dialog.Content className="fixed left-1/2 top-1/2 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 space-y-4 rounded-xl bg-white p-6 shadow-xl">
            <Dialog.Title className="text-lg font-semibold">{t("delete.dialogTitle")}</Dialog.Title>
            <Dialog.Description className="text-sm text-slate-600">
              {t("delete.text")} {t("delete.dialogText")}
            </Dialog.Description>
            <form onSubmit={onSubmit} noValidate className="space-y-4" data-testid="account-delete-form">
              {banner && <Alert tone="error">{banner}</Alert>}
              <Field
                id="deleteConfirm"
                name="deleteConfirm"
                type={hasPassword ? "password" : "text"}
                autoComplete={hasPassword ? "current-password" : "off"}
                label={hasPassword ? t("delete.passwordLabel") : t("delete.confirmLabel", { email })}
                error={error}
              />
              <div className="flex justify-end gap-2">
                <Dialog.Close asChild>
                  <Button type="button" variant="ghost" disabled={busy}>
                    {t("delete.cancel")}
                  </Button>
                </Dialog.Close>
                <Button type="submit" disabled={busy} data-testid="account-delete-submit">
                  {busy ? t("delete.submitting") : t("delete.submit")}
                </Button>
              </div>
            </form>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </section>
  );
}
