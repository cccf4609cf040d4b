import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/**
 * Class names joined (clsx), later Tailwind utilities winning over earlier conflicting ones
 * (tailwind-merge): for server components that compose utilities which may conflict.
 *
 * The primitives (components/ui) do not need it: their look is in the components layer
 * (primitives.css), below every utility, so a caller's class wins by the cascade. Client
 * components join with clsx and write conditional classes that do not conflict
 * (`on ? "bg-primary" : "bg-muted"`): cn() in client code adds tailwind-merge's ~9 kB of
 * JavaScript to the page (docs/benchmarks.md, "Page budgets").
 */
export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}
