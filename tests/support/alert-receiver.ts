// A local HTTP server standing in for a Slack-compatible incoming webhook: records
// every JSON body POSTed to it (ALERT_WEBHOOK_URL in tests).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface AlertReceiver {
  url: string;
  received: Array<{ text: string }>;
  close(): Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const received: Array<{ text: string }> = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === "POST" && req.headers["content-type"]?.includes("application/json")) {
      received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end("ok");
    }
    res.writeHead(400);
    res.end("bad request");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
