// A local stand-in for Google's OpenID Connect provider, which the app reaches through Auth.js's
// AUTH_GOOGLE_ISSUER, following Google's documented shapes
// (https://developers.google.com/identity/openid-connect/openid-connect):
//   GET  /.well-known/openid-configuration  discovery: where the endpoints below are
//   GET  /o/oauth2/v2/auth                  the user approves at once: 302 to redirect_uri with code + state
//   POST /token                             code (+ PKCE verifier, client secret) -> access token + ID token
//   GET  /oauth2/v3/certs                   the key the ID tokens are signed with (RS256, JWKS)
//   GET  /v1/userinfo                       the user's claims for an access token
// The ID token carries the claims Google's does (sub, email, email_verified, name, picture,
// nonce when asked). The "signed-in Google user" is whoever the test last set with `signInAs`.
import { createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import { authorizationCodes, base64url, fakeProvider, type FakeOAuthProvider, bearerToken, json, listen, readForm } from "./fake-oauth";

export interface GoogleUser {
  /** Google's stable account id. */
  sub: string;
  email: string;
  /** Whether Google vouches for the address (false for some Workspace and consumer accounts). */
  email_verified: boolean;
  name: string;
}

export type FakeGoogle = FakeOAuthProvider<GoogleUser>;

export async function startFakeGoogle(): Promise<FakeGoogle> {
  const clientId = `${randomBytes(6).toString("hex")}.apps.googleusercontent.com`;
  const clientSecret = `GOCSPX-${randomBytes(14).toString("hex")}`;
  const codes = authorizationCodes<GoogleUser>({ id: clientId, secret: clientSecret });
  const tokens = new Map<string, GoogleUser>();
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(8).toString("hex");

  const claimsOf = (user: GoogleUser) => ({
    sub: user.sub,
    email: user.email,
    email_verified: user.email_verified,
    name: user.name,
    picture: `${server.url}/avatars/${user.sub}`,
  });
  const idToken = (claims: Record<string, unknown>) => {
    const header = base64url(JSON.stringify({ alg: "RS256", kid, typ: "JWT" }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  };

  const server = await listen(async (req, res, url) => {
    if (req.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
      return json(res, 200, {
        issuer: server.url,
        authorization_endpoint: `${server.url}/o/oauth2/v2/auth`,
        token_endpoint: `${server.url}/token`,
        userinfo_endpoint: `${server.url}/v1/userinfo`,
        jwks_uri: `${server.url}/oauth2/v3/certs`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        scopes_supported: ["openid", "email", "profile"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
        code_challenge_methods_supported: ["plain", "S256"],
      });
    }
    if (req.method === "GET" && url.pathname === "/o/oauth2/v2/auth") {
      if (!url.searchParams.get("scope")?.split(" ").includes("openid")) return json(res, 400, { error: "invalid_scope" });
      return codes.authorize(res, url.searchParams);
    }
    if (req.method === "POST" && url.pathname === "/token") {
      const grant = codes.redeem(req, await readForm(req));
      if ("error" in grant) return json(res, grant.error === "invalid_client" ? 401 : 400, { error: grant.error });
      const token = `ya29.${randomBytes(18).toString("hex")}`;
      tokens.set(token, grant.user);
      const now = Math.floor(Date.now() / 1000);
      const nonce = grant.params.get("nonce");
      return json(res, 200, {
        access_token: token,
        expires_in: 3599,
        token_type: "Bearer",
        scope: "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile",
        id_token: idToken({ iss: server.url, azp: clientId, aud: clientId, iat: now, exp: now + 3600, ...(nonce ? { nonce } : {}), ...claimsOf(grant.user) }),
      });
    }
    if (req.method === "GET" && url.pathname === "/oauth2/v3/certs") {
      return json(res, 200, { keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }] });
    }
    if (req.method === "GET" && url.pathname === "/v1/userinfo") {
      const user = tokens.get(bearerToken(req));
      return user ? json(res, 200, claimsOf(user)) : json(res, 401, { error: "invalid_request" });
    }
    return json(res, 404, { error: "not_found" });
  });
  return fakeProvider(server, codes, { AUTH_GOOGLE_ID: clientId, AUTH_GOOGLE_SECRET: clientSecret, AUTH_GOOGLE_ISSUER: server.url });
}
