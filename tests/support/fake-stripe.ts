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
  customer: string | null;
  subscription: string | null;
  /** What the app sent (kept to build the subscription; not a Stripe field). */
  line_items_params?: unknown;
  subscription_data?: Record<string, unknown> | null;
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

export interface FakeCustomer {
  id: string;
  object: "customer";
  created: number;
  email: string | null;
  livemode: false;
  metadata: Record<string, string>;
}

/** https://docs.stripe.com/api/refunds/object (the fields the app reads). */
export interface FakeRefund {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  created: number;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  status: "succeeded";
}

export interface FakePrice {
  id: string;
  object: "price";
  currency: string;
  recurring: { interval: "month" | "year"; interval_count: number } | null;
  unit_amount: number;
}

/** https://docs.stripe.com/api/subscriptions/object (periods live on the items). */
export interface FakeSubscription {
  id: string;
  object: "subscription";
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  created: number;
  currency: string;
  customer: string;
  items: {
    object: "list";
    data: Array<{
      id: string;
      object: "subscription_item";
      current_period_start: number;
      current_period_end: number;
      price: FakePrice;
      quantity: number;
      subscription: string;
    }>;
    has_more: false;
    url: string;
  };
  latest_invoice: string | null;
  livemode: false;
  metadata: Record<string, string>;
  status: string;
}

/** https://docs.stripe.com/api/invoices/object (subscription under parent.subscription_details). */
export interface FakeInvoice {
  id: string;
  object: "invoice";
  amount_due: number;
  amount_paid: number;
  billing_reason: string;
  created: number;
  currency: string;
  customer: string;
  lines: {
    object: "list";
    data: Array<{
      id: string;
      object: "line_item";
      amount: number;
      currency: string;
      period: { start: number; end: number };
      pricing: { type: "price_details"; price_details: { price: string; product: string } };
      quantity: number;
    }>;
    has_more: false;
    url: string;
  };
  livemode: false;
  parent: { type: "subscription_details"; subscription_details: { metadata: Record<string, string>; subscription: string } };
  period_end: number;
  period_start: number;
  status: "paid";
}

/**
 * https://docs.stripe.com/api/invoice-payment/object: how an invoice was paid. The Charge
 * names no invoice in this API version; the app finds a charge's invoice by listing these
 * with `payment[type]=payment_intent&payment[payment_intent]=pi_...`.
 */
