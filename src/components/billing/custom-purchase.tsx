"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { MAX_PURCHASE_CREDITS, MIN_PURCHASE_CREDITS, priceInCents } from "@/data/credits";
import { useCheckout } from "./buy-button";

/** Buy any whole number of credits within the configured bounds. */
export function CustomPurchase({ priceUsd, currency, configured }: { priceUsd: number; currency: string; configured: boolean }) {
  const t = useTranslations("billing.purchase");
  const { buy, busy, message, t: tb } = useCheckout();
  const [value, setValue] = useState(String(MIN_PURCHASE_CREDITS * 10));
  const quantity = Number(value);
  const valid = Number.isInteger(quantity) && quantity >= MIN_PURCHASE_CREDITS && quantity <= MAX_PURCHASE_CREDITS;
  const format = useFormatter();
  const total = format.number(valid ? priceInCents(quantity, priceUsd) / 100 : 0, { style: "currency", currency: currency.toUpperCase() });
  return (
    <form
      className="mt-6 rounded-xl border border-slate-200 p-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void buy({ quantity }, configured);
      }}
    >
      <p className="font-medium">{t("custom")}</p>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm text-slate-600">
          {t("customLabel")}
          <input
            type="number"
            inputMode="numeric"
            min={MIN_PURCHASE_CREDITS}
            max={MAX_PURCHASE_CREDITS}
            step={1}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            className="mt-1 w-40 rounded-lg border border-slate-300 px-3 py-2 text-base text-slate-900"
            data-testid="custom-quantity"
          />
        </label>
        <Button type="submit" disabled={busy || !valid} data-testid="buy-custom">
          {busy ? tb("redirecting") : tb("buyCustom")}
        </Button>
      </div>
      <p className="mt-2 text-xs text-slate-500">{t("customHint", { min: MIN_PURCHASE_CREDITS, max: MAX_PURCHASE_CREDITS, total })}</p>
      {message}
    </form>
  );
}
