import { cva, type VariantProps } from "class-variance-authority";
import type * as React from "react";
import { clsx } from "clsx";

// shadcn/ui (new-york) badge, plus `success`; its look is in primitives.css (the components layer).
export const badgeVariants = cva("ui-badge", {
  variants: {
    variant: {
      default: "ui-badge-default",
      secondary: "ui-badge-secondary",
      destructive: "ui-badge-destructive",
      success: "ui-badge-success",
      outline: "ui-badge-outline",
    },
  },
  defaultVariants: { variant: "default" },
});

export function Badge({ className, variant, ...props }: React.ComponentProps<"span"> & VariantProps<typeof badgeVariants>) {
  return <span data-slot="badge" className={clsx(badgeVariants({ variant }), className)} {...props} />;
}