export interface FakeInvoicePayment {
  id: string;
  object: "invoice_payment";
  amount_paid: number | null;
  amount_requested: number;
  created: number;
  currency: string;
  invoice: string;
  is_default: boolean;
  livemode: false;
  payment: { type: "payment_intent"; payment_intent: string };
  status: "paid";
  status_transitions: { canceled_at: null; paid_at: number };
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
  customers: Map<string, FakeCustomer>;
  subscriptions: Map<string, FakeSubscription>;
  invoices: Map<string, FakeInvoice>;
  /** How each paid (non-zero) invoice was paid: one payment intent each. */
  invoicePayments: Map<string, FakeInvoicePayment>;
  /** The payment intent that paid an invoice (its charge's `payment_intent`). */
  paymentIntentOfInvoice(invoiceId: string): string;
  /** Refunds created through POST /v1/refunds (an Idempotency-Key replay adds none). */
  refunds: Map<string, FakeRefund>;
  /** Completes a subscription-mode session: a subscription and its first paid invoice (free when `trial`). */
  subscribe(sessionId: string, options?: { trial?: boolean }): { session: FakeSession; subscription: FakeSubscription; invoice: FakeInvoice };
  /** The next period begins: a new paid invoice (billing_reason subscription_cycle). */
  renew(subscriptionId: string): { subscription: FakeSubscription; invoice: FakeInvoice };
  /** Changes a subscription the way the billing portal would (e.g. cancel_at_period_end). */
  updateSubscription(subscriptionId: string, patch: Partial<FakeSubscription>): FakeSubscription;
  /** The subscription ends (customer.subscription.deleted's object). */
  cancelSubscription(subscriptionId: string): FakeSubscription;
  /** As a customer paying would; `webhook` also delivers a signed checkout.session.completed to webhookUrl. */
  pay(id: string, options?: { webhook?: boolean }): Promise<FakeSession>;
  /** The next create answers this status with a Stripe error. */
  failNextCreate(status: number, message?: string): void;
  /** Where pay({ webhook: true }) delivers events (known once the app has started). */
  setWebhookUrl(url: string): void;
  /** The next `method path` request is answered with this status (a Stripe error), once. */
  failNextRequest(method: string, path: string, status: number): void;
  /** Runs `fn` when the next `method path` request arrives, before answering it: what else happens meanwhile. */
  beforeNextRequest(method: string, path: string, fn: () => Promise<void>): void;
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

/** `seconds` (Unix time) plus calendar months, UTC, the day clamped to the month's end. */
function addMonthsSeconds(seconds: number, months: number): number {
  const d = new Date(seconds * 1000);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(Math.min(day, new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()));
  return Math.floor(d.getTime() / 1000);
}

const randomId = (prefix: string) => `${prefix}_${crypto.randomBytes(12).toString("hex")}`;

function stripeError(status: number, message: string, param?: string) {
  const type = status === 401 ? "invalid_request_error" : status >= 500 ? "api_error" : "invalid_request_error";
  return { error: { type, message, ...(param ? { param } : {}), ...(status === 404 ? { code: "resource_missing" } : {}) } };
}

/** Validates a create request roughly as Stripe does; an error `[message, param]` or null. */
function validateCreate(params: Record<string, unknown>): [string, string] | null {
  if (params.mode !== "payment" && params.mode !== "subscription") return ["mode must be payment or subscription", "mode"];
  const subscription = params.mode === "subscription";
  if (subscription && !params.customer && !params.customer_email) return ["customer is required", "customer"];
  const items = params.line_items as Array<Record<string, unknown>> | undefined;
  if (!Array.isArray(items) || items.length === 0) return [`line_items is required in ${params.mode} mode`, "line_items"];
  for (const [i, item] of items.entries()) {
    if (!/^[1-9]\d*$/.test(String(item.quantity ?? ""))) return ["quantity must be a positive integer", `line_items[${i}][quantity]`];
    if (item.price) continue; // a configured Price id
    const pd = item.price_data as Record<string, unknown> | undefined;
    if (!pd) return ["price or price_data is required", `line_items[${i}][price_data]`];
    const recurring = pd.recurring as Record<string, unknown> | undefined;
    if (subscription && !["month", "year"].includes(String(recurring?.interval))) {
      return ["recurring[interval] is required in subscription mode", `line_items[${i}][price_data][recurring][interval]`];
    }
    if (!subscription && recurring) return ["recurring prices need subscription mode", `line_items[${i}][price_data][recurring]`];
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
  const pending: Array<{ method: string; path: string; fn: () => Promise<void> }> = [];
  const failures: Array<{ method: string; path: string; status: number }> = [];
  let base = "";
  let webhookUrl = options.webhookUrl;

  function createSession(params: Record<string, unknown>): FakeSession {
    const items = params.line_items as Array<{ quantity: string; price?: string; price_data?: { currency: string; unit_amount: string } }>;
    const total = items.reduce((sum, i) => sum + Number(i.quantity) * Number(i.price_data?.unit_amount ?? 0), 0);
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
      currency: items[0].price_data?.currency ?? "usd",
      customer_email: (params.customer_email as string) ?? null,
      customer: (params.customer as string) ?? null,
      subscription: null,
      line_items_params: items,
      subscription_data: (params.subscription_data as Record<string, unknown>) ?? null,
      expires_at: now + 24 * 3600,
      livemode: false,
      locale: (params.locale as string) ?? null,
      metadata: (params.metadata as Record<string, string>) ?? {},
      mode: String(params.mode),
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

  const customers = new Map<string, FakeCustomer>();
  const subscriptions = new Map<string, FakeSubscription>();
  const invoices = new Map<string, FakeInvoice>();
  const invoicePayments = new Map<string, FakeInvoicePayment>();
  const customerKeys = new Map<string, string>();
  const refunds = new Map<string, FakeRefund>();
  const refundKeys = new Map<string, string>();
  const cancelKeys = new Map<string, string>();

  function invoiceFor(sub: FakeSubscription, reason: string, paid: number): FakeInvoice {
    const item = sub.items.data[0];
    const invoice: FakeInvoice = {
      id: randomId("in"),
      object: "invoice",
      amount_due: paid,
      amount_paid: paid,
      billing_reason: reason,
      created: Math.floor(Date.now() / 1000) + invoices.size, // distinct, increasing
      currency: sub.currency,
      customer: sub.customer,
      lines: {
        object: "list",
        data: [
          {
            id: randomId("il"),
            object: "line_item",
            amount: paid,
            currency: sub.currency,
            period: { start: item.current_period_start, end: item.current_period_end },
            pricing: { type: "price_details", price_details: { price: item.price.id, product: randomId("prod") } },
            quantity: 1,
          },
        ],
        has_more: false,
        url: "/v1/invoices/lines",
      },
      livemode: false,
      parent: { type: "subscription_details", subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id } },
      period_end: item.current_period_start,
      period_start: item.current_period_start,
      status: "paid",
    };
    invoices.set(invoice.id, invoice);
    sub.latest_invoice = invoice.id;
    if (paid > 0) {
      const payment: FakeInvoicePayment = {
        id: randomId("inpay"),
        object: "invoice_payment",
        amount_paid: paid,
        amount_requested: paid,
        created: invoice.created,
        currency: invoice.currency,
        invoice: invoice.id,
        is_default: true,
        livemode: false,
        payment: { type: "payment_intent", payment_intent: randomId("pi") },
        status: "paid",
        status_transitions: { canceled_at: null, paid_at: invoice.created },
      };
      invoicePayments.set(payment.id, payment);
    }
    return invoice;
  }

  function subscribe(sessionId: string, options: { trial?: boolean } = {}) {
    const session = sessions.get(sessionId);
    if (!session || session.mode !== "subscription") throw new Error(`fake Stripe: no subscription session ${sessionId}`);
    const line = (session.line_items_params as Array<{ price?: string; price_data?: { currency: string; unit_amount: string; recurring: { interval: "month" | "year" } } }>)[0];
    const interval = line.price_data?.recurring.interval ?? "month";
    const start = Math.floor(Date.now() / 1000);
    const price: FakePrice = {
      id: line.price ?? randomId("price"),
      object: "price",
      currency: line.price_data?.currency ?? "usd",
      recurring: { interval, interval_count: 1 },
      unit_amount: Number(line.price_data?.unit_amount ?? 0),
    };
    const id = randomId("sub");
    const sub: FakeSubscription = {
      id,
      object: "subscription",
      cancel_at_period_end: false,
      canceled_at: null,
      created: start,
      currency: price.currency,
      customer: session.customer!,
      items: {
        object: "list",
        data: [{ id: randomId("si"), object: "subscription_item", current_period_start: start, current_period_end: addMonthsSeconds(start, interval === "year" ? 12 : 1), price, quantity: 1, subscription: id }],
        has_more: false,
        url: `/v1/subscription_items?subscription=${id}`,
      },
      latest_invoice: null,
      livemode: false,
      metadata: ((session.subscription_data?.metadata as Record<string, string>) ?? {}),
      status: options.trial ? "trialing" : "active",
    };
    subscriptions.set(id, sub);
    const invoice = invoiceFor(sub, "subscription_create", options.trial ? 0 : price.unit_amount);
    Object.assign(session, { status: "complete", payment_status: options.trial ? "no_payment_required" : "paid", subscription: id });
    return { session, subscription: sub, invoice };
  }

  function renew(subscriptionId: string) {
    const sub = subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`fake Stripe: no subscription ${subscriptionId}`);
    const item = sub.items.data[0];
    const start = item.current_period_end;
    item.current_period_start = start;
    item.current_period_end = addMonthsSeconds(start, item.price.recurring?.interval === "year" ? 12 : 1);
    sub.status = "active";
    return { subscription: sub, invoice: invoiceFor(sub, "subscription_cycle", item.price.unit_amount) };
  }

  function updateSubscription(subscriptionId: string, patch: Partial<FakeSubscription>) {
    const sub = subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`fake Stripe: no subscription ${subscriptionId}`);
    return Object.assign(sub, patch);
  }

