import net from "node:net";

/**
 * Client-side fail-fast for postgres.js. `statement_timeout` only helps while the
 * server runs: a PostgreSQL that is frozen (SIGSTOP, a stalled VM, a black-holed
 * network) accepts bytes and never answers, and postgres.js waits forever — on the
 * query it sent, on the queries pipelined behind it, and with the callers it queues
 * for a free connection, without a deadline.
 *
 * These sockets read the protocol's framing in both directions and keep, per
 * connection, what the server still owes: a ReadyForQuery for every Sync, simple
 * Query and the start-up, and the replies to a batch of Parse/Bind/Describe/Execute/
 * Close followed by Flush (postgres.js sends Parse + Describe + Flush for a statement
 * not yet prepared on that connection, and waits). A connection that owes something
 * and hears nothing for `responseTimeoutMs` is destroyed with an error coded
 * DATABASE_TIMEOUT (503 in route handlers); postgres.js fails the queries on it and
 * opens a fresh connection for the next one. A connection being opened has
 * postgres.js's connect_timeout (CONNECT_TIMEOUT, also 503); a server silent until
 * then counts as silence here too.
 * Only the server's bytes count as a sign of life, never ours: pipelining more
 * queries onto a stuck connection does not extend its deadline.
 *
 * When that silence is pool-wide (no connection has heard the server for half that
 * time either), the server is taken as unresponsive: every other
 * connection waiting on it fails at once, and until the server is heard again a
 * query fails as soon as it is written (a new connection is not even opened), except
 * one probe at a time, at most every `probeIntervalMs`, that is let through to find
 * out. So callers queued behind stuck connections get their 503 together, not one
 * timeout after another, and the pool recovers by itself once the server answers.
 * Idle connections are never touched.
 *
 * TLS connections (sslmode=require, ...) are encrypted below this layer, so they get
 * the connect timeout and the server-side timeouts only.
 */

interface PostgresJsSocketOptions {
  host: string[];
  port: number[];
  path?: string | false;
  ssl?: unknown;
}

export interface WatchdogConfig {
  /** Longest silence from the server while it owes an answer on an open connection. */
  responseTimeoutMs: number;
  /** While the server is unresponsive, how often one query may try it again. Default 1000. */
  probeIntervalMs?: number;
}

export interface Watchdog {
  /** postgres.js's `socket` option (supported, though not declared in its types). */
  socket(options: PostgresJsSocketOptions): net.Socket;
  /** True from a pool-wide silence until the server is heard again: queries fail at once, but for the probe. */
  readonly unresponsive: boolean;
}

function timeoutError(message: string) {
  return Object.assign(new Error(message), { code: "DATABASE_TIMEOUT" });
}

/** A type byte standing for the untyped first message a client sends (StartupMessage, CancelRequest). */
const UNTYPED = -1;

/**
 * A reader of PostgreSQL's message framing (type byte + int32 length including
 * itself; the client's first message has no type byte) that reports each message type.
 */
function messageTypes(onMessage: (type: number) => void, untypedFirst = false) {
  let header = Buffer.alloc(0);
  let skip = 0;
  let untyped = untypedFirst;
  return (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      const size = untyped ? 4 : 5;
      let head: Buffer;
      if (header.length === 0 && i + size <= chunk.length) {
        head = chunk.subarray(i, i + size);
        i += size;
      } else {
        const take = chunk.subarray(i, i + size - header.length);
        header = Buffer.concat([header, take]);
        i += take.length;
        if (header.length < size) break;
        head = header;
        header = Buffer.alloc(0);
      }
      if (untyped) {
        untyped = false;
        onMessage(UNTYPED);
        skip = head.readUInt32BE(0) - 4;
      } else {
        onMessage(head[0]);
        skip = head.readUInt32BE(1) - 4;
      }
    }
  };
}

