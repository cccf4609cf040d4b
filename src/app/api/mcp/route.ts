import { after } from "next/server";
import { fail, route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { handleMcpRequest } from "@/services/mcp";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// POST /api/mcp: the MCP server (Streamable HTTP, stateless, JSON answers), for API keys
// only (Authorization: Bearer <key>; 401 otherwise). See docs/api.md "MCP".
export const POST = route(async (request) => {
  const caller = await requireApiCaller(request, { keyOnly: true });
  return handleMcpRequest(request, caller, after);
});

// Stateless: no server-initiated stream to open (GET) and no session to end (DELETE).
const notAllowed = route(async () => fail(405, "method not allowed: POST JSON-RPC messages", null, { Allow: "POST" }));
export const GET = notAllowed;
export const DELETE = notAllowed;
