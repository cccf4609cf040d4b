import NextAuth from "next-auth";
import { authConfig } from "./auth.config";

export { oauthProviders } from "./auth.config";

// The configuration is read per request (env() is parsed once and cached).
export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig());
