import { env } from "@/lib/env";
import { createMockProvider } from "./providers/mock";
import { createReplicateProvider } from "./providers/replicate";
import type { SubmitContext, TextToVideoOptions, VideoProvider } from "./types";

export type { TextToVideoOptions, VideoProvider } from "./types";

/**
 * The provider registry: one line per provider, built from env. Adding a provider
 * is a file in ./providers and a line here; TEXT2VIDEO_PROVIDER picks one.
 */
const REGISTRY: Record<string, () => VideoProvider> = {
  mock: () => createMockProvider({ delayMs: env().TEXT2VIDEO_MOCK_DELAY_MS, outputUrl: env().TEXT2VIDEO_MOCK_URL }),
  replicate: () => {
    const e = env();
    // Replicate only calls public HTTPS URLs; a local http:// run relies on polling.
    const webhookUrl = e.APP_URL.startsWith("https://") ? new URL("/api/webhooks/replicate", e.APP_URL).toString() : undefined;
    return createReplicateProvider({
      apiBase: e.REPLICATE_API_BASE,
      apiToken: e.REPLICATE_API_TOKEN,
      model: e.REPLICATE_MODEL,
      webhookUrl,
      webhookSecret: e.REPLICATE_WEBHOOK_SECRET,
    });
  },
};

const overrides = new Map<string, VideoProvider>();

export function providerNames(): string[] {
  return Object.keys(REGISTRY);
}

/** The provider by name (default TEXT2VIDEO_PROVIDER). Tasks remember theirs, so switching never strands running jobs. */
export function getVideoProvider(name: string = env().TEXT2VIDEO_PROVIDER): VideoProvider {
  const override = overrides.get(name);
  if (override) return override;
  const make = REGISTRY[name];
  if (!make) throw new Error(`unknown video provider "${name}" (TEXT2VIDEO_PROVIDER; known: ${providerNames().join(", ")})`);
  return make();
}

/** Tests install a provider built with test configuration (e.g. pointed at a fake server); undefined removes it. */
export function setVideoProvider(name: string, provider: VideoProvider | undefined) {
  if (provider) overrides.set(name, provider);
  else overrides.delete(name);
}

/** Starts a text-to-video job with the configured provider; returns its job id and first status. */
export function generateTextToVideo(options: TextToVideoOptions, context: SubmitContext, providerName?: string) {
  return getVideoProvider(providerName).submit(options, context);
}
