/**
 * The MCP server in the API reference: one JSON-RPC endpoint (Streamable HTTP, stateless,
 * JSON answers), API keys only. Its messages are the MCP SDK's own zod schemas, the ones its
 * transport validates with; the tools are described in docs/api.md#mcp and by `tools/list`.
 */
import {
  JSONRPCErrorResponseSchema,
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  JSONRPCResponseSchema,
  RequestIdSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { errors, security, type ApiDocsModule } from "./common";

const DOCS = "docs/api.md#mcp";

const jsonRpcIn = z.union([JSONRPCRequestSchema, JSONRPCNotificationSchema]).meta({ id: "JsonRpcMessage", description: "A JSON-RPC 2.0 request (with `id`) or notification (without)." });
const jsonRpcOut = JSONRPCResponseSchema.meta({ id: "JsonRpcResponse", description: "A JSON-RPC 2.0 answer: `result`, or `error` (`code`, `message`)." });
// The transport's refusals answer `"id": null` (JSON-RPC 2.0: the request's id could not be
// read), which the SDK's own error schema does not allow: extended here to what it sends.
const JsonRpcError = JSONRPCErrorResponseSchema.extend({ id: RequestIdSchema.nullable().optional() }).meta({
  id: "JsonRpcError",
  description: "A JSON-RPC 2.0 error answer (the transport's refusals): `id` is null.",
});
const jsonRpcError = (description: string) => ({ description, content: { "application/json": { schema: JsonRpcError } } });

const notAllowed = (method: string) => ({
  operationId: `mcp_${method}`,
  tags: ["MCP"],
  summary: `${method.toUpperCase()}: not used`,
  description: "The server is stateless: no server-initiated stream to open (GET) and no session to end (DELETE).",
  security: security.apiKey,
  responses: errors([405], { 405: "Always: POST JSON-RPC messages instead." }),
});

export const mcpDocs: ApiDocsModule = {
  tags: [
    {
      name: "MCP",
      description: `A [Model Context Protocol](https://modelcontextprotocol.io) server for AI assistants: each task type is a tool, plus \`get_task\`, \`list_tasks\` and \`get_balance\`. Point an MCP client at it rather than calling it by hand (${DOCS}).`,
    },
  ],
  paths: () => ({
    "/api/mcp": {
      post: {
        operationId: "mcp",
        tags: ["MCP"],
        summary: "MCP (Streamable HTTP, JSON-RPC)",
        description: [
          "JSON-RPC 2.0 messages per the MCP Streamable HTTP transport, stateless (no `Mcp-Session-Id`), answered as JSON: `initialize`, `tools/list`, `tools/call` and the rest. A batch (an array of messages) gets an array of answers.",
          "A `tools/call` of a task type creates a real, paid task, as `POST /api/tasks/<slug>` would; bad input, an empty balance or a key's cap reached is a tool result with `isError: true`, nothing charged.",
          `API keys only (a session cookie is ignored). Tools, idempotency and client configuration: ${DOCS}.`,
        ].join("\n\n"),
        security: security.apiKey,
        requestParams: {
          header: z.object({
            Accept: z.string().meta({ description: "Must list both `application/json` and `text/event-stream` (406 otherwise)." }),
            "MCP-Protocol-Version": z.string().optional().meta({ description: "The negotiated protocol version, after `initialize`." }),
          }),
        },
        requestBody: { required: true, content: { "application/json": { schema: z.union([jsonRpcIn, z.array(jsonRpcIn)]) } } },
        responses: {
          200: { description: "The JSON-RPC answer(s).", content: { "application/json": { schema: z.union([jsonRpcOut, z.array(jsonRpcOut)]) } } },
          202: { description: "Notifications only: accepted, no body." },
          400: jsonRpcError("Not JSON, or not a JSON-RPC message (a JSON-RPC error)."),
          ...errors([401, 429, 503], { 401: "No API key, or an invalid, revoked or expired one.", 429: "Past the key's rate limit." }),
          406: jsonRpcError("`Accept` does not list both `application/json` and `text/event-stream` (a JSON-RPC error)."),
          413: jsonRpcError("The body is over its limit (a JSON-RPC error)."),
          415: jsonRpcError("Not `application/json` (a JSON-RPC error)."),
        },
      },
      get: notAllowed("get"),
      delete: notAllowed("delete"),
    },
  }),
};
