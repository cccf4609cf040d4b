// The database watchdog (src/db/watchdog.ts) on real sockets, against a scripted
// PostgreSQL stand-in that answers only what each test tells it to: which messages
// make the server owe an answer (Sync, Query, start-up, and Parse/Describe + Flush, the
// one issue 25 found unwatched), that only the server's bytes count as life, and what
// happens when the whole server goes silent (every waiting connection fails at once,
// later queries fail without connecting, one probe at a time, recovery on its answer).
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createWatchdog, type Watchdog } from "@/db/watchdog";

const TIMEOUT = 300;
const PROBE_INTERVAL = 400;

/** A protocol message: type byte, int32 length (itself included), body. */
function msg(type: string, body: Buffer | string = Buffer.alloc(0)): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const out = Buffer.alloc(5 + b.length);
  out.write(type, 0, "latin1");
  out.writeUInt32BE(4 + b.length, 1);
  b.copy(out, 5);
  return out;
}
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
function startupMessage() {
  const params = Buffer.from("user\0postgres\0\0");
  return Buffer.concat([int32(8 + params.length), int32(196608), params]);
}
const client = {
  parse: () => msg("P", "\0select $1\0\0\0"),
  describeStatement: () => msg("D", "S\0"),
  bind: () => msg("B", "\0\0\0\0\0\0\0\0"),
  execute: () => msg("E", "\0\0\0\0\0"),
  flush: () => msg("H"),
  sync: () => msg("S"),
  query: () => msg("Q", "select 1\0"),
  copyData: () => msg("d", "1\n"),
  copyDone: () => msg("c"),
};
const server = {
  authOk: () => msg("R", int32(0)),
  ready: () => msg("Z", "I"),
  parseComplete: () => msg("1"),
  bindComplete: () => msg("2"),
  parameterDescription: () => msg("t", Buffer.from([0, 0])),
  rowDescription: () => msg("T", Buffer.from([0, 0])),
  dataRow: () => msg("D", Buffer.from([0, 0])),
  commandComplete: () => msg("C", "SELECT 1\0"),
  error: () => msg("E", "SERROR\0C42P01\0Mno such table\0\0"),
  copyInResponse: () => msg("G", Buffer.from([0, 0, 0])),
  notice: () => msg("N", "SNOTICE\0Mhello\0\0"),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Peer {
  /** The server's side of each accepted connection, in order. */
  accepted: net.Socket[];
  port: number;
  close(): Promise<void>;
}

async function startServer(): Promise<Peer> {
  const accepted: net.Socket[] = [];
  const srv = net.createServer((s) => {
    s.on("error", () => {});
    accepted.push(s);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return {
    accepted,
    port: (srv.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of accepted) s.destroy();
        srv.close(() => r());
      }),
  };
}

/** A client socket as postgres.js would hold it, with how and when it ended. */
interface Conn {
  socket: net.Socket;
  ended: Promise<{ error?: NodeJS.ErrnoException; at: number }>;
  /** The server's side, once connected. */
  peer(): Promise<net.Socket>;
}

let peer: Peer;
let watchdog: Watchdog;

afterEach(async () => {
  await peer?.close();
});

async function setup() {
  peer = await startServer();
  watchdog = createWatchdog({ responseTimeoutMs: TIMEOUT, probeIntervalMs: PROBE_INTERVAL });
}

function connect(): Conn {
  const socket = watchdog.socket({ host: ["127.0.0.1"], port: [peer.port] });
  let error: NodeJS.ErrnoException | undefined;
  socket.on("error", (e) => (error = e));
  const ended = new Promise<{ error?: NodeJS.ErrnoException; at: number }>((resolve) =>
    socket.on("close", () => resolve({ error, at: performance.now() })),
  );
  const index = peer.accepted.length;
  return {
    socket,
    ended,
    async peer() {
      for (let i = 0; i < 200 && !peer.accepted[index]; i++) await sleep(5);
      if (!peer.accepted[index]) throw new Error("the server saw no connection");
      return peer.accepted[index];
    },
  };
}

/** A signed-in connection: start-up sent, AuthenticationOk + ReadyForQuery received. */
async function signedIn(): Promise<Conn & { server: net.Socket }> {
  const conn = connect();
  const answered = new Promise((r) => conn.socket.once("data", r));
  conn.socket.write(startupMessage());
  const s = await conn.peer();
  s.write(Buffer.concat([server.authOk(), server.ready()]));
  await answered;
  return { ...conn, server: s };
}

async function stillOpen(conn: Conn, ms: number) {
  const result = await Promise.race([conn.ended.then(() => "closed"), sleep(ms).then(() => "open")]);
  expect(result).toBe("open");
}

describe("database watchdog", () => {
  it("cuts a Parse + Describe + Flush the server leaves unanswered (a statement new to the connection)", async () => {
    await setup();
    const conn = await signedIn();
    const sent = performance.now();
    conn.socket.write(Buffer.concat([client.parse(), client.describeStatement(), client.flush()]));
    const { error, at } = await conn.ended;
    expect(error?.code).toBe("DATABASE_TIMEOUT");
    expect(at - sent).toBeGreaterThanOrEqual(TIMEOUT - 5);
    expect(at - sent).toBeLessThan(TIMEOUT + 250);
  });

  it("follows a flushed batch answered in pieces, then a Sync, and leaves the idle connection alone", async () => {
    await setup();
    const conn = await signedIn();
    conn.socket.write(Buffer.concat([client.parse(), client.describeStatement(), client.flush()]));
    // The answer one byte at a time, slower than... nothing: each byte is a sign of life.
    const answer = Buffer.concat([server.parseComplete(), server.parameterDescription(), server.rowDescription()]);
    for (const byte of answer) {
      conn.server.write(Buffer.from([byte]));
      await sleep(10);
    }
    // Answered: postgres.js now sends Bind + Execute + Sync, written one byte at a time too.
    for (const byte of Buffer.concat([client.bind(), client.execute(), client.sync()])) conn.socket.write(Buffer.from([byte]));
    await sleep(TIMEOUT / 2);
    conn.server.write(Buffer.concat([server.bindComplete(), server.dataRow(), server.commandComplete(), server.ready()]));
    await stillOpen(conn, TIMEOUT * 3);
  });

  it("counts the server's bytes as progress, never ours", async () => {
    await setup();
    const slow = await signedIn();
    slow.socket.write(client.query());
    // Rows keep coming for twice the timeout: a busy server, not a frozen one.
    for (let i = 0; i < 8; i++) {
      await sleep(TIMEOUT / 4);
      slow.server.write(server.dataRow());
    }
    slow.server.write(Buffer.concat([server.commandComplete(), server.ready()]));
    await stillOpen(slow, TIMEOUT * 2);

    // More queries pipelined onto a connection the server is silent on do not extend its deadline.
    const stuck = await signedIn();
    const sent = performance.now();
    stuck.socket.write(client.query());
    const pipelining = setInterval(() => !stuck.socket.destroyed && stuck.socket.write(client.query()), TIMEOUT / 5);
    const { error, at } = await stuck.ended;
    clearInterval(pipelining);
    expect(error?.code).toBe("DATABASE_TIMEOUT");
    expect(at - sent).toBeLessThan(TIMEOUT + 250);
  });

  it("does not take a busy process for a silent server: an answer waiting unread past the deadline counts", async () => {
    await setup();
    const conn = await signedIn();
    conn.socket.write(client.query());
    // The answer reaches this process at once, but the event loop is busy (a long render,
    // a loaded machine) until well past the deadline: the timer and the bytes are both due.
    // Busy in the check phase, so the next loop iteration starts with the timers, before any socket is read.
    await sleep(20);
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        conn.server.write(Buffer.concat([server.rowDescription(), server.dataRow(), server.commandComplete(), server.ready()]));
        const busyUntil = performance.now() + TIMEOUT * 2;
        while (performance.now() < busyUntil);
        resolve();
      }),
    );
    await stillOpen(conn, TIMEOUT * 2);
  });

  it("treats an error as the flushed batch's answer, and a notice as no answer", async () => {
    await setup();
    const conn = await signedIn();
    conn.socket.write(Buffer.concat([client.parse(), client.describeStatement(), client.flush()]));
    conn.server.write(server.error());
    await stillOpen(conn, TIMEOUT * 2);
    conn.socket.write(client.sync());
    conn.server.write(server.ready());
    await stillOpen(conn, TIMEOUT * 2);

    const noticed = await signedIn();
    noticed.socket.write(Buffer.concat([client.parse(), client.describeStatement(), client.flush()]));
    await sleep(TIMEOUT / 2);
    noticed.server.write(server.notice());
    const { error } = await noticed.ended;
    expect(error?.code).toBe("DATABASE_TIMEOUT");
  });

  it("gives COPY FROM STDIN no deadline while the server waits for our rows, and one again after CopyDone", async () => {
    await setup();
    const conn = await signedIn();
    conn.socket.write(client.query());
    conn.server.write(server.copyInResponse());
    await sleep(TIMEOUT);
    conn.socket.write(client.copyData());
    await stillOpen(conn, TIMEOUT * 2);
    const done = performance.now();
    conn.socket.write(client.copyDone());
    const { error, at } = await conn.ended;
    expect(error?.code).toBe("DATABASE_TIMEOUT");
    expect(at - done).toBeLessThan(TIMEOUT + 250);
  });

  it("drops only the silent connection while others still hear the server", async () => {
    await setup();
    const silentOne = await signedIn();
    const busy = await signedIn();
    silentOne.socket.write(client.query());
    const answering = setInterval(() => {
      busy.socket.write(client.query());
      busy.server.write(Buffer.concat([server.commandComplete(), server.ready()]));
    }, TIMEOUT / 5);
    const { error } = await silentOne.ended;
    clearInterval(answering);
    expect(error?.code).toBe("DATABASE_TIMEOUT");
    expect(watchdog.unresponsive).toBe(false);
    await stillOpen(busy, 50);
  });

  it("when the whole server is silent: fails every waiting connection at once, then fails fast, probes, and recovers", async () => {
    await setup();
    const [first, second, idle] = [await signedIn(), await signedIn(), await signedIn()];
    const t0 = performance.now();
    first.socket.write(client.query());
    await sleep(TIMEOUT / 2);
    second.socket.write(Buffer.concat([client.parse(), client.describeStatement(), client.flush()]));
    // The first times out; the second, silent for half as long, fails with it.
    const [a, b] = await Promise.all([first.ended, second.ended]);
    expect(a.error?.code).toBe("DATABASE_TIMEOUT");
    expect(b.error?.code).toBe("DATABASE_TIMEOUT");
    expect(b.error?.message).toMatch(/not answering/);
    expect(Math.abs(b.at - a.at)).toBeLessThan(50);
    expect(a.at - t0).toBeLessThan(TIMEOUT + 250);
    expect(watchdog.unresponsive).toBe(true);
    await stillOpen(idle, 10);

    // A query on the idle connection fails as it is written...
    const written = performance.now();
    idle.socket.write(client.query());
    const c = await idle.ended;
    expect(c.error?.code).toBe("DATABASE_TIMEOUT");
    expect(c.at - written).toBeLessThan(50);
    // ...and a new connection fails without ever reaching the server.
    const accepted = peer.accepted.length;
    const fresh = connect();
    fresh.socket.write(startupMessage());
    expect((await fresh.ended).error?.code).toBe("DATABASE_TIMEOUT");
    await sleep(50);
    expect(peer.accepted.length).toBe(accepted);

    // After the probe interval one connection is let through; the others still fail at once.
    await sleep(PROBE_INTERVAL);
    const probe = connect();
    probe.socket.write(startupMessage());
    const probeServer = await probe.peer();
    const another = connect();
    another.socket.write(startupMessage());
    expect((await another.ended).error?.code).toBe("DATABASE_TIMEOUT");
    expect(peer.accepted.length).toBe(accepted + 1);

    // The server answers the probe: it is heard again, connections open as usual.
    const answered = new Promise((r) => probe.socket.once("data", r));
    probeServer.write(Buffer.concat([server.authOk(), server.ready()]));
    await answered;
    expect(watchdog.unresponsive).toBe(false);
    const after = await signedIn();
    after.socket.write(client.query());
    after.server.write(Buffer.concat([server.commandComplete(), server.ready()]));
    await stillOpen(after, TIMEOUT * 2);
  });

  it("counts a connection postgres.js gave up opening (connect_timeout) on a silent server as that silence", async () => {
    await setup();
    const conn = connect();
    conn.socket.write(startupMessage());
    await conn.peer();
    await sleep(50);
    // What postgres.js's connect_timeout does: a bare destroy().
    conn.socket.destroy();
    await conn.ended;
    expect(watchdog.unresponsive).toBe(true);
  });
});
