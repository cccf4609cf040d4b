"use client";

import { useLocale, useTranslations } from "next-intl";
import { Dialog } from "radix-ui";
import { useState } from "react";
import { deleteAccount } from "@/app/[locale]/account/actions";
import { Field } from "@/components/auth/field";
import { Button } from "@/components/ui/button";
import { FormBanner, SubmitButton, useAccountAction } from "./action-form";

// "Delete account": a confirmation dialog asking the current password (accounts with one)
// or the email typed out (accounts without); the Server Action deletes, signs this browser
// out and sends it to the home page.
export function DeleteAccount({ email, hasPassword }: { email: string; hasPassword: boolean }) {
  const t = useTranslations("account");
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const { formAction, fieldErrors, formError, valueOf } = useAccountAction(deleteAccount);
  const field = hasPassword ? "currentPassword" : "confirm";

  return (
    <section className="space-y-3 rounded-xl border border-red-200 p-6" data-testid="account-delete">
      <h2 className="text-lg font-semibold">{t("delete.title")}</h2>
      <p className="text-sm text-slate-600">{t("delete.text")}</p>
      <Dialog.Root open={open} onOpenChange={setOpen}>
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
            <form action={formAction} noValidate className="space-y-4" data-testid="account-delete-form">
              <FormBanner error={formError} testId="account-delete-result" />
              <input type="hidden" name="locale" value={locale} />
              <Field
                id="deleteConfirm"
                name={field}
                type={hasPassword ? "password" : "text"}
                autoComplete={hasPassword ? "current-password" : "off"}
                defaultValue={valueOf(field)}
                label={hasPassword ? t("delete.passwordLabel") : t("delete.confirmLabel", { email })}
                error={fieldErrors[field]}
              />
              <div className="flex justify-end gap-2">
                <Dialog.Close asChild>
                  <Button type="button" variant="ghost">
                    {t("delete.cancel")}
                  </Button>
                </Dialog.Close>
                <SubmitButton pendingLabel={t("delete.submitting")} testId="account-delete-submit">
                  {t("delete.submit")}
                </SubmitButton>
              </div>
            </form>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </section>
  );
}
