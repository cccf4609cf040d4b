"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { deleteAccount } from "@/app/[locale]/account/actions";
import { Field } from "@/components/auth/field";
import { PasswordField } from "@/components/auth/password-field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { clsx } from "clsx";
import { ACCOUNT_CARD, FormBanner, SubmitButton, useAccountAction } from "./action-form";

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
    <section className={clsx(ACCOUNT_CARD, "border-destructive/40")} data-testid="account-delete">
      <h2 className="text-lg font-semibold">{t("delete.title")}</h2>
      <p className="text-sm text-muted-foreground">{t("delete.text")}</p>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogTrigger asChild>
          <Button type="button" variant="outline" className="text-destructive" data-testid="account-delete-open">
            {t("delete.open")}
          </Button>
        </DialogTrigger>
        <DialogContent closeLabel={t("delete.cancel")}>
          <DialogHeader>
            <DialogTitle>{t("delete.dialogTitle")}</DialogTitle>
            <DialogDescription>
              {t("delete.text")} {t("delete.dialogText")}
            </DialogDescription>
          </DialogHeader>
          <form action={formAction} noValidate className="space-y-4" data-testid="account-delete-form">
            <FormBanner error={formError} testId="account-delete-result" />
            <input type="hidden" name="locale" value={locale} />
            {hasPassword ? (
              <PasswordField id="deleteConfirm" name={field} autoComplete="current-password" label={t("delete.passwordLabel")} error={fieldErrors[field]} />
            ) : (
              <Field
                id="deleteConfirm"
                name={field}
                type="text"
                autoComplete="off"
                defaultValue={valueOf(field)}
                label={t("delete.confirmLabel", { email })}
                error={fieldErrors[field]}
              />
            )}
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="ghost">
                  {t("delete.cancel")}
                </Button>
              </DialogClose>
              <SubmitButton variant="destructive" pendingLabel={t("delete.submitting")} testId="account-delete-submit">
                {t("delete.submit")}
              </SubmitButton>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </section>
  );
}
