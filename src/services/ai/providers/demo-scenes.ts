/**
 * The demo generator's scenes: the mock providers answer a prompt with one of these, rendered
 * once by scripts/render-demo-media.sh into public/demo/ (every aspect ratio, length and size
 * the forms offer). Each type's mock builds its own file name from the scene (its providers.ts).
 *
 * The pick is deterministic, so the same prompt always looks the same, and different prompts
 * look different: a prompt that names a scene's subject gets that scene (the one it names first),
 * any other prompt one chosen by a hash of its text.
 */
export const DEMO_SCENES = ["aurora", "dunes", "ocean", "bloom"] as const;
export type DemoScene = (typeof DEMO_SCENES)[number];

/** Words (lower case; English and Chinese) that ask for a scene. */
const SUBJECTS: Record<DemoScene, readonly string[]> = {
  aurora: ["aurora", "northern light", "night", "star", "mountain", "snow", "极光", "夜", "星", "山"],
  dunes: ["desert", "dune", "sand", "sunset", "dusk", "camel", "沙漠", "沙丘", "日落", "黄昏"],
  ocean: ["ocean", "sea", "wave", "beach", "boat", "sunrise", "water", "海", "浪", "船", "日出", "水"],
  bloom: ["abstract", "light", "neon", "glow", "colour", "color", "dream", "抽象", "光", "霓虹", "梦"],
};

/** FNV-1a over the UTF-16 code units: small, stable across runs and instances. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Where the prompt first names the scene's subject (a word's start for Latin words), or -1. */
function firstMention(text: string, scene: DemoScene): number {
  const found = SUBJECTS[scene]
    .map((word) => (/^[a-z ]+$/.test(word) ? text.search(new RegExp(`\\b${word}`)) : text.indexOf(word)))
    .filter((at) => at >= 0);
  return found.length ? Math.min(...found) : -1;
}

/** The scene a prompt gets: the one whose subject it names first, else one picked by its hash. */
export function pickDemoScene(prompt: string): DemoScene {
  const text = prompt.toLowerCase().replace(/\s+/g, " ").trim();
  let best: { scene: DemoScene; at: number } | null = null;
  for (const scene of DEMO_SCENES) {
    const at = firstMention(text, scene);
    if (at >= 0 && (!best || at < best.at)) best = { scene, at };
  }
  return best?.scene ?? DEMO_SCENES[hash(text) % DEMO_SCENES.length];
}
