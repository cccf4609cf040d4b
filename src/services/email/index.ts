import { env } from "@/lib/env";
import { maskEmail } from "@/lib/log-safe";
import { renderMail, type MailKind } from "./templates";

/**
 * The one way the app sends mail. With SMTP_URL set, through nodemailer over SMTP. With
 * no transport (the zero-config default) each mail is written to the server log with its
 * link and kept in a small in-memory outbox that the dev-only page /[locale]/dev/outbox
 * shows, so every flow works locally with no setup. Production builds never show the outbox.
 */
export interface SentMail {
  id: number;
  kind: string;
  to: string;
  subject: string;
  text: string;
  link: string;
  sentAt: string;
  transport: "smtp" | "log";
}

const OUTBOX_MAX = 50;
const state = globalThis as unknown as { __outbox?: SentMail[]; __outboxSeq?: number; __mailer?: { url: string; transport: unknown } };

/** The mails kept by the log transport, newest first (dev outbox page, tests). */
export function outbox(): SentMail[] {
  return [...(state.__outbox ?? [])].reverse();
}

async function smtpTransport(url: string) {
  if (state.__mailer?.url !== url) {
    const nodemailer = await import("nodemailer");
    state.__mailer = { url, transport: nodemailer.createTransport(url) };
  }
  return state.__mailer.transport as import("nodemailer").Transporter;
}

/** A mail ready to leave: rendered by a template here, or by the feature that sends it (receipts). */
export interface OutgoingMail {
  /** What the mail is about, for logs, the outbox and tests: "passwordReset", "receipt", ... */
  kind: string;
  to: string;
  subject: string;
  text: string;
  /** The one link the recipient needs, if any (logged and shown in the dev outbox). */
  link?: string;
}

/** Renders a templated mail and sends it; the link is the one thing the recipient needs. */
export async function sendMail({
  kind,
  to,
  locale,
  link,
  values = {},
}: {
  kind: MailKind;
  to: string;
  locale?: string | null;
  link: string;
  values?: Record<string, string | number>;
}): Promise<SentMail> {
  const { subject, text } = renderMail(kind, locale, { ...values, link });
  return deliverMail({ kind, to, subject, text, link });
}

/** Sends a rendered mail: through SMTP when SMTP_URL is set, else to the log and the dev outbox. */
export async function deliverMail({ kind, to, subject, text, link = "" }: OutgoingMail): Promise<SentMail> {
  const e = env();
  const mail: SentMail = {
    id: (state.__outboxSeq = (state.__outboxSeq ?? 0) + 1),
    kind,
    to,
    subject,
    text,
    link,
    sentAt: new Date().toISOString(),
    transport: e.SMTP_URL ? "smtp" : "log",
  };
  if (e.SMTP_URL) {
    const transport = await smtpTransport(e.SMTP_URL);
    await transport.sendMail({ from: e.EMAIL_FROM, to, subject, text });
    console.log(`[email] ${kind} sent to ${maskEmail(to)}`);
    return mail;
  }
  // No transport: the log and the dev outbox are the mailbox.
  console.log(`[email] ${kind} to ${to} (no SMTP_URL, not sent): ${link || subject}`);
  const box = (state.__outbox ??= []);
  box.push(mail);
  if (box.length > OUTBOX_MAX) box.splice(0, box.length - OUTBOX_MAX);
  return mail;
}
