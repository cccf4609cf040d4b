// Runs once when a Next.js server starts (dev or production), before it serves requests.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./server-start");
  await startServer();
}
