// Runs once when a Next.js server starts (dev or production), before it serves requests.
// The Node-only work (and the exit on failure) lives in server-start.ts, which the Edge
// bundle never sees.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerOrExit } = await import("./server-start");
  await startServerOrExit();
}
