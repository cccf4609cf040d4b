// Generated bad request bodies for scenario (e). Every body carries at least one
// real defect against the documented contract (so a correct API must refuse it);
// extra fields and odd unicode are layered on top of that defect.
export interface BadBody {
  label: string;
  raw: string;
  contentType?: string;
}

/** Small seeded PRNG (mulberry32) so a failure can be replayed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

const ODD_STRINGS = [
  "\u0000",
  "a\u0000b",
  "\u200b\u200b",
  "\ufeff",
  "\u202eevil",
  "ｌａｎｄｓｃａｐｅ",
  "LANDSCAPE",
  "landscape ",
  " landscape",
  "landscape\u200b",
  "🎬".repeat(50),
  "\ud800",
  "\udfff\ud800",
  "e\u0301",
  "<script>alert(1)</script>",
  "'; DROP TABLE tasks; --",
  "${7*7}{{7*7}}",
  "../../etc/passwd",
  "%00",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "８",
];

/** Values that are never an acceptable JSON number for an integer field. */
const BAD_NUMBERS_JSON = ["-1", "0", "-0.5", "2.5", "1e309", "-1e309", "1e20", "9007199254740993", "\"8\"", "\"NaN\"", "\"Infinity\"", "null", "true", "[]", "{}", "[8]", "{\"value\":8}", "\"\"", "0.0000001", "-9999999999"];

/** Broken JSON text. */
const BROKEN_JSON = [
  "",
  " ",
  "{",
  "}",
  "{\"prompt\":",
  "{\"prompt\": \"x\",}",
  "{prompt: \"x\"}",
  "{'prompt': 'x'}",
  "NaN",
  "undefined",
  "[",
  "{\"a\":1}{\"b\":2}",
  "\ufeff{\"prompt\":\"x\",\"seconds\":2,\"aspectRatio\":\"landscape\"",
  "{\"prompt\":\"x\",\"seconds\":NaN,\"aspectRatio\":\"landscape\"}",
  "{\"prompt\":\"x\",\"seconds\":Infinity,\"aspectRatio\":\"landscape\"}",
  "{\"prompt\":\"x\",\"seconds\":-Infinity}",
  "{\"prompt\":\"x\",\"seconds\":0x10,\"aspectRatio\":\"landscape\"}",
  "{\"prompt\":\"x\",\"seconds\":08,\"aspectRatio\":\"landscape\"}",
  "{\"prompt\":\"\\ud800\",\"seconds\":2,\"aspectRatio\":\"landscape\"",
  "\"\\u0000\"",
  "{\"quantity\": 100",
  "{\"bundle\": starter}",
  "{\"quantity\": 1_000}",
  "{\"quantity\": +100}",
  "{\"quantity\": .5}",
];

const NON_OBJECT_JSON = ["null", "true", "false", "0", "42", "\"a string\"", "[]", "[{}]", "[{\"prompt\":\"x\",\"seconds\":2,\"aspectRatio\":\"landscape\"}]", "[{\"quantity\":100}]"];

const EXTRA_FIELDS: Array<Record<string, unknown>> = [
  { userUuid: "00000000-0000-0000-0000-000000000000" },
  { creditsUsed: 0 },
  { cost: -100 },
  { credits: 1_000_000 },
  { status: "succeeded" },
  { amount: 0 },
  { price: -1 },
  { orderNo: "ord_x" },
  { isAdmin: true },
  { constructor: { prototype: { polluted: true } } },
  { nested: { deep: { deeper: [1, 2, { a: "b" }] } } },
];

function withExtras(r: Rng, obj: Record<string, unknown>): Record<string, unknown> {
  if (!r.chance(0.4)) return obj;
  const out = { ...obj };
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) Object.assign(out, r.pick(EXTRA_FIELDS));
  return out;
}

/** JSON text of `obj` with `field` replaced by raw JSON `value` (for NaN, 1e309 etc.). */
function withRawField(obj: Record<string, unknown>, field: string, rawValue: string): string {
  const marker = `__RAW_${field}__`;
  return JSON.stringify({ ...obj, [field]: marker }).replace(JSON.stringify(marker), rawValue);
}

