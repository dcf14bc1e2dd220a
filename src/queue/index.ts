export { RedisReviewQueue, bullJobIds, type RedisQueueOptions } from "./bullmq.js";
export { InProcessReviewQueue, type InProcessQueueOptions } from "./in-process.js";
export { MemoryRecheckLimiter, RedisRecheckLimiter, type RecheckDecision, type RecheckLimiter } from "./recheck-limiter.js";
export { reviewJobKey, type QueueStats, type ReviewJob, type ReviewJobKind, type ReviewJobMeta, type ReviewJobProcessor, type ReviewQueue } from "./types.js";
