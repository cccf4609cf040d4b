import { cva, type VariantProps } from "class-variance-authority";
import { cloneElement, isValidElement, type ReactElement } from "react";
import type * as React from "react";
import { clsx } from "clsx";

// shadcn/ui (new-york) button; its look is in primitives.css (the components layer).
export const buttonVariants = cva("ui-button", {
  variants: {
    variant: {
      default: "ui-button-default",
      destructive: "ui-button-destructive",
      outline: "ui-button-outline",
      secondary: "ui-button-secondary",
      ghost: "ui-button-ghost",
      link: "ui-button-link",
    },
    size: { default: "ui-button-md", sm: "ui-button-sm", lg: "ui-button-lg", icon: "ui-button-icon" },
  },
  defaultVariants: { variant: "default", size: "default" },
});

export type ButtonVariantProps = VariantProps<typeof buttonVariants>;
/** The variants, plus `primary`: the name the app used for `default` before the design system. */
export type ButtonVariant = "primary" | NonNullable<ButtonVariantProps["variant"]>;

/** Button classes for links and plain elements: `buttonClass("secondary", "w-full")`. */
export function buttonClass(variant: ButtonVariant = "primary", extra = "", size?: ButtonVariantProps["size"]) {
  return clsx(buttonVariants({ variant: variant === "primary" ? "default" : variant, size }), extra);
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
    return cloneElement(child as ReactElement<Record<string, unknown>>, { ...rest, "data-slot": "button", className: clsx(classes, child.props.className) });
  }
  return <button data-slot="button" className={classes} {...props} />;
}
