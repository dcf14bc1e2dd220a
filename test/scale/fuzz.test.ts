import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { pino } from "pino";
import { Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { MAX_CONFIG_BYTES } from "../../src/config/yaml.js";
import { MAX_WEBHOOK_BODY_BYTES } from "../../src/handlers/body-limit.js";
import { DEFAULT_CONFIG, type Config } from "../../src/config/schema.js";
import type { ReviewQueue } from "../../src/queue/types.js";
import { MAX_LINES, screenSource } from "../../src/review/limits.js";
import { CHECKS } from "../../src/checks/index.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { PullRequestSnapshot } from "../../src/snapshot.js";
import { FakeGitHub } from "../e2e/fake-github.js";
import { example, OWNER, PRIVATE_KEY, pullRequestPayload, REPO, SECRET, seeded, sha, startApp, testOctokit } from "./helpers.js";

/**
 * Hostile input, seeded: 360 mutated webhook payloads (deleted fields, wrong types, huge strings,
 * unknown actions, giant comments), 12 raw HTTP bodies (truncated, not JSON, wrong content type),
 * 150 repository configs (not YAML, not the schema, alias bombs, deep nesting), and the
 * pathological sources (10 MB, 100,000 lines, 5,000-deep nesting, invalid syntax, binary, a
 * minified bundle). Nothing crashes; every case finishes within its time bound; every review of
 * a bad config still ends with a completed check run that says why.
 */

const MATH_TS = `export function add(a: number, b: number): number {
  return a + b;
}
`;

beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
});

function snapshotOf(files: { path: string; content: string }[]): PullRequestSnapshot {
  return { repo: "acme/shop", number: 1, title: "Pathological", body: "", headSha: "a".repeat(40), labels: [], commits: [], files: files.map((file) => ({ ...file, status: "added" as const })) } as PullRequestSnapshot;
}

const PATHOLOGICAL: Record<string, () => string> = {
  "ten-megabytes.ts": () => "export const value = 1;\n".repeat(Math.ceil(10_000_000 / 24)),
  "hundred-thousand-lines.ts": () => "a();\n".repeat(100_000),
  "deep-nesting.ts": () => `export const x = ${"[".repeat(5_000)}${"]".repeat(5_000)};\n`,
  "deep-functions.ts": () => "function f() {\n".repeat(5_000) + "}\n".repeat(5_000),
  "invalid-syntax.ts": () => "export async function POST(req {{ }} ) => ;; const = = import from ]\n".repeat(2_000),
  "binary.ts": () => Buffer.from(Array.from({ length: 200_000 }, (_, index) => (index * 7919) % 256)).toString("latin1"),
  "vendor-bundle.js": () => Array.from({ length: 20_000 }, (_, index) => `var a${index}=function(b){return b.x${index}+req.body.y${index}};`).join("").slice(0, 900_000),
};

