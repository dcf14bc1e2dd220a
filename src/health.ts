import type { IncomingMessage, ServerResponse } from "node:http";
import type { QueueRuntime } from "./queue/runtime.js";

export const HEALTH_PATH = "/healthz";

export interface HealthReport {
  status: "ok" | "degraded";
  queue: "in-process" | "redis";
  limiter: "memory" | "redis";
  redis?: "up" | "down";
  depth?: { waiting: number; active: number; delayed: number; buffered: number };
}

/** Redis reachability and queue depth; `degraded` (HTTP 503) when Redis is configured but down. */
export async function healthReport(runtime: QueueRuntime): Promise<HealthReport> {
  const base = { queue: runtime.queue.backend, limiter: runtime.limiter.backend } as const;
  if (runtime.redis && !(await runtime.redis.ping())) return { status: "degraded", ...base, redis: "down" };
  try {
    const { waiting, active, delayed, buffered } = await runtime.queue.stats();
    return { status: "ok", ...base, ...(runtime.redis ? { redis: "up" as const } : {}), depth: { waiting, active, delayed, buffered } };
  } catch {
    return { status: "degraded", ...base, ...(runtime.redis ? { redis: "down" as const } : {}) };
  }
}

/** A Probot `addHandler` handler for `GET /healthz`: JSON, 200 or 503, never cached. */
export function createHealthHandler(runtime: QueueRuntime, path = HEALTH_PATH) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = (req.url ?? "").split("?")[0];
    if (url !== path || (req.method !== "GET" && req.method !== "HEAD")) return false;
    healthReport(runtime)
      .then((report) => {
        res.writeHead(report.status === "ok" ? 200 : 503, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : JSON.stringify(report));
      })
      .catch(() => {
        res.writeHead(503, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ status: "degraded" }));
      });
    return true;
  };
}
