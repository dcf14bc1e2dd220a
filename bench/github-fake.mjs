/**
 * The bench's GitHub, run as a worker thread by bench/github.mjs: the end-to-end tests' fake GitHub
 * (test/e2e/fake-github.ts) behind a thin pager. The fake is TypeScript, so it is transpiled once
 * into node_modules/.cache (where its imports resolve) and loaded from there.
 *
 * The fake answers list endpoints with every item in one response; GitHub pages them (at most 100
 * per page). The pager slices list responses by `page`/`per_page` and sets the `Link` header as
 * GitHub does, so Octokit's pagination makes the requests it would make on GitHub: every request
 * still reaches the fake and is counted there.
 *
 * Messages in: `{ id, method, args }` for the methods below; out: `{ id, result }` or
 * `{ id, error }`, and `{ type: "completed", headSha, at }` when a request completes a check run
 * (`at`: wall-clock ms, `performance.timeOrigin + performance.now()`).
 */
import { setPriority } from "node:os";
import { performance } from "node:perf_hooks";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";
import ts from "typescript";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const FAKE_SOURCE = join(ROOT, "test/e2e/fake-github.ts");
const CACHE = join(ROOT, "node_modules/.cache/pr-security-review-bench");
const OWNER = "Codertocat";
const REPO = "Hello-World";

async function loadFakeGitHub() {
  const source = readFileSync(FAKE_SOURCE, "utf8").replace('"./openapi/github-operations.json"', JSON.stringify(pathToFileURL(join(ROOT, "test/e2e/openapi/github-operations.json")).href));
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: FAKE_SOURCE });
  mkdirSync(CACHE, { recursive: true });
  const out = join(CACHE, "fake-github.mjs");
  writeFileSync(out, outputText);
  return (await import(pathToFileURL(out).href)).FakeGitHub;
}

/** GitHub's paged list endpoints the app reads. */
const PAGED = [/\/pulls\/\d+\/files$/, /\/pulls\/\d+\/commits$/, /\/issues\/\d+\/comments$/, /\/pulls\/\d+\/reviews$/, /\/pulls\/\d+\/comments$/];

/** Forwards to the fake; pages list responses; calls `onRequest` with each request once the fake has answered it. */
function startPager(fakePort, onRequest) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers = { ...req.headers };
    delete headers.host;
    delete headers["content-length"];
    const upstream = await globalThis.fetch(`http://127.0.0.1:${fakePort}${req.url}`, { method: req.method, headers, ...(body.length > 0 ? { body } : {}) });
    let text = await upstream.text();
    const out = { "content-type": upstream.headers.get("content-type") ?? "application/json" };
    const path = url.pathname.replace(/^\/api\/v3/, "");
    if (req.method === "GET" && upstream.ok && PAGED.some((pattern) => pattern.test(path))) {
      const items = JSON.parse(text);
      const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
      const page = Number(url.searchParams.get("page") ?? 1);
      text = JSON.stringify(items.slice((page - 1) * perPage, page * perPage));
      if (page * perPage < items.length) {
        const next = new URL(url.href);
        next.searchParams.set("page", String(page + 1));
        next.searchParams.set("per_page", String(perPage));
        out.link = `<http://127.0.0.1:${server.address().port}${next.pathname}${next.search}>; rel="next"`;
      }
    }
    res.writeHead(upstream.status, out).end(text);
    onRequest({ method: req.method, path, body: body.length > 0 ? body.toString("utf8") : undefined });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// GitHub's work is done on GitHub's machines: on Linux (where a thread's nice value is its own) the
// fake yields the CPU to the app's threads, as it would not compete with them for a CPU at all.
if (process.platform === "linux") setPriority(0, 10);

let fake;
let pager;

const methods = {
  async start() {
    const FakeGitHub = await loadFakeGitHub();
    fake = new FakeGitHub(OWNER, REPO);
    await fake.start();
    pager = await startPager(fake.port, ({ method, path, body }) => {
      // The request that completes a check run: its time is "check completed" as GitHub would record it.
      if (!/\/check-runs(\/\d+)?$/.test(path) || (method !== "PATCH" && method !== "POST") || !body) return;
      const parsed = JSON.parse(body);
      if (parsed.status !== "completed" && !parsed.conclusion) return;
      const headSha = parsed.head_sha ?? fake.checkRuns.find((run) => path.endsWith(`/${run.id}`))?.head_sha;
      parentPort.postMessage({ type: "completed", headSha, at: performance.timeOrigin + performance.now() });
    });
    return { pagerPort: pager.address().port };
  },
  addPull(pull) {
    fake.addPull(pull);
  },
  requestCount() {
    return fake.requests.length;
  },
  /** The requests since the `before`-th, the conclusion of the head's latest run, and every violation so far. */
  since(before, headSha) {
    return { requests: fake.requests.slice(before), conclusion: fake.latestRun(headSha)?.conclusion, violations: [...fake.violations] };
  },
  async stop() {
    await new Promise((resolve) => pager.close(resolve));
    await fake.stop();
  },
};

parentPort.on("message", async ({ id, method, args }) => {
  try {
    parentPort.postMessage({ id, result: await methods[method](...args) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.stack ?? error) });
  }
});
