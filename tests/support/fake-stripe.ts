// A local stand-in for the parts of Stripe's API the app uses, speaking its documented
// shapes (https://docs.stripe.com/api/checkout/sessions): form-encoded
// POST /v1/checkout/sessions and GET /v1/checkout/sessions/:id with Bearer auth,
// Idempotency-Key replay, and Stripe's { error: { type, message, param } } errors.
//
// It records every API request it receives, and has a small control API (under
// /_fake/) so tests in other processes can mark a session paid, make the next
// create fail, or read what was received. A browser following a session's `url`
// lands on /_fake/pay/:id, which pays the session, delivers a signed
// checkout.session.completed to `webhookUrl` (when set) and redirects to success_url.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export const FAKE_STRIPE_SECRET_KEY = "sk_test_fake_0123456789abcdefghijklmnop";
export const FAKE_STRIPE_WEBHOOK_SECRET = "whsec_fake_0123456789abcdefghijklmnopqrstuv";

export interface FakeSession {
  id: string;
  object: "checkout.session";
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string;
  customer_email: string | null;
  expires_at: number;
  livemode: false;
  locale: string | null;
  metadata: Record<string, string>;
  mode: string;
  payment_intent: string | null;
  payment_status: "paid" | "unpaid" | "no_payment_required";
  status: "open" | "complete" | "expired";
  success_url: string | null;
  url: string | null;
}

export interface RecordedStripeRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  contentType: string | undefined;
  /** Form body decoded into nested objects/arrays, the way Stripe reads it. */
  params: Record<string, unknown>;
  at: number;
}

export interface FakeStripe {
  url: string;
  secretKey: string;
  webhookSecret: string;
  /** App env that points the app at this fake. */
  appEnv: Record<string, string>;
  sessions: Map<string, FakeSession>;
  requests: RecordedStripeRequest[];
  /** Number of sessions actually created (idempotent replays not counted). */
  sessionsCreated(): number;
  /** As a customer paying would; `webhook` also delivers a signed checkout.session.completed to webhookUrl. */
  pay(id: string, options?: { webhook?: boolean }): Promise<FakeSession>;
  /** The next create answers this status with a Stripe error. */
  failNextCreate(status: number, message?: string): void;
  /** Where pay({ webhook: true }) delivers events (known once the app has started). */
  setWebhookUrl(url: string): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Form decoding: `line_items[0][price_data][currency]=usd` -> nested objects.
// ---------------------------------------------------------------------------

export function decodeStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split(/\[|\]\[|\]/).filter((p) => p !== "");
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]);
      const slot = node as Record<string, unknown>;
      if (last) {
        slot[part] = value;
      } else {
        slot[part] ??= nextIsIndex ? [] : {};
        node = slot[part] as Record<string, unknown>;
      }
    });
  }
  return root;
}

const randomId = (prefix: string) => `${prefix}_${crypto.randomBytes(12).toString("hex")}`;

function stripeError(status: number, message: string, param?: string) {
  const type = status === 401 ? "invalid_request_error" : status >= 500 ? "api_error" : "invalid_request_error";
  return { error: { type, message, ...(param ? { param } : {}), ...(status === 404 ? { code: "resource_missing" } : {}) } };
}

/** Validates a create request roughly as Stripe does; an error `[message, param]` or null. */
function validateCreate(params: Record<string, unknown>): [string, string] | null {
  if (params.mode !== "payment") return ["mode must be payment (this fake only knows payment)", "mode"];
  const items = params.line_items as Array<Record<string, unknown>> | undefined;
  if (!Array.isArray(items) || items.length === 0) return ["line_items is required in payment mode", "line_items"];
  for (const [i, item] of items.entries()) {
    if (!/^[1-9]\d*$/.test(String(item.quantity ?? ""))) return ["quantity must be a positive integer", `line_items[${i}][quantity]`];
    const pd = item.price_data as Record<string, unknown> | undefined;
    if (!pd) return ["price_data is required", `line_items[${i}][price_data]`];
    if (!/^[a-z]{3}$/.test(String(pd.currency ?? ""))) return ["Invalid currency", `line_items[${i}][price_data][currency]`];
    if (!/^\d+$/.test(String(pd.unit_amount ?? ""))) {
      return ["Invalid integer: unit_amount", `line_items[${i}][price_data][unit_amount]`];
    }
    const product = pd.product_data as Record<string, unknown> | undefined;
    if (!product?.name) return ["product_data[name] is required", `line_items[${i}][price_data][product_data][name]`];
  }
  if (!params.success_url) return ["success_url is required", "success_url"];
  return null;
}