describe("pathological sources", () => {
  it("each finishes in bounded time, and the review says what it skipped and why", () => {
    const files = Object.entries(PATHOLOGICAL).map(([name, make]) => ({ path: `src/${name}`, content: make() }));
    const started = performance.now();
    for (const file of files) {
      const one = performance.now();
      reviewSnapshot(snapshotOf([file, { path: "src/math.ts", content: MATH_TS }]), DEFAULT_CONFIG);
      expect(performance.now() - one, file.path).toBeLessThan(5_000);
    }
    const review = reviewSnapshot(snapshotOf([...files, { path: "src/math.ts", content: MATH_TS }]), DEFAULT_CONFIG);
    expect(performance.now() - started).toBeLessThan(20_000);
    const reasons = Object.fromEntries(review.notAnalysed.map((entry) => [entry.path, entry.reason]));
    expect(reasons["src/ten-megabytes.ts"]).toMatch(/larger than 1000000 bytes/);
    expect(reasons["src/hundred-thousand-lines.ts"]).toMatch(new RegExp(`limit ${MAX_LINES}`));
    expect(reasons["src/deep-nesting.ts"]).toMatch(/nesting 5000 levels deep/);
    expect(reasons["src/deep-functions.ts"]).toMatch(/nesting 5000 levels deep/);
    expect(reasons["src/binary.ts"]).toMatch(/binary content/);
    expect(reasons["src/vendor-bundle.js"]).toMatch(/minified or generated code/);
    expect(review.analysed).toContain("src/math.ts");
    expect(review.analysed).toContain("src/invalid-syntax.ts"); // the parser recovers: analysed, in bounded time
    // Each of them is a limit: the review is incomplete (the check run awaits an approval), never a clean pass.
    expect(review.notAnalysed.filter((entry) => entry.path !== "src/invalid-syntax.ts").every((entry) => entry.limit)).toBe(true);
    expect(review.incomplete).toMatch(/^6 files could not be read in full within the review's limits \(src\/[^)]+, …\); list generated files under paths\.exclude\.$/);
  });

  it("operator chains thousands of terms long (deep trees no bracket count catches): the review completes with every check", () => {
    const chain = (terms: number, op: string, term: string) => Array.from({ length: terms }, () => term).join(` ${op}\n`);
    const route = `import { logger } from "@/lib/logger";
import { prisma } from "@/lib/prisma";
export async function POST(req: Request) {
  const body = await req.json();
  logger.info({ email: body.email });
  await prisma.patient.create({ data: { ssn: body.ssn, note: ${chain(8_000, "+", "body.note")} } });
  return Response.json({ ok: ${chain(8_000, "&&", "body.ok")} });
}
`;
    const hook = `export const handle = async ({ event, resolve }) => {
  if ((${chain(8_000, "||", "event.url.pathname.startsWith('/a')")}) && !event.locals.user) return new Response("Unauthorized", { status: 401 });
  return resolve(event);
};
`;
    const review = reviewSnapshot(
      snapshotOf([
        { path: "app/api/patients/route.ts", content: route },
        { path: "src/hooks.server.ts", content: hook },
        { path: "src/routes/a/+server.ts", content: `import { db } from "$lib/server/db";\nexport async function DELETE({ params }) {\n  await db.note.delete({ where: { id: params.id } });\n}\n` },
      ]),
      DEFAULT_CONFIG,
    );
    // What the analysis can still read, it reports: the logged email, and the SvelteKit route the unreadable hook does not cover.
    expect(review.findings.map((f) => `${f.ruleId} ${f.path}`)).toEqual(expect.arrayContaining(["logging/pii-in-logs app/api/patients/route.ts", "ingress/missing-auth src/routes/a/+server.ts"]));
    // The checks walk syntax without recursion: every one of them finishes.
    expect(review.notes.filter((note) => note.includes("could not finish"))).toEqual([]);
    // The review is incomplete for the nesting the facts walk skipped, not for a lost check.
    expect(review.incomplete).toMatch(/^2 files could not be read in full/);
  });

  it("a check that overflows the stack costs that check, not the review; any other error is a bug and is thrown", () => {
    const overflowing = { ...CHECKS[0]!, id: "test/overflow", run: () => { throw new RangeError("Maximum call stack size exceeded"); } };
    const broken = { ...CHECKS[0]!, id: "test/broken", run: () => { throw new TypeError("a bug"); } };
    const jwt = CHECKS.find((check) => check.id === "auth/jwt-decode-without-verify")!;
    const files = [{ path: "src/session.ts", content: `import jwt from "jsonwebtoken";\nexport function claims(token: string) {\n  return jwt.decode(token);\n}\n` }];
    const review = reviewSnapshot(snapshotOf(files), DEFAULT_CONFIG, { checks: [overflowing, jwt] });
    expect(review.findings.map((f) => f.ruleId)).toEqual(["auth/jwt-decode-without-verify"]);
    expect(review.notes).toContain("1 check could not finish: code in this PR is nested too deep for the analysis (test/overflow).");
    expect(review.incomplete).toBe("1 check could not finish: code in this PR is nested too deep for the analysis (test/overflow).");
    expect(() => reviewSnapshot(snapshotOf(files), DEFAULT_CONFIG, { checks: [broken, jwt] })).toThrow(TypeError);
  });

  it("past the review's time budget, the remaining files are skipped with the reason", () => {
    const config: Config = { ...DEFAULT_CONFIG, limits: { ...DEFAULT_CONFIG.limits, reviewTimeoutMs: 100 } };
    const files = Array.from({ length: 400 }, (_, index) => ({ path: `src/routes/r${index}.ts`, content: `export async function POST(req: Request) {\n  const body = await req.json();\n  return Response.json({ id: ${index}, body });\n}\n` }));
    // A clock that advances 1 ms each time it is read: the budget runs out part-way, whatever the machine's speed.
    let tick = 0;
    const started = performance.now();
    const review = reviewSnapshot(snapshotOf(files), config, { clock: () => tick++ });
    expect(performance.now() - started).toBeLessThan(10_000);
    const skipped = review.notAnalysed.filter((entry) => entry.reason.includes("limits.reviewTimeoutMs"));
    expect(skipped.length).toBeGreaterThan(0);
    expect(review.analysed.length + skipped.length).toBe(400);
    // Checks the limit stopped make the review incomplete (the check run awaits an approval), never a clean pass.
    expect(review.incomplete).toMatch(/checks were not run/);
  });

  it("the screen is linear and exact about its reasons", () => {
    expect(screenSource(MATH_TS)).toBeUndefined();
    expect(screenSource("a\u0000b")).toBe("binary content");
    expect(screenSource("x".repeat(6_000))).toMatch(/a line of 6000 characters/);
    expect(screenSource("(".repeat(1_001))).toMatch(/nesting 1001 levels deep/);
    const started = performance.now();
    screenSource("{".repeat(2_000_000));
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

// ---------------------------------------------------------------------------------------------

type Mutation = (payload: Record<string, unknown>, random: () => number) => void;

function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (typeof value === "object" && value !== null && out.length < 2_000) {
    for (const [key, child] of Object.entries(value)) {
      out.push([...prefix, key]);
      if (prefix.length < 4) paths(child, [...prefix, key], out);
    }
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown, remove = false): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null) return;
    node = next as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (remove) delete node[last];
  else node[last] = value;
}

const HOSTILE_VALUES: ((random: () => number) => unknown)[] = [
  () => null,
  () => undefined,
  () => "",
  () => -1,
  () => 0,
  () => 1.5,
  () => 2 ** 53,
  () => true,
  () => [],
  () => ({}),
  () => "x".repeat(1_000_000),
  () => "/security recheck\n".repeat(50_000),
  () => "`".repeat(100_000),
  (random) => String(Math.floor(random() * 1e9)),
  () => ({ toString: "not a function", __proto__: { polluted: true } }),
  () => "../../etc/passwd",
  () => "\u0000\uffff\ud800",
];

const MUTATIONS: Mutation[] = [
  (payload, random) => {
    const all = paths(payload);
    setPath(payload, all[Math.floor(random() * all.length)]!, undefined, true);
  },
  (payload, random) => {
    const all = paths(payload);
    setPath(payload, all[Math.floor(random() * all.length)]!, HOSTILE_VALUES[Math.floor(random() * HOSTILE_VALUES.length)]!(random));
  },
  (payload) => {
    payload.action = "exploded";
  },
  (payload, random) => {
    for (const key of Object.keys(payload)) if (random() < 0.3) delete payload[key];
  },
];

const EVENTS: { name: string; action: string; make: () => Record<string, unknown> }[] = [
  { name: "pull_request", action: "opened", make: () => pullRequestPayload("opened", 1, sha("fuzz:1")) },
  { name: "pull_request", action: "synchronize", make: () => pullRequestPayload("synchronize", 1, sha("fuzz:1")) },
  { name: "pull_request", action: "labeled", make: () => ({ ...pullRequestPayload("labeled", 1, sha("fuzz:1")), label: { name: "ai-generated" } }) },
  {
    name: "issue_comment",
    action: "created",
    make: () => {
      const payload = example("issue_comment", "created");
      payload.issue.number = 1;
      payload.issue.pull_request = { url: "http://127.0.0.1/pulls/1" };
      payload.comment.body = "/security recheck";
      return payload;
    },
  },
  { name: "check_run", action: "rerequested", make: () => example("check_run", "rerequested") },
  { name: "check_suite", action: "rerequested", make: () => example("check_suite", "rerequested") },
  { name: "pull_request_review", action: "submitted", make: () => example("pull_request_review", "submitted") },
];

describe("fuzzed webhooks and configs", () => {
  let fake: FakeGitHub;
  let probot: Probot;
  let queue: ReviewQueue;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    fake = new FakeGitHub(OWNER, REPO);
    await fake.start();
    fake.permissions.set("Codertocat", "write");
    fake.addPull({ number: 1, headSha: sha("fuzz:1"), files: [{ filename: "src/math.ts", status: "added", content: MATH_TS }] });
    probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, secret: SECRET, baseUrl: `http://127.0.0.1:${fake.port}/api/v3`, log: pino({ level: "silent" }), Octokit: testOctokit({ throttle: false }) });
    await probot.load(createApp({ identity: { slug: "security-review" }, concurrency: 4, inProcess: { attempts: 1 }, onQueue: (created) => (queue = created) }));
  });

  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await queue?.close();
    await fake?.stop();
  });

  it("360 mutated payloads: each answered or refused within 2 s, no crash", async () => {
    const random = seeded(1337);
    let refused = 0;
    for (let index = 0; index < 360; index++) {
      const event = EVENTS[index % EVENTS.length]!;
      const payload = event.make();
      const rounds = 1 + Math.floor(random() * 3);
      for (let round = 0; round < rounds; round++) MUTATIONS[Math.floor(random() * MUTATIONS.length)]!(payload, random);
      const started = performance.now();
      try {
        await probot.receive({ id: `fuzz-${index}`, name: event.name, payload } as never);
      } catch {
        refused++; // a handler error is Probot's 500 to GitHub, logged: not a crash
      }
      expect(performance.now() - started, `case ${index} (${event.name}.${event.action})`).toBeLessThan(10_000);
    }
    await queue.onIdle();
    expect(unhandled).toEqual([]);
    expect(refused).toBeLessThan(360);
  }, 55_000);

  it("150 configs that are not YAML, not the schema, or hostile: every review completes, bad ones reported with the reason and the review run with the defaults", async () => {
    const random = seeded(99);
    // At the limits: a 64 KB file (comments make up the rest) is read; one byte more is refused.
    const atLimit = (text: string) => `${text}#${"x".repeat(MAX_CONFIG_BYTES - Buffer.byteLength(text) - 2)}\n`;
    // Globs a backtracking matcher takes minutes on are valid, and matched in linear time.
    const slowForBacktracking = `paths:\n  exclude: [${Array.from({ length: 100 }, (_, i) => `'*a*a*a*a*a*a*a*a*a*b${i}', '+(a*|*a)z${i}'`).join(", ")}]\n`;
    const valid = ["failOn: high\n", "failOn: critical\nmaxInlineComments: 5\n", "paths:\n  exclude: ['docs/**', '@(a|b)/**/*.gen.ts', '{x,y}/+(z).ts']\n", "", atLimit("failOn: high\n"), slowForBacktracking];
    const hostile = [
      "failOn: [\n",
      "\t- tabs: are: not: yaml\n",
      "failOn: 'unterminated\n",
      "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
      `${"[".repeat(5_000)}${"]".repeat(5_000)}\n`,
      "failOn: severe\n",
      "limits:\n  maxFiles: -4\n",
      "rules:\n  ingress/missing-auth: sometimes\n",
      "unknownKey: true\n",
      "- just\n- a\n- list\n",
      "42\n",
      "\u0000\u0001\u0002binary",
      "x: " + "y".repeat(300_000) + "\n",
      "__proto__:\n  polluted: true\n",
      "_extends: ../../../../etc/passwd\n",
      "_extends: other-repo\n",
      `${atLimit("failOn: high\n")}#\n`,
      Array.from({ length: 12_000 }, (_, i) => i.toString(36)).join(":\n") + ":\n",
      `paths:\n  exclude: [${"[".repeat(40)}${"]".repeat(40)}]\n`,
      "paths:\n  exclude: ['@(a|+(b|*(c)))/**']\n",
      "paths:\n  include: ['!(src)/**']\n",
      `publicRoutes: ['/api/${"x".repeat(300)}']\n`,
    ];
    let head = 0;
    for (let index = 0; index < 150; index++) {
      const text = random() < 0.25 ? valid[Math.floor(random() * valid.length)]! : hostile[Math.floor(random() * hostile.length)]!;
      fake.config = text;
      const headSha = sha(`fuzz-config:${++head}`);
      fake.push(1, headSha);
      const started = performance.now();
      await probot.receive({ id: `config-${index}`, name: "pull_request", payload: pullRequestPayload("synchronize", 1, headSha) } as never);
      await queue.onIdle();
      expect(performance.now() - started, `config case ${index}`).toBeLessThan(3_000);
      const run = fake.latestRun(headSha);
      expect(run?.status, `config case ${index}`).toBe("completed");
      expect(run?.conclusion, `config case ${index}`).not.toBe("neutral");
      if (!valid.includes(text)) expect(run?.output.summary, `config case ${index}`).toContain("is invalid, so the review ran with the defaults");
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(unhandled).toEqual([]);
    fake.config = undefined;
  }, 55_000);

  it("raw HTTP bodies: truncated, not JSON, wrong content type, giant: a 4xx or 2xx, and the server stays up", async () => {
    const app = await startApp(fake, pino({ level: "silent" }), { concurrency: 2 });
    try {
      const full = JSON.stringify(pullRequestPayload("opened", 1, sha("fuzz:1")));
      // Exactly the 25 MB limit: read, and its signature checked.
      const padded = JSON.stringify({ ...JSON.parse(full), padding: "" });
      const atLimit = JSON.stringify({ ...JSON.parse(full), padding: "x".repeat(MAX_WEBHOOK_BODY_BYTES - Buffer.byteLength(padded)) });
      const bodies = [full.slice(0, 100), full.slice(0, full.length - 1), "not json at all", "", "null", "[]", "42", '"string"', JSON.stringify({ action: "opened" }), `{"a":${"[".repeat(10_000)}${"]".repeat(10_000)}}`, JSON.stringify({ ...JSON.parse(full), pull_request: "x".repeat(3_000_000) }), atLimit];
      expect(Buffer.byteLength(atLimit)).toBe(MAX_WEBHOOK_BODY_BYTES);
      const statuses: number[] = [];
      for (const [index, body] of bodies.entries()) {
        const started = performance.now();
        const response = await fetch(`${app.url}/api/github/webhooks`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": `raw-${index}`, "x-hub-signature-256": body ? await sign(SECRET, body) : `sha256=${"0".repeat(64)}` },
          body,
        });
        statuses.push(response.status);
        // A hang bound, not a speed target (the bench measures answer times): a 25 MB body is read and its signature checked on a loaded CI machine.
        expect(performance.now() - started).toBeLessThan(15_000);
      }
      // Truncated, not JSON, empty: 400 from Probot's webhook middleware. JSON that is not an object
      // (null, a number, a string) is answered 500 by Probot itself before any handler runs; the
      // rest reach the handlers, whose validation logs and ignores them: 200.
      expect(statuses.slice(0, 4)).toEqual([400, 400, 400, 400]);
      for (const status of statuses) expect([200, 400, 500]).toContain(status);
      // One byte over: 413, before Probot reads it or checks its signature.
      const over = await fetch(`${app.url}/api/github/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "raw-over", "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
        body: `${atLimit} `,
      });
      expect(over.status).toBe(413);
      const wrongType = await fetch(`${app.url}/api/github/webhooks`, { method: "POST", headers: { "content-type": "text/plain" }, body: full });
      expect(wrongType.status).toBe(415);
      const health = await fetch(`${app.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", queue: "in-process", limiter: "memory" });
    } finally {
      await app.stop();
    }
  });
});
