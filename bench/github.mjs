/**
 * The GitHub App as deployed (the built dist/app.js on Probot's real HTTP server, HMAC-signed
 * webhooks) against the end-to-end tests' fake GitHub (test/e2e/fake-github.ts: every request
 * validated against GitHub's OpenAPI operations and recorded), with a thin pager in front of it
 * (bench/github-fake.mjs).
 *
 * The fake and its pager run in a worker thread of their own, as GitHub runs on machines of its
 * own: the work they do for a request (diffing a 1 MB file into a patch, serialising answers,
 * validating requests) is not the app's, and on the app's event loop it would be charged to the
 * app's webhook answer times. The harness talks to the fake by messages.
 */
import { performance } from "node:perf_hooks";
import { generateKeyPairSync } from "node:crypto";
import { createServer as createNetServer } from "node:net";
import { Worker } from "node:worker_threads";
import examples from "@octokit/webhooks-examples" with { type: "json" };
import { sign } from "@octokit/webhooks-methods";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { createApp } from "../dist/app.js";

const SECRET = "bench-webhook-secret";

/** Wall-clock milliseconds, comparable across threads (each thread's `performance.now()` has its own origin). */
const now = () => performance.timeOrigin + performance.now();

/**
 * The fake GitHub in its worker thread: `call(method, ...args)` runs a method of the fake there and
 * resolves with its answer; `onCompleted(headSha, at)` hears of each request that completes a check
 * run, with the time the fake answered it.
 */
async function startFakeThread(onCompleted) {
  const worker = new Worker(new URL("./github-fake.mjs", import.meta.url));
  const pending = new Map();
  let nextId = 0;
  worker.on("message", (message) => {
    if (message.type === "completed") return onCompleted(message.headSha, message.at);
    const entry = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) entry?.reject(new Error(message.error));
    else entry?.resolve(message.result);
  });
  const failed = new Promise((_, reject) => worker.once("error", reject));
  failed.catch(() => undefined);
  const call = (method, ...args) =>
    Promise.race([
      new Promise((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, method, args });
      }),
      failed,
    ]);
  const { pagerPort } = await call("start");
  return { call, pagerPort, terminate: () => worker.terminate() };
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
  const completions = new Map();
  const fake = await startFakeThread((headSha, at) => completions.get(headSha)?.(at));
  const log = pino({ level: "silent" });
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  let queue;
  const server = new Server({
    Probot: Probot.defaults({
      appId: 1,
      privateKey,
      secret: SECRET,
      baseUrl: `http://127.0.0.1:${fake.pagerPort}/api/v3`,
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
    await fake.call("addPull", {
      number,
      headSha,
      files: files.map((file) => (edit ? { filename: file.path, status: "modified", baseContent: file.content, content: edit(file.content) } : { filename: file.path, status: "added", content: file.content })),
    });
    const payload = example("pull_request", "opened");
    payload.number = number;
    Object.assign(payload.pull_request, { number, state: "open", draft: false, labels: [] });
    payload.pull_request.head.sha = headSha;
    const body = JSON.stringify(payload);
    const before = await fake.call("requestCount");
    const completed = new Promise((resolve) => completions.set(headSha, resolve));
    const started = now();
    const response = await globalThis.fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": `bench-${++delivery}`, "x-hub-signature-256": await sign(SECRET, body) },
      body,
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    const completedAt = await completed;
    await queue.onIdle();
    completions.delete(headSha);
    const { requests, conclusion, violations } = await fake.call("since", before, headSha);
    return { requests, ms: completedAt - started, conclusion, violations };
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
    await fake.call("stop");
    await fake.terminate();
  }

  return { review, ping, stop, webhookUrl, secret: SECRET };
}
