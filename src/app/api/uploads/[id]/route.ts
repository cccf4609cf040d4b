import { ok, route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { getUpload } from "@/services/uploads";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// GET /api/uploads/{id}: one of the caller's uploads (with a short-lived signed URL); 403 someone else's; 404.
export const GET = route<Context>(async (request, { params }) => {
  const user = await requireApiCaller(request);
  return ok({ upload: await getUpload((await params).id, user.uuid) });
});