/**
 * A list response (https://docs.stripe.com/api/pagination): newest first, `limit`
 * (default 10, max 100), `starting_after`, `created[gte]`/`created[lte]`, and an
 * optional filter applied when its parameter is given.
 */
function listOf<T extends { id: string; created: number }>(
  all: T[],
  params: Record<string, unknown>,
  path: string,
  filter?: (item: T) => boolean,
  filterParam = "status",
) {
  const created = (params.created ?? {}) as Record<string, string>;
  let items = [...all].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
  if (created.gte) items = items.filter((i) => i.created >= Number(created.gte));
  if (created.lte) items = items.filter((i) => i.created <= Number(created.lte));
  if (filter && params[filterParam] !== undefined) items = items.filter(filter);
  if (params.starting_after) {
    const at = items.findIndex((i) => i.id === params.starting_after);
    items = at >= 0 ? items.slice(at + 1) : [];
  }
  const limit = Math.min(100, Math.max(1, Number(params.limit ?? 10)));
  return { object: "list", data: items.slice(0, limit), has_more: items.length > limit, url: path };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json", "Request-Id": randomId("req") });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeStripe(
  options: { secretKey?: string; webhookSecret?: string; webhookUrl?: string } = {},
): Promise<FakeStripe> {
  const secretKey = options.secretKey ?? FAKE_STRIPE_SECRET_KEY;
  const webhookSecret = options.webhookSecret ?? FAKE_STRIPE_WEBHOOK_SECRET;
  const sessions = new Map<string, FakeSession>();
  const requests: RecordedStripeRequest[] = [];
  const byIdempotencyKey = new Map<string, string>();
  let created = 0;
  let nextFailure: { status: number; message: string } | null = null;
  let base = "";
  let webhookUrl = options.webhookUrl;

  function createSession(params: Record<string, unknown>): FakeSession {
    const items = params.line_items as Array<{ quantity: string; price_data: { currency: string; unit_amount: string } }>;
    const total = items.reduce((sum, i) => sum + Number(i.quantity) * Number(i.price_data.unit_amount), 0);
    const id = randomId("cs_test");
    const now = Math.floor(Date.now() / 1000);
    const session: FakeSession = {
      id,
      object: "checkout.session",
      amount_subtotal: total,
      amount_total: total,
      cancel_url: (params.cancel_url as string) ?? null,
      client_reference_id: (params.client_reference_id as string) ?? null,
      created: now,
      currency: items[0].price_data.currency,
      customer_email: (params.customer_email as string) ?? null,
      expires_at: now + 24 * 3600,
      livemode: false,
      locale: (params.locale as string) ?? null,
      metadata: (params.metadata as Record<string, string>) ?? {},
      mode: "payment",
      payment_intent: null,
      payment_status: "unpaid",
      status: "open",
      success_url: (params.success_url as string) ?? null,
      url: `${base}/_fake/pay/${id}`,
    };
    sessions.set(id, session);
    created++;
    return session;
  }

  async function pay(id: string, payOptions: { webhook?: boolean } = {}): Promise<FakeSession> {
    const session = sessions.get(id);
    if (!session) throw new Error(`fake Stripe: no session ${id}`);
    if (session.payment_status !== "paid") {
      Object.assign(session, { payment_status: "paid", status: "complete", payment_intent: randomId("pi") });
    }
    if (payOptions.webhook && webhookUrl) {
      const { payload, header } = signedEvent(stripeEvent("checkout.session.completed", session), webhookSecret);
      await fetch(webhookUrl, { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": header } });
    }
    return session;
  }

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://fake");
      const body = await readBody(req);

      // A browser sent to the hosted page asks for a favicon: not an API call, not an error.
      if (url.pathname === "/favicon.ico") {
        res.writeHead(204);
        return res.end();
      }

      // ---- control API (not Stripe's) ----
      if (url.pathname.startsWith("/_fake/")) {
        const payMatch = /^\/_fake\/(?:sessions\/)?([^/]+)\/pay$|^\/_fake\/pay\/([^/]+)$/.exec(url.pathname);
        if (req.method === "GET" && url.pathname === "/_fake/requests") return sendJson(res, 200, { requests, sessionsCreated: created });
        if (req.method === "GET" && url.pathname.startsWith("/_fake/sessions/")) {
          const s = sessions.get(url.pathname.split("/")[3]);
          return s ? sendJson(res, 200, s) : sendJson(res, 404, stripeError(404, "No such checkout.session"));
        }
        if (req.method === "POST" && url.pathname === "/_fake/fail-next-create") {
          const { status = 500, message = "fake Stripe failure" } = body ? JSON.parse(body) : {};
          nextFailure = { status, message };
          return sendJson(res, 200, { ok: true });
        }
        if (payMatch) {
          const id = payMatch[1] ?? payMatch[2];
          if (!sessions.has(id)) return sendJson(res, 404, stripeError(404, `No such checkout.session: '${id}'`));
          if (req.method === "POST") {
            const { webhook = false } = body ? JSON.parse(body) : {};
            return sendJson(res, 200, await pay(id, { webhook }));
          }
          // A browser "paying" on the hosted page.
          const session = await pay(id, { webhook: true });
          res.writeHead(303, { Location: (session.success_url ?? "/").replace("{CHECKOUT_SESSION_ID}", id) });
          return res.end();
        }
        return sendJson(res, 404, { error: "unknown control path" });
      }

      // ---- Stripe API ----
      const params = req.headers["content-type"]?.includes("application/x-www-form-urlencoded")
        ? decodeStripeForm(body)
        : decodeStripeForm(url.search.slice(1));
      requests.push({
        method: req.method ?? "GET",
        path: url.pathname,
        authorization: req.headers.authorization,
        idempotencyKey: req.headers["idempotency-key"] as string | undefined,
        contentType: req.headers["content-type"],
        params,
        at: Date.now(),
      });
      if (req.headers.authorization !== `Bearer ${secretKey}`) {
        return sendJson(res, 401, stripeError(401, "Invalid API Key provided"));
      }
      if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
        const key = req.headers["idempotency-key"] as string | undefined;
        if (key && byIdempotencyKey.has(key)) return sendJson(res, 200, sessions.get(byIdempotencyKey.get(key)!));
        if (nextFailure) {
          const f = nextFailure;
          nextFailure = null;
          return sendJson(res, f.status, stripeError(f.status, f.message));
        }
        const invalid = validateCreate(params);
        if (invalid) return sendJson(res, 400, stripeError(400, invalid[0], invalid[1]));
        const session = createSession(params);
        if (key) byIdempotencyKey.set(key, session.id);
        return sendJson(res, 200, session);
      }
      if (req.method === "GET" && url.pathname === "/v1/checkout/sessions") {
        return sendJson(res, 200, listOf([...sessions.values()], params, "/v1/checkout/sessions", (s) => s.status === params.status));
      }
      const get = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && get) {
        const session = sessions.get(get[1]);
        if (!session) return sendJson(res, 404, stripeError(404, `No such checkout.session: '${get[1]}'`, "session"));
        return sendJson(res, 200, session);
      }
      return sendJson(res, 404, stripeError(404, `Unrecognized request URL (${req.method}: ${url.pathname})`));
    } catch (error) {
      sendJson(res, 500, stripeError(500, (error as Error).message));
    }
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    secretKey,
    webhookSecret,
    appEnv: { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_BASE: base },
    sessions,
    requests,
    sessionsCreated: () => created,
    pay,
    failNextCreate(status, message = "fake Stripe failure") {
      nextFailure = { status, message };
    },
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------
// Events, signed the way Stripe signs them (the SDK's own test helper).
// ---------------------------------------------------------------------------

