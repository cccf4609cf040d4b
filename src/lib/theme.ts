/**
 * Light, dark or the system's theme: the `dark` class on <html> (globals.css keys the dark
 * colours on it). The choice lives in localStorage ("theme": "light" | "dark", absent =
 * system). THEME_SCRIPT applies it before the first paint and follows the system's setting
 * and other tabs; setTheme is the header menu's. No library and no React context: pages
 * load none of this as JavaScript until the theme menu opens (docs/benchmarks.md, "Page budgets").
 */
export type ThemeChoice = "light" | "dark" | "system";

const STORAGE_KEY = "theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

/**
 * Inline in every page's <body> (the locale layout, with the CSP nonce), before any content:
 * no flash of the wrong theme. Keep it in step with applyTheme below.
 */
export const THEME_SCRIPT = `(function(){var r=document.documentElement,m=matchMedia(${JSON.stringify(DARK_QUERY)});function a(){var c=null;try{c=localStorage.getItem(${JSON.stringify(STORAGE_KEY)})}catch(e){}r.classList.toggle("dark",c==="dark"||(c!=="light"&&m.matches))}a();m.addEventListener("change",a);addEventListener("storage",function(e){if(e.key===${JSON.stringify(STORAGE_KEY)})a()})})()`;

export function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

/** Puts the `dark` class on <html> for a choice (the inline script's rule). */
function applyTheme(choice: ThemeChoice) {
  const dark = choice === "dark" || (choice === "system" && matchMedia(DARK_QUERY).matches);
  // No colour transitions while every colour changes at once.
  const style = document.createElement("style");
  style.textContent = "*,*::before,*::after{transition:none!important}";
  document.head.appendChild(style);
  document.documentElement.classList.toggle("dark", dark);
  void getComputedStyle(document.body).opacity; // flush before the transitions come back
  setTimeout(() => style.remove(), 1);
}

/** Stores and applies the user's choice ("system": follow the operating system again). */
export function setTheme(choice: ThemeChoice) {
  try {
    if (choice === "system") localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage refused (private mode): the choice holds for this page.
  }
  applyTheme(choice);
}

/** Whether the page is dark now, and a subscription to changes (for useSyncExternalStore). */
export const isDark = () => document.documentElement.classList.contains("dark");
export function subscribeToTheme(listener: () => void) {
  const observer = new MutationObserver(listener);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}
