/**
 * The MCP server (Model Context Protocol, Streamable HTTP, stateless) behind /api/mcp: what
 * an AI assistant holding an API key can do. Each registered task type is a tool (its input
 * schema is the registry's, as GET /api/tasks/types publishes it), plus get_task,
 * list_tasks and get_balance. A task tool creates a real, paid task through createTask (the
 * same checks, charge, cap and rate limits as POST /api/tasks/<slug>), idempotent per call.
 * A server is built per HTTP request for the caller the route authenticated: nothing is
 * kept between requests, so any instance answers any call.
 */
import crypto from "node:crypto";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { BODY_LIMITS } from "@/lib/http/body";
import { parseInput } from "@/lib/http/api";
import { AppError } from "@/lib/http/errors";
import { getUserCredits } from "@/services/credits/ledger";
import { describeTaskType } from "@/services/tasks/catalog";
import {
  createTask,
  getTaskForUser,
  listTasks,
  parseTaskFilters,
  taskTypes,
  toTaskDto,
  type AnyTaskType,
  type Background,
} from "@/services/tasks";
import type { ApiCaller } from "@/services/api-keys";
import { logger } from "@/lib/logger";

export const MCP_SERVER_NAME = "shipany-tasks";
/** The optional argument every task tool takes besides the type's own fields. */
export const IDEMPOTENCY_ARGUMENT = "idempotencyKey";
/** Without an idempotencyKey, a repeat of the same call (same JSON-RPC id, same arguments) within this window is the same task. */
const DERIVED_KEY_WINDOW_MS = 10 * 60 * 1000;

const getTaskArgs = z.object({ id: z.string({ error: "is required" }).min(1, "is required").max(100, "is too long") });
const listTasksArgs = z.object({
  page: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  type: z.string().optional(),
  status: z.string().optional(),
});

const objectSchema = (properties: Record<string, unknown>, required: string[] = []) =>
  ({ type: "object", properties, ...(required.length ? { required } : {}) }) as Tool["inputSchema"];

function taskTool(d: AnyTaskType): Tool {
  const info = describeTaskType(d);
  const schema = info.inputSchema as { properties?: Record<string, unknown> } & Record<string, unknown>;
  const label = d.labels.en ?? Object.values(d.labels)[0];
  return {
    name: d.type,
    title: label?.name,
    description:
      `${label?.description ?? d.type} Creates a paid task (${info.pricing.summary}) and answers at once with the task's id and cost; ` +
      `the result comes later: call get_task with the id until its status is succeeded or failed (a failed task is refunded).`,
    inputSchema: {
      ...schema,
      type: "object",
      properties: {
        ...(schema.properties ?? {}),
        [IDEMPOTENCY_ARGUMENT]: {
          type: "string",
          maxLength: 200,
          description: "Optional: the same key again returns the same task instead of paying for another.",
        },
      },
    } as Tool["inputSchema"],
  };
}

const STATIC_TOOLS: Tool[] = [
  {
    name: "get_task",
    description: "A task by id: status (queued, running, succeeded, failed), progress, cost, and once succeeded its output URL and output.",
    inputSchema: objectSchema({ id: { type: "string", description: "The task's uuid" } }, ["id"]),
  },
  {
    name: "list_tasks",
    description: "The account's tasks, newest first, optionally of one type and/or status.",
    inputSchema: objectSchema({
      page: { type: "integer", minimum: 1 },
      pageSize: { type: "integer", minimum: 1, maximum: 100 },
      type: { type: "string", description: "A task type (a tool name)" },
      status: { type: "string", enum: ["queued", "running", "succeeded", "failed"] },
    }),
  },
  {
    name: "get_balance",
    description: "The account's spendable credits, credits held by running metered tasks, and the next expiry.",
    inputSchema: objectSchema({}),
  },
];

function answer(data: unknown, text: string): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: data as Record<string, unknown> };
}

/** A refused call as a tool error the model can read (status, message, the field at fault). */
function toolError(error: unknown): CallToolResult {
  if (!(error instanceof AppError)) {
    logger.error({ error: (error as Error)?.message }, "[mcp] tool call failed");
    return { isError: true, content: [{ type: "text", text: "internal error; nothing was charged if no task was created" }] };
  }
  const field = typeof error.details?.field === "string" ? error.details.field : undefined;
  return {
    isError: true,
    content: [{ type: "text", text: `Error ${error.status}: ${error.message}${field ? ` (field: ${field})` : ""}` }],
    structuredContent: { error: { status: error.status, message: error.message, ...(field ? { field } : {}), ...(error.details ?? {}) } },
  };
}