function hugeString(r: Rng): string {
  // Lengths in code points, as the API counts them (an emoji is one character).
  const size = r.pick([2001, 2500, 10_000, 70_000, 300_000]);
  return r.pick(["a", "é", "漢", "🎬", " ", "\u200b"]).repeat(size);
}

const BAD_PROMPTS = (r: Rng): unknown[] => [
  "",
  "   ",
  "\n\t ",
  hugeString(r),
  123,
  null,
  true,
  ["a prompt"],
  { text: "a prompt" },
];
const BAD_ASPECTS = ["", "wide", "Landscape", "LANDSCAPE", "landscape ", "ｌａｎｄｓｃａｐｅ", "landscape\u0000", "landscape\u200b", "16:9", "__proto__", "toString", null, 1, ["landscape"], { value: "landscape" }];

/** A bad body for POST /api/tasks/text-to-video. */
export function badTaskBody(r: Rng): BadBody {
  const valid = { prompt: r.chance(0.5) ? "A cat on a skateboard" : r.pick(ODD_STRINGS) + " prompt", seconds: 1 + r.int(10), aspectRatio: r.pick(["landscape", "portrait", "square"]) };
  const kind = r.int(9);
  switch (kind) {
    case 0:
      return { label: "broken json", raw: r.pick(BROKEN_JSON) };
    case 1:
      return { label: "not an object", raw: r.pick(NON_OBJECT_JSON) };
    case 2: {
      const obj = withExtras(r, { ...valid });
      delete obj[r.pick(["prompt", "seconds", "aspectRatio"])];
      return { label: "missing field", raw: JSON.stringify(obj) };
    }
    case 3:
      return { label: "bad prompt", raw: JSON.stringify(withExtras(r, { ...valid, prompt: r.pick(BAD_PROMPTS(r)) })) };
    case 4:
      return { label: "bad seconds", raw: withRawField(withExtras(r, { ...valid }), "seconds", r.pick([...BAD_NUMBERS_JSON, "11", "100", "-5"])) };
    case 5:
      return { label: "bad aspect ratio", raw: JSON.stringify(withExtras(r, { ...valid, aspectRatio: r.pick(BAD_ASPECTS) })) };
    case 6:
      return { label: "odd unicode in an enum", raw: JSON.stringify(withExtras(r, { ...valid, aspectRatio: r.pick(ODD_STRINGS) })) };
    case 7:
      return { label: "seconds as odd string", raw: JSON.stringify(withExtras(r, { ...valid, seconds: r.pick(ODD_STRINGS) })) };
    default: {
      // Everything wrong at once, keys in odd places.
      const obj: Record<string, unknown> = { PROMPT: valid.prompt, Seconds: valid.seconds, aspect_ratio: valid.aspectRatio };
      return { label: "misspelled keys", raw: JSON.stringify(withExtras(r, obj)) };
    }
  }
}

const BAD_BUNDLES = ["", "unknown", "Starter", "STARTER", "starter ", " starter", "starter\u0000", "ｓｔａｒｔｅｒ", "__proto__", "constructor", "toString", "hasOwnProperty", null, 1, true, ["starter"], { id: "starter" }];

/** A bad body for POST /api/stripe/checkout/credits. */
export function badCheckoutBody(r: Rng): BadBody {
  const kind = r.int(7);
  switch (kind) {
    case 0:
      return { label: "broken json", raw: r.pick(BROKEN_JSON) };
    case 1:
      return { label: "not an object", raw: r.pick(NON_OBJECT_JSON) };
    case 2:
      return { label: "empty object", raw: JSON.stringify(withExtras(r, {})) };
    case 3:
      return { label: "bad quantity", raw: withRawField(withExtras(r, {}), "quantity", r.pick([...BAD_NUMBERS_JSON, "9", "100001", "1000000000", "99.99", "1e5000"])) };
    case 4:
      return { label: "quantity as odd string", raw: JSON.stringify(withExtras(r, { quantity: r.pick(ODD_STRINGS) })) };
    case 5:
      return { label: "bad bundle", raw: JSON.stringify(withExtras(r, { bundle: r.pick(BAD_BUNDLES) })) };
    default:
      return { label: "huge bundle", raw: JSON.stringify(withExtras(r, { bundle: hugeString(r) })) };
  }
}
