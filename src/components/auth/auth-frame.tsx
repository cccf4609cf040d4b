import type { ReactNode } from "react";

/** The frame of every signed-out account page (sign-in, sign-up, forgot password, the mailed links): a title, a subtitle, a card. */
export function AuthFrame({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-muted-foreground">{subtitle}</p>
      <div className="mt-6 space-y-4 rounded-xl border bg-card p-6">{children}</div>
    </div>
  );
}
