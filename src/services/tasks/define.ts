/**
 * How a task type is declared: `defineTaskType({...})` in its own folder under
 * src/tasks/<type>/, listed once in ./registry.ts. Everything shared (creation, the
 * lifecycle, the sweeper, webhooks, the start-up check, pages, labels, the task API)
 * reads these definitions; no shared file names a task type.
 */
import type { z } from "zod";
import { declareEnv, env, type Env } from "@/lib/env";
import type { ProviderUsage, TaskProvider } from "@/services/ai/types";
import type { OutputKind } from "@/services/storage/kinds";
import { uploadFieldsOf, type UploadFacts, type UploadFieldSpec } from "@/services/uploads/field";

export type { OutputKind } from "@/services/storage/kinds";

/** A type's own settings: zod fields, merged into env() (see `env` below). */
export type EnvShape = Record<string, z.ZodType>;

/** The environment a type's providers are built from: the shared settings plus the type's own. */
export type TypeEnv<E extends EnvShape> = Env & { [K in keyof E]: z.output<E[K]> };

/** One provider a type can use: how to build it from the environment, and what production needs. */
export interface ProviderEntry<Input, E extends EnvShape = EnvShape> {
  create: (e: TypeEnv<E>) => TaskProvider<Input>;
  /** Variables a production deployment must set when this provider is selected. */
  requiredInProduction?: readonly (keyof TypeEnv<E> & string)[];
}

/** What a type's form gets on its page: the balance, the task to follow (?task=<uuid>) and the settings to start with. */
export interface TaskFormProps {
  /** The user's balance; null for a signed-out visitor (the form works, Generate asks to sign up). */
  balance: number | null;
  initialTask: import("./queries").TaskDto | null;
  /**
   * The settings the form starts with: the followed task's input, or the one of the task to use
   * again (?from=<uuid>), the user's own only; a visitor's kept draft replaces null in the browser.
   * Untrusted: read field by field (src/components/tasks/initial-input.ts), validated again at submit.
   */
  initialInput: Record<string, unknown> | null;
  /** What to offer when the balance is short (buy, confirm the email, or nothing: src/services/payments/top-up.ts). */
  topUp: import("@/services/payments/top-up").TopUp;
}

/** The measured facts of a task's uploaded inputs, by field name (read on the server, never from the client). */
export type TaskFiles = Record<string, UploadFacts>;

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

/** A priced example of a type with file fields: the input and the facts of its files. */
export interface FileExample<Input> {
  input: Input;
  files: TaskFiles;
}

export interface TaskPricing<Input> {
  /** Pricing in words, e.g. "2 credits per second, at least 4". */
  summary: string;
  /** Cheapest and dearest task. */
  minCredits: number;
  maxCredits: number;
  /**
   * Example inputs; the types API answers each with what it costs (computed by `cost`).
   * A type with file fields gives `{ input, files }` (the files' facts, e.g. a duration).
   */
  examples: readonly Input[] | readonly FileExample<Input>[];
}

/**
 * A type whose price is known only once the job is done (seconds produced, tokens): creation
 * holds the most a task can cost instead of debiting it; success settles what the provider's
 * reported usage costs, failure and timeout release the hold (src/services/credits/holds.ts).
 */
export interface MeteredPricing<Input> {
  /** The most a task with this input (and these files' measured facts) can cost (a whole number > 0): held at creation, never exceeded. */
  maxCost: (input: Input, files: TaskFiles) => number;
  /**
   * What a succeeded task costs, from the usage its provider reported (undefined when it
   * reported none): credits from 0 to maxCost(input). Rounded up and kept in that range.
   */
  costFromUsage: (usage: ProviderUsage | undefined, input: Input) => number;
}

