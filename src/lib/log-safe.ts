import { databaseError } from "./http/errors";

// Error descriptions for logs, without what a request carried: Drizzle's query errors
// embed every SQL parameter in their message ("params: a@b.c,scrypt$..."), and
// PostgreSQL's messages and details quote row values. What stays: error names, SQLSTATE,
// the constraint, the SQL text without its parameters, and the stack frames.

const MAX_DEPTH = 5;

function redact(message: string): string {
  return (
    message
      // Drizzle: "Failed query: <sql>\nparams: <values>"
      .replace(/\nparams:[\s\S]*$/, "")
      // PostgreSQL: `invalid input syntax for type uuid: "<value>"`, `... : "<value>"`
      .replace(/:\s*"[\s\S]*$/, ': "…"')
      .slice(0, 2000)
  );
}

/** One safe, multi-line description of an error and its causes. */
export function describeError(error: unknown): string {
  const lines: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH && e; depth++) {
    if (!(e instanceof Error) && (typeof e !== "object" || e === null)) {
      lines.push(`${depth ? "caused by: " : ""}${typeof e}`);
      break;
    }
    const err = e as Error & { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    const db = databaseError(err);
    const own = typeof err.code === "string" && db?.code === err.code;
    const constraint = err.constraint_name ?? err.constraint;
    const head = `${depth ? "caused by: " : ""}${err.name ?? "Error"}: ${redact(String(err.message ?? ""))}`;
    lines.push(
      head +
        (own ? ` [SQLSTATE ${err.code}]` : "") +
        (typeof constraint === "string" ? ` [constraint ${constraint}]` : ""),
    );
    if (depth === 0 && typeof err.stack === "string") {
      lines.push(...err.stack.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 10));
    }
    e = err.cause;
  }
  return lines.join("\n");
}

/** An email for a log line: enough to recognize, not the address ("ad***@example.com"). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`.slice(0, 80);
}
