import { UnauthorizedError } from "./errors";

export interface CurrentUser {
  uuid: string;
  email: string;
  name: string | null;
}

/**
 * The signed-in user, in route handlers and server components alike, or null.
 * (Wired to next-auth by the accounts feature.)
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  return null;
}

/** The signed-in user, or an UnauthorizedError (401 envelope in route handlers). */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new UnauthorizedError();
  return user;
}