export interface TaskTypeConfig<Schema extends z.ZodType, E extends EnvShape = EnvShape> {
  /** The tasks.type value, e.g. "text_to_image". */
  type: string;
  /** URL segment of its API route and page: POST /api/tasks/<slug>, /<locale>/tasks/<slug>. */
  slug: string;
  /** The ledger trans_type of its debits, e.g. "task_text_to_image". */
  transType: string;
  outputKind: OutputKind;
  /** Size cap of a stored output (default: the kind's, src/services/storage/copy.ts OUTPUT_KINDS). */
  maxOutputBytes?: number;
  /**
   * The POST body. Unknown fields are stripped; the parsed value is stored as the task's
   * user_input. A file is a field declared with `uploadField({ kinds, maxBytes })`
   * (@/services/uploads/field): its value is an upload id, checked before the charge.
   */
  input: Schema;
  /**
   * Fixed-price types: credits a task with this (validated) input costs, a whole number > 0
   * (debited at creation). `files` holds the measured facts of its upload fields (kind,
   * bytes, width/height, durationSeconds), read from the server's own records.
   */
  cost?: (input: z.infer<Schema>, files: TaskFiles) => number;
  /** Metered types, instead of `cost`: the most a task can cost, and its price from the provider's usage. */
  metered?: MeteredPricing<z.infer<Schema>>;
  pricing: TaskPricing<z.infer<Schema>>;
  /**
   * The type's own environment settings, as zod fields (`.describe()` gives the comment
   * `npm run env:example` writes into .env.example), e.g.
   * `{ IMAGE_UPSCALE_PROVIDER: z.enum(["mock", "replicate"]).default("mock") }`. They are
   * merged into env() when the type is defined: no edit to src/lib/env.ts.
   */
  env?: E;
  /**
   * The settings the type's form starts with (its prompt may be empty). What the landing and
   * pricing pages quote per task ("about N tasks, C credits each") is this input's cost, so the
   * price a visitor reads is the one the form shows first.
   */
  defaultInput: z.infer<Schema>;
  /** The env variable that picks the provider (e.g. TEXT2IMAGE_PROVIDER); absent = the first provider listed. */
  providerSetting?: keyof TypeEnv<E> & string;
  providers: Record<string, ProviderEntry<z.infer<Schema>, E>>;
  /** Its user-facing strings, per locale (merged into the next-intl catalog as taskTypes.<type>). */
  labels: { en: TaskTypeLabels; zh: TaskTypeLabels } & Record<string, TaskTypeLabels>;
  /**
   * One line for a history card: the input in a few words (default: its `prompt`, else
   * nothing). Runs on the server with the stored input; the task DTO carries it as `summary`.
   */
  summary?: (input: z.infer<Schema>) => string;
  /**
   * The type has a page, /<locale>/tasks/<slug>: its form is the default export of
   * `src/tasks/<slug>/form.tsx` (a client component getting TaskFormProps), which the generic
   * page loads in the browser for that page only (src/components/tasks/type-form.tsx). The
   * definition does not import it: every page's layout reads the registry, and a form reachable
   * from there would ship with every page. Without it the page is 404.
   */
  form?: boolean;
  /** next-intl namespace of the page's `title` and `subtitle` (default `taskTypes.<type>.page`). */
  pageMessages?: string;
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

export interface TaskType<Schema extends z.ZodType = z.ZodType>
  extends Omit<TaskTypeConfig<Schema>, "providers" | "cost" | "summary" | "env" | "providerSetting" | "pageMessages"> {
  pageMessages: string;
  /** What creation takes: the debit of a fixed-price type, the hold of a metered one (its maxCost). */
  cost: (input: z.infer<Schema>, files: TaskFiles) => number;
  providers: ProviderRegistry<z.infer<Schema>>;
  providerSetting?: string;
  env?: EnvShape;
  /** The upload fields of its input, by field name (from `uploadField`). */
  files: Record<string, UploadFieldSpec>;
  summary: (input: z.infer<Schema>) => string;
}

/** Any registered type, whatever its input. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTaskType = TaskType<any>;

/** A setting of the merged environment by name (the shared ones and every type's own). */
function setting(e: Env, name: string): unknown {
  return (e as Record<string, unknown>)[name];
}

function providerRegistry<Input>(
  setting_: string | undefined,
  entries: Record<string, ProviderEntry<Input, EnvShape>>,
  type: string,
): ProviderRegistry<Input> {
  const overrides = new Map<string, TaskProvider<Input>>();
  const names = () => Object.keys(entries);
  const selected = (e: Env = env()) => (setting_ ? String(setting(e, setting_) ?? "") : names()[0]);
  return {
    setting: setting_ as keyof Env | undefined,
    names,
    selected,
    has: (name) => overrides.has(name) || name in entries,
    get(name = selected()) {
      const override = overrides.get(name);
      if (override) return override;
      const entry = Object.hasOwn(entries, name) ? entries[name] : undefined;
      if (!entry) throw new Error(`unknown ${type} provider "${name}" (${String(setting_ ?? "no setting")}; known: ${names().join(", ")})`);
      return entry.create(env() as TypeEnv<EnvShape>);
    },
    set(name, provider) {
      if (provider) overrides.set(name, provider);
      else overrides.delete(name);
    },
    missingInProduction(e) {
      const name = selected(e);
      const entry = Object.hasOwn(entries, name) ? entries[name] : undefined;
      if (!entry) return [`${String(setting_)} (unknown provider "${name}")`];
      return (entry.requiredInProduction ?? []).filter((key) => !setting(e, key)).map(String);
    },
  };
}

/** The default history line: the input's prompt, if it has one. */
function promptOf(input: unknown): string {
  const prompt = (input as { prompt?: unknown } | null)?.prompt;
  return typeof prompt === "string" ? prompt : "";
}

/**
 * Declares a task type. Export the result from the type's folder and add it to
 * ./registry.ts. Its `env` settings join env() here, so they are validated with the
 * shared ones at server start.
 */
export function defineTaskType<Schema extends z.ZodType, E extends EnvShape = EnvShape>(config: TaskTypeConfig<Schema, E>): TaskType<Schema> {
  if (!/^[a-z][a-z0-9_]*$/.test(config.type)) throw new Error(`task type "${config.type}": use lower_snake_case`);
  if (!/^[a-z][a-z0-9-]*$/.test(config.slug)) throw new Error(`task type "${config.type}": slug "${config.slug}" must be lower-kebab-case`);
  if (Object.keys(config.providers).length === 0) throw new Error(`task type "${config.type}": needs at least one provider`);
  if (!config.cost === !config.metered) throw new Error(`task type "${config.type}": give either cost (fixed price) or metered`);
  if (config.env) declareEnv(`task type ${config.type}`, config.env);
  const files = uploadFieldsOf(config.input);
  const fileExamples = config.pricing.examples.every((x) => isFileExample(x));
  if (Object.keys(files).length > 0 && !fileExamples) {
    throw new Error(`task type "${config.type}": it has file fields, so its pricing examples are { input, files }`);
  }
  const { summary, providers, ...rest } = config;
  return {
    ...rest,
    cost: config.cost ?? config.metered!.maxCost,
    pageMessages: config.pageMessages ?? `taskTypes.${config.type}.page`,
    files,
    summary: (input) => (summary ? summary(input) : promptOf(input)),
    providers: providerRegistry(config.providerSetting, providers as Record<string, ProviderEntry<z.infer<Schema>, EnvShape>>, config.type),
  };
}

function isFileExample(example: unknown): example is FileExample<unknown> {
  return !!example && typeof example === "object" && "input" in example && "files" in example;
}

/**
 * What a task with the settings the form starts with costs: the price the landing, pricing
 * and types API quote. A type with file fields prices it with its first example's files.
 */
export function defaultCredits(definition: AnyTaskType): number {
  return definition.cost(definition.defaultInput, pricingExamples(definition)[0]?.files ?? {});
}

/** The type's pricing examples as (input, files) pairs, whichever form it gives them in. */
export function pricingExamples(definition: AnyTaskType): FileExample<unknown>[] {
  const examples = definition.pricing.examples as readonly unknown[];
  return Object.keys(definition.files).length > 0
    ? (examples as FileExample<unknown>[])
    : examples.map((input) => ({ input, files: {} }));
}
