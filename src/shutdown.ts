import type { Logger } from "pino";

/** How long a stopping process lets running reviews finish: `DRAIN_MS`, default 20 s. */
export const DRAIN_MS = Number(process.env.DRAIN_MS) || 20_000;

/** Waits for the queue to close, at most the drain time and a margin; past that the process goes anyway. */
export async function closeWithin(closing: Promise<void> | undefined, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([closing?.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DRAIN_MS + 5_000)))]);
  clearTimeout(timer);
  if (!finished) log.warn("reviews still running at the end of the drain time: exiting anyway (their check runs are re-run from GitHub)");
}
