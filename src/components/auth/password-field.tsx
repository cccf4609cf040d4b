"use client";

import { EyeIcon, EyeOffIcon } from "lucide-react";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { MIN_PASSWORD_SCORE, passwordStrength, type PasswordStrength } from "@/lib/auth/password-strength";
import { clsx } from "clsx";

type Context = { email?: string | null; name?: string | null };

/**
 * A password input with a show/hide toggle (a real button: aria-pressed, a label that says
 * what it does) and, for a new password (`strength`), the rules up front and live hints:
 * zxcvbn-ts's score and feedback for what is typed, said in the user's language. The
 * estimator and its dictionaries load on first input, in a chunk of their own (the page's
 * first-load JavaScript does not carry them). The server checks the same rule at submit.
 *
 * The value is kept in this component (controlled), so it survives a refused submit: a form
 * action's answer re-renders the form, and what was typed stays, passwords included
 * (they still never travel back from the server).
 */
export function PasswordField({
  id,
  name,
  label,
  autoComplete,
  error,
  strength,
  contextFields = [],
}: {
  id: string;
  name: string;
  label: string;
  autoComplete: "new-password" | "current-password";
  error?: string;
  /** Rules and live hints for a new password; the context the server will also use (the account's email and name). */
  strength?: Context;
  /** Other fields of the same form whose values are context too (the sign-up form's email and name). */
  contextFields?: string[];
}) {
  const t = useTranslations("auth.passwordStrength");
  const [value, setValue] = useState("");
  const [shown, setShown] = useState(false);
  // The estimate and the value it was made for (a newer keystroke makes it stale).
  const [estimate, setEstimate] = useState<{ for: string; result: PasswordStrength | null } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  function change(next: string) {
    setValue(next);
    if (!strength) return;
    clearTimeout(timer.current);
    if (!next) return;
    timer.current = setTimeout(async () => {
      const form = input.current?.form;
      const fromForm = Object.fromEntries(
        contextFields.map((field) => [field, (form?.elements.namedItem(field) as HTMLInputElement | null)?.value ?? ""]),
      ) as Context;
      const result = await passwordStrength(next, { email: fromForm.email || strength.email, name: fromForm.name || strength.name }).catch(() => null);
      setEstimate({ for: next, result });
    }, 150);
  }
  useEffect(() => () => clearTimeout(timer.current), []);
  const current = estimate?.for === value ? estimate.result : null;
  const loading = !!strength && !!value && estimate?.for !== value;

  const rulesId = strength ? `${id}-rules` : undefined;
  const hintsId = strength ? `${id}-hints` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const said = (group: "warnings" | "suggestions", key: string) => (t.has(`${group}.${key}`) ? t(`${group}.${key}`) : null);
  const strong = !!current && current.score >= MIN_PASSWORD_SCORE;

  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      {strength && (
        <p id={rulesId} className="mt-1 text-xs text-muted-foreground" data-testid={`${id}-rules`}>
          {t("rules")}
        </p>
      )}
      <div className="relative mt-1.5">
        <Input
          ref={input}
          id={id}
          name={name}
          type={shown ? "text" : "password"}
          autoComplete={autoComplete}
          autoCapitalize="none"
          spellCheck={false}
          value={value}
          onChange={(e) => change(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={[rulesId, hintsId, errorId].filter(Boolean).join(" ") || undefined}
          className="pr-10"
        />
        <button
          type="button"
          aria-controls={id}
          aria-pressed={shown}
          aria-label={shown ? t("hide") : t("show")}
          title={shown ? t("hide") : t("show")}
          data-testid={`${id}-toggle`}
          onClick={() => setShown((s) => !s)}
          className="absolute inset-y-0 right-0 flex w-9 items-center justify-center rounded-r-md text-muted-foreground outline-none hover:text-foreground focus-ring-inset"
        >
          {shown ? <EyeOffIcon aria-hidden className="size-4" /> : <EyeIcon aria-hidden className="size-4" />}
        </button>
      </div>
      {strength && (
        <div id={hintsId} aria-live="polite" className="mt-1.5 space-y-1 text-xs" data-testid={`${id}-hints`} data-score={current?.score ?? ""}>
          {loading && <p className="text-muted-foreground">{t("loading")}</p>}
          {value && current && !loading && (
            <>
              <div className="flex items-center gap-2">
                <div className="flex flex-1 gap-1" aria-hidden>
                  {[0, 1, 2, 3].map((i) => (
                    <span
                      key={i}
                      className={clsx("h-1.5 flex-1 rounded-full", i >= Math.max(current.score, 1) ? "bg-muted" : strong ? "bg-emerald-600 dark:bg-emerald-400" : "bg-destructive")}
                    />
                  ))}
                </div>
                <span className={clsx("font-medium", strong ? "text-emerald-700 dark:text-emerald-400" : "text-destructive")} data-testid={`${id}-level`}>
                  {t(`levels.${current.score}`)}
                </span>
              </div>
              {strong ? (
                <p className="text-muted-foreground">{t("ok")}</p>
              ) : (
                <ul className="list-disc space-y-0.5 pl-4 text-muted-foreground" data-testid={`${id}-feedback`}>
                  {[current.warning && said("warnings", current.warning), ...current.suggestions.map((s) => said("suggestions", s))]
                    .filter((line): line is string => !!line)
                    .map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                </ul>
              )}
            </>
          )}
        </div>
      )}
      {error && (
        <p id={errorId} data-testid={`${id}-error`} className="mt-1 text-sm text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}
