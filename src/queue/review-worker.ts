import { setPriority } from "node:os";
import { commentableLinesOf, importContextOf } from "../github/file-work.js";
import type { ContextRead } from "../review/context-imports.js";
import { reviewSnapshot } from "../review/review.js";
import type { Review } from "../review/types.js";
import { REVIEW_THREAD_NICE, type ContextReadAnswer, type ContextReadRequest, type ImportContextTask, type ReviewTask } from "./review-pool.js";

// On Linux a thread's nice value is its own (elsewhere it would apply to the whole process).
if (process.platform === "linux") {
  try {
    setPriority(0, REVIEW_THREAD_NICE);
  } catch {
    // A sandbox that refuses it: the thread runs at the process's priority.
  }
}

/**
 * The review pool's worker thread: the pure engine, snapshot and config in, Review out. Both
 * sides are plain data, copied between threads by structured clone.
 */
export default function review(task: ReviewTask): Review {
  return reviewSnapshot(task.snapshot, task.config, task.options);
}

/** The import context of a PR's files; each level's reads are asked of the pool's caller over the task's port. */
export async function importContext({ request, port }: ImportContextTask): ReturnType<typeof importContextOf> {
  const waiting = new Map<number, { resolve: (answers: Map<string, ContextRead>) => void; reject: (error: Error) => void }>();
  let next = 0;
  port.on("message", ({ id, answers, failed }: ContextReadAnswer) => {
    const entry = waiting.get(id);
    waiting.delete(id);
    if (failed || !answers) entry?.reject(new Error("a context read failed"));
    else entry?.resolve(answers);
  });
  const read = (paths: string[]) =>
    new Promise<Map<string, ContextRead>>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      port.postMessage({ id, paths } satisfies ContextReadRequest);
    });
  try {
    return await importContextOf(request, read);
  } finally {
    port.close();
  }
}

/** Per path, the head-side lines of its patch that inline comments may go on. */
export function commentableLines(patches: ReadonlyMap<string, string>): Map<string, Set<number>> {
  return commentableLinesOf(patches);
}
