// One local stand-in for the AI providers the app speaks to, each in its documented shapes:
//   Replicate's predictions API (https://replicate.com/docs/reference/http) at `url`:
//     create via /v1/models/{owner}/{name}/predictions or /v1/predictions (with version),
//     get via /v1/predictions/{id}, cancel, Bearer auth, problem+json errors, and
//     Standard Webhooks-signed webhook deliveries;
//   fal.ai's queue API (https://docs.fal.ai/model-endpoints/queue) at `falBase`:
//     POST /{model}, GET /{app}/requests/{id}/status, GET /{app}/requests/{id},
//     PUT /{app}/requests/{id}/cancel, `Authorization: Key <key>`.
// Like a real provider, it fetches every http(s) URL in a job's input when the job is
// created (a task's signed input URLs) and records the bytes it got (`fetchedInputs`),
// so tests can assert the provider really received the file.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { signStandardWebhook } from "@/services/ai/standard-webhooks";

export interface FakePrediction {
  id: string;
  model: string;
  version: string | null;
  input: Record<string, unknown>;
  status: "starting" | "processing" | "succeeded" | "failed" | "canceled";
  output: unknown;
  error: string | null;
  logs: string;
  webhook?: string;
  webhook_events_filter?: string[];
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  urls: { get: string; cancel: string };
  metrics: Record<string, number>;
}

/** A URL found in a job's input, fetched as the provider would. */
export interface FetchedInput {
  jobId: string;
  url: string;
  status: number;
  contentType: string | null;
  bytes: Buffer;
}

