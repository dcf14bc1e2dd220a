import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import examples from "@octokit/webhooks-examples" with { type: "json" };
import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { pooledReviewEngine, ReviewPool } from "../../src/queue/review-pool.js";
import type { ReviewQueue } from "../../src/queue/types.js";
import { HARDEN_MARKER } from "../../src/report/harden.js";
import { THREAT_MODEL_MARKER } from "../../src/report/threat-model.js";
import { COVERAGE_LINE, lastLine } from "../report/coverage-line.js";
import { FakeGitHub, type FakeFile } from "./fake-github.js";
import { bundleReviewWorker } from "./review-worker-bundle.js";

/**
 * The app as deployed: Probot's real HTTP server on 127.0.0.1 receives HMAC-signed webhooks, and
 * its Octokit talks to a fake GitHub that validates every request against GitHub's OpenAPI
 * description. The real review engine runs, in the worker-thread pool as deployed.
 */

const SECRET = "e2e-webhook-secret";
const OWNER = "Codertocat";
const REPO = "Hello-World";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

const SESSION_TS = `import jwt from "jsonwebtoken";

export function readSession(token: string) {
  const claims = jwt.decode(token);
  return claims;
}
`;

const MATH_TS = `export function add(a: number, b: number): number {
  return a + b;
}
`;

const COMPLETE_TASK_TS = `import { prisma } from "@/lib/prisma";
import { requireAuth } from "@/lib/auth";

export default async function handler(req: any, res: any) {
  const user = await requireAuth(req, res);
  const task = await prisma.task.update({
    where: { id: String(req.query.id), ownerId: user.id },
    data: { status: "done" },
  });
  res.json({ id: task.id });
}
`;

let fake: FakeGitHub;
let server: Server;
let queue: ReviewQueue;
let pool: ReviewPool;
let webhookUrl: string;
let sha = 0;

function nextSha(): string {
  return (++sha).toString(16).padStart(40, "a");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

type Example = { name: string; examples: Record<string, unknown>[] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function example(name: string, action: string): any {
  const found = (examples as unknown as Example[]).find((entry) => entry.name === name)?.examples.find((entry) => entry.action === action && entry.installation);
  return structuredClone(found);
}

/** A real pull_request payload for one of the fake's PRs. */
function pullRequestPayload(action: string, number: number) {
  const pull = fake.pulls.get(number)!;
  const payload = example("pull_request", action === "synchronize" ? "synchronize" : "opened");
  payload.action = action;
  payload.number = number;
  Object.assign(payload.pull_request, { number, state: "open", draft: pull.draft, labels: pull.labels.map((name) => ({ name })) });
  payload.pull_request.head.sha = pull.headSha;
  return payload;
}

let delivery = 0;
async function send(name: string, payload: unknown, options: { id?: string; signature?: string } = {}): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(webhookUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": name,
      "x-github-delivery": options.id ?? `delivery-${++delivery}`,
      "x-hub-signature-256": options.signature ?? (await sign(SECRET, body)),
    },
    body,
  });
}

function addPull(number: number, files: FakeFile[], extra: { labels?: string[] } = {}): string {
  const headSha = nextSha();
  fake.addPull({ number, headSha, files, ...extra });
  return headSha;
}

beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  fake = new FakeGitHub(OWNER, REPO);
  await fake.start();
  const port = await freePort();
  const log = pino({ level: "silent" });
  server = new Server({
    Probot: Probot.defaults({
      appId: 1,
      privateKey: PRIVATE_KEY,
      secret: SECRET,
      baseUrl: `http://127.0.0.1:${fake.port}/api/v3`,
      log,
      // The throttling plugin spaces writes a second apart (GitHub's secondary rate limits): pointless against the fake.
      Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, throttle: { enabled: false } })),
    }),
    host: "127.0.0.1",
    port,
    log,
  });
  pool = new ReviewPool({ workerFile: await bundleReviewWorker() });
  await server.load(createApp({ identity: { slug: "security-review" }, engine: pooledReviewEngine(pool), onQueue: (created) => (queue = created) }));
  await server.start();
  webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
});

