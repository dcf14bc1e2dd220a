import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `src/queue/review-worker.ts` as the pool's worker threads load it: a worker thread runs plain
 * JavaScript, so the TypeScript sources are bundled with rolldown (Vite's bundler, installed for
 * vitest), packages left external, into node_modules/.cache where they resolve as in the project.
 * After `npm run build` the app uses dist/queue/review-worker.js instead.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let bundled: Promise<string> | undefined;

export function bundleReviewWorker(): Promise<string> {
  bundled ??= (async () => {
    const { build } = (await import("rolldown")) as { build: (options: Record<string, unknown>) => Promise<unknown> };
    const outDir = join(ROOT, "node_modules/.cache/pr-security-review-pool");
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `review-worker-${process.pid}.mjs`);
    await build({
      input: join(ROOT, "src/queue/review-worker.ts"),
      platform: "node",
      external: (id: string) => !id.startsWith(".") && !id.startsWith("/") && !/^[A-Za-z]:/.test(id),
      output: { file, format: "esm" },
      logLevel: "silent",
    });
    return file;
  })();
  return bundled;
}
