/** Tasks in the API reference: the type catalogue, one creation path per registered type, reads and events. */
import { z } from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from "zod-openapi";
import { pageQuerySchema, pageSchemaOf } from "@/lib/http/pagination";
import { idempotencyKeySchema, taskDtoSchema, taskFiltersSchema, taskTypes, type AnyTaskType } from "@/services/tasks";
import { taskTypeInfoSchema } from "@/services/tasks/catalog";
import { errors, json, security, uuidParam, type ApiDocsModule } from "./common";

const taskParam = uuidParam("id", "The task's uuid.");
const taskBody = z.object({ task: taskDtoSchema });

// A type's input, once per definition, as a named component (`<Type>Input`): zod ids are global, so never twice.
const inputs = new WeakMap<AnyTaskType, z.ZodType>();
function inputSchemaOf(d: AnyTaskType): z.ZodType {
  const known = inputs.get(d);
  if (known) return known;
  const id = `${d.slug.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}Input`;
  const schema = d.input.meta({ id, description: `The body of POST /api/tasks/${d.slug}.` });
  inputs.set(d, schema);
  return schema;
}

/** POST /api/tasks/<slug> of one registered type: its input schema from the registry. */
function createOperation(d: AnyTaskType): ZodOpenApiOperationObject {
  const en = d.labels.en;
  return {
    operationId: `create_${d.type}`,
    tags: ["Tasks"],
    summary: `Create a ${en.name.toLowerCase()} task`,
    description: [
      `${en.description} Price: ${d.pricing.summary}${d.metered ? " (metered: the most is held at creation, the usage settled on success)" : ""}.`,
      "The task is charged and queued in one step; the provider runs after the answer. Follow it with `GET /api/tasks/{id}` or `GET /api/tasks/{id}/events`.",
      "A failed task is refunded.",
    ].join("\n\n"),
    security: security.apiCaller,
    requestParams: { header: z.object({ "Idempotency-Key": idempotencyKeySchema.optional().meta({ description: "Repeats with the same key and body return the first task and pay once." }) }) },
    requestBody: { required: true, content: { "application/json": { schema: inputSchemaOf(d) } } },
    responses: {
      201: json("Created and charged: the new task (queued).", taskBody),
      200: json("A replay: the Idempotency-Key was seen before with the same body; the first task, charged once.", taskBody, {
        headers: z.object({ "Idempotent-Replayed": z.literal("true") }),
      }),
      ...errors([400, 401, 402, 403, 413, 415, 422, 429, 503], {
        403: "A cross-origin write carrying the session cookie, or an upload (file field) of someone else.",
      }),
    },
  };
}

export const tasksDocs: ApiDocsModule = {
  tags: [
    { name: "Task types", description: "What can be generated, its input schema and pricing." },
    { name: "Tasks", description: "Create a paid task, then follow it to its result by polling or server-sent events." },
  ],
  paths: (): ZodOpenApiPathsObject => ({
    "/api/tasks/types": {
      get: {
        operationId: "list_task_types",
        tags: ["Task types"],
        summary: "List the task types",
        description: "Every registered type: its endpoint, input JSON Schema, labels (en, zh) and pricing. No sign-in needed.",
        security: security.public,
        responses: { 200: json("The registered task types.", z.object({ types: z.array(taskTypeInfoSchema) })), ...errors([503]) },
      },
    },
    ...Object.fromEntries(taskTypes().map((d) => [`/api/tasks/${d.slug}`, { post: createOperation(d) }])),
    "/api/tasks": {
      get: {
        operationId: "list_tasks",
        tags: ["Tasks"],
        summary: "List your tasks",
        description: "Newest first, optionally of one type and/or status.",
        security: security.apiCaller,
        requestParams: { query: pageQuerySchema.partial().extend(taskFiltersSchema.shape) },
        responses: { 200: json("A page of tasks.", pageSchemaOf(taskDtoSchema)), ...errors([400, 401, 503]) },
      },
    },
    "/api/tasks/latest": {
      get: {
        operationId: "get_latest_task",
        tags: ["Tasks"],
        summary: "Your latest task",
        security: security.apiCaller,
        responses: { 200: json("The newest task, or null when there is none.", z.object({ task: taskDtoSchema.nullable() })), ...errors([401, 503]) },
      },
    },
    "/api/tasks/{id}": {
      get: {
        operationId: "get_task",
        tags: ["Tasks"],
        summary: "Get a task",
        description: "The task, brought up to date with its provider. Poll it until `status` is `succeeded` or `failed`; `outputUrl` is a short-lived signed URL of the result.",
        security: security.apiCaller,
        requestParams: { path: taskParam },
        responses: { 200: json("The task.", taskBody), ...errors([401, 403, 404, 503]) },
      },
    },
    "/api/tasks/{id}/events": {
      get: {
        operationId: "follow_task",
        tags: ["Tasks"],
        summary: "Follow a task (server-sent events)",
        description:
          "A `text/event-stream`: one `task` event now and one on each status or progress change, each event's `data` being the Task (as `GET /api/tasks/{id}` answers it); the stream ends when the task is finished. Errors are answered as JSON before any stream.",
        security: security.apiCaller,
        requestParams: { path: taskParam },
        responses: {
          200: {
            description: "The event stream (`event: task`, `data: <Task JSON>`).",
            content: { "text/event-stream": { schema: z.string().meta({ description: "`event: task` lines, each `data:` a Task (#/components/schemas/Task)." }) } },
          },
          ...errors([401, 403, 404, 503]),
        },
      },
    },
  }),
};
