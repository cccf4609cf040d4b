"use client";

import { usePathname } from "@/i18n/client-navigation";
import { isAppPath, type AppNavigation } from "./nav-items";
import { NavLink } from "./nav-link";

export const SIDEBAR_LINK =
  "focus-ring flex items-center rounded-md px-3 py-2 text-sm text-sidebar-foreground/80 hover:bg-sidebar-accent hover:text-sidebar-accent-foreground aria-[current=page]:bg-sidebar-accent aria-[current=page]:font-medium aria-[current=page]:text-sidebar-accent-foreground";

/** The app's sections as lists of links (the sidebar and the phone menu share it). */
export function AppNavLists({ nav, labels, testIdPrefix, onNavigate }: {
  nav: AppNavigation;
  labels: { generate: string; app: string };
  testIdPrefix: string;
  onNavigate?: () => void;
}) {
  const sections = [
    { title: labels.generate, items: nav.generate },
    { title: labels.app, items: nav.app },
  ];
  return sections.map((section) => (
    <div key={section.title} className="mb-4">
      <p className="px-3 pb-1 text-xs font-medium tracking-wide text-muted-foreground uppercase">{section.title}</p>
      <ul className="space-y-0.5">
        {section.items.map((item) => (
          <li key={item.href}>
            <NavLink href={item.href} className={SIDEBAR_LINK} data-testid={`${testIdPrefix}-${item.testId}`} onClick={onNavigate}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </div>
  ));
}

/** The signed-in app's sidebar: on app pages, from the `lg` breakpoint (phones get the header's menu). */
export function AppSidebar({ nav, labels }: { nav: AppNavigation; labels: { generate: string; app: string; nav: string } }) {
  const pathname = usePathname();
  if (!isAppPath(pathname)) return null;
  return (
    <aside className="hidden w-56 shrink-0 border-r bg-sidebar lg:block" data-testid="app-sidebar">
      <nav aria-label={labels.nav} className="sticky top-0 p-4">
        <AppNavLists nav={nav} labels={labels} testIdPrefix="sidebar" />
      </nav>
    </aside>
  );
}
