import type * as React from "react";
import { clsx } from "clsx";

export function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return <textarea data-slot="textarea" className={clsx("ui-textarea", className)} {...props} />;
}
