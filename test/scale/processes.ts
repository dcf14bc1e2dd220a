import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Runs `src/worker.ts` (what `npm run worker` runs from `dist/`) as real child processes. The
 * TypeScript sources are bundled first with rolldown (Vite's bundler, already installed for
 * vitest), packages left external, into node_modules/.cache so they resolve as in the project.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bundled = new Map<string, Promise<string>>();

/** `src/worker.ts` or `src/server.ts`, bundled once per test process. */
export function bundleEntry(entry: "worker" | "server"): Promise<string> {
  let result = bundled.get(entry);
  if (result) return result;
  result = (async () => {
    const { build } = (await import("rolldown")) as { build: (options: Record<string, unknown>) => Promise<unknown> };
    const outDir = join(ROOT, "node_modules/.cache/pr-security-review-scale");
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `${entry}-${process.pid}.mjs`);
    await build({
      input: join(ROOT, `src/${entry}.ts`),
      platform: "node",
      external: (id: string) => !id.startsWith(".") && !id.startsWith("/") && !/^[A-Za-z]:/.test(id),
      output: { file, format: "esm" },
      logLevel: "silent",
    });
    return file;
  })();
  bundled.set(entry, result);
  return result;
}

export interface WorkerProcess {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

export async function startWorker(env: Record<string, string>, entry: "worker" | "server" = "worker"): Promise<WorkerProcess> {
  const file = await bundleEntry(entry);
  const child = spawn(process.execPath, [file], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", APP_SLUG: "security-review", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let rest = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const text = rest + chunk.toString("utf8");
    const parts = text.split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts.filter(Boolean));
  });
  child.stderr!.on("data", (chunk: Buffer) => lines.push(`stderr: ${chunk.toString("utf8")}`));
  if (process.env.SCALE_CHILD_LOG) {
    const { appendFileSync } = await import("node:fs");
    child.stdout!.on("data", (chunk: Buffer) => appendFileSync(process.env.SCALE_CHILD_LOG!, chunk));
  }
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  return { child, lines, exited };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}