/** A fal queue request. */
export interface FakeFalRequest {
  id: string;
  model: string;
  input: Record<string, unknown>;
  status: "IN_QUEUE" | "IN_PROGRESS" | "COMPLETED";
  /** The result GET answers (the model's output JSON) once COMPLETED. */
  result: unknown;
  /** A failed run: the status carries `error`, the result GET answers 422 with it. */
  error?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeProvider {
  /** Replicate's API base (REPLICATE_API_BASE). */
  url: string;
  token: string;
  /** fal's queue base (FAL_QUEUE_BASE) and the key it accepts. */
  falBase: string;
  falKey: string;
  falRequests: Map<string, FakeFalRequest>;
  /** Changes a fal request as fal would while it runs. */
  falUpdate(id: string, patch: Partial<Pick<FakeFalRequest, "status" | "result" | "error">>): FakeFalRequest;
  /** fal cancel requests received, by request id. */
  falCancels: string[];
  /** Every URL found in a job's input (Replicate's or fal's), fetched when the job was created. */
  fetchedInputs: FetchedInput[];
  webhookSecret: string;
  predictions: Map<string, FakePrediction>;
  requests: RecordedRequest[];
  /** Next create answers this HTTP status with a problem+json body (and a Retry-After header, in seconds, if given). */
  failNextCreate(status: number, detail: string, options?: { retryAfter?: number }): void;
  /** Serves `body` at `${url}/files/<name>` (like replicate.delivery) and returns that URL. */
  serveFile(name: string, body: Buffer, contentType: string): string;
  /** Stops serving a file: its URL answers 404 from now on (Replicate deletes outputs after an hour). */
  dropFile(name: string): void;
  /** Cancel requests received (POST /v1/predictions/{id}/cancel), by prediction id. */
  cancels: string[];
  /** Changes a prediction as Replicate would while it runs. */
  update(id: string, patch: Partial<Pick<FakePrediction, "status" | "output" | "error" | "logs">>): FakePrediction;
  /** A webhook delivery for the prediction, signed with the secret (or `secret` to forge one). */
  signedWebhook(id: string, options?: { secret?: string; timestamp?: number; webhookId?: string }): { headers: Headers; body: string };
  close(): Promise<void>;
}

export const FAKE_WEBHOOK_SECRET = `whsec_${Buffer.from("fake-replicate-signing-key-0123456789").toString("base64")}`;

/** Every http(s) URL in an input (strings, lists, objects). */
function urlsIn(value: unknown, depth = 0): string[] {
  if (depth > 8) return [];
  if (typeof value === "string") return /^https?:\/\//.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => urlsIn(v, depth + 1));
  if (value && typeof value === "object") return Object.values(value).flatMap((v) => urlsIn(v, depth + 1));
  return [];
}

export async function startFakeProvider(options: { token?: string; webhookSecret?: string; falKey?: string } = {}): Promise<FakeProvider> {
  const token = options.token ?? "r8_fake_token";
  const falKey = options.falKey ?? "fal_fake_key";
  const falRequests = new Map<string, FakeFalRequest>();
  const falCancels: string[] = [];
  const fetchedInputs: FetchedInput[] = [];
  const webhookSecret = options.webhookSecret ?? FAKE_WEBHOOK_SECRET;
  const predictions = new Map<string, FakePrediction>();
  const requests: RecordedRequest[] = [];
  let nextCreateFailure: { status: number; detail: string; retryAfter?: number } | null = null;
  const files = new Map<string, { body: Buffer; contentType: string }>();
  const cancels: string[] = [];
  let base = "";

  const send = (res: http.ServerResponse, status: number, body: unknown, type = "application/json") => {
    res.writeHead(status, { "Content-Type": type });
    res.end(JSON.stringify(body));
  };
  const problem = (res: http.ServerResponse, status: number, detail: string) =>
    send(res, status, { title: http.STATUS_CODES[status], detail, status }, "application/problem+json");

  function create(model: string, version: string | null, body: Record<string, unknown>): FakePrediction {
    const id = crypto.randomBytes(13).toString("hex").slice(0, 26);
    const p: FakePrediction = {
      id,
      model,
      version,
      input: (body.input ?? {}) as Record<string, unknown>,
      status: "starting",
      output: null,
      error: null,
      logs: "",
      webhook: body.webhook as string | undefined,
      webhook_events_filter: body.webhook_events_filter as string[] | undefined,
      created_at: new Date().toISOString(),
      started_at: null,
      completed_at: null,
      urls: { get: `${base}/v1/predictions/${id}`, cancel: `${base}/v1/predictions/${id}/cancel` },
      metrics: {},
    };
    predictions.set(id, p);
    return p;
  }

  /** Fetches the input's URLs as the provider would, before it answers the create. */
  async function fetchInputs(jobId: string, input: unknown) {
    for (const url of urlsIn(input)) {
      if (url.startsWith(`${base}/files/`)) continue;
      try {
        const r = await fetch(url);
        fetchedInputs.push({ jobId, url, status: r.status, contentType: r.headers.get("content-type"), bytes: Buffer.from(await r.arrayBuffer()) });
      } catch {
        fetchedInputs.push({ jobId, url, status: 0, contentType: null, bytes: Buffer.alloc(0) });
      }
    }
  }

  async function handleFal(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: Record<string, unknown>) {
    if (req.headers.authorization !== `Key ${falKey}`) return send(res, 401, { detail: "Invalid API key" });
    const rest = path.slice("/fal/".length);
    const m = /^(.+?)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(rest);
    if (!m) {
      if (req.method !== "POST") return send(res, 405, { detail: "Method not allowed" });
      if (nextCreateFailure) {
        const f = nextCreateFailure;
        nextCreateFailure = null;
        if (f.retryAfter !== undefined) res.setHeader("Retry-After", String(f.retryAfter));
        return send(res, f.status, { detail: f.detail });
      }
      const id = crypto.randomUUID();
      const app = rest.split("/").slice(0, 2).join("/");
      falRequests.set(id, { id, model: rest, input: body, status: "IN_QUEUE", result: null });
      await fetchInputs(id, body);
      const urls = `${base}/fal/${app}/requests/${id}`;
      return send(res, 200, { request_id: id, response_url: urls, status_url: `${urls}/status`, cancel_url: `${urls}/cancel` });
    }
    const [, app, id, action] = m;
    const r = falRequests.get(id);
    if (!r || r.model.split("/").slice(0, 2).join("/") !== app) return send(res, 404, { detail: "Request not found" });
    if (action === "/status" && req.method === "GET") {
      return send(res, 200, {
        status: r.status,
        ...(r.status === "IN_QUEUE" ? { queue_position: 0 } : {}),
        response_url: `${base}/fal/${app}/requests/${id}`,
        logs: [],
        ...(r.status === "COMPLETED" && r.error ? { error: r.error } : {}),
      });
    }
    if (action === "/cancel" && req.method === "PUT") {
      falCancels.push(id);
      if (r.status === "COMPLETED") return send(res, 400, { status: "ALREADY_COMPLETED" });
      r.status = "COMPLETED";
      r.error = "cancelled";
      return send(res, 202, { status: "CANCELLATION_REQUESTED" });
    }
    if (!action && req.method === "GET") {
      if (r.status !== "COMPLETED") return send(res, 400, { detail: "Request is still in progress" });
      if (r.error) return send(res, 422, { detail: r.error });
      return send(res, 200, r.result);
    }
    return send(res, 405, { detail: "Method not allowed" });
  }

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", async () => {
      const path = (req.url ?? "/").split("?")[0];
      // Output files, unauthenticated like replicate.delivery.
      const file = /^\/files\/([^/]+)$/.exec(path);
      if (req.method === "GET" && file) {
        const f = files.get(file[1]);
        if (!f) return problem(res, 404, "Not found.");
        res.writeHead(200, { "Content-Type": f.contentType, "Content-Length": String(f.body.length) });
        return res.end(f.body);
      }
      let body: Record<string, unknown> = {};
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          return problem(res, 400, "invalid JSON");
        }
      }
      requests.push({ method: req.method ?? "", path, authorization: req.headers.authorization, body: raw ? body : undefined });
      if (path.startsWith("/fal/")) return handleFal(req, res, path, body);
      if (req.headers.authorization !== `Bearer ${token}`) return problem(res, 401, "Invalid token.");

      const modelCreate = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(path);
      if (req.method === "POST" && (modelCreate || path === "/v1/predictions")) {
        if (nextCreateFailure) {
          const f = nextCreateFailure;
          nextCreateFailure = null;
          if (f.retryAfter !== undefined) res.setHeader("Retry-After", String(f.retryAfter));
          return problem(res, f.status, f.detail);
        }
        if (typeof body.input !== "object" || body.input === null) return problem(res, 422, "input is required");
        if (!modelCreate && typeof body.version !== "string") return problem(res, 422, "version is required");
        const model = modelCreate ? `${modelCreate[1]}/${modelCreate[2]}` : "unknown";
        const prediction = create(model, (body.version as string) ?? null, body);
        await fetchInputs(prediction.id, prediction.input);
        return send(res, 201, prediction);
      }
      const cancel = /^\/v1\/predictions\/([^/]+)\/cancel$/.exec(path);
      if (req.method === "POST" && cancel) {
        const p = predictions.get(cancel[1]);
        if (!p) return problem(res, 404, "Not found.");
        cancels.push(p.id);
        if (!["succeeded", "failed", "canceled"].includes(p.status)) {
          p.status = "canceled";
          p.completed_at = new Date().toISOString();
        }
        return send(res, 200, p);
      }
      const get = /^\/v1\/predictions\/([^/]+)$/.exec(path);
      if (req.method === "GET" && get) {
        const p = predictions.get(get[1]);
        return p ? send(res, 200, p) : problem(res, 404, "Not found.");
      }
      return problem(res, 404, "Not found.");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    token,
    falBase: `${base}/fal`,
    falKey,
    falRequests,
    falCancels,
    fetchedInputs,
    falUpdate(id, patch) {
      const r = falRequests.get(id);
      if (!r) throw new Error(`no fal request ${id}`);
      return Object.assign(r, patch);
    },
    webhookSecret,
    predictions,
    requests,
    cancels,
    failNextCreate(status, detail, opts = {}) {
      nextCreateFailure = { status, detail, retryAfter: opts.retryAfter };
    },
    serveFile(name, body, contentType) {
      files.set(name, { body, contentType });
      return `${base}/files/${name}`;
    },
    dropFile(name) {
      files.delete(name);
    },
    update(id, patch) {
      const p = predictions.get(id);
      if (!p) throw new Error(`no prediction ${id}`);
      Object.assign(p, patch);
      if (p.status !== "starting" && !p.started_at) p.started_at = new Date().toISOString();
      if (["succeeded", "failed", "canceled"].includes(p.status)) p.completed_at = new Date().toISOString();
      return p;
    },
    signedWebhook(id, opts = {}) {
      const p = predictions.get(id);
      if (!p) throw new Error(`no prediction ${id}`);
      const body = JSON.stringify(p);
      const webhookId = opts.webhookId ?? `msg_${crypto.randomBytes(8).toString("hex")}`;
      const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
      const headers = new Headers({
        "content-type": "application/json",
        "webhook-id": webhookId,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signStandardWebhook(opts.secret ?? webhookSecret, webhookId, timestamp, body),
      });
      return { headers, body };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