/** The call's idempotency key: the one given, or one derived from the key, the JSON-RPC id and the arguments. */
function idempotencyKeyOf(caller: ApiCaller, given: unknown, requestId: string | number, args: unknown): string {
  if (typeof given === "string") return `mcp:${given}`;
  const window = Math.floor(Date.now() / DERIVED_KEY_WINDOW_MS);
  const digest = crypto.createHash("sha256").update(JSON.stringify([caller.apiKeyId, requestId, args, window])).digest("base64url");
  return `mcp:auto:${digest}`;
}

async function createTaskTool(
  caller: ApiCaller,
  definition: AnyTaskType,
  rawArgs: Record<string, unknown>,
  requestId: string | number,
  background: Background,
): Promise<CallToolResult> {
  const { [IDEMPOTENCY_ARGUMENT]: given, ...input } = rawArgs;
  const { task, created } = await createTask(
    definition,
    { userUuid: caller.uuid, apiKeyId: caller.apiKeyId, input, idempotencyKey: idempotencyKeyOf(caller, given, requestId, input) },
    { background },
  );
  const dto = await toTaskDto(task, caller.uuid);
  const cost = definition.metered
    ? `up to ${task.creditsReserved} credits are held; the actual price is charged when it succeeds, nothing if it fails`
    : `${task.creditsUsed} credits were charged; they are refunded if it fails`;
  const text =
    `${created ? "Created" : "Already created (same call)"} task ${task.uuid} (${definition.type}), status ${task.status}. ` +
    `Cost: ${cost}. It runs in the background: call get_task with id "${task.uuid}" every few seconds until status is ` +
    `succeeded (outputUrl holds the result) or failed. Over HTTP: GET /api/tasks/${task.uuid} or /api/tasks/${task.uuid}/events (server-sent events).`;
  return answer({ task: dto, created, cost: { credits: definition.metered ? task.creditsReserved : task.creditsUsed, metered: !!definition.metered } }, text);
}

async function callTool(caller: ApiCaller, name: string, args: Record<string, unknown>, requestId: string | number, background: Background) {
  const definition = taskTypes().find((d) => d.type === name);
  if (definition) return createTaskTool(caller, definition, args, requestId, background);
  switch (name) {
    case "get_task": {
      const { id } = parseInput(getTaskArgs, args);
      const task = await toTaskDto(await getTaskForUser(id, caller.uuid), caller.uuid);
      return answer({ task }, `Task ${task.uuid}: ${task.status}, progress ${task.progress}%` + (task.outputUrl ? `, output: ${task.outputUrl}` : "") + (task.errorMessage ? `, error: ${task.errorMessage}` : "") + ".");
    }
    case "list_tasks": {
      const { page, pageSize, type, status } = parseInput(listTasksArgs, args);
      const list = await listTasks(caller.uuid, { page, pageSize, ...parseTaskFilters({ type, status }) });
      const items = await Promise.all(list.items.map((t) => toTaskDto(t, caller.uuid)));
      return answer({ ...list, items }, items.length ? items.map((t) => `${t.uuid} ${t.type} ${t.status} ${t.summary}`).join("\n") : "No tasks.");
    }
    case "get_balance": {
      const credits = await getUserCredits(caller.uuid);
      return answer(credits, `Balance: ${credits.balance} credits spendable, ${credits.held} held.`);
    }
    default:
      return toolError(new AppError(404, `unknown tool ${name}`, { field: "name" }));
  }
}

function mcpServer(caller: ApiCaller, background: Background): Server {
  const server = new Server(
    { name: MCP_SERVER_NAME, version: "1.0.0" },
    {
      capabilities: { tools: {} },
      instructions:
        "Each task tool starts a paid AI task and answers at once with its id and cost; follow it with get_task. " +
        "get_balance tells the credits left before starting expensive work.",
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [...taskTypes().map(taskTool), ...STATIC_TOOLS] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    try {
      return await callTool(caller, request.params.name, request.params.arguments ?? {}, extra.requestId, background);
    } catch (error) {
      return toolError(error);
    }
  });
  return server;
}

/** Answers one MCP HTTP request (POST JSON-RPC; stateless, JSON responses) for an authenticated caller. */
export async function handleMcpRequest(request: Request, caller: ApiCaller, background: Background): Promise<Response> {
  const server = mcpServer(caller, background);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    maxRequestBodySize: BODY_LIMITS.json,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    void server.close();
  }
}
