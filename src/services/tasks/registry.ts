/**
 * The task-type registry: one line per type. Everything shared looks types up here.
 * To add a type, create its folder under src/tasks/ and add it to TASK_TYPES below.
 */
import type { Env } from "@/lib/env";
import { NotFoundError } from "@/lib/http/errors";
import type { AnyTaskType } from "./define";
import { imageToVideo } from "@/tasks/image-to-video";
import { imageUpscale } from "@/tasks/image-upscale";
import { speechToText } from "@/tasks/speech-to-text";
import { textToImage } from "@/tasks/text-to-image";
import { textToVideo } from "@/tasks/text-to-video";

const TASK_TYPES: AnyTaskType[] = [
  textToVideo,
  textToImage,
  imageToVideo,
  imageUpscale,
  speechToText,
];

const byType = new Map<string, AnyTaskType>();
const bySlug = new Map<string, AnyTaskType>();

/**
 * Adds a type. The list above is registered at load; tests register throwaway types
 * through this too. A type or slug can be registered once.
 */
export function registerTaskType(definition: AnyTaskType): AnyTaskType {
  const existing = byType.get(definition.type);
  if (existing === definition) return definition;
  if (existing || bySlug.has(definition.slug)) throw new Error(`task type ${definition.type} (/${definition.slug}) is already registered`);
  byType.set(definition.type, definition);
  bySlug.set(definition.slug, definition);
  return definition;
}

for (const definition of TASK_TYPES) registerTaskType(definition);

/** Every registered type, in registration order. */
export function taskTypes(): AnyTaskType[] {
  return [...byType.values()];
}

/** The type of a stored task (its tasks.type). Throws for a type no longer registered. */
export function taskTypeOf(type: string): AnyTaskType {
  const definition = byType.get(type);
  if (!definition) throw new Error(`task type "${type}" is not registered (src/services/tasks/registry.ts)`);
  return definition;
}

/** The type a URL names (POST /api/tasks/<slug>); 404 when there is none. */
export function taskTypeBySlug(slug: string): AnyTaskType {
  const definition = bySlug.get(slug);
  if (!definition) throw new NotFoundError(`unknown task type "${slug}"`);
  return definition;
}

/** The registered type with this ledger trans_type, if any (the credits page labels debits with it). */
export function taskTypeByTransType(transType: string): AnyTaskType | undefined {
  return taskTypes().find((d) => d.transType === transType);
}

/** What a production start needs for every type's selected provider, named (e.g. REPLICATE_API_TOKEN). */
export function missingProviderSettings(e: Env): string[] {
  return [...new Set(taskTypes().flatMap((d) => d.providers.missingInProduction(e)))];
}

/** Builds every type's selected provider once, so an unknown provider name fails at start, not on the first task. */
export function checkTaskProviders(): void {
  for (const definition of taskTypes()) definition.providers.get();
}
