// A real SMTP server for tests (the npm package smtp-server): the app sends through
// nodemailer to it, the test reads what arrived. Every mail is also written to a spool
// folder keyed by recipient, so any process (a vitest worker, a Playwright spec, a bench)
// can read the mail a server it did not start sent: waitForSpooledMail(to).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SMTPServer } from "smtp-server";

const SPOOL = path.join(os.tmpdir(), "credits-ai-test-mail");
const spoolDir = (to: string) => path.join(SPOOL, crypto.createHash("sha256").update(to.toLowerCase()).digest("hex").slice(0, 32));

export interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a free port that keeps what it receives. */
export async function startSmtp(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const spooled: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (d) => (raw += d));
      stream.on("end", () => {
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        };
        for (const to of mail.to) {
          const dir = spoolDir(to);
          fs.mkdirSync(dir, { recursive: true });
          const file = path.join(dir, `${Date.now().toString().padStart(15, "0")}-${crypto.randomBytes(4).toString("hex")}.json`);
          // Written whole or not at all: a reader polling the folder never sees half a file.
          fs.writeFileSync(`${file}.tmp`, JSON.stringify(mail));
          fs.renameSync(`${file}.tmp`, file);
          spooled.push(file);
        }
        received.push(mail);
        callback();
      });
    },
  });
  // A client that goes away mid-session (an app server stopped or killed) is not a test failure.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  const close = async () => {
    await new Promise<void>((r) => server.close(() => r()));
    for (const file of spooled) fs.rmSync(file, { force: true });
  };
  return { url: `smtp://127.0.0.1:${port}`, received, close };
}

/** The decoded text body of a received mail (nodemailer sends UTF-8 as quoted-printable or base64). */
export function bodyOf(raw: string): string {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join("\n\n");
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

export function subjectOf(raw: string): string {
  const line = raw.match(/^subject: (.*(?:\r?\n[ \t].*)*)/im)?.[1] ?? "";
  return line.replace(/\r?\n[ \t]/g, "").replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc, text) =>
    enc.toLowerCase() === "b"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_x: string, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
  );
}


/** Waits until a mail to `to` arrives (the app may send it after answering). */
export async function waitForMail(received: Received[], to: string, match?: RegExp, timeoutMs = 10_000): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = [...received].reverse().find((m) => m.to.includes(to) && (!match || match.test(bodyOf(m.raw))));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits until a mail to `to` reaches any test SMTP server on this machine (the spool): the
 * newest one, or the newest whose decoded body matches `match`.
 */
export async function waitForSpooledMail(
  to: string,
  { match, since = 0, timeoutMs = 15_000 }: { match?: RegExp; since?: number; timeoutMs?: number } = {},
): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  const dir = spoolDir(to);
  for (;;) {
    // Newest first; `since` (ms) skips mail spooled before it, e.g. left by an earlier run.
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort().reverse() : [];
    for (const file of files) {
      if (Number(file.split("-")[0]) < since) break;
      const mail = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Received;
      if (!match || match.test(bodyOf(mail.raw))) return mail;
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms (is the app server sending through a test SMTP server?)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The `token` query parameter of the first link in a mail body. */
export function tokenFromMail(mail: Received): { link: string; token: string } {
  const link = bodyOf(mail.raw).match(/https?:\/\/\S+/)?.[0] ?? "";
  return { link, token: new URL(link).searchParams.get("token") ?? "" };
}
