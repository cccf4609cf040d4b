import { cva, type VariantProps } from "class-variance-authority";
import type * as React from "react";
import { cn } from "@/lib/utils";

// shadcn/ui (new-york) alert, plus `success` and `warning` variants. An icon as first child gets its own column.
const alertVariants = cva(
  "relative grid w-full items-start gap-y-0.5 rounded-lg border px-4 py-3 text-sm has-[>svg]:grid-cols-[calc(var(--spacing)*4)_1fr] has-[>svg]:gap-x-3 [&>svg]:size-4 [&>svg]:translate-y-0.5 [&>svg]:text-current [&>svg~*]:col-start-2",
  {
    variants: {
      variant: {
        default: "bg-card text-card-foreground",
        destructive:
          "border-destructive/30 bg-destructive/5 text-destructive *:data-[slot=alert-description]:text-destructive/90",
        success: "border-success/30 bg-success/5 text-success *:data-[slot=alert-description]:text-success/90",
        // The description keeps the body colour: amber text on an amber tint reads poorly in light mode.
        warning: "border-warning/40 bg-warning/10 text-warning *:data-[slot=alert-description]:text-foreground",
      },
    },
    defaultVariants: { variant: "default" },
  },
);

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
      className={cn(alertVariants({ variant: v }), className)}
      {...props}
    />
  );
}

export function AlertTitle({ className, ...props }: React.ComponentProps<"div">) {
  return <div data-slot="alert-title" className={cn("line-clamp-1 min-h-4 font-medium tracking-tight", className)} {...props} />;
}

export function AlertDescription({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="alert-description"
      className={cn("grid justify-items-start gap-1 text-sm text-muted-foreground [&_p]:leading-relaxed", className)}
      {...props}
    />
  );
}
