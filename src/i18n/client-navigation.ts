"use client";

import { usePathname as useNextPathname, useRouter as useNextRouter } from "next/navigation";
import { stripLocale } from "./paths";

/** The current path without its locale prefix ("/zh/tasks" -> "/tasks"). */
export function usePathname(): string {
  return stripLocale(useNextPathname() ?? "/");
}

/** Next's router (refresh, back, push of a localized URL). */
export const useRouter = useNextRouter;
