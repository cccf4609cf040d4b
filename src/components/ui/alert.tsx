import { cva, type VariantProps } from "class-variance-authority";
import type * as React from "react";
import { clsx } from "clsx";

// shadcn/ui (new-york) alert, plus `success` and `warning` variants; its look is in primitives.css (the components layer).
const alertVariants = cva("ui-alert", {
  variants: {
    variant: { default: "ui-alert-default", destructive: "ui-alert-destructive", success: "ui-alert-success", warning: "ui-alert-warning" },
  },
  defaultVariants: { variant: "default" },
});

/** The tone names the app used before the design system. */
const TONES = { error: "destructive", success: "success", info: "default" } as const;

/**
 * `variant` (shadcn) or `tone` (error | success | info). Errors are announced
 * assertively (role="alert"), everything else politely (role="status").
 */
export function Alert({
  className,
  variant,
  tone,
  ...props
}: React.ComponentProps<"div"> & VariantProps<typeof alertVariants> & { tone?: keyof typeof TONES }) {
  const v = variant ?? (tone ? TONES[tone] : "default");
  return (
    <div
      data-slot="alert"
      role={v === "destructive" ? "alert" : "status"}
      className={clsx(alertVariants({ variant: v }), className)}
      {...props}
    />
  );
}

export function AlertTitle({ className, ...props }: React.ComponentProps<"div">) {
  return <div data-slot="alert-title" className={clsx("ui-alert-title", className)} {...props} />;
}

export function AlertDescription({ className, ...props }: React.ComponentProps<"div">) {
  return <div data-slot="alert-description" className={clsx("ui-alert-description", className)} {...props} />;
}
