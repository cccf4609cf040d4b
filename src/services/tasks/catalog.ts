/** The public description of the registered task types (GET /api/tasks/types). */
import { z } from "zod";
import { OUTPUT_KIND_NAMES } from "@/services/storage/kinds";
import { defaultCredits, pricingExamples, type AnyTaskType } from "./define";
import { taskTypes } from "./registry";

/** One registered task type as GET /api/tasks/types describes it: the one definition of its shape. */
export const taskTypeInfoSchema = z
  .object({
    type: z.string(),
    endpoint: z.string().meta({ description: "POST here to create one; the page is /<locale>/tasks/<slug>." }),
    slug: z.string(),
    outputKind: z.enum(OUTPUT_KIND_NAMES),
    labels: z.record(z.string(), z.object({ name: z.string(), description: z.string() })).meta({ description: "By locale (en, zh)." }),
    inputSchema: z.unknown().meta({ description: "The POST body's JSON Schema (draft 2020-12), from the type's zod schema." }),
    pricing: z.object({
      summary: z.string(),
      minCredits: z.int(),
      maxCredits: z.int(),
      metered: z.boolean().meta({
        description: "True when a task's price comes from its usage: `credits` of an example is then the most it can cost (held, settled on success).",
      }),
      examples: z.array(
        z.object({
          input: z.unknown(),
          files: z.unknown().optional().meta({ description: "The measured facts an example assumes, for types with file fields." }),
          credits: z.int(),
        }),
      ),
      default: z
        .object({ input: z.unknown(), credits: z.int() })
        .meta({ description: "What the type's form starts with, and its cost (a type with file fields: with its first example's files)." }),
    }),
  })
  .meta({ id: "TaskType" });

export type TaskTypeInfo = z.infer<typeof taskTypeInfoSchema>;

const cache = new WeakMap<AnyTaskType, TaskTypeInfo>();

export function describeTaskType(d: AnyTaskType): TaskTypeInfo {
  let info = cache.get(d);
  if (!info) {
    info = {
      type: d.type,
      endpoint: `/api/tasks/${d.slug}`,
      slug: d.slug,
      outputKind: d.outputKind,
      labels: Object.fromEntries(Object.entries(d.labels).map(([locale, l]) => [locale, { name: l.name, description: l.description }])),
      inputSchema: z.toJSONSchema(d.input, { io: "input" }),
      pricing: {
        summary: d.pricing.summary,
        minCredits: d.pricing.minCredits,
        maxCredits: d.pricing.maxCredits,
        metered: Boolean(d.metered),
        examples: pricingExamples(d).map(({ input, files }) => ({ input, ...(Object.keys(d.files).length > 0 ? { files } : {}), credits: d.cost(input, files) })),
        default: { input: d.defaultInput, credits: defaultCredits(d) },
      },
    };
    cache.set(d, info);
  }
  return info;
}

export function describeTaskTypes(): TaskTypeInfo[] {
  return taskTypes().map(describeTaskType);
}
