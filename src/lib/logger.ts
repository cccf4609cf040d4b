import pino, { type Logger } from "pino";
import { currentRequestId } from "./http/request-context";

/**
 * The server's logger: one JSON object per line on stdout (level, time, msg, and the
 * `requestId` of the API request being handled, if any), for whatever collects the
 * platform's logs. LOG_LEVEL: trace | debug | info (default) | warn | error | fatal | silent.
 * Read from process.env directly: the logger must work before, and while, env() fails.
 */
function create(): Logger {
  return pino({
    level: process.env.LOG_LEVEL || "info",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  });
}

const state = globalThis as unknown as { __logger?: Logger };
export const logger: Logger = (state.__logger ??= create());
