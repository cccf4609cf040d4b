"use client";

import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { MAX_PURCHASE_CREDITS, MIN_PURCHASE_CREDITS, priceInCents } from "@/data/credits";
import { buyCredits } from "./actions";
import { CheckoutProblem, CheckoutSubmit, useCheckoutAction } from "./checkout-form";

/** Buy any whole number of credits within the configured bounds (a form with the buyCredits Server Action). */
export function CustomPurchase({ priceUsd, currency, configured }: { priceUsd: number; currency: string; configured: boolean }) {
  const t = useTranslations("billing");
  const locale = useLocale();
  const format = useFormatter();
  const { state, formAction, values } = useCheckoutAction(buyCredits);
  // What the user typed survives a refused submit: the action sends it back.
  const [value, setValue] = useState(values.quantity ?? String(MIN_PURCHASE_CREDITS * 10));
  const [shown, setShown] = useState(state);
  if (shown !== state) {
    setShown(state);
    if (state?.values.quantity !== undefined) setValue(state.values.quantity);
  }
  const quantity = Number(value);
  const valid = value.trim() !== "" && Number.isInteger(quantity) && quantity >= MIN_PURCHASE_CREDITS && quantity <= MAX_PURCHASE_CREDITS;
  const total = format.number(valid ? priceInCents(quantity, priceUsd) / 100 : 0, { style: "currency", currency: currency.toUpperCase() });
  const fieldError = state?.fieldErrors?.quantity;
  return (
    <form action={formAction} className="flex flex-col gap-3" data-testid="custom-purchase-form" noValidate>
      <input type="hidden" name="locale" value={locale} />
      <div className="flex flex-wrap items-end gap-3">
        <div className="grid gap-1.5">
          <Label htmlFor="custom-quantity">{t("purchase.customLabel")}</Label>
          <Input
            id="custom-quantity"
            name="quantity"
            type="number"
            inputMode="numeric"
            min={MIN_PURCHASE_CREDITS}
            max={MAX_PURCHASE_CREDITS}
            step={1}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            className="w-40"
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? "custom-quantity-error" : "custom-quantity-hint"}
            data-testid="custom-quantity"
          />
        </div>
        <CheckoutSubmit disabled={!configured} testId="buy-custom">
          {t("buy.buyCustom")}
        </CheckoutSubmit>
      </div>
      {fieldError ? (
        <p id="custom-quantity-error" className="text-sm text-destructive" data-testid="custom-quantity-error">
          {t("buy.invalid", { min: MIN_PURCHASE_CREDITS, max: MAX_PURCHASE_CREDITS })}
        </p>
      ) : (
        <p id="custom-quantity-hint" className="text-xs text-muted-foreground">
          {t("purchase.customHint", { min: MIN_PURCHASE_CREDITS, max: MAX_PURCHASE_CREDITS, total })}
        </p>
      )}
      <CheckoutProblem state={state} />
    </form>
  );
}
