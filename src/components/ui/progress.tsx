import type * as React from "react";
import { clsx } from "clsx";

/**
 * A determinate progress bar (role="progressbar", 0-100). A plain element rather than Radix's
 * Progress: it has no behaviour to provide, and the task pages load less JavaScript without it.
 */
export function Progress({ className, value, ...props }: React.ComponentProps<"div"> & { value?: number | null }) {
  const percent = Math.max(0, Math.min(100, value ?? 0));
  return (
    <div
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value ?? undefined}
      data-slot="progress"
      className={clsx("ui-progress", className)}
      {...props}
    >
      <div data-slot="progress-indicator" className="h-full w-full flex-1 bg-primary transition-all" style={{ transform: `translateX(-${100 - percent}%)` }} />
    </div>
  );
}
