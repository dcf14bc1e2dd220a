import { reviewSnapshot } from "../review/review.js";
import type { Review } from "../review/types.js";
import type { ReviewTask } from "./review-pool.js";

/**
 * The review pool's worker thread: the pure engine, snapshot and config in, Review out. Both
 * sides are plain data, copied between threads by structured clone.
 */
export default function review(task: ReviewTask): Review {
  return reviewSnapshot(task.snapshot, task.config, task.options);
}
