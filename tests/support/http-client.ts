// A scripted browser for HTTP tests: a cookie jar, JSON helpers, and sign-up +
// sign-in through the app's real endpoints (POST /api/auth/signup, then
// GET /api/auth/csrf and a form POST to /api/auth/callback/credentials).
import crypto from "node:crypto";
import { tokenFromMail, waitForSpooledMail } from "./smtp";

export interface EnvelopeBody<T = unknown> {
  code: number;
  message: string;
  data: T;
}

export class TestClient {
  readonly cookies = new Map<string, string>();

  /** `ip` is sent as X-Forwarded-For, so each client looks like its own visitor. */
  constructor(
    readonly baseUrl: string,
    readonly ip = `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`,
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", this.cookieHeader());
    if (!headers.has("x-forwarded-for")) headers.set("x-forwarded-for", this.ip);
    // Like a browser on the app's own pages: writes carry the page's Origin (the app refuses cross-origin writes).
    const method = (init.method ?? "GET").toUpperCase();
    // `origin: ""` sends none (as a browser that omits it).
    if (method !== "GET" && method !== "HEAD" && !headers.has("origin")) headers.set("origin", new URL(this.baseUrl).origin);
    if (headers.get("origin") === "") headers.delete("origin");
    const res = await fetch(new URL(path, this.baseUrl), { redirect: "manual", ...init, headers });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary payloads
  async json<T = any>(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: EnvelopeBody<T> }> {
    const res = await this.fetch(path, init);
    const text = await res.text();
    let body: EnvelopeBody<T>;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status} with non-JSON: ${text.slice(0, 200)}`);
    }
    return { status: res.status, headers: res.headers, body };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary payloads
  postJson<T = any>(path: string, body: unknown, headers: Record<string, string> = {}) {
    return this.sendJson<T>("POST", path, body, headers);
  }

  /** A JSON body with any method (PATCH, DELETE, ...); a string body is sent as is. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary payloads
  sendJson<T = any>(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
    return this.json<T>(path, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  }

  signUp(email: string, password: string, name?: string) {
    return this.postJson<{ user: { uuid: string; email: string; name: string | null }; verification: "mail_sent" | "not_required" }>(
      "/api/auth/signup",
      { email, password, name },
    );
  }

  /**
   * Confirms `email` as its owner does: reads the confirmation mail the server sent through
   * its test SMTP server, and posts the link's token (the welcome credits come with it).
   * `since`: when the mail was asked for (older mail to the same address is not it).
   */
  async verifyEmailByMail(email: string, since = 0): Promise<void> {
    const { token } = tokenFromMail(await waitForSpooledMail(email, { since }));
    const res = await this.postJson("/api/auth/verify-email", { token });
    if (res.status !== 200) throw new Error(`email verification failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** Signs in through next-auth's credentials endpoint; resolves to the raw response (302 on success or failure). */
  async signIn(email: string, password: string): Promise<Response> {
    const csrf = await this.json<never>("/api/auth/csrf");
    const csrfToken = (csrf.body as unknown as { csrfToken: string }).csrfToken;
    return this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${this.baseUrl}/en` }).toString(),
    });
  }

  /** True when the jar holds a session cookie. */
  hasSession(): boolean {
    return [...this.cookies.keys()].some((k) => k.endsWith("authjs.session-token"));
  }
}

/** Polls GET /api/tasks/:uuid until the task's status is one of `statuses`; returns the task. */
export async function waitForTask<T extends { status: string }>(client: TestClient, uuid: string, statuses: string[], timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.json<{ task: T }>(`/api/tasks/${uuid}`);
    if (res.status !== 200) throw new Error(`GET /api/tasks/${uuid}: ${res.status}`);
    if (statuses.includes(res.body.data.task.status)) return res.body.data.task;
    if (Date.now() > deadline) throw new Error(`task ${uuid} still ${res.body.data.task.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now().toString(36)}-${crypto.randomBytes(4).toString("hex")}@example.com`;
}

/**
 * A new account, signed in: the client carries its session cookie. The email is confirmed
 * through the mailed link (so the welcome credits are there) unless `verify: false`.
 */
export async function signedInClient(
  baseUrl: string,
  opts: { email?: string; password?: string; name?: string; verify?: boolean } = {},
): Promise<{ client: TestClient; email: string; password: string; userUuid: string }> {
  const email = opts.email ?? uniqueEmail();
  const password = opts.password ?? "correct horse battery";
  const client = new TestClient(baseUrl);
  const since = Date.now();
  const signUp = await client.signUp(email, password, opts.name);
  if (signUp.status !== 201) throw new Error(`sign-up failed: ${signUp.status} ${JSON.stringify(signUp.body)}`);
  if (opts.verify !== false && signUp.body.data.verification === "mail_sent") await client.verifyEmailByMail(email, since);
  const res = await client.signIn(email, password);
  if (!client.hasSession()) throw new Error(`sign-in failed: ${res.status} ${res.headers.get("location")}`);
  return { client, email, password, userUuid: signUp.body.data.user.uuid };
}
