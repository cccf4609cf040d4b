/** Server-sent events (text/event-stream) from an async source, for route handlers. */

export interface ServerEvent {
  event: string;
  data: unknown;
}

export interface EventStreamOptions {
  /** The request's signal: the stream stops when the client goes away. */
  signal: AbortSignal;
  /** A comment line this often keeps proxies and the browser from timing the connection out. */
  heartbeatMs?: number;
  /** The browser's reconnection delay after the stream ends unexpectedly. */
  retryMs?: number;
}

const encoder = new TextEncoder();

function frame({ event, data }: ServerEvent): Uint8Array {
  // JSON never holds a raw newline, so each event is one data line.
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * A 200 text/event-stream response sending each event `source(signal)` yields, with
 * heartbeat comments in between; it ends when the source returns (the browser's
 * EventSource then reconnects unless the page closes it), and stops the source when the
 * client disconnects. `no-transform` keeps compression from buffering the stream.
 */
export function eventStream(source: (signal: AbortSignal) => AsyncIterable<ServerEvent>, options: EventStreamOptions): Response {
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (chunk: Uint8Array) => {
        if (!signal.aborted) controller.enqueue(chunk);
      };
      send(encoder.encode(`retry: ${options.retryMs ?? 2000}\n\n`));
      heartbeat = setInterval(() => send(encoder.encode(": heartbeat\n\n")), options.heartbeatMs ?? 15_000);
      try {
        for await (const event of source(signal)) send(frame(event));
        clearInterval(heartbeat);
        if (!signal.aborted) controller.close();
      } catch (error) {
        clearInterval(heartbeat);
        if (!signal.aborted) controller.error(error);
      }
    },
    cancel() {
      clearInterval(heartbeat);
      stop.abort();
    },
  });

  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
