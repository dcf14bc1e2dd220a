import type { Config } from "../config/schema.js";
import type { Finding, Review } from "../review/types.js";
import type { PullRequestSnapshot } from "../snapshot.js";
import type { FileWork } from "./file-work.js";

/**
 * The pure review engine and the comment renderer, as the GitHub edge uses them. `src/app.ts`
 * wires the real ones; handler tests pass hand-made reviews so they assert requests, not rules.
 */
export interface ReviewEngine {
  /** The app runs it in a worker thread (src/queue/review-pool.ts); handler tests answer at once. */
  reviewSnapshot(snapshot: PullRequestSnapshot, config: Config, options?: { forceAi?: boolean | string }): Review | Promise<Review>;
  notRunReview(snapshot: PullRequestSnapshot, reason: string): Review;
  renderThreatModelComment(review: Review, extras?: { overflowFindings?: readonly Finding[]; awaiting?: string; configProblems?: readonly string[] }): string;
  /** The hidden marker the comment carries, to find it again. */
  threatModelMarker: string;
  /** Import scans and patch parsing (the app's: in the review pool's threads); default: in this thread. */
  fileWork?: FileWork;
}
