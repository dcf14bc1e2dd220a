/**
 * The GitHub App as deployed (the built dist/app.js on Probot's real HTTP server, HMAC-signed
 * webhooks) against the end-to-end tests' fake GitHub (test/e2e/fake-github.ts: every request
 * validated against GitHub's OpenAPI operations and recorded). The fake is TypeScript, so it is
 * transpiled once into node_modules/.cache (where its imports resolve) and loaded from there.
 *
 * The fake answers list endpoints with every item in one response; GitHub pages them (at most 100
 * per page). A thin pager in front of it slices list responses by `page`/`per_page` and sets the
 * `Link` header as GitHub does, so Octokit's pagination makes the requests it would make on
 * GitHub: every request still reaches the fake and is counted there.
 */
import { performance } from "node:perf_hooks";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import examples from "@octokit/webhooks-examples" with { type: "json" };
import { sign } from "@octokit/webhooks-methods";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import ts from "typescript";
import { createApp } from "../dist/app.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const FAKE_SOURCE = join(ROOT, "test/e2e/fake-github.ts");
const CACHE = join(ROOT, "node_modules/.cache/pr-security-review-bench");
const SECRET = "bench-webhook-secret";
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

/** Probot's Server takes 0 as "unset" (port 3000): ask the OS for a free port instead. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function example(name, action) {
  return JSON.parse(JSON.stringify(examples.find((entry) => entry.name === name).examples.find((entry) => entry.action === action && entry.installation)));
}

/** Starts the fake, the pager and the app; returns helpers to open PRs and wait for their check runs. */
export async function startGitHubHarness() {
  const FakeGitHub = await loadFakeGitHub();
  const fake = new FakeGitHub(OWNER, REPO);
  await fake.start();
  const completions = new Map();
  const pager = await startPager(fake.port, ({ method, path, body }) => {
    // The request that completes a check run: its time is "check completed" as GitHub would record it.
    if (!/\/check-runs(\/\d+)?$/.test(path) || (method !== "PATCH" && method !== "POST") || !body) return;
    const parsed = JSON.parse(body);
    if (parsed.status !== "completed" && !parsed.conclusion) return;
    const headSha = parsed.head_sha ?? fake.checkRuns.find((run) => path.endsWith(`/${run.id}`))?.head_sha;
    completions.get(headSha)?.(performance.now());
  });
  const log = pino({ level: "silent" });
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  let queue;
  const server = new Server({
    Probot: Probot.defaults({
      appId: 1,
      privateKey,
      secret: SECRET,
      baseUrl: `http://127.0.0.1:${pager.address().port}/api/v3`,
      log,
      // The throttling plugin spaces writes a second apart (GitHub's secondary rate limits): pointless against the fake.
      Octokit: ProbotOctokit.defaults((options) => ({ ...options, throttle: { enabled: false } })),
    }),
    host: "127.0.0.1",
    port: await freePort(),
    log,
  });
  // The fake GitHub has no `GET /app`: the app is named as APP_SLUG would name it.
  await server.load(createApp({ identity: { slug: "security-review" }, onQueue: (created) => (queue = created) }));
  await server.start();
  const webhookUrl = `http://127.0.0.1:${server.port}/api/github/webhooks`;

  let pullNumber = 100;
  let shaCounter = 0;
  let delivery = 0;

  /**
   * Opens a PR with these files and reviews it; returns the requests the review made and the webhook →
   * completed time. With `edit`, the PR modifies every file (`edit` turns the base content into the head's).
   */
  async function review(files, edit) {
    const number = ++pullNumber;
    const headSha = (++shaCounter).toString(16).padStart(40, "c");
    fake.addPull({
      number,
      headSha,
      files: files.map((file) => (edit ? { filename: file.path, status: "modified", baseContent: file.content, content: edit(file.content) } : { filename: file.path, status: "added", content: file.content })),
    });
    const payload = example("pull_request", "opened");
    payload.number = number;
    Object.assign(payload.pull_request, { number, state: "open", draft: false, labels: [] });
    payload.pull_request.head.sha = headSha;
    const body = JSON.stringify(payload);
    const before = fake.requests.length;
    const completed = new Promise((resolve) => completions.set(headSha, resolve));
    const started = performance.now();
    const response = await globalThis.fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": `bench-${++delivery}`, "x-hub-signature-256": await sign(SECRET, body) },
      body,
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    const completedAt = await completed;
    await queue.onIdle();
    completions.delete(headSha);
    const requests = fake.requests.slice(before);
    const run = fake.latestRun(headSha);
    return { requests, ms: completedAt - started, conclusion: run?.conclusion, violations: [...fake.violations] };
  }

  /** Sends a signed `ping` webhook (answered once its signature is checked) and returns how long the answer took, in ms. */
  async function ping() {
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1, hook: { type: "App", id: 1, events: ["pull_request"], active: true } });
    const headers = { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": `bench-ping-${++delivery}`, "x-hub-signature-256": await sign(SECRET, body) };
    const started = performance.now();
    const response = await globalThis.fetch(webhookUrl, { method: "POST", headers, body });
    await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`ping answered ${response.status}`);
    return ms;
  }

  async function stop() {
    await queue?.close();
    await server.stop();
    await new Promise((resolve) => pager.close(resolve));
    await fake.stop();
  }

  return { review, ping, stop, webhookUrl, secret: SECRET };
}
