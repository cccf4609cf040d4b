/** The public description of the registered task types (GET /api/tasks/types). */
import { z } from "zod";
import type { AnyTaskType, OutputKind } from "./define";
import { taskTypes } from "./registry";

export interface TaskTypeInfo {
  type: string;
  /** POST here to create one; the page is /<locale>/tasks/<slug>. */
  endpoint: string;
  slug: string;
  outputKind: OutputKind;
  labels: Record<string, { name: string; description: string }>;
  /** The POST body's JSON Schema (draft 2020-12), from the type's zod schema. */
  inputSchema: unknown;
  pricing: {
    summary: string;
    minCredits: number;
    maxCredits: number;
    examples: { input: unknown; credits: number }[];
  };
}

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
        examples: d.pricing.examples.map((input: unknown) => ({ input, credits: d.cost(input) })),
      },
    };
    cache.set(d, info);
  }
  return info;
}

export function describeTaskTypes(): TaskTypeInfo[] {
  return taskTypes().map(describeTaskType);
}
