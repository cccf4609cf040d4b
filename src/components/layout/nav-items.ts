// Client-safe navigation types and rules (nav.ts builds the items on the server).

/** A navigation entry: where it goes, what it says, and its test id. */
export interface NavItem {
  href: string;
  label: string;
  testId: string;
}

/** The signed-in app's sections, in sidebar order (one generator per registered task type). */
export interface AppNavigation {
  generate: NavItem[];
  app: NavItem[];
}

/** Paths (locale prefix removed) that are part of the signed-in app and get its sidebar. */
export const APP_PATHS = ["/chat", "/tasks", "/credits", "/orders", "/account"] as const;

export function isAppPath(pathname: string): boolean {
  return APP_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}
