import net from "node:net";

/**
 * Client-side fail-fast for postgres.js. `statement_timeout` only helps while the
 * server runs: a PostgreSQL that is frozen (SIGSTOP, a stalled VM, a black-holed
 * network) accepts bytes and never answers, and postgres.js waits forever. These
 * sockets count the ReadyForQuery messages the server still owes (one per Sync or
 * simple Query sent, one for the start-up) and destroy a connection that stays
 * silent for `responseTimeoutMs` while it owes one; postgres.js then fails the
 * queries on it with an error coded DATABASE_TIMEOUT (503 in route handlers) and
 * opens a fresh connection for the next query. Idle pooled connections are never
 * touched.
 *
 * TLS connections (sslmode=require, ...) are encrypted below this layer, so they
 * get the connect timeout and the server-side timeouts only.
 */

interface PostgresJsSocketOptions {
  host: string[];
  port: number[];
  path?: string | false;
  ssl?: unknown;
}

export function timeoutError(message: string, code: string) {
  return Object.assign(new Error(message), { code });
}

/**
 * postgres.js's `socket` option. The socket is returned while still connecting (writes
 * queue until it is up), so postgres.js's own `connect_timeout`, error and close
 * handling apply unchanged.
 */
export function watchedSockets(config: { responseTimeoutMs: number }) {
  let next = 0;
  return (options: PostgresJsSocketOptions): net.Socket => {
    const index = next++ % options.host.length;
    const socket = options.path
      ? net.connect(options.path)
      : net.connect(options.port[index] ?? options.port[0], options.host[index]);
    // postgres.js reads `host` for the TLS server name when it upgrades this socket.
    Object.assign(socket, { host: options.host[index] });
    if (!options.ssl && config.responseTimeoutMs > 0) watch(socket, config.responseTimeoutMs);
    return socket;
  };
}

/** A reader of PostgreSQL's message framing (type byte + int32 length) that reports each message type. */
function messageTypes(onMessage: (type: number) => void) {
  let header = Buffer.alloc(0);
  let skip = 0;
  return (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      const take = chunk.subarray(i, i + 5 - header.length);
      header = header.length === 0 ? Buffer.from(take) : Buffer.concat([header, take]);
      i += take.length;
      if (header.length < 5) break;
      onMessage(header[0]);
      skip = header.readUInt32BE(1) - 4;
      header = Buffer.alloc(0);
    }
  };
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const READY_FOR_QUERY = 0x5a; // 'Z'

function watch(socket: net.Socket, responseTimeoutMs: number) {
  let owed = 0;
  let startup = true;
  const arm = () => socket.setTimeout(owed > 0 ? responseTimeoutMs : 0);
  const sent = messageTypes((type) => {
    if (type === SYNC || type === QUERY) owed++;
  });
  const received = messageTypes((type) => {
    if (type === READY_FOR_QUERY && owed > 0) owed--;
  });
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((chunk: unknown, ...rest: unknown[]) => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    if (startup) {
      // The untyped StartupMessage (or CancelRequest): the server answers with ReadyForQuery once signed in.
      startup = false;
      owed++;
    } else {
      sent(bytes);
    }
    arm();
    return write(chunk, ...rest);
  }) as typeof socket.write;
  socket.on("data", (chunk: Buffer) => {
    received(chunk);
    arm();
  });
  socket.on("timeout", () => {
    if (owed > 0) {
      socket.destroy(timeoutError(`database did not answer within ${responseTimeoutMs} ms`, "DATABASE_TIMEOUT"));
    }
  });
}
