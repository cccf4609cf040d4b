// A TCP proxy in front of PostgreSQL that a test can freeze (like SIGSTOP on the
// server: connections are accepted and bytes sit unread, nothing is answered) or take
// down (connections cut, new ones refused) without touching the shared server.
import net from "node:net";
import { freePort } from "./app-server";

export interface TcpProxy {
  port: number;
  /** Stop forwarding in both directions; new connections are accepted and left hanging. */
  freeze(): void;
  thaw(): void;
  /** Cut every connection and stop listening (connection refused). */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  let frozen = false;
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;

  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
    if (frozen) s.pause();
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        track(client);
        track(upstream);
        // Plain forwarding (no pipe(): its backpressure handling would resume a frozen socket).
        client.on("data", (d) => upstream.write(d));
        upstream.on("data", (d) => client.write(d));
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });

  await listen();
  const proxy: TcpProxy = {
    port,
    freeze() {
      frozen = true;
      for (const s of sockets) s.pause();
    },
    thaw() {
      frozen = false;
      for (const s of sockets) s.resume();
    },
    async down() {
      const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const s of sockets) s.destroy();
      await closing;
      server = undefined;
    },
    up: listen,
    async close() {
      frozen = false;
      await proxy.down();
    },
  };
  return proxy;
}