export function stripeEvent(type: string, object: unknown, id = randomId("evt")) {
  return {
    id,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** The raw body and its Stripe-Signature header; `timestamp` (seconds) to make a stale one. */
export function signedEvent(event: unknown, secret: string, timestamp?: number): { payload: string; header: string } {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
  return { payload, header };
}

/**
 * A Charge as Stripe sends it in charge.refunded: `amount_refunded` is cumulative.
 * `refunds` (each partial refund's amount, oldest first) adds the expanded refunds
 * list, newest first, the way Stripe lists it.
 */
export function refundedCharge(
  paymentIntentId: string | null,
  amount: number,
  options: { amountRefunded?: number; currency?: string; metadata?: Record<string, string>; id?: string; refunds?: number[] } = {},
) {
  const { currency = "usd", metadata = {}, id = randomId("ch"), refunds } = options;
  const amountRefunded = options.amountRefunded ?? (refunds ? refunds.reduce((a, b) => a + b, 0) : amount);
  return {
    id,
    object: "charge",
    amount,
    amount_captured: amount,
    amount_refunded: amountRefunded,
    currency,
    metadata,
    paid: true,
    payment_intent: paymentIntentId,
    refunded: amountRefunded >= amount,
    status: "succeeded",
    ...(refunds
      ? {
          refunds: {
            object: "list",
            data: refunds
              .map((r, i) => ({ id: `re_${id}_${i}`, object: "refund", amount: r, charge: id, currency, payment_intent: paymentIntentId, status: "succeeded" }))
              .reverse(),
            has_more: false,
            url: `/v1/charges/${id}/refunds`,
          },
        }
      : {}),
  };
}

/** A Dispute (https://docs.stripe.com/api/disputes/object) as sent in charge.dispute.*. */
export function dispute(
  paymentIntentId: string | null,
  amount: number,
  options: { id?: string; status?: string; reason?: string; charge?: string; currency?: string } = {},
) {
  return {
    id: options.id ?? randomId("dp"),
    object: "dispute",
    amount,
    balance_transactions: [],
    charge: options.charge ?? randomId("ch"),
    created: Math.floor(Date.now() / 1000),
    currency: options.currency ?? "usd",
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: paymentIntentId,
    reason: options.reason ?? "fraudulent",
    status: options.status ?? "needs_response",
  };
}

// ---------------------------------------------------------------------------
// Cross-process helpers: the http tests' fake lives in the globalSetup process.
// ---------------------------------------------------------------------------

export const fakeStripeControl = (url: string) => ({
  async requests(): Promise<RecordedStripeRequest[]> {
    const res = await fetch(`${url}/_fake/requests`);
    return ((await res.json()) as { requests: RecordedStripeRequest[] }).requests;
  },
  async pay(id: string, webhook = false): Promise<FakeSession> {
    const res = await fetch(`${url}/_fake/sessions/${id}/pay`, { method: "POST", body: JSON.stringify({ webhook }) });
    if (!res.ok) throw new Error(`fake Stripe pay ${id}: ${res.status}`);
    return (await res.json()) as FakeSession;
  },
  async session(id: string): Promise<FakeSession> {
    const res = await fetch(`${url}/_fake/sessions/${id}`);
    return (await res.json()) as FakeSession;
  },
  async failNextCreate(status: number, message?: string) {
    await fetch(`${url}/_fake/fail-next-create`, { method: "POST", body: JSON.stringify({ status, message }) });
  },
});
