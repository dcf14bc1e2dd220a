import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Logger } from "pino";

/**
 * Webhook bodies over 25 MB (GitHub caps its payloads at 25 MB) are refused with 413 before they
 * are read. Probot's middleware reads the whole body into memory and only then checks the
 * signature, so an unsigned 1 GB POST would cost 1 GB of memory: this guard answers first.
 *
 * A body with a `content-length` over the limit is refused at once, unread. One within it goes on
 * untouched (Node's HTTP parser never hands on more than the declared length). One without a
 * length (chunked) is read here while counting, refused as soon as it passes the limit (what was
 * read is dropped), and otherwise handed to Probot's middleware as `rawBody`, which it takes
 * instead of reading the stream again.
 */

/** Largest webhook body read, in bytes: GitHub's own cap on a webhook payload. */
export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface BodyLimitOptions {
  maxBytes?: number;
  /** The requests the limit applies to (default: all). */
  applies?: (request: IncomingMessage) => boolean;
  log?: Pick<Logger, "warn">;
}

function refuse(request: IncomingMessage, response: ServerResponse, maxBytes: number, log: BodyLimitOptions["log"]): void {
  // Method and path only: nothing the caller sent is logged before a signature is checked.
  log?.warn({ req: { method: request.method, url: request.url?.split("?")[0] }, status: 413 }, "webhook body over the size limit: refused unread");
  if (!response.headersSent) {
    response.writeHead(413, { "content-type": "application/json", connection: "close" });
  }
  // The rest of the body is never kept: once the answer is sent the connection is half-closed and
  // what still arrives is discarded (closing at once could reset the connection before the caller
  // reads the answer), for at most a few seconds.
  response.end(JSON.stringify({ error: `Request body larger than ${maxBytes} bytes` }), () => {
    request.socket.end();
    request.resume();
    setTimeout(() => request.socket.destroy(), DISCARD_MS).unref();
  });
}

/** How long a refused body is discarded before its connection is closed. */
const DISCARD_MS = 2_000;

/** Puts the body limit in front of a request listener. */
export function limitRequestBody(next: RequestListener, options: BodyLimitOptions = {}): RequestListener {
  return (request, response) => {
    if (options.applies && !options.applies(request)) return next(request, response);
    const maxBytes = options.maxBytes ?? MAX_WEBHOOK_BODY_BYTES;
    const declared = request.headers["content-length"];
    if (declared !== undefined) {
      const length = Number(declared);
      if (Number.isSafeInteger(length) && length >= 0 && length <= maxBytes) return next(request, response);
      return refuse(request, response, maxBytes, options.log);
    }
    if (request.headers["transfer-encoding"] === undefined) return next(request, response); // no body
    let chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    request.on("data", (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (received > maxBytes) {
        settled = true;
        chunks = [];
        request.pause();
        refuse(request, response, maxBytes, options.log);
        return;
      }
      chunks.push(chunk);
    });
    request.on("error", () => {
      settled = true;
      chunks = [];
    });
    request.on("end", () => {
      if (settled) return;
      settled = true;
      // @octokit/webhooks' middleware takes `rawBody` (with a parsed-body object) instead of the stream.
      Object.assign(request, { body: {}, rawBody: Buffer.concat(chunks) });
      chunks = [];
      next(request, response);
    });
  };
}

/** Wraps every `request` listener of a server in the limit; once per server. */
export function guardServer(server: Server, options: BodyLimitOptions): void {
  const listeners = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on(
    "request",
    limitRequestBody((request, response) => {
      for (const listener of listeners) listener.call(server, request, response);
    }, options),
  );
}

/** The options every guarded server reads, per request: installing again changes them. */
const live: BodyLimitOptions = {};
let subscribed = false;
const guarded = new WeakSet<Server>();

/**
 * Puts the limit in front of the HTTP server that serves the webhook path, whoever created it
 * (Probot's `run`, a `Server` in tests): Node publishes `http.server.request.start` before it emits
 * `request`, so the first request to reach a server wraps its listeners, itself included. Only
 * requests to the webhook path are limited. Installing again replaces the options.
 */
export function installWebhookBodyLimit(options: { webhookPath?: string; maxBytes?: number; log?: Pick<Logger, "warn"> } = {}): void {
  const webhookPath = (options.webhookPath ?? "/api/github/webhooks").replace(/\/+$/, "");
  live.maxBytes = options.maxBytes ?? MAX_WEBHOOK_BODY_BYTES;
  if (options.log) live.log = options.log;
  live.applies = (request) => (request.url ?? "").split("?")[0]!.replace(/\/+$/, "") === webhookPath;
  if (subscribed) return;
  subscribed = true;
  subscribe("http.server.request.start", (message) => {
    const { server } = message as { server: Server };
    if (guarded.has(server)) return;
    guarded.add(server);
    guardServer(server, live);
  });
}
