import { pino, type Logger, type LoggerOptions } from "pino";

/**
 * The app's logger, passed to Probot as `log`. Logs hold ids and actions only — no source code,
 * no diff text, no tokens, no payload bodies, no PII — and that is enforced here, not hoped for at
 * each call site: every field a log line carries goes through an allowlist. Numbers and booleans
 * pass (counts, ids, statuses); strings pass only under keys that hold ids or actions; objects
 * pass only as errors (type, status, code), HTTP requests (method, URL) and responses (status).
 * Anything else is `[redacted]`. That matters because Probot logs nothing redacted by default
 * and, at debug, logs every outgoing request body (comments, check-run output, GraphQL queries).
 * An error logged as the message has its text replaced by its name and status: error texts quote
 * payloads, YAML and source.
 */

const CENSOR = "[redacted]";

/** Keys whose string values are ids, names of things the app did, or outcomes. */
const STRING_KEYS = new Set([
  "action",
  "attempt",
  "backend",
  "code",
  "component",
  "conclusion",
  "deliveryId",
  "event",
  "headSha",
  "id",
  "job",
  "jobId",
  "hostname",
  "key",
  "level",
  "limiter",
  "method",
  "name",
  "outcome",
  "permission",
  "pr",
  "problem",
  "queue",
  "redis",
  "repo",
  "signal",
  "source",
  "state",
  "status",
  "trigger",
  "url",
]);

/** Kept for callers that want the old deny-list; the allowlist below is what is enforced. */
export const REDACTED_PATHS = ["token", "privateKey", "secret", "password", "authorization", "payload", "body", "data", "content", "patch", "diff"];

const MAX_STRING = 300;

function safeString(value: string, key = ""): string {
  // A URL keeps its path (ids and actions) but never a query string, which can carry a token.
  const text = key === "url" || key === "path" ? value.replace(/[?#].*$/s, "") : value;
  return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
}

function errorSummary(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null) return { type: typeof value };
  const error = value as { type?: unknown; name?: unknown; status?: unknown; code?: unknown; constructor?: { name?: string } };
  return {
    type: typeof error.type === "string" ? error.type.slice(0, 60) : typeof error.name === "string" ? error.name.slice(0, 60) : (error.constructor?.name ?? "Object"),
    ...(typeof error.status === "number" ? { status: error.status } : {}),
    ...(typeof error.code === "string" || typeof error.code === "number" ? { code: String(error.code).slice(0, 60) } : {}),
  };
}

/** The allowlist, applied to the fields of every log call. */
export function sanitizeLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean") out[key] = value;
    else if (key === "err" || key === "error" || value instanceof Error) out[key] = errorSummary(value);
    else if (typeof value === "string") out[key] = STRING_KEYS.has(key) ? safeString(value, key) : CENSOR;
    else if (key === "req" && typeof value === "object") {
      const req = value as { method?: unknown; url?: unknown; id?: unknown };
      // Not `req.id`: pino-http takes it from the caller's `x-request-id` or `x-github-delivery`
      // header, unauthenticated when the request line is written (a bad signature included).
      out.req = { method: typeof req.method === "string" ? req.method : undefined, url: typeof req.url === "string" ? safeString(req.url, "url") : undefined };
    } else if (key === "res" && typeof value === "object") {
      const res = value as { statusCode?: unknown };
      out.res = { statusCode: typeof res.statusCode === "number" ? res.statusCode : undefined };
    } else out[key] = CENSOR;
  }
  return out;
}

const LINE_KEYS = new Set(["level", "time", "pid", "hostname", "msg"]);

/** The allowlist applied to a finished JSON log line (bindings included). */
export function sanitizeLine(line: string): string {
  const trimmed = line.endsWith("\n") ? line.slice(0, -1) : line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return `${JSON.stringify({ msg: "[unparseable log line redacted]" })}\n`;
  }
  const kept: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) (LINE_KEYS.has(key) ? kept : rest)[key] = value;
  return `${JSON.stringify({ ...kept, ...sanitizeLogFields(rest) })}\n`;
}

/**
 * The webhooks middleware logs "<x-github-event> event received (id: <x-github-delivery>)" before
 * it checks the signature: both are the caller's header values, unauthenticated. The line is kept,
 * the values are not.
 */
function withoutRequestHeaders(message: string): string {
  return message.includes(" event received (id: ") ? "webhook event received" : message;
}

export interface LoggerSettings {
  level?: string;
  /** Extra pino options (tests pass a destination through `createLogger(settings, stream)`). */
  options?: LoggerOptions;
}

export function createLogger(settings: LoggerSettings = {}, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? "info",
    ...settings.options,
    formatters: { ...settings.options?.formatters, log: (fields) => sanitizeLogFields(fields) },
    hooks: {
      // Child-logger bindings skip `formatters.log` (pino-http binds the whole request, headers
      // included, to its child): the finished line goes through the allowlist once more.
      streamWrite: sanitizeLine,
      logMethod(args, method) {
        const [first, second, ...rest] = args as unknown[];
        // `log.error(err)` and `log.error(err, msg)`: the error's own text never becomes the message.
        if (first instanceof Error) {
          const summary = errorSummary(first);
          const message = typeof second === "string" ? second : `${String(summary.type)}${summary.status ? ` ${String(summary.status)}` : ""}`;
          return method.apply(this, [{ err: first }, message] as never);
        }
        // Interpolation arguments (`log.info("%s", value)`) would put values into the message: dropped.
        if (typeof first === "string") return method.apply(this, [withoutRequestHeaders(first)] as never);
        if (typeof second === "string") return method.apply(this, [first, withoutRequestHeaders(second)] as never);
        void rest;
        return method.apply(this, [first] as never);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
