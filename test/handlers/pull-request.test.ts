import nock from "nock";
import { describe, expect, it } from "vitest";
import { API, Bodies, createTestApp, fakeEngine, makeFinding, makeReview, MARKER, mockConfig, mockContext, mockToken, payloadOf } from "./helpers.js";

const REPO = "/repos/Codertocat/Hello-World";
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const PATCH = "@@ -0,0 +1,5 @@\n+import { db } from '../db';\n+\n+export async function POST(req: Request) {\n+  await db.user.update(await req.json());\n+}";

function files() {
  return [
    { sha: "1", filename: "app/api/users/route.ts", status: "added", additions: 5, deletions: 0, changes: 5, patch: PATCH },
    { sha: "2", filename: "logo.png", status: "added", additions: 0, deletions: 0, changes: 0 },
  ];
}

/** The head contents of the one analysable file, and the PR's commits, in one GraphQL answer. */
function blobs() {
  const commit = { oid: HEAD, message: "Add users route\n\nCo-authored-by: Someone <s@example.com>", author: { name: "Codertocat", email: "c@example.com", user: { login: "Codertocat" } } };
  return {
    data: {
      repository: {
        f0: { oid: "b1", text: "export async function POST() {}\n", isBinary: false, isTruncated: false, byteSize: 32 },
        pr: { commits: { pageInfo: { hasNextPage: false }, nodes: [{ commit }] } },
      },
    },
  };
}

/**
 * Every request of a full review up to the posting, for the PR of the payload. Review threads are
 * listed only when the fresh read of the PR counts review comments (`review_comments`).
 */
function mockReviewLoad(pr: { review_comments?: number }, bodies: Bodies, threads: unknown[] = [], yaml?: string) {
  mockContext("Codertocat", "Hello-World", pr, { ...(yaml === undefined ? {} : { yaml }), capture: bodies.capture("context") });
  const scope = nock(API)
    .post(`${REPO}/check-runs`, bodies.capture("create"))
    .reply(201, { id: 7 })
    .get(`${REPO}/pulls/2/files`)
    .query({ per_page: 100 })
    .reply(200, files())
    .post("/graphql", bodies.capture("blobs"))
    .reply(200, blobs())
    .get(`${REPO}/pulls/2`)
    .reply(200, pr);
  if (pr.review_comments === 0) return scope;
  return scope
    .post("/graphql", bodies.capture("threads"))
    .reply(200, { data: { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: threads } } } } });
}

/** An unresolved inline thread of ours, carrying a finding's fingerprint. */
const thread = (id: string, fingerprint: string) => ({ id, isResolved: false, comments: { nodes: [{ databaseId: Number(id.slice(1)), body: `old\n<!-- security-review:fingerprint=${fingerprint} -->`, author: { login: "security-review", __typename: "Bot" } }] } });

