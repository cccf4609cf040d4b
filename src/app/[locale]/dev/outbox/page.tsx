import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { outbox } from "@/services/email";

export const dynamic = "force-dynamic";

// Development only: the mails the log transport "sent" (no SMTP_URL). A production build
// answers 404 here, whatever the configuration.
export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "outbox" }))("title") };
}

export default async function OutboxPage({ params }: { params: Promise<{ locale: string }> }) {
  if (process.env.NODE_ENV === "production") notFound();
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("outbox");
  const mails = outbox();
  return (
    <div className="mx-auto max-w-3xl space-y-4 px-4 py-10">
      <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
      <p className="text-sm text-muted-foreground">{t("subtitle")}</p>
      {mails.length === 0 && <p data-testid="outbox-empty">{t("empty")}</p>}
      <ul className="space-y-4">
        {mails.map((m) => (
          <li key={m.id} className="rounded-xl border bg-card p-4 text-card-foreground" data-testid="outbox-mail">
            <p className="text-sm text-muted-foreground">
              {t("to")}: {m.to} · {m.sentAt}
            </p>
            <p className="font-medium">{m.subject}</p>
            <a href={m.link} className="break-all text-primary underline dark:text-accent-foreground" data-testid="outbox-link">
              {m.link}
            </a>
            <pre className="mt-2 whitespace-pre-wrap text-sm text-muted-foreground">{m.text}</pre>
          </li>
        ))}
      </ul>
    </div>
  );
}