const code = (c: string) => c.charCodeAt(0);
// Client messages: those that make the server answer, and the extended-protocol ones a Flush makes it answer.
const SYNC = code("S");
const QUERY = code("Q");
const FUNCTION_CALL = code("F");
const FLUSH = code("H");
const EXTENDED = new Set(["P", "B", "D", "E", "C"].map(code)); // Parse, Bind, Describe, Execute, Close
const COPY_DONE = code("c");
const COPY_FAIL = code("f");
// Server messages.
const READY_FOR_QUERY = code("Z");
const ERROR_RESPONSE = code("E");
const COPY_IN_RESPONSE = code("G");
const COPY_BOTH_RESPONSE = code("W");
/** The last reply to each extended message: ParseComplete, BindComplete, CloseComplete, RowDescription or NoData (Describe), CommandComplete, PortalSuspended or EmptyQueryResponse (Execute). */
const COMPLETES_ONE = new Set(["1", "2", "3", "T", "n", "C", "s", "I"].map(code));

/** In the list of what a connection is owed: everything up to the next ReadyForQuery. */
const UNTIL_READY = 0;

/**
 * What the server owes one connection, read from the messages both ways. `owed` lists
 * the answers in the order they will come: UNTIL_READY, or n > 0 replies to a flushed
 * batch of n extended messages.
 */
class Conversation {
  private owed: number[] = [];
  private batch = 0;
  private copyIn = false;
  /** Signed in: the start-up's ReadyForQuery has come. */
  ready = false;

  /** The server owes this connection an answer (it is not waiting for COPY data from us). */
  get awaiting() {
    return this.owed.length > 0 && !this.copyIn;
  }

  sent(type: number) {
    if (type === UNTYPED || type === SYNC || type === QUERY || type === FUNCTION_CALL) {
      this.owed.push(UNTIL_READY);
      this.batch = 0;
    } else if (EXTENDED.has(type)) {
      this.batch++;
    } else if (type === FLUSH) {
      if (this.batch > 0) this.owed.push(this.batch);
      this.batch = 0;
    } else if (type === COPY_DONE || type === COPY_FAIL) {
      this.copyIn = false;
    }
  }

  received(type: number) {
    if (type === READY_FOR_QUERY) {
      this.ready = true;
      const end = this.owed.indexOf(UNTIL_READY);
      this.owed.splice(0, end + 1);
    } else if (type === COPY_IN_RESPONSE || type === COPY_BOTH_RESPONSE) {
      this.copyIn = true;
    } else if (this.owed[0] > 0) {
      // After an error the server skips to the next Sync: the error is the flushed batch's answer.
      if (type === ERROR_RESPONSE) this.owed.shift();
      else if (COMPLETES_ONE.has(type) && --this.owed[0] === 0) this.owed.shift();
    }
  }
}

