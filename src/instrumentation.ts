// Runs once when a Next.js server starts (dev or production), before it serves requests.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./server-start");
  try {
    await startServer();
  } catch (error) {
    // A server that cannot be configured or cannot reach its database must not
    // come up half-working: say why, and stop.
    console.error(`[start] ${(error as Error).message}`);
    process.exit(1);
  }
}