describe("pull_request events", () => {
  it("opened: a critical finding fails the check run, with annotation, comment and inline suggestion", async () => {
    const payload = payloadOf("pull_request", "opened");
    const finding = makeFinding({ replacement: { startLine: 3, endLine: 3, text: "export async function POST(req: Request) {\n  await requireAuth();" } });
    const engine = fakeEngine(makeReview({ verdict: "fail", headSha: HEAD, findings: [finding] }));
    const { probot, queue } = await createTestApp(engine);
    const bodies = new Bodies();
    mockToken();
    mockReviewLoad(payload.pull_request, bodies);
    nock(API)
      .post(`${REPO}/issues/2/comments`, bodies.capture("comment"))
      .reply(201, { id: 11, html_url: "https://github.com/Codertocat/Hello-World/pull/2#issuecomment-11" })
      .post(`${REPO}/pulls/2/reviews`, bodies.capture("review"))
      .reply(200, { id: 12 })
      .patch(`${REPO}/check-runs/7`, bodies.capture("complete"))
      .reply(200, { id: 7 });

    await probot.receive({ id: "d1", name: "pull_request", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.one("context").variables).toEqual({ owner: "Codertocat", name: "Hello-World", number: 2, config: "HEAD:.github/security-review.yml" });
    expect(bodies.one("create")).toMatchObject({ name: "Security review", head_sha: HEAD, status: "in_progress" });
    expect(bodies.one("blobs").variables).toMatchObject({ owner: "Codertocat", name: "Hello-World", number: 2, e0: `${HEAD}:app/api/users/route.ts` });
    expect(bodies.one("blobs").query).toContain("pr: pullRequest(number: $number) { commits(first: 100)");
    expect(bodies.all("threads")).toEqual([]);
    expect(bodies.one("comment").body).toContain(MARKER);
    const review = bodies.one("review");
    expect(review).toMatchObject({ commit_id: HEAD, event: "COMMENT" });
    expect(review.comments).toHaveLength(1);
    expect(review.comments[0]).toMatchObject({ path: "app/api/users/route.ts", line: 3, side: "RIGHT" });
    expect(review.comments[0].body).toContain("```suggestion\nexport async function POST(req: Request) {\n  await requireAuth();\n```");
    const complete = bodies.one("complete");
    expect(complete).toMatchObject({ status: "completed", conclusion: "failure", details_url: "https://github.com/Codertocat/Hello-World/pull/2#issuecomment-11" });
    expect(complete.output.annotations).toEqual([
      expect.objectContaining({ path: "app/api/users/route.ts", start_line: 3, end_line: 3, annotation_level: "failure", title: "ingress/missing-auth (critical)" }),
    ]);
  });

  it("synchronize: a head that moved on completes its check run as a failure (superseded, never a pass) and posts nothing", async () => {
    const payload = payloadOf("pull_request", "synchronize");
    const engine = fakeEngine(makeReview());
    const { probot, queue } = await createTestApp(engine);
    const bodies = new Bodies();
    const moved = { ...payload.pull_request, head: { ...payload.pull_request.head, sha: "f".repeat(40) } };
    mockToken();
    mockContext("Codertocat", "Hello-World", moved);
    nock(API)
      .post(`${REPO}/check-runs`, bodies.capture("create"))
      .reply(201, { id: 7 })
      .patch(`${REPO}/check-runs/7`, bodies.capture("complete"))
      .reply(200, { id: 7 });

    await probot.receive({ id: "d2", name: "pull_request", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(engine.calls).toBe(0);
    expect(bodies.one("complete")).toMatchObject({ conclusion: "failure", output: { title: "Not reviewed: superseded by a newer push" } });
  });

  it("reopened: an existing threat-model comment is edited, known fingerprints are not repeated, vanished threads are resolved", async () => {
    const payload = payloadOf("pull_request", "reopened");
    const known = makeFinding({ fingerprint: "known" });
    const engine = fakeEngine(makeReview({ verdict: "fail", headSha: HEAD, findings: [known] }));
    const { probot, queue } = await createTestApp(engine);
    const bodies = new Bodies();
    mockToken();
    mockReviewLoad({ ...payload.pull_request, number: 2, head: { ...payload.pull_request.head, sha: HEAD }, comments: 1, review_comments: 3 }, bodies, [thread("T1", "known"), thread("T2", "gone"), thread("T3", "also-gone")]);
    nock(API)
      .get(`${REPO}/issues/2/comments`)
      .query({ per_page: 100 })
      .reply(200, [{ id: 5, body: `${MARKER}\nverdict: pass`, user: { type: "Bot", login: "security-review[bot]" }, html_url: "https://github.com/c/5" }])
      .patch(`${REPO}/issues/comments/5`, bodies.capture("edit"))
      .reply(200, { id: 5, html_url: "https://github.com/c/5" })
      .post("/graphql", bodies.capture("resolve"))
      .reply(200, { data: { resolveReviewThread: { thread: { id: "T2", isResolved: true } } } })
      .post("/graphql", bodies.capture("resolve"))
      .reply(200, { errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] })
      .patch(`${REPO}/pulls/comments/3`, bodies.capture("outdated"))
      .reply(200, { id: 3 })
      .patch(`${REPO}/check-runs/7`, bodies.capture("complete"))
      .reply(200, { id: 7 });

    const reopened = { ...payload, pull_request: { ...payload.pull_request, number: 2, head: { ...payload.pull_request.head, sha: HEAD } }, number: 2 };
    await probot.receive({ id: "d3", name: "pull_request", payload: reopened });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.one("edit").body).toBe(`${MARKER}\nverdict: fail`);
    expect(bodies.all("resolve").map((body) => body.variables)).toEqual([{ threadId: "T2" }, { threadId: "T3" }]);
    expect(bodies.one("outdated").body).toMatch(/^<!-- security-review:outdated -->\n> \*\*Outdated:\*\*/);
    expect(bodies.one("complete").conclusion).toBe("failure");
  });

  it("an incomplete review resolves no thread, and waits for an approval of the head: a finding a limit hid is not a fixed one", async () => {
    const payload = payloadOf("pull_request", "reopened");
    const engine = fakeEngine(makeReview({ verdict: "pass", headSha: HEAD, findings: [], incomplete: "1 file could not be read in full within the review's limits (src/a.ts)." }));
    const { probot, queue } = await createTestApp(engine);
    const bodies = new Bodies();
    mockToken();
    mockReviewLoad({ ...payload.pull_request, number: 2, head: { ...payload.pull_request.head, sha: HEAD }, comments: 1, review_comments: 1 }, bodies, [thread("T1", "gone")]);
    nock(API)
      .get(`${REPO}/issues/2/comments`)
      .query({ per_page: 100 })
      .reply(200, [{ id: 5, body: `${MARKER}\nverdict: fail`, user: { type: "Bot", login: "security-review[bot]" }, html_url: "https://github.com/c/5" }])
      .patch(`${REPO}/issues/comments/5`, bodies.capture("edit"))
      .reply(200, { id: 5, html_url: "https://github.com/c/5" })
      .post("/graphql", bodies.capture("resolve"))
      .optionally()
      .reply(200, { data: { resolveReviewThread: { thread: { id: "T1", isResolved: true } } } })
      .get(`${REPO}/pulls/2/reviews`)
      .query({ per_page: 100 })
      .reply(200, [])
      .patch(`${REPO}/check-runs/7`, bodies.capture("complete"))
      .reply(200, { id: 7 });

    const reopened = { ...payload, pull_request: { ...payload.pull_request, number: 2, head: { ...payload.pull_request.head, sha: HEAD } }, number: 2 };
    await probot.receive({ id: "d3i", name: "pull_request", payload: reopened });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.all("resolve")).toEqual([]);
    expect(bodies.one("complete")).toMatchObject({ conclusion: "action_required", external_id: "security-review:ai-gate", output: { title: "Incomplete review: awaits approval by a maintainer" } });
  });

  it("opened as a draft: waits for ready_for_review (no check run)", async () => {
    const payload = payloadOf("pull_request", "opened");
    payload.pull_request.draft = true;
    const engine = fakeEngine(makeReview());
    const { probot, queue } = await createTestApp(engine);
    mockToken();
    mockContext("Codertocat", "Hello-World", payload.pull_request);

    await probot.receive({ id: "d4", name: "pull_request", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(engine.calls).toBe(0);
  });

  it("labeled with a label that is not an AI signal: reads the config and enqueues nothing", async () => {
    const payload = payloadOf("pull_request", "labeled");
    const engine = fakeEngine(makeReview());
    const { probot, queue } = await createTestApp(engine);
    mockToken();
    mockConfig("Codertocat", "Hello-World");

    await probot.receive({ id: "d5", name: "pull_request", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
  });

  it("labeled with a repo's own AI label (from its config): reviews the head", async () => {
    const payload = payloadOf("pull_request", "labeled");
    payload.label.name = "robot-made";
    const engine = fakeEngine(makeReview({ headSha: HEAD }));
    const { probot, queue } = await createTestApp(engine);
    const bodies = new Bodies();
    mockToken();
    mockConfig("Codertocat", "Hello-World", "ai:\n  labels: [robot-made]\n");
    mockReviewLoad(payload.pull_request, bodies, [], "ai:\n  labels: [robot-made]\n");
    nock(API)
      .post(`${REPO}/issues/2/comments`)
      .reply(201, { id: 11, html_url: "https://github.com/c/11" })
      .patch(`${REPO}/check-runs/7`, bodies.capture("complete"))
      .reply(200, { id: 7 });

    await probot.receive({ id: "d6", name: "pull_request", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.one("complete")).toMatchObject({ conclusion: "success", output: { title: "No new findings" } });
  });

  it("an invalid config is reported in the check run and the comment, and the review runs with the defaults (never skipped)", async () => {
    const payload = payloadOf("pull_request", "opened");
    const engine = fakeEngine(makeReview({ verdict: "fail", headSha: HEAD, findings: [makeFinding()] }));
    const { probot, queue } = await createTestApp(engine);
    const bodies = new Bodies();
    mockToken();
    mockReviewLoad(payload.pull_request, bodies, [], "failOn: severe\n");
    nock(API)
      .post(`${REPO}/pulls/2/reviews`)
      .reply(200, { id: 12 })
      .post(`${REPO}/issues/2/comments`, bodies.capture("comment"))
      .reply(201, { id: 11, html_url: "https://github.com/c/11" })
      .patch(`${REPO}/check-runs/7`, bodies.capture("complete"))
      .reply(200, { id: 7 });

    await probot.receive({ id: "d7", name: "pull_request", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(engine.calls).toBe(1);
    expect(bodies.one("comment").body).toContain("failOn:");
    const complete = bodies.one("complete");
    expect(complete.conclusion).toBe("failure");
    expect(complete.output.summary).toContain("`.github/security-review.yml` is invalid, so the review ran with the defaults");
    expect(complete.output.summary).toMatch(/- `failOn: [^`]+`/);
  });

  it("an API error after the check run started still completes it, as a failure with the reason", async () => {
    const payload = payloadOf("pull_request", "opened");
    const engine = fakeEngine(makeReview());
    const { probot, queue } = await createTestApp(engine);
    const bodies = new Bodies();
    mockToken();
    mockContext("Codertocat", "Hello-World", payload.pull_request);
    nock(API)
      .post(`${REPO}/check-runs`)
      .reply(201, { id: 7 })
      .get(`${REPO}/pulls/2/files`)
      .query({ per_page: 100 })
      .reply(502, { message: "Bad Gateway" })
      .patch(`${REPO}/check-runs/7`, bodies.capture("complete"))
      .reply(200, { id: 7 });

    await probot.receive({ id: "d8", name: "pull_request", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.one("complete")).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Not reviewed: GitHub API error 502" } });
  });

  it("closed PRs are ignored without a request", async () => {
    const payload = payloadOf("pull_request", "synchronize");
    payload.pull_request.state = "closed";
    const { probot, queue } = await createTestApp(fakeEngine(makeReview()));
    await probot.receive({ id: "d9", name: "pull_request", payload });
    await queue.onIdle();
    expect(nock.pendingMocks()).toEqual([]);
  });
});
