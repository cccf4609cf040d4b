import type * as React from "react";
import { clsx } from "clsx";

/** A form label (a plain <label>: Radix's only adds double-click selection handling, not worth its JavaScript on every form). */
export function Label({ className, ...props }: React.ComponentProps<"label">) {
  return <label data-slot="label" className={clsx("ui-label", className)} {...props} />;
}
