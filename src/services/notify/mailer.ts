/**
 * The one place mails leave the app. There is no mail service yet: a mail is written to
 * the server log (and kept in a small in-memory outbox for inspection). When the mail
 * service lands (src/services/email), replace the body of `sendMail`; callers keep the shape.
 */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** What the mail is about, for logs and tests: "receipt", "low_balance", ... */
  kind: string;
}

const OUTBOX_SIZE = 100;
const outbox: Array<Mail & { at: string }> = [];

export async function sendMail(mail: Mail): Promise<{ delivered: "log" }> {
  outbox.push({ ...mail, at: new Date().toISOString() });
  if (outbox.length > OUTBOX_SIZE) outbox.shift();
  console.info(`[mail] ${mail.kind} to ${mail.to}: ${mail.subject}\n${mail.text}`);
  return { delivered: "log" };
}

/** The most recent mails this process sent (newest last). */
export function recentMails(): ReadonlyArray<Mail & { at: string }> {
  return outbox;
}