export function createWatchdog(config: WatchdogConfig): Watchdog {
  const probeIntervalMs = config.probeIntervalMs ?? 1000;
  const waiting = new Set<Watched>();
  /** When any connection last received a byte from the server. */
  let lastHeard = -Infinity;
  let unresponsive = false;
  let probe: Watched | undefined;
  let nextProbeAt = 0;
  let nextHost = 0;

  const unresponsiveError = () =>
    timeoutError(`database not answering: no connection has heard from it for ${config.responseTimeoutMs} ms or more`);

  /** May this connection start waiting on the server now? While it is unresponsive, only the probe may. */
  function mayWait(w: Watched): boolean {
    if (!unresponsive || probe === w) return true;
    if (!probe && performance.now() >= nextProbeAt) {
      probe = w;
      return true;
    }
    return false;
  }

  function heard() {
    lastHeard = performance.now();
    unresponsive = false;
    probe = undefined;
  }

  /** `w` waited its limit without hearing the server. */
  function silent(w: Watched) {
    if (probe === w) probe = undefined;
    // A fault of this connection if others are hearing the server; the server's own if
    // none has for a while. (Half the limit, not all of it: the last answers of a freeze
    // arrive on some connections just after others started waiting.)
    if (performance.now() - lastHeard < config.responseTimeoutMs / 2) return;
    unresponsive = true;
    nextProbeAt = performance.now() + probeIntervalMs;
    for (const other of waiting) if (other !== w) other.fail(unresponsiveError());
  }

  interface Watched {
    /** When it started waiting, or last heard the server while still waiting. */
    since: number;
    fail(error: Error): void;
  }

  function watch(socket: net.Socket, connect: () => void) {
    const talk = new Conversation();
    let connected = false;
    let heardAny = false;
    let timer: NodeJS.Timeout | undefined;
    /** The deadline passed once already: look again after pending I/O is read. */
    let late = false;
    const w: Watched = { since: performance.now(), fail: (error) => socket.destroy(error) };

    const check = () => {
      timer = undefined;
      const deferred = late;
      late = false;
      if (!talk.awaiting || socket.destroyed) return;
      // Paused by postgres.js (a COPY reader applying backpressure): the silence is ours.
      const left = socket.isPaused() ? config.responseTimeoutMs : w.since + config.responseTimeoutMs - performance.now();
      if (left > 0) {
        timer = setTimeout(check, left).unref();
        return;
      }
      // Timers run before the event loop reads the sockets: on a busy process (a long
      // render, a loaded machine) an answer may be waiting unread. Decide after the next
      // poll phase (setImmediate), so a slow process is not taken for a silent server.
      if (!deferred) {
        late = true;
        setImmediate(check);
        return;
      }
      socket.destroy(timeoutError(`database did not answer within ${config.responseTimeoutMs} ms`));
      silent(w);
    };
    /** After a message in either direction: keep the deadline running while the server owes an answer. */
    const update = (wasAwaiting: boolean) => {
      if (!talk.awaiting) {
        waiting.delete(w);
        clearTimeout(timer);
        timer = undefined;
        return;
      }
      if (!wasAwaiting) w.since = performance.now();
      waiting.add(w);
      // While the connection is being opened, postgres.js's connect_timeout is the deadline (see destroy below).
      if (talk.ready) timer ??= setTimeout(check, config.responseTimeoutMs).unref();
    };

    const sent = messageTypes((type) => talk.sent(type), true);
    const received = messageTypes((type) => talk.received(type));
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    const watchedWrite = ((chunk: unknown, ...rest: unknown[]) => {
      const wasAwaiting = talk.awaiting;
      sent(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
      if ((!connected || (talk.awaiting && !wasAwaiting)) && !mayWait(w)) {
        // The server is not answering: fail now rather than wait for it, and open no connection.
        socket.destroy(unresponsiveError());
        const callback = rest.find((r) => typeof r === "function") as ((e: Error) => void) | undefined;
        if (callback) process.nextTick(callback, unresponsiveError());
        return false;
      }
      update(wasAwaiting);
      if (!connected) {
        connected = true;
        connect();
        // net.Socket#connect puts the prototype's write back.
        socket.write = watchedWrite;
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;
    socket.write = watchedWrite;

    socket.on("data", (chunk: Buffer) => {
      heardAny = true;
      heard();
      const wasAwaiting = talk.awaiting;
      received(chunk);
      // Progress: a server still sending is not frozen, whatever it still owes.
      if (talk.awaiting) w.since = performance.now();
      update(wasAwaiting);
    });

    // postgres.js gives up on a connection that did not open within its connect_timeout
    // with a bare destroy() (so does a connection ended by its peer): when the server never
    // said a word on it, that is silence too.
    const destroy = socket.destroy.bind(socket);
    socket.destroy = ((error?: Error) => {
      const gaveUp = !error && !socket.destroyed && connected && !heardAny && talk.awaiting;
      destroy(error);
      if (gaveUp) silent(w);
      return socket;
    }) as typeof socket.destroy;

    socket.on("close", () => {
      clearTimeout(timer);
      waiting.delete(w);
      if (probe === w) probe = undefined;
    });
  }

  return {
    get unresponsive() {
      return unresponsive;
    },
    /**
     * Returned before it connects: the connection is opened on postgres.js's first write
     * (the start-up message), unless the server is unresponsive, and writes queue until
     * it is up, so postgres.js's own connect_timeout, error and close handling apply unchanged.
     */
    socket(options) {
      const index = nextHost++ % options.host.length;
      const host = options.host[index];
      const socket = new net.Socket();
      // postgres.js reads `host` for the TLS server name when it upgrades this socket.
      Object.assign(socket, { host });
      const connect = () => {
        if (options.path) socket.connect(options.path);
        else socket.connect(options.port[index] ?? options.port[0], host);
      };
      if (options.ssl || config.responseTimeoutMs <= 0) connect();
      else watch(socket, connect);
      return socket;
    },
  };
}
