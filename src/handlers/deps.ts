import type { RecheckLimiter } from "../queue/recheck-limiter.js";
import type { ReviewQueue } from "../queue/types.js";

/** What every handler needs: where to put jobs, and the rerun limiter. */
export interface HandlerDeps {
  queue: ReviewQueue;
  limiter: RecheckLimiter;
}
