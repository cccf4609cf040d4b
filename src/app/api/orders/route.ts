import { z } from "zod";
import { ok, parseInput, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { listOrders } from "@/services/payments";

export const dynamic = "force-dynamic";

const query = z.object({
  page: z.coerce.number({ error: "must be a number" }).default(1),
  pageSize: z.coerce.number({ error: "must be a number" }).default(20),
});

// The signed-in user's credit orders, newest first.
export const GET = route(async (request) => {
  const url = new URL(request.url);
  const { page, pageSize } = parseInput(query, {
    page: url.searchParams.get("page") ?? undefined,
    pageSize: url.searchParams.get("pageSize") ?? undefined,
  });
  const user = await requireUser();
  return ok(await listOrders(user.uuid, { page, pageSize }));
});
