import { auth } from "@/auth";
import { UnauthorizedError } from "./errors";

export interface CurrentUser {
  uuid: string;
  email: string;
  name: string | null;
}

/** The signed-in user, in route handlers and server components alike, or null. */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { uuid: user.id, email: user.email, name: user.name ?? null };
}

/** The signed-in user, or an UnauthorizedError (401 envelope in route handlers). */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new UnauthorizedError();
  return user;
}
