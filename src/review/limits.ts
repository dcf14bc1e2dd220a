import type { Config } from "../config/schema.js";

/**
 * Bounded analysis: what keeps one pathological file or one huge PR from holding a worker. Two
 * parts: a cheap screen of each file's text before it is parsed (binary content, minified or
 * generated bundles, absurd line counts, nesting the parser would recurse through), and a time
 * budget — per file (`limits.fileTimeoutMs`) and per review (`limits.reviewTimeoutMs`). The
 * engine is synchronous, so time is checked between files and between checks: a file that took
 * longer than its budget is left out of the checks, and once the review's budget is spent the
 * remaining files and checks are skipped. Each skip is reported with its reason.
 */

/** Lines in one file beyond which it is not parsed (a generated file, not hand-written code). */
export const MAX_LINES = 50_000;
/** A line this long is minified or generated code. */
export const MAX_LINE_CHARS = 5_000;
/** Bracket nesting beyond which the parser's recursion is not attempted. */
export const MAX_NESTING = 1_000;

/** Why a file's text should not be parsed, or `undefined` when it is fine. Linear in the text. */
export function screenSource(text: string): string | undefined {
  // One pass: control characters (in the first 8 KiB), lines, the longest line and bracket depth.
  const headLength = Math.min(text.length, 8_192);
  let control = 0;
  let lines = 1;
  let lineStart = 0;
  let longest = 0;
  let depth = 0;
  let deepest = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 32) {
      if (code === 10) {
        lines++;
        if (index - lineStart > longest) longest = index - lineStart;
        lineStart = index + 1;
      } else if (index < headLength && code !== 9 && code !== 13 && code !== 12) {
        if (code === 0) return "binary content";
        control++;
      }
    } else if (code === 40 || code === 91 || code === 123) {
      if (++depth > deepest) deepest = depth;
    } else if ((code === 41 || code === 93 || code === 125) && depth > 0) depth--;
  }
  if (headLength > 0 && control / headLength > 0.1) return "binary content";
  longest = Math.max(longest, text.length - lineStart);
  if (deepest > MAX_NESTING) return `nesting ${deepest} levels deep (limit ${MAX_NESTING})`;
  if (longest > MAX_LINE_CHARS) return `minified or generated code (a line of ${longest} characters; limit ${MAX_LINE_CHARS})`;
  if (lines > MAX_LINES) return `${lines} lines (limit ${MAX_LINES})`;
  return undefined;
}

export interface ReviewBudget {
  /** The time now, in milliseconds (monotonic). */
  now(): number;
  /** Set once the review's time budget is spent: the reason to give for what is skipped. */
  spent(): string | undefined;
  /** Whether a file that started at `startedAt` went over its budget. */
  fileOver(startedAt: number): boolean;
}

/** The time budget of one review, from `limits`; `clock` is injectable for tests. */
export function reviewBudget(limits: Config["limits"], clock: () => number = () => performance.now()): ReviewBudget {
  const started = clock();
  return {
    now: clock,
    spent: () => (clock() - started > limits.reviewTimeoutMs ? `the review's time limit of ${limits.reviewTimeoutMs} ms (limits.reviewTimeoutMs) was reached` : undefined),
    fileOver: (startedAt) => clock() - startedAt > limits.fileTimeoutMs,
  };
}
