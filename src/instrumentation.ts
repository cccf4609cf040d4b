// Runs once when a Next.js server starts (dev or production), before it serves requests.
// The Node-only work (and the exit on failure) lives in server-start.ts, which the Edge
// bundle never sees.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  await registerOpenTelemetry();
  const { startServerOrExit } = await import("./server-start");
  await startServerOrExit();
}

/**
 * OpenTelemetry, off by default: with OTEL_EXPORTER_OTLP_ENDPOINT set and `@vercel/otel`
 * (plus its @opentelemetry peers) installed, Next's own spans (requests, rendering, fetch)
 * are exported over OTLP. The package is not a dependency of the starter and the import
 * is left out of the bundle; docs/deploy.md says how to turn it on for real.
 */
async function registerOpenTelemetry() {
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  const name = "@vercel/otel";
  try {
    const otel = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ name)) as {
      registerOTel(options: { serviceName: string }): void;
    };
    otel.registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME || "credits-ai-studio" });
  } catch (error) {
    console.warn(`[otel] OTEL_EXPORTER_OTLP_ENDPOINT is set but ${name} could not be loaded: ${(error as Error).message}`);
  }
}
