import compile from "icu-minify/compile";
import format, { type CompiledMessage, type FormatValues } from "icu-minify/format";
import type { AbstractIntlMessages } from "next-intl";

/**
 * Messages are ICU strings in the catalogs (messages/<locale>/*.json) and compiled here, on the
 * server, before anything formats them. The browser then gets only icu-minify's small formatter
 * (next.config.ts aliases use-intl/format-message to its format-only build), not the ICU parser
 * and intl-messageformat (~9 kB gzip on every page with a client translation: docs/benchmarks.md,
 * "Page budgets").
 *
 * Because that alias holds for the whole Next bundle, every message formatted there must be
 * compiled: the request config's catalogs (src/i18n/request.ts) and the mails below, which also
 * run outside Next (scripts, tests) and so format with icu-minify directly.
 */

type Tree = { [key: string]: Tree | string };
type CompiledTree = { [key: string]: CompiledTree | CompiledMessage };

const compiledTrees = new WeakMap<object, CompiledTree>();

function compileTree(tree: Tree, path: string): CompiledTree {
  const cached = compiledTrees.get(tree);
  if (cached) return cached;
  const out: CompiledTree = {};
  for (const [key, value] of Object.entries(tree)) {
    const at = path ? `${path}.${key}` : key;
    // Compiled messages have no t.raw() (use-intl's format-only build refuses it), so a list is
    // keyed messages read by key (`examples.boat`), as next-intl recommends for arrays.
    if (Array.isArray(value)) throw new Error(`Message ${at} is an array: give each entry a key and read it with t("${at}.<key>")`);
    if (typeof value !== "string") out[key] = compileTree(value, at);
    else {
      try {
        // Through JSON: icu-minify builds plural and select options as null-prototype objects,
        // which React refuses to pass from a server component to a client one.
        out[key] = JSON.parse(JSON.stringify(compile(value))) as CompiledMessage;
      } catch (error) {
        throw new Error(`Message ${at} is not valid ICU (${(error as Error).message}): ${value}`);
      }
    }
  }
  compiledTrees.set(tree, out);
  return out;
}

/**
 * The catalog tree with every message compiled, in the same shape (plain text stays a string).
 * Compiled once per catalog object; a message that is not valid ICU, or an array, throws, naming its path.
 */
export function compileMessages(messages: object): AbstractIntlMessages {
  return compileTree(messages as Tree, "") as unknown as AbstractIntlMessages;
}

const formatters = {
  getDateTimeFormat: (...args: ConstructorParameters<typeof Intl.DateTimeFormat>) => new Intl.DateTimeFormat(...args),
  getNumberFormat: (...args: ConstructorParameters<typeof Intl.NumberFormat>) => new Intl.NumberFormat(...args),
  getPluralRules: (...args: ConstructorParameters<typeof Intl.PluralRules>) => new Intl.PluralRules(...args),
};

/**
 * A translator for text made outside a page (mails), in any runtime: `t("subject", { brand })`
 * formats the message at that dotted key of `catalog` for `locale`. A key that names no message throws.
 */
export function messageFormatter(locale: string, catalog: Tree) {
  const compiled = compileTree(catalog, "");
  return (key: string, values?: FormatValues): string => {
    const message = key.split(".").reduce<CompiledTree | CompiledMessage | undefined>((node, part) => (isTree(node) ? node[part] : undefined), compiled);
    if (message === undefined || isTree(message)) throw new Error(`No message at "${key}"`);
    return String(format(message, locale, values, { formatters }));
  };
}

/** A branch of a compiled tree (a compiled message is a string or an array). */
function isTree(node: CompiledTree | CompiledMessage | undefined): node is CompiledTree {
  return typeof node === "object" && !Array.isArray(node);
}
