import { route } from "@/lib/http/api";
import { storage } from "@/services/storage";
import { serveLocalObject } from "@/services/storage/serve";

// Reads of the local storage driver through signed URLs (see src/services/storage).
export const runtime = "nodejs";

type Context = { params: Promise<{ key: string[] }> };

const handler = route<Context>(async (request, { params }) => serveLocalObject(request, (await params).key, storage()));

export { handler as GET, handler as HEAD };
