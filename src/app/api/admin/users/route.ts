import { ok, route } from "@/lib/http/api";
import { requireAdmin } from "@/lib/auth/admin";
import { pageQuery } from "@/lib/http/pagination";
import { searchUsers } from "@/services/admin/users";

export const dynamic = "force-dynamic";

// ?q=<part of an email>&page=N[&pageSize=M]
export const GET = route(async (request) => {
  await requireAdmin();
  const q = new URL(request.url).searchParams.get("q") ?? undefined;
  return ok(await searchUsers({ q, ...pageQuery(request) }));
});
