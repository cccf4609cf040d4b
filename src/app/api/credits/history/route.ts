import { z } from "zod";
import { ok, parseInput, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { listCredits } from "@/services/credits";

export const dynamic = "force-dynamic";

const query = z.object({
  page: z.coerce.number().int("must be a whole number").min(1, "must be 1 or more").max(100_000).default(1),
  pageSize: z.coerce.number().int("must be a whole number").min(1).max(100, "must be at most 100").default(20),
});

// The caller's ledger, newest first: ?page=N[&pageSize=M]
export const GET = route(async (request) => {
  const user = await requireUser();
  const params = new URL(request.url).searchParams;
  const { page, pageSize } = parseInput(query, { page: params.get("page") ?? undefined, pageSize: params.get("pageSize") ?? undefined });
  return ok(await listCredits(user.uuid, { page, pageSize }));
});