  function cancelSubscription(subscriptionId: string) {
    return updateSubscription(subscriptionId, { status: "canceled", canceled_at: Math.floor(Date.now() / 1000) });
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
        const sub = /^\/_fake\/(subscribe|renew|update-subscription|cancel-subscription)\/([^/]+)$/.exec(url.pathname);
        if (req.method === "POST" && sub) {
          const input = body ? JSON.parse(body) : {};
          try {
            if (sub[1] === "subscribe") return sendJson(res, 200, subscribe(sub[2], input));
            if (sub[1] === "renew") return sendJson(res, 200, renew(sub[2]));
            if (sub[1] === "update-subscription") return sendJson(res, 200, updateSubscription(sub[2], input));
            return sendJson(res, 200, cancelSubscription(sub[2]));
          } catch (error) {
            return sendJson(res, 404, stripeError(404, (error as Error).message));
          }
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
      // The SDK sends the form content type on GETs too; their parameters are in the query.
      const params =
        req.method !== "GET" && req.headers["content-type"]?.includes("application/x-www-form-urlencoded")
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
      const hook = pending.findIndex((h) => h.method === req.method && h.path === url.pathname);
      if (hook >= 0) await pending.splice(hook, 1)[0].fn();
      const failure = failures.findIndex((f) => f.method === req.method && f.path === url.pathname);
      if (failure >= 0) {
        const { status } = failures.splice(failure, 1)[0];
        return sendJson(res, status, stripeError(status, "fake Stripe failure"));
      }
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
      if (req.method === "POST" && url.pathname === "/v1/customers") {
        const key = req.headers["idempotency-key"] as string | undefined;
        if (key && customerKeys.has(key)) return sendJson(res, 200, customers.get(customerKeys.get(key)!));
        const customer: FakeCustomer = {
          id: randomId("cus"),
          object: "customer",
          created: Math.floor(Date.now() / 1000),
          email: (params.email as string) ?? null,
          livemode: false,
          metadata: (params.metadata as Record<string, string>) ?? {},
        };
        customers.set(customer.id, customer);
        if (key) customerKeys.set(key, customer.id);
        return sendJson(res, 200, customer);
      }
      const object = /^\/v1\/(customers|subscriptions|invoices)\/([^/]+)$/.exec(url.pathname);
      // https://docs.stripe.com/api/customers/delete: gone for good, its subscriptions canceled at once.
      if (req.method === "DELETE" && object?.[1] === "customers") {
        if (!customers.delete(object[2])) return sendJson(res, 404, stripeError(404, `No such customer: '${object[2]}'`, "id"));
        const now = Math.floor(Date.now() / 1000);
        for (const sub of subscriptions.values()) {
          if (sub.customer === object[2] && sub.status !== "canceled") Object.assign(sub, { status: "canceled", canceled_at: now });
        }
        return sendJson(res, 200, { id: object[2], object: "customer", deleted: true });
      }
      // https://docs.stripe.com/api/subscriptions/cancel: ends at once; an ended one is refused.
      if (req.method === "DELETE" && object?.[1] === "subscriptions") {
        const key = req.headers["idempotency-key"] as string | undefined;
        if (key && cancelKeys.has(key)) return sendJson(res, 200, subscriptions.get(cancelKeys.get(key)!));
        if (key) cancelKeys.set(key, object[2]);
        const sub = subscriptions.get(object[2]);
        if (!sub) return sendJson(res, 404, stripeError(404, `No such subscription: '${object[2]}'`, "id"));
        if (sub.status === "canceled") return sendJson(res, 400, stripeError(400, `A canceled subscription can only update its cancellation_details and metadata.`));
        return sendJson(res, 200, cancelSubscription(object[2]));
      }
      // https://docs.stripe.com/api/refunds/create (by payment_intent, in full unless `amount`).
      if (req.method === "POST" && url.pathname === "/v1/refunds") {
        const key = req.headers["idempotency-key"] as string | undefined;
        if (key && refundKeys.has(key)) return sendJson(res, 200, refunds.get(refundKeys.get(key)!));
        const paymentIntent = params.payment_intent as string | undefined;
        const payment = [...invoicePayments.values()].find((p) => p.payment.payment_intent === paymentIntent);
        if (!payment) return sendJson(res, 400, stripeError(400, `No such payment_intent: '${paymentIntent}'`, "payment_intent"));
        const refund: FakeRefund = {
          id: randomId("re"),
          object: "refund",
          amount: params.amount ? Number(params.amount) : (payment.amount_paid ?? 0),
          currency: payment.currency,
          created: Math.floor(Date.now() / 1000),
          metadata: (params.metadata as Record<string, string>) ?? {},
          payment_intent: paymentIntent!,
          reason: (params.reason as string) ?? null,
          status: "succeeded",
        };
        refunds.set(refund.id, refund);
        if (key) refundKeys.set(key, refund.id);
        return sendJson(res, 200, refund);
      }
      if (req.method === "GET" && object) {
        const found = ({ customers, subscriptions, invoices } as Record<string, Map<string, unknown>>)[object[1]].get(object[2]);
        return found ? sendJson(res, 200, found) : sendJson(res, 404, stripeError(404, `No such ${object[1].slice(0, -1)}: '${object[2]}'`, "id"));
      }
      if (req.method === "GET" && url.pathname === "/v1/invoices") {
        return sendJson(res, 200, listOf([...invoices.values()], params, "/v1/invoices", (i) => i.status === params.status));
      }
      if (req.method === "GET" && url.pathname === "/v1/invoice_payments") {
        const payment = (params.payment ?? {}) as { type?: string; payment_intent?: string };
        if (params.payment && !payment.type) return sendJson(res, 400, stripeError(400, "Missing required param: payment[type].", "payment[type]"));
        const matching = [...invoicePayments.values()].filter(
          (p) =>
            (!params.invoice || p.invoice === params.invoice) &&
            (!payment.payment_intent || p.payment.payment_intent === payment.payment_intent) &&
            (!payment.type || p.payment.type === payment.type),
        );
        return sendJson(res, 200, listOf(matching, params, "/v1/invoice_payments", (p) => p.status === params.status));
      }
      if (req.method === "POST" && url.pathname === "/v1/billing_portal/sessions") {
        const customer = params.customer as string | undefined;
        if (!customer || !customers.has(customer)) return sendJson(res, 400, stripeError(400, `No such customer: '${customer}'`, "customer"));
        const id = randomId("bps");
        return sendJson(res, 200, {
          id,
          object: "billing_portal.session",
          configuration: "bpc_fake",
          created: Math.floor(Date.now() / 1000),
          customer,
          livemode: false,
          locale: null,
          on_behalf_of: null,
          return_url: (params.return_url as string) ?? null,
          url: `${base}/_fake/portal/${id}`,
        });
      }
      if (req.method === "GET" && url.pathname === "/v1/checkout/sessions") {
        // `payment_intent`: only the session of that payment intent (https://docs.stripe.com/api/checkout/sessions/list).
        const all = [...sessions.values()].filter((s) => !params.payment_intent || s.payment_intent === params.payment_intent);
        return sendJson(res, 200, listOf(all, params, "/v1/checkout/sessions", (s) => s.status === params.status));
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
    customers,
    subscriptions,
    invoices,
    invoicePayments,
    refunds,
    paymentIntentOfInvoice(invoiceId) {
      const payment = [...invoicePayments.values()].find((p) => p.invoice === invoiceId);
      if (!payment) throw new Error(`fake Stripe: invoice ${invoiceId} has no payment`);
      return payment.payment.payment_intent;
    },
    subscribe,
    renew,
    updateSubscription,
    cancelSubscription,
    pay,
    failNextCreate(status, message = "fake Stripe failure") {
      nextFailure = { status, message };
    },
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    failNextRequest(method, path, status) {
      failures.push({ method, path, status });
    },
    beforeNextRequest(method, path, fn) {
      pending.push({ method, path, fn });
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

export function stripeEvent(type: string, object: unknown, id = randomId("evt"), created = Math.floor(Date.now() / 1000)) {
  return {
    id,
    object: "event",
    api_version: Stripe.API_VERSION,
    created,
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
  options: { amountRefunded?: number; currency?: string; metadata?: Record<string, string>; id?: string; refunds?: number[]; customer?: string } = {},
) {
  const { currency = "usd", metadata = {}, id = randomId("ch"), refunds, customer = null } = options;
  const amountRefunded = options.amountRefunded ?? (refunds ? refunds.reduce((a, b) => a + b, 0) : amount);
  return {
    id,
    object: "charge",
    amount,
    amount_captured: amount,
    amount_refunded: amountRefunded,
    currency,
    customer,
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
  async subscribe(sessionId: string, trial = false): Promise<{ session: FakeSession; subscription: FakeSubscription; invoice: FakeInvoice }> {
    const res = await fetch(`${url}/_fake/subscribe/${sessionId}`, { method: "POST", body: JSON.stringify({ trial }) });
    if (!res.ok) throw new Error(`fake Stripe subscribe ${sessionId}: ${res.status}`);
    return res.json();
  },
  async failNextCreate(status: number, message?: string) {
    await fetch(`${url}/_fake/fail-next-create`, { method: "POST", body: JSON.stringify({ status, message }) });
  },
});
