export { InProcessReviewQueue, type InProcessQueueOptions } from "./in-process.js";
export { MemoryRecheckLimiter, type RecheckDecision, type RecheckLimiter } from "./recheck-limiter.js";
export { reviewJobKey, type ReviewJob, type ReviewJobKind, type ReviewJobProcessor, type ReviewQueue } from "./types.js";
