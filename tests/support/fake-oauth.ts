// What the local OAuth providers of the tests (fake-github.ts, fake-google.ts) do alike, as
// RFC 6749 and RFC 7636 describe it: approve an authorization request at once with a code
// that is good once, check the client and the PKCE verifier at the token endpoint, and answer
// JSON. Each fake adds its provider's own endpoints and shapes.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** What a test sees of a fake provider. */
export interface FakeOAuthProvider<User> {
  /** Its base URL (the app's AUTH_GITHUB_ENTERPRISE_URL or AUTH_GOOGLE_ISSUER). */
  url: string;
  /** The app's environment for sign-in against this server. */
  appEnv: Record<string, string>;
  /** The account the next authorizations approve as. */
  signInAs(user: User): void;
  /** Authorizations approved so far (one per sign-in through this provider). */
  authorizations(): number;
  close(): Promise<void>;
}

export const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

export async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** client_secret_basic (what Auth.js sends) or client_id + client_secret in the body. */
function clientOf(req: http.IncomingMessage, body: URLSearchParams) {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "");
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":").map(decodeURIComponent);
    return { id, secret };
  }
  return { id: body.get("client_id"), secret: body.get("client_secret") };
}

/** The bearer token of a request (GitHub also accepts `token <t>`). */
export const bearerToken = (req: http.IncomingMessage) => /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";

interface Grant<User> {
  user: User;
  redirectUri: string;
  challenge: string | null;
  /** Request parameters the token endpoint's answer may need (the OpenID nonce). */
  params: URLSearchParams;
}

/**
 * The authorization codes of one fake provider: `authorize` approves a request as `user`
 * (302 back to redirect_uri with code + state), `redeem` checks a token request and hands
 * the grant out once.
 */
export function authorizationCodes<User>(client: { id: string; secret: string }) {
  const codes = new Map<string, Grant<User>>();
  let approved = 0;
  let current: User | null = null;
  return {
    approved: () => approved,
    /** The account the next authorizations approve as. */
    signInAs(user: User) {
      current = user;
    },
    /** Answers an authorization request as the current account: 302 back with a code, or 404 when it is not this client's. */
    authorize(res: http.ServerResponse, params: URLSearchParams): void {
      const user = current;
      const redirectUri = params.get("redirect_uri");
      if (params.get("client_id") !== client.id || !redirectUri) return json(res, 404, { error: "unknown client or no redirect_uri" });
      if (!user) return json(res, 500, { error: "fake provider: signInAs() was not called" });
      const challenge = params.get("code_challenge");
      if (challenge && params.get("code_challenge_method") !== "S256") return json(res, 400, { error: "code_challenge_method must be S256" });
      const code = randomBytes(10).toString("hex");
      codes.set(code, { user, redirectUri, challenge, params });
      approved++;
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      const state = params.get("state");
      if (state) back.searchParams.set("state", state);
      res.writeHead(302, { Location: back.href });
      res.end();
    },
    /** The grant a token request redeems, or the OAuth error code to answer with. */
    redeem(req: http.IncomingMessage, body: URLSearchParams): Grant<User> | { error: "invalid_client" | "invalid_grant" } {
      const sent = clientOf(req, body);
      if (sent.id !== client.id || sent.secret !== client.secret) return { error: "invalid_client" };
      const code = body.get("code") ?? "";
      const grant = codes.get(code);
      codes.delete(code); // a code is good once
      if (!grant || grant.redirectUri !== body.get("redirect_uri")) return { error: "invalid_grant" };
      if (grant.challenge && base64url(createHash("sha256").update(body.get("code_verifier") ?? "").digest()) !== grant.challenge) {
        return { error: "invalid_grant" };
      }
      return grant;
    },
  };
}

/** What the test gets of a fake provider served by `server` with `codes`. */
export function fakeProvider<User>(
  server: { url: string; close(): Promise<void> },
  codes: ReturnType<typeof authorizationCodes<User>>,
  appEnv: Record<string, string>,
): FakeOAuthProvider<User> {
  return { url: server.url, appEnv, signInAs: codes.signInAs, authorizations: codes.approved, close: server.close };
}

/** Serves `handler` on a free 127.0.0.1 port; a thrown error answers 500 with its message. */
export async function listen(handler: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void> | void) {
  const server = http.createServer(async (req, res) => {
    try {
      await handler(req, res, new URL(req.url ?? "/", "http://fake-provider"));
    } catch (error) {
      json(res, 500, { message: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
