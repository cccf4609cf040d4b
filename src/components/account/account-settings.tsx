"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Field } from "@/components/auth/field";
import { passwordMessage } from "@/components/auth/validation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { brokenPasswordRule, passwordRuleOf } from "@/lib/password-rules";
import { ChangeEmailForm } from "./change-email-form";
import { DeleteAccount } from "./delete-account";

type Banner = { tone: "success" | "error"; text: string } | null;

async function send(url: string, method: string, body: unknown) {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as { message?: string; data?: { field?: string } };
  return { status: res.status, ok: res.ok, message: json.message ?? "", field: json.data?.field };
}

export function AccountSettings({
  name,
  email,
  hasPassword,
  afterSignOut,
}: {
  name: string;
  email: string;
  hasPassword: boolean;
  afterSignOut: string;
}) {
  const t = useTranslations("account");
  const ta = useTranslations("auth");
  const tv = (k: string, v?: Record<string, number>) => ta(`validation.${k}`, v);
  const [nameBanner, setNameBanner] = useState<Banner>(null);
  const [pwBanner, setPwBanner] = useState<Banner>(null);
  const [pwErrors, setPwErrors] = useState<{ currentPassword?: string; newPassword?: string }>({});
  const [busy, setBusy] = useState(false);

  async function saveName(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("name") ?? "");
    if (value.trim().length > 100) return setNameBanner({ tone: "error", text: tv("nameLong", { max: 100 }) });
    setBusy(true);
    const res = await send("/api/account", "PATCH", { name: value }).catch(() => null);
    setBusy(false);
    setNameBanner(res?.ok ? { tone: "success", text: t("name.saved") } : { tone: "error", text: t("error") });
  }

  async function changePassword(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const currentPassword = String(data.get("currentPassword") ?? "");
    const newPassword = String(data.get("newPassword") ?? "");
    const rule = newPassword ? brokenPasswordRule(newPassword) : null;
    setPwBanner(null);
    setPwErrors(!newPassword ? { newPassword: tv("required") } : rule ? { newPassword: passwordMessage(tv, rule) } : {});
    if (!newPassword || rule) return;
    setBusy(true);
    const res = await send("/api/account/password", "POST", { currentPassword, newPassword }).catch(() => null);
    setBusy(false);
    if (res?.ok) {
      form.reset();
      setPwBanner({ tone: "success", text: t("password.changed") });
    } else if (res?.status === 400 && res.field === "currentPassword") {
      setPwErrors({ currentPassword: t("password.wrongCurrent") });
    } else if (res?.status === 400 && res.field === "newPassword") {
      setPwErrors({ newPassword: passwordMessage(tv, passwordRuleOf(res.message.replace(/^newPassword:\s*/, "")) ?? "short") });
    } else {
      setPwBanner({ tone: "error", text: t("error") });
    }
  }

  async function signOutEverywhere() {
    setBusy(true);
    const res = await send("/api/account/sign-out-everywhere", "POST", {}).catch(() => null);
    if (res?.ok) return window.location.assign(afterSignOut); // a full load: the header shows the signed-out state
    setBusy(false);
  }

  return (
    <div className="space-y-8">
      <form onSubmit={saveName} noValidate className="space-y-3 rounded-xl border border-slate-200 p-6" data-testid="account-name-form">
        <h2 className="text-lg font-semibold">{t("name.title")}</h2>
        {nameBanner && <Alert tone={nameBanner.tone}>{nameBanner.text}</Alert>}
        <Field id="name" name="name" defaultValue={name} autoComplete="name" label={t("name.label")} />
        <Button type="submit" disabled={busy}>
          {t("name.submit")}
        </Button>
      </form>

      <form onSubmit={changePassword} noValidate className="space-y-3 rounded-xl border border-slate-200 p-6" data-testid="account-password-form">
        <h2 className="text-lg font-semibold">{t("password.title")}</h2>
        {pwBanner && <Alert tone={pwBanner.tone}>{pwBanner.text}</Alert>}
        <Field id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" label={t("password.current")} error={pwErrors.currentPassword} />
        <p className="text-xs text-slate-500">{t("password.currentHint")}</p>
        <Field id="newPassword" name="newPassword" type="password" autoComplete="new-password" label={t("password.new")} error={pwErrors.newPassword} />
        <Button type="submit" disabled={busy}>
          {t("password.submit")}
        </Button>
      </form>

      <ChangeEmailForm hasPassword={hasPassword} />

      <section className="space-y-3 rounded-xl border border-slate-200 p-6">
        <h2 className="text-lg font-semibold">{t("sessions.title")}</h2>
        <p className="text-sm text-slate-600">{t("sessions.text")}</p>
        <Button type="button" variant="secondary" disabled={busy} onClick={signOutEverywhere} data-testid="account-signout-everywhere">
          {t("sessions.submit")}
        </Button>
      </section>

      <DeleteAccount email={email} hasPassword={hasPassword} afterDelete={afterSignOut} />
    </div>
  );
}