afterAll(async () => {
  await queue?.close();
  await pool?.close();
  await server?.stop();
  await fake?.stop();
});

afterEach(() => {
  expect(fake.violations).toEqual([]);
});

describe("the GitHub App end to end", () => {
  it("a PR with a critical finding: failure with annotations, the threat-model comment and an inline suggestion", async () => {
    const head = addPull(10, [{ filename: "src/lib/session.ts", status: "added", content: SESSION_TS }]);
    const before = pool.stats();

    const response = await send("pull_request", pullRequestPayload("opened", 10));
    expect(response.status).toBe(200);
    await queue.onIdle();
    // The review, the scan of the file's imports and the parse of its patch all ran in the pool's threads.
    expect(pool.stats().completed).toBe(before.completed + 1);
    expect(pool.stats().otherTasks).toBe(before.otherTasks + 2);

    const run = fake.latestRun(head)!;
    expect(run).toMatchObject({ name: "Security review", status: "completed", conclusion: "failure" });
    expect(run.annotations).toContainEqual(expect.objectContaining({ path: "src/lib/session.ts", start_line: 4, annotation_level: "failure", title: "auth/jwt-decode-without-verify (critical)" }));
    const comments = fake.comments.filter((comment) => comment.issue_number === 10);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(THREAT_MODEL_MARKER);
    expect(comments[0]!.body).toContain(head.slice(0, 12));
    expect(lastLine(comments[0]!.body)).toMatch(COVERAGE_LINE);
    const inline = fake.reviewComments.filter((comment) => comment.pull_number === 10);
    expect(inline).toHaveLength(1);
    expect(inline[0]).toMatchObject({ path: "src/lib/session.ts", line: 4 });
    expect(inline[0]!.body).toContain('```suggestion\n  const claims = jwt.verify(token, process.env.JWT_SECRET!, { algorithms: ["HS256"] });\n```');
  });

  it("a clean PR: success", async () => {
    const head = addPull(11, [{ filename: "src/lib/math.ts", status: "added", content: MATH_TS }]);

    await send("pull_request", pullRequestPayload("opened", 11));
    await queue.onIdle();

    // A helper that touches nothing the checklist is about: the short answer, and a passing check.
    expect(fake.latestRun(head)).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Nothing security-relevant changed: the checklist does not apply" } });
    expect(fake.reviewComments.filter((comment) => comment.pull_number === 11)).toEqual([]);
    const comment = fake.comments.find((entry) => entry.issue_number === 11)!.body;
    expect(comment).toContain(`✅ **No threat model needed** for head \`${head.slice(0, 12)}\`. This PR changes 1 source file: \`src/lib/math.ts\`.`);
    expect(comment).not.toContain("Checklist coverage");
  });

  it("a docs-only PR gets the short answer, and the same comment becomes the threat model when a route is pushed", async () => {
    const docs = addPull(21, [
      { filename: "README.md", status: "modified", content: "# Hello\n\nSee docs/setup.md.\n" },
      { filename: "docs/setup.md", status: "added", content: "## Setup\n\nRun `npm start`.\n" },
    ]);
    await send("pull_request", pullRequestPayload("opened", 21));
    await queue.onIdle();

    // Nothing in scope: the one neutral conclusion.
    expect(fake.latestRun(docs)).toMatchObject({ status: "completed", conclusion: "neutral" });
    const [short] = fake.comments.filter((entry) => entry.issue_number === 21);
    expect(short!.body).toContain("✅ **No threat model needed**");
    expect(short!.body).toContain("This PR changes 2 documentation files: `README.md` and `docs/setup.md`.");

    const route = nextSha();
    fake.push(21, route, [{ filename: "app/api/notes/route.ts", status: "added", content: `import { prisma } from "@/lib/prisma";\nexport async function GET() {\n  return Response.json(await prisma.note.findMany({ take: 20 }));\n}\n` }]);
    await send("pull_request", pullRequestPayload("synchronize", 21));
    await queue.onIdle();

    const comments = fake.comments.filter((entry) => entry.issue_number === 21);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.id).toBe(short!.id);
    expect(comments[0]!.body).toContain("## 🛡️ Security review: threat model");
    expect(comments[0]!.body).toContain("GET /api/notes (anyone)");
    expect(lastLine(comments[0]!.body)).toMatch(COVERAGE_LINE);
  });

  it("the same delivery twice and three quick pushes: one comment, the latest head reviewed", async () => {
    const first = addPull(12, [{ filename: "src/lib/session.ts", status: "added", content: SESSION_TS }]);
    const opened = pullRequestPayload("opened", 12);
    await send("pull_request", opened, { id: "same-delivery" });
    await send("pull_request", opened, { id: "same-delivery" });
    const heads: string[] = [];
    for (let push = 0; push < 3; push++) {
      const head = nextSha();
      heads.push(head);
      fake.push(12, head, [{ filename: "src/lib/math.ts", status: "added", content: MATH_TS }]);
      await send("pull_request", pullRequestPayload("synchronize", 12));
    }
    await queue.onIdle();

    expect(fake.checkRuns.filter((run) => run.head_sha === first)).toHaveLength(1);
    expect(fake.comments.filter((comment) => comment.issue_number === 12)).toHaveLength(1);
    const latest = heads.at(-1)!;
    expect(fake.latestRun(latest)).toMatchObject({ status: "completed", conclusion: "success" });
    expect(fake.comments.find((comment) => comment.issue_number === 12)!.body).toContain(`✅ **No threat model needed** for head \`${latest.slice(0, 12)}\``);
    for (const run of fake.checkRuns.filter((entry) => heads.slice(0, -1).includes(entry.head_sha))) {
      expect(run.status).toBe("completed");
      // Superseded by the next push (a failure: never a pass for an unreviewed head), or reviewed before it.
      expect(["failure", "success"]).toContain(run.conclusion);
    }
  });

  it("a route guarded by a middleware.ts the PR does not change: read with the first content query, no missing-auth, nothing reported on it", async () => {
    // A list, not a record by id: deleting a note by the URL's id would be an ownership finding whatever guards the route.
    const route = `import { prisma } from "@/lib/prisma";
export async function GET() {
  return Response.json(await prisma.note.findMany({ take: 20 }));
}`;
    const middleware = `import { auth } from "@/auth";
const ADMIN_EMAILS = ["ceo@acme.com", "cto@acme.com"];
export default auth((req) => {
  if (!req.auth) return Response.redirect(new URL("/login", req.url));
  if (ADMIN_EMAILS.includes(req.auth.user.email)) console.log("admin");
});
export const config = { matcher: ["/api/:path*"] };`;
    const client = `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`;
    const unguarded = nextSha();
    fake.addPull({ number: 16, headSha: unguarded, files: [{ filename: "app/api/notes/[id]/route.ts", status: "added", content: route }], unchanged: { "lib/prisma.ts": client } });
    const guarded = nextSha();
    fake.addPull({ number: 17, headSha: guarded, files: [{ filename: "app/api/notes/[id]/route.ts", status: "added", content: route }], unchanged: { "middleware.ts": middleware, "lib/prisma.ts": client } });
    const before = fake.requests.filter((request) => request.operation === "graphql:SecurityReviewBlobs").length;

    await send("pull_request", pullRequestPayload("opened", 16));
    await send("pull_request", pullRequestPayload("opened", 17));
    await queue.onIdle();

    expect(fake.latestRun(unguarded)).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(fake.latestRun(unguarded)!.annotations).toContainEqual(expect.objectContaining({ path: "app/api/notes/[id]/route.ts", title: "ingress/missing-auth (critical)" }));
    const run = fake.latestRun(guarded)!;
    expect(run).toMatchObject({ status: "completed", conclusion: "success" });
    expect(run.annotations.filter((annotation) => annotation.path === "middleware.ts" || String(annotation.title).startsWith("ingress/missing-auth"))).toEqual([]);
    const comment = fake.comments.find((entry) => entry.issue_number === 17)!.body;
    expect(comment).toContain("<details><summary>Notes</summary>");
    expect(lastLine(comment)).toMatch(COVERAGE_LINE);
    expect(comment).toContain("Read to understand the PR's code (guards in front of its routes, the modules it imports), not reviewed: middleware.ts, lib/prisma.ts.");
    // Per review: the guard file rides on the first content query; the imported client is one more.
    expect(fake.requests.filter((request) => request.operation === "graphql:SecurityReviewBlobs").length - before).toBe(4);
  });

  it("a route wrapped by a guard in an unchanged module: the import is followed through the tsconfig alias, one content query per level, and the guard is credited", async () => {
    const route = `import { withWorkspace } from "@/lib/api/with-workspace";
import { prisma } from "@/lib/prisma";
export const DELETE = withWorkspace(async ({ workspace }) => {
  await prisma.tag.deleteMany({ where: { workspaceId: workspace.id } });
  return new Response(null, { status: 204 });
});`;
    const wrapper = `import { NextResponse } from "next/server";
import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export function withWorkspace(handler) {
  return async (req, { params }) => {
    const session = await auth();
    if (!session?.user?.id) return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
    const { slug } = await params;
    const membership = await prisma.membership.findFirst({ where: { userId: session.user.id, workspace: { slug } }, select: { workspace: true } });
    if (!membership) return NextResponse.json({ error: "Not found" }, { status: 404 });
    return handler({ req, workspace: membership.workspace });
  };
}`;
    const unchanged = {
      "tsconfig.json": `{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }`,
      "lib/api/with-workspace.ts": wrapper,
      "lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
      "auth.ts": `import NextAuth from "next-auth";\nexport const { auth, handlers } = NextAuth({ providers: [] });\n`,
    };
    const file = { filename: "app/api/workspaces/[slug]/tags/route.ts", status: "added" as const, content: route };
    // The same route, once with only its own file at the head, once with the modules it imports.
    const unread = addPull(19, [file]);
    const read = nextSha();
    fake.addPull({ number: 20, headSha: read, files: [file], unchanged });
    const before = fake.requests.length;

    await send("pull_request", pullRequestPayload("opened", 19));
    await queue.onIdle();
    const middle = fake.requests.length;
    await send("pull_request", pullRequestPayload("opened", 20));
    await queue.onIdle();

    // Without the wrapper's code the review asks about it rather than accuse; with it, the wrapper's 401 and membership lookup are credited.
    expect(fake.latestRun(unread)!.annotations.filter((annotation) => String(annotation.title).startsWith("ingress/missing-auth"))).toEqual([]);
    expect(fake.comments.find((entry) => entry.issue_number === 19)!.body).toContain("calls `withWorkspace`");
    expect(fake.comments.find((entry) => entry.issue_number === 20)!.body).not.toContain("calls `withWorkspace`");
    expect(fake.latestRun(read)).toMatchObject({ status: "completed", conclusion: "success" });
    const count = (from: number, to: number, operation: string) => fake.requests.slice(from, to).filter((request) => request.operation === operation).length;
    expect(count(middle, fake.requests.length, "git/get-tree")).toBe(1);
    // The touched file with tsconfig.json and the Auth.js config (a guard file), then lib/api/with-workspace.ts and lib/prisma.ts.
    expect(count(middle, fake.requests.length, "graphql:SecurityReviewBlobs")).toBe(2);
    expect(count(before, middle, "graphql:SecurityReviewBlobs")).toBe(1);
    expect(fake.comments.find((entry) => entry.issue_number === 20)!.body).toContain("lib/api/with-workspace.ts");
    for (const number of [19, 20]) expect(lastLine(fake.comments.find((entry) => entry.issue_number === number)!.body)).toMatch(COVERAGE_LINE);
  });

  it("a route that calls into a folder the default exclusions skip (scripts/, generated/): that code is read, and the route's finding blocks", async () => {
    const db = `import { PrismaClient } from "@prisma/client";\nexport const db = new PrismaClient();\n`;
    const helper = `import { db } from "../lib/db";\nexport async function removeUser(id: string) {\n  await db.user.delete({ where: { id } });\n}\n`;
    const route = (module: string) => `import { removeUser } from "../../../${module}";\n\nexport async function DELETE(req: Request) {\n  const { id } = await req.json();\n  await removeUser(id);\n  return Response.json({ ok: true });\n}\n`;
    // The PR adds the helper under scripts/ itself; or the helper is already in generated/.
    const added = addPull(40, [
      { filename: "app/api/users/route.ts", status: "added", content: route("scripts/users") },
      { filename: "scripts/users.ts", status: "added", content: helper },
    ]);
    const existing = nextSha();
    fake.addPull({ number: 41, headSha: existing, files: [{ filename: "app/api/users/route.ts", status: "added", content: route("generated/users") }], unchanged: { "generated/users.ts": helper, "lib/db.ts": db } });
    fake.pulls.get(40)!.unchanged = { "lib/db.ts": db };

    await send("pull_request", pullRequestPayload("opened", 40));
    await send("pull_request", pullRequestPayload("opened", 41));
    await queue.onIdle();

    for (const [number, head, helperPath] of [[40, added, "scripts/users.ts"], [41, existing, "generated/users.ts"]] as const) {
      const run = fake.latestRun(head)!;
      expect(run.conclusion).toBe("failure");
      expect(run.annotations).toContainEqual(expect.objectContaining({ path: "app/api/users/route.ts", title: "ingress/missing-auth (critical)" }));
      // Read to understand the route, not reviewed itself.
      expect(run.annotations.filter((annotation) => annotation.path === helperPath)).toEqual([]);
      expect(fake.comments.find((entry) => entry.issue_number === number)!.body).toContain(helperPath);
    }
  });

  it("a PR that takes the auth call out of an existing handler and fixes a token check: the new finding names what was removed, comments on the diff, and the comment lists the fix", async () => {
    const guarded = `import { prisma } from "@/lib/prisma";
import { requireAuth } from "@/lib/auth";

export async function DELETE(_request: Request, { params }: { params: { id: string } }) {
  const user = await requireAuth();
  if (!user) return new Response(null, { status: 401 });
  await prisma.note.delete({ where: { id: params.id, ownerId: user.id } });
  return new Response(null, { status: 204 });
}
`;
    const unguarded = `import { prisma } from "@/lib/prisma";

export async function DELETE(_request: Request, { params }: { params: { id: string } }) {
  await prisma.note.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}
`;
    const verified = SESSION_TS.replace("jwt.decode(token)", "jwt.verify(token, process.env.JWT_SECRET!)");
    const unchanged = {
      "tsconfig.json": `{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }`,
      "lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
      "lib/auth.ts": `import { cookies } from "next/headers";\nexport async function requireAuth() {\n  const token = (await cookies()).get("session")?.value;\n  if (!token) throw new Response(null, { status: 401 });\n  return { id: token };\n}\n`,
    };
    const head = nextSha();
    fake.addPull({
      number: 30,
      headSha: head,
      baseSha: "c".repeat(40),
      files: [
        { filename: "app/api/notes/[id]/route.ts", status: "modified", baseContent: guarded, content: unguarded },
        { filename: "src/lib/session-check.ts", status: "modified", baseContent: SESSION_TS, content: verified },
      ],
      unchanged,
    });
    const before = fake.requests.length;

    await send("pull_request", pullRequestPayload("opened", 30));
    await queue.onIdle();

    const run = fake.latestRun(head)!;
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run.annotations).toContainEqual(expect.objectContaining({ path: "app/api/notes/[id]/route.ts", start_line: 3, title: "ingress/missing-auth (critical)" }));
    expect(run.annotations.filter((annotation) => annotation.path === "src/lib/session-check.ts")).toEqual([]);
    const comment = fake.comments.find((entry) => entry.issue_number === 30)!.body;
    expect(comment).toContain("This PR removed `await requireAuth()` (line 5 of the base).");
    expect(comment).toContain("**This PR fixes 1 issue** the base had:");
    expect(comment).toMatch(/`auth\/jwt-decode-without-verify` at `src\/lib\/session-check\.ts:4` in the base/);
    expect(lastLine(comment)).toMatch(COVERAGE_LINE);
    // The comment sits in the diff view where the guard was taken out. The PR also took out the
    // import of requireAuth, so putting the call back would not compile: no one-click suggestion,
    // the fix names the import to add.
    const inline = fake.reviewComments.filter((entry) => entry.pull_number === 30);
    expect(inline.map((entry) => [entry.path, entry.line])).toEqual([["app/api/notes/[id]/route.ts", 4]]);
    expect(inline[0]!.body).toContain("This PR removed");
    expect(inline[0]!.body).not.toContain("```suggestion");
    expect(inline[0]!.body).toContain("This file needs `requireAuth` before the change compiles");
    // Base versions ride on the first content query; lib/auth.ts, which only the base imports, costs one more.
    const count = (operation: string) => fake.requests.slice(before).filter((request) => request.operation === operation).length;
    expect(count("graphql:SecurityReviewBlobs")).toBe(3);
    expect(count("git/get-tree")).toBe(1);
  });

  it("a force-pushed base that no longer exists: the review concludes, its findings count as new, and the comment says why", async () => {
    const head = nextSha();
    fake.addPull({ number: 31, headSha: head, baseSha: "d".repeat(40), baseGone: true, files: [{ filename: "src/lib/session-gone.ts", status: "modified", baseContent: SESSION_TS, content: `${SESSION_TS}export const x = 1;\n` }] });

    await send("pull_request", pullRequestPayload("opened", 31));
    await queue.onIdle();

    expect(fake.latestRun(head)).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(fake.latestRun(head)!.annotations).toContainEqual(expect.objectContaining({ path: "src/lib/session-gone.ts", start_line: 4 }));
    const comment = fake.comments.find((entry) => entry.issue_number === 31)!.body;
    expect(comment).toContain("no longer exists (a force-push or a deleted branch)");
    expect(comment).toContain("every finding in the touched files counts as new");
    expect(lastLine(comment)).toMatch(COVERAGE_LINE);
  });

  it("a source file the review could not read in full: action_required until a maintainer approves, never success", async () => {
    const minified = `export async function DELETE(){${"void 0;".repeat(1_000)}}\n`;
    const head = addPull(18, [
      { filename: "src/lib/math.ts", status: "added", content: MATH_TS },
      { filename: "app/api/wipe/route.ts", status: "added", content: minified },
    ]);

    await send("pull_request", pullRequestPayload("opened", 18));
    await queue.onIdle();

    const run = fake.latestRun(head)!;
    expect(run).toMatchObject({ status: "completed", conclusion: "action_required" });
    expect(run.output.title).toBe("Incomplete review: awaits approval by a maintainer");
    expect(fake.comments.find((comment) => comment.issue_number === 18)!.body).toContain("⚠️ **Incomplete:**");
    expect(fake.comments.find((comment) => comment.issue_number === 18)!.body).toContain("**Awaiting:**");
    // Part of the PR was not read: no step of the checklist reads as checked.
    const coverage = lastLine(fake.comments.find((comment) => comment.issue_number === 18)!.body);
    expect(coverage).toMatch(COVERAGE_LINE);
    expect(coverage).not.toMatch(/✅ \d/);
    expect(run.output.summary).toContain("- **Incomplete:** 1 file could not be read in full");
  });

  it("a bad signature: 400 and no API call", async () => {
    addPull(15, [{ filename: "src/lib/math.ts", status: "added", content: MATH_TS }]);
    const before = fake.requests.length;

    const response = await send("pull_request", pullRequestPayload("opened", 15), { signature: `sha256=${"0".repeat(64)}` });
    await queue.onIdle();

    expect(response.status).toBe(400);
    expect(fake.requests.length).toBe(before);
  });

  it("/security recheck by a read-only user: refused with a reply, nothing re-run", async () => {
    fake.permissions.set("reader", "read");
    const runsBefore = fake.checkRuns.length;
    const payload = example("issue_comment", "created");
    payload.issue.number = 11;
    payload.issue.pull_request = { url: `http://127.0.0.1/repos/${OWNER}/${REPO}/pulls/11` };
    payload.comment.body = "/security recheck";
    payload.comment.user.login = "reader";
    payload.sender.login = "reader";

    const response = await send("issue_comment", payload);
    await queue.onIdle();

    expect(response.status).toBe(200);
    const replies = fake.comments.filter((comment) => comment.issue_number === 11 && !comment.body.includes(THREAT_MODEL_MARKER));
    expect(replies.map((reply) => reply.body)).toEqual(["@reader `/security recheck` needs write access to this repository (you have `read`)."]);
    expect(fake.reactions).toEqual([]);
    expect(fake.checkRuns.length).toBe(runsBefore);
  });

  it("/security harden: refused without write access; for a maintainer, 👀 and the plan as the app's own comment, updated in place, then refused over the hourly limit", async () => {
    fake.config = "recheckPerHour: 2\n";
    try {
      const head = addPull(16, [{ filename: "src/lib/session.ts", status: "added", content: SESSION_TS }]);
      await send("pull_request", pullRequestPayload("opened", 16));
      await queue.onIdle();
      const command = (login: string, body: string) => {
        const payload = example("issue_comment", "created");
        payload.issue.number = 16;
        payload.issue.pull_request = { url: `http://127.0.0.1/repos/${OWNER}/${REPO}/pulls/16` };
        payload.comment.id = 9_000 + ++delivery;
        payload.comment.body = body;
        payload.comment.user.login = login;
        payload.sender.login = login;
        return payload;
      };
      const hardenComments = () => fake.comments.filter((comment) => comment.issue_number === 16 && comment.body.startsWith(HARDEN_MARKER));
      const replies = () => fake.comments.filter((comment) => comment.issue_number === 16 && !comment.body.startsWith(HARDEN_MARKER) && !comment.body.includes(THREAT_MODEL_MARKER));
      const reactionsBefore = fake.reactions.length;

      fake.permissions.set("reader", "read");
      await send("issue_comment", command("reader", "/security harden"));
      await queue.onIdle();
      expect(replies().map((reply) => reply.body)).toEqual(["@reader `/security harden` needs write access to this repository (you have `read`)."]);
      expect(hardenComments()).toEqual([]);

      fake.permissions.set("maintainer", "write");
      const first = command("maintainer", "Please harden this.\n\n/security harden");
      await send("issue_comment", first);
      await queue.onIdle();
      expect(fake.reactions.slice(reactionsBefore)).toEqual([{ comment_id: first.comment.id, content: "eyes" }]);
      expect(hardenComments()).toHaveLength(1);
      const posted = hardenComments()[0]!;
      expect(posted.body).toContain(`Harden every open finding of head \`${head.slice(0, 12)}\``);
      expect(posted.body).toContain("```diff\ndiff --git a/src/lib/session.ts b/src/lib/session.ts");
      expect(posted.body).toContain('+  const claims = jwt.verify(token, process.env.JWT_SECRET!, { algorithms: ["HS256"] });');
      expect(posted.body.split("\n").filter((line) => line.startsWith("### "))).toEqual(["### Restated request", "### Plan", "### Diffs", "### Verification"]);

      await send("issue_comment", command("maintainer", "/security harden auth/jwt-decode-without-verify"));
      await queue.onIdle();
      expect(hardenComments()).toHaveLength(1);
      expect(hardenComments()[0]!.id).toBe(posted.id);
      expect(hardenComments()[0]!.body).toContain("Harden the findings named (`auth/jwt-decode-without-verify`)");

      await send("issue_comment", command("maintainer", "/security harden"));
      await queue.onIdle();
      expect(replies().at(-1)!.body).toMatch(/^@maintainer this PR has had its 2 harden plans for this hour\. The next one can run at /);
      expect(hardenComments()).toHaveLength(1);
      // Harden never writes to the repository or the check run.
      expect(fake.checkRuns.filter((run) => run.head_sha === head)).toHaveLength(1);
    } finally {
      fake.config = undefined;
    }
  });

  it("an AI-labelled PR with a DB write: action_required, then success after an approving review", async () => {
    const head = addPull(13, [{ filename: "pages/api/tasks/[id]/complete.ts", status: "added", content: COMPLETE_TASK_TS }], { labels: ["ai-generated"] });

    await send("pull_request", pullRequestPayload("opened", 13));
    await queue.onIdle();

    expect(fake.latestRun(head)).toMatchObject({ status: "completed", conclusion: "action_required" });
    expect(fake.comments.find((comment) => comment.issue_number === 13)!.body).toContain("**Awaiting:**");

    fake.permissions.set("maintainer", "write");
    const approval = fake.approve(13, "maintainer");
    const payload = example("pull_request_review", "submitted");
    payload.review = { ...payload.review, id: approval.id, state: "approved", commit_id: head, user: { ...payload.review.user, login: "maintainer", type: "User" } };
    Object.assign(payload.pull_request, { number: 13, state: "open" });
    payload.pull_request.head.sha = head;
    const analysed = fake.requests.filter((request) => request.operation === "graphql:SecurityReviewBlobs").length;

    await send("pull_request_review", payload);
    await queue.onIdle();

    expect(fake.latestRun(head)).toMatchObject({ status: "completed", conclusion: "success" });
    expect(fake.latestRun(head)!.output.title).toBe("Approved by @maintainer (write access): the approval gate is lifted");
    expect(fake.requests.filter((request) => request.operation === "graphql:SecurityReviewBlobs").length).toBe(analysed);
    const comment = fake.comments.filter((c) => c.issue_number === 13);
    expect(comment).toHaveLength(1);
    expect(comment[0]!.body).toContain("**Approved:** @maintainer (write access)");
    expect(comment[0]!.body).not.toContain("**Awaiting:**");
    expect(lastLine(comment[0]!.body)).toMatch(COVERAGE_LINE);
  });

  it("an invalid config: reported with the key, and the review runs with the defaults", async () => {
    fake.config = "failOn: severe\n";
    try {
      const head = addPull(14, [{ filename: "src/lib/session.ts", status: "added", content: SESSION_TS }]);

      await send("pull_request", pullRequestPayload("opened", 14));
      await queue.onIdle();

      const run = fake.latestRun(head)!;
      expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
      expect(run.annotations.length).toBeGreaterThan(0);
      expect(run.output.summary).toContain("is invalid, so the review ran with the defaults");
      expect(run.output.summary).toMatch(/- `failOn: [^`]+`/);
      expect(fake.comments.find((comment) => comment.issue_number === 14)!.body).toContain("failOn");
      expect(lastLine(fake.comments.find((comment) => comment.issue_number === 14)!.body)).toMatch(COVERAGE_LINE);
    } finally {
      fake.config = undefined;
    }
  });
});
