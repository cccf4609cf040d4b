// A local stand-in for GitHub's OAuth app flow, served the way a GitHub Enterprise Server
// serves it (the app's AUTH_GITHUB_ENTERPRISE_URL points here), following GitHub's documented
// shapes (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps,
// https://docs.github.com/en/rest/users):
//   GET  /login/oauth/authorize     the user approves at once: 302 to redirect_uri with code + state
//   POST /login/oauth/access_token  code (+ PKCE verifier, client secret) -> access token
//   GET  /api/v3/user               the user's profile (email: the public one, may be null)
//   GET  /api/v3/user/emails        the user's addresses (primary, verified)
// The "signed-in GitHub user" is whoever the test last set with `signInAs`.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  /** The public email on the profile; null sends the client to /user/emails, as GitHub does. */
  email: string | null;
  /** Every address of the account; the primary one is what a client without a public email uses. */
  emails: Array<{ email: string; primary: boolean; verified: boolean }>;
}

export interface FakeGitHub {
  /** The base URL to give the app as AUTH_GITHUB_ENTERPRISE_URL. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** The app's environment for GitHub sign-in against this server. */
  appEnv: Record<string, string>;
  /** The GitHub account the next authorizations approve as. */
  signInAs(user: GitHubUser): void;
  /** Authorizations approved so far (one per sign-in through GitHub). */
  authorizations(): number;
  close(): Promise<void>;
}

interface Grant {
  user: GitHubUser;
  redirectUri: string;
  challenge: string | null;
}

const base64url = (buf: Buffer) => buf.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const clientId = `Iv1.${randomBytes(8).toString("hex")}`;
  const clientSecret = randomBytes(20).toString("hex");
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, GitHubUser>();
  let current: GitHubUser | null = null;
  let approved = 0;

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const readBody = async (req: http.IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
  };
  /** client_secret_basic (what Auth.js sends) or client_id + client_secret in the body. */
  const clientOf = (req: http.IncomingMessage, body: URLSearchParams) => {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "");
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":").map(decodeURIComponent);
      return { id, secret };
    }
    return { id: body.get("client_id"), secret: body.get("client_secret") };
  };
  const userOfToken = (req: http.IncomingMessage) => tokens.get(/^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "");

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake-github");
    try {
      if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
        const redirectUri = url.searchParams.get("redirect_uri");
        if (url.searchParams.get("client_id") !== clientId || !redirectUri) return json(res, 404, { error: "unknown client or no redirect_uri" });
        if (!current) return json(res, 500, { error: "fake GitHub: signInAs() was not called" });
        const challenge = url.searchParams.get("code_challenge");
        if (challenge && url.searchParams.get("code_challenge_method") !== "S256") return json(res, 400, { error: "code_challenge_method must be S256" });
        const code = randomBytes(10).toString("hex");
        codes.set(code, { user: current, redirectUri, challenge });
        approved++;
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        const state = url.searchParams.get("state");
        if (state) back.searchParams.set("state", state);
        res.writeHead(302, { Location: back.href });
        return res.end();
      }
      if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
        const body = await readBody(req);
        const client = clientOf(req, body);
        if (client.id !== clientId || client.secret !== clientSecret) return json(res, 200, { error: "incorrect_client_credentials" });
        const grant = codes.get(body.get("code") ?? "");
        codes.delete(body.get("code") ?? ""); // a code is good once
        if (!grant || grant.redirectUri !== body.get("redirect_uri")) return json(res, 200, { error: "bad_verification_code" });
        if (grant.challenge) {
          const verifier = body.get("code_verifier") ?? "";
          if (base64url(createHash("sha256").update(verifier).digest()) !== grant.challenge) return json(res, 200, { error: "bad_verification_code", error_description: "PKCE verification failed" });
        }
        const token = `gho_${randomBytes(18).toString("hex")}`;
        tokens.set(token, grant.user);
        return json(res, 200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
      }
      if (req.method === "GET" && (url.pathname === "/api/v3/user" || url.pathname === "/api/v3/user/emails")) {
        const user = userOfToken(req);
        if (!user) return json(res, 401, { message: "Requires authentication" });
        if (url.pathname.endsWith("/emails")) return json(res, 200, user.emails.map((e) => ({ ...e, visibility: e.primary ? "private" : null })));
        return json(res, 200, { login: user.login, id: user.id, name: user.name, email: user.email, avatar_url: `${baseUrl}/avatars/${user.id}` });
      }
      return json(res, 404, { message: "Not Found" });
    } catch (error) {
      json(res, 500, { message: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    clientId,
    clientSecret,
    appEnv: { AUTH_GITHUB_ID: clientId, AUTH_GITHUB_SECRET: clientSecret, AUTH_GITHUB_ENTERPRISE_URL: baseUrl },
    signInAs(user) {
      current = user;
    },
    authorizations: () => approved,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
