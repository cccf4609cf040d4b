/**
 * How a task type is declared: `defineTaskType({...})` in its own folder under
 * ./types/<type>/, listed once in ./registry.ts. Everything shared (creation, the
 * lifecycle, the sweeper, webhooks, the start-up check, pages, labels, the task API)
 * reads these definitions; no shared file names a task type.
 */
import type { z } from "zod";
import { env, type Env } from "@/lib/env";
import type { TaskProvider } from "@/services/ai/types";

/** What a task produces; the history page and the task form render by it. */
export type OutputKind = "video" | "image" | "audio" | "text";

/** One provider a type can use: how to build it from the environment, and what production needs. */
export interface ProviderEntry<Input> {
  create: (e: Env) => TaskProvider<Input>;
  /** Variables a production deployment must set when this provider is selected. */
  requiredInProduction?: readonly (keyof Env)[];
}

/** Per locale: the type's name and its ledger label (what the credits page shows for its debits). */
export interface TaskTypeLabels {
  name: string;
  ledger: string;
  /** One line for lists and the types API. */
  description: string;
  /** ICU message for a history row's details, given the task's input, e.g. "{seconds}s · {aspectRatio}". */
  details?: string;
  /** The type's page and form strings (next-intl messages under taskTypes.<type>.page). */
  page?: Record<string, unknown>;
}

export interface TaskPricing<Input> {
  /** Pricing in words, e.g. "2 credits per second, at least 4". */
  summary: string;
  /** Cheapest and dearest task. */
  minCredits: number;
  maxCredits: number;
  /** Example inputs; the types API answers each with what it costs (computed by `cost`). */
  examples: readonly Input[];
}

export interface TaskTypeConfig<Schema extends z.ZodType> {
  /** The tasks.type value, e.g. "text_to_image". */
  type: string;
  /** URL segment of its API route and page: POST /api/tasks/<slug>, /<locale>/tasks/<slug>. */
  slug: string;
  /** The ledger trans_type of its debits, e.g. "task_text_to_image". */
  transType: string;
  outputKind: OutputKind;
  /** Size cap of a stored output (default: the kind's, src/services/storage/copy.ts OUTPUT_KINDS). */
  maxOutputBytes?: number;
  /** The POST body. Unknown fields are stripped; the parsed value is stored as the task's user_input. */
  input: Schema;
  /** Credits a task with this (validated) input costs: a whole number > 0. */
  cost: (input: z.infer<Schema>) => number;
  pricing: TaskPricing<z.infer<Schema>>;
  /** The env variable that picks the provider (e.g. TEXT2IMAGE_PROVIDER); absent = the first provider listed. */
  providerSetting?: keyof Env;
  providers: Record<string, ProviderEntry<z.infer<Schema>>>;
  /** Its user-facing strings, per locale (merged into the next-intl catalog as taskTypes.<type>). */
  labels: { en: TaskTypeLabels; zh: TaskTypeLabels } & Record<string, TaskTypeLabels>;
}

/** A task type's provider registry: the type's providers by name, plus overrides tests install. */
export interface ProviderRegistry<Input> {
  /** The env variable that selects the provider, if any. */
  readonly setting?: keyof Env;
  names(): string[];
  /** The selected provider name (from the env variable). */
  selected(e?: Env): string;
  /** The provider by name (default: the selected one). Tasks remember theirs, so switching never strands running jobs. */
  get(name?: string): TaskProvider<Input>;
  /** Whether this type has a provider with that name. */
  has(name: string): boolean;
  /** Tests install a provider built with test configuration (e.g. pointed at a fake server); undefined removes it. */
  set(name: string, provider: TaskProvider<Input> | undefined): void;
  /** Production variables missing for the selected provider; an unknown provider name is reported too. */
  missingInProduction(e: Env): string[];
}

export interface TaskType<Schema extends z.ZodType = z.ZodType> extends Omit<TaskTypeConfig<Schema>, "providers"> {
  providers: ProviderRegistry<z.infer<Schema>>;
}

/** Any registered type, whatever its input. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTaskType = TaskType<any>;

function providerRegistry<Input>(setting: keyof Env | undefined, entries: Record<string, ProviderEntry<Input>>, type: string): ProviderRegistry<Input> {
  const overrides = new Map<string, TaskProvider<Input>>();
  const names = () => Object.keys(entries);
  const selected = (e: Env = env()) => (setting ? String(e[setting] ?? "") : names()[0]);
  return {
    setting,
    names,
    selected,
    has: (name) => overrides.has(name) || name in entries,
    get(name = selected()) {
      const override = overrides.get(name);
      if (override) return override;
      const entry = Object.hasOwn(entries, name) ? entries[name] : undefined;
      if (!entry) throw new Error(`unknown ${type} provider "${name}" (${String(setting ?? "no setting")}; known: ${names().join(", ")})`);
      return entry.create(env());
    },
    set(name, provider) {
      if (provider) overrides.set(name, provider);
      else overrides.delete(name);
    },
    missingInProduction(e) {
      const name = selected(e);
      const entry = Object.hasOwn(entries, name) ? entries[name] : undefined;
      if (!entry) return [`${String(setting)} (unknown provider "${name}")`];
      return (entry.requiredInProduction ?? []).filter((key) => !e[key]).map(String);
    },
  };
}

/** Declares a task type. Export the result from the type's folder and add it to ./registry.ts. */
export function defineTaskType<Schema extends z.ZodType>(config: TaskTypeConfig<Schema>): TaskType<Schema> {
  if (!/^[a-z][a-z0-9_]*$/.test(config.type)) throw new Error(`task type "${config.type}": use lower_snake_case`);
  if (!/^[a-z][a-z0-9-]*$/.test(config.slug)) throw new Error(`task type "${config.type}": slug "${config.slug}" must be lower-kebab-case`);
  if (Object.keys(config.providers).length === 0) throw new Error(`task type "${config.type}": needs at least one provider`);
  return { ...config, providers: providerRegistry(config.providerSetting, config.providers, config.type) };
}
