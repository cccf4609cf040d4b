import type * as React from "react";
import { clsx } from "clsx";

export function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return <div data-slot="skeleton" className={clsx("ui-skeleton", className)} {...props} />;
}
