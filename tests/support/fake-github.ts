// A local stand-in for GitHub's OAuth app flow, served the way a GitHub Enterprise Server
// serves it (the app's AUTH_GITHUB_ENTERPRISE_URL points here), following GitHub's documented
// shapes (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps,
// https://docs.github.com/en/rest/users):
//   GET  /login/oauth/authorize     the user approves at once: 302 to redirect_uri with code + state
//   POST /login/oauth/access_token  code (+ PKCE verifier, client secret) -> access token
//   GET  /api/v3/user               the user's profile (email: the public one, may be null)
//   GET  /api/v3/user/emails        the user's addresses (primary, verified)
// The "signed-in GitHub user" is whoever the test last set with `signInAs`.
import { randomBytes } from "node:crypto";
import { authorizationCodes, fakeProvider, type FakeOAuthProvider, bearerToken, json, listen, readForm } from "./fake-oauth";

export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  /** The public email on the profile; null sends the client to /user/emails, as GitHub does. */
  email: string | null;
  /** Every address of the account; the primary one is what a client without a public email uses. */
  emails: Array<{ email: string; primary: boolean; verified: boolean }>;
}

export type FakeGitHub = FakeOAuthProvider<GitHubUser>;

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const clientId = `Iv1.${randomBytes(8).toString("hex")}`;
  const clientSecret = randomBytes(20).toString("hex");
  const codes = authorizationCodes<GitHubUser>({ id: clientId, secret: clientSecret });
  const tokens = new Map<string, GitHubUser>();

  const server = await listen(async (req, res, url) => {
    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") return codes.authorize(res, url.searchParams);
    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const grant = codes.redeem(req, await readForm(req));
      // GitHub answers 200 with its own error codes.
      if ("error" in grant) return json(res, 200, { error: grant.error === "invalid_client" ? "incorrect_client_credentials" : "bad_verification_code" });
      const token = `gho_${randomBytes(18).toString("hex")}`;
      tokens.set(token, grant.user);
      return json(res, 200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
    }
    if (req.method === "GET" && (url.pathname === "/api/v3/user" || url.pathname === "/api/v3/user/emails")) {
      const user = tokens.get(bearerToken(req));
      if (!user) return json(res, 401, { message: "Requires authentication" });
      if (url.pathname.endsWith("/emails")) return json(res, 200, user.emails.map((e) => ({ ...e, visibility: e.primary ? "private" : null })));
      return json(res, 200, { login: user.login, id: user.id, name: user.name, email: user.email, avatar_url: `${server.url}/avatars/${user.id}` });
    }
    return json(res, 404, { message: "Not Found" });
  });
  return fakeProvider(server, codes, { AUTH_GITHUB_ID: clientId, AUTH_GITHUB_SECRET: clientSecret, AUTH_GITHUB_ENTERPRISE_URL: server.url });
}
