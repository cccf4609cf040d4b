import { cva, type VariantProps } from "class-variance-authority";
import { cloneElement, isValidElement, type ReactElement } from "react";
import type * as React from "react";
import { cn } from "@/lib/utils";

// shadcn/ui (new-york) button. Sizes set their own text size, so `lg` is 16 px, not 14.
export const buttonVariants = cva(
  "inline-flex shrink-0 items-center justify-center gap-2 whitespace-nowrap rounded-md text-sm font-medium transition-all outline-none focus-visible:border-ring focus-ring disabled:pointer-events-none disabled:opacity-50 aria-disabled:pointer-events-none aria-disabled:opacity-50 aria-invalid:border-destructive aria-invalid:ring-destructive/20 dark:aria-invalid:ring-destructive/40 [&_svg]:pointer-events-none [&_svg]:shrink-0 [&_svg:not([class*='size-'])]:size-4",
  {
    variants: {
      variant: {
        default: "bg-primary text-primary-foreground shadow-xs hover:bg-primary/90",
        destructive:
          "bg-destructive text-white shadow-xs hover:bg-destructive/90 focus-visible:ring-destructive/20 dark:bg-destructive/60 dark:focus-visible:ring-destructive/40",
        outline:
          "border bg-background shadow-xs hover:bg-accent hover:text-accent-foreground dark:border-input dark:bg-input/30 dark:hover:bg-input/50",
        secondary: "bg-secondary text-secondary-foreground shadow-xs hover:bg-secondary/80",
        ghost: "hover:bg-accent hover:text-accent-foreground dark:hover:bg-accent/50",
        link: "text-primary underline-offset-4 hover:underline",
      },
      size: {
        default: "h-9 px-4 py-2 has-[>svg]:px-3",
        sm: "h-8 gap-1.5 rounded-md px-3 has-[>svg]:px-2.5",
        lg: "h-11 rounded-md px-6 text-base has-[>svg]:px-4",
        icon: "size-9",
      },
    },
    defaultVariants: { variant: "default", size: "default" },
  },
);

export type ButtonVariantProps = VariantProps<typeof buttonVariants>;
/** The variants, plus `primary`: the name the app used for `default` before the design system. */
export type ButtonVariant = "primary" | NonNullable<ButtonVariantProps["variant"]>;

/** Button classes for links and plain elements: `buttonClass("secondary", "w-full")`. */
export function buttonClass(variant: ButtonVariant = "primary", extra = "", size?: ButtonVariantProps["size"]) {
  return cn(buttonVariants({ variant: variant === "primary" ? "default" : variant, size }), extra);
}

export function Button({
  className,
  variant = "default",
  size,
  asChild = false,
  ...props
}: React.ComponentProps<"button"> & Omit<ButtonVariantProps, "variant"> & { variant?: ButtonVariant; asChild?: boolean }) {
  const classes = buttonClass(variant, className, size);
  // asChild: the one child (a link) gets the button's classes and props instead of a <button>.
  // (Radix's Slot did this; a few lines here keep Radix out of every page that shows a button.)
  if (asChild && isValidElement<{ className?: string }>(props.children)) {
    const child = props.children as ReactElement<{ className?: string }>;
    const rest: Record<string, unknown> = { ...props };
    delete rest.children;
    return cloneElement(child as ReactElement<Record<string, unknown>>, { ...rest, "data-slot": "button", className: cn(classes, child.props.className) });
  }
  return <button data-slot="button" className={classes} {...props} />;
}
