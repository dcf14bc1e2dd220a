import nock from "nock";
import { describe, expect, it } from "vitest";
import { AI_GATE_EXTERNAL_ID } from "../../src/github/check-runs.js";
import { API, Bodies, createTestApp, fakeEngine, makeReview, mockToken, payloadOf } from "./helpers.js";

const REPO = "/repos/Codertocat/Hello-World";
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const GATE_END = "<!-- /security-review:ai-gate -->";
const WAITING = `Reviewed head \`${HEAD}\`.\n\n<!-- security-review:ai-gate ai -->\nThis AI-generated change touches a mutation path. A user with write access must approve the current head for this check to pass.\n${GATE_END}\n\n- **New findings:** 1 high`;

const MARKER = "<!-- pr-security-review:threat-model -->";

function mockComment(line: string, bodies: Bodies) {
  return nock(API)
    .get(`${REPO}/issues/2/comments`)
    .query({ per_page: 100 })
    .reply(200, [
      { id: 90, body: "a human quoting the marker " + MARKER, user: { login: "octocat", type: "User" } },
      { id: 91, body: `${MARKER}\n## Security review\n${line}\n\n### Issues found`, user: { login: "security-review[bot]", type: "Bot" } },
    ])
    .patch(`${REPO}/issues/comments/91`, bodies.capture("comment"))
    .reply(200, { id: 91 });
}

function mockGate(pr: object, run: Record<string, unknown>, reviews: unknown[], bodies: Bodies) {
  return nock(API)
    .get(`${REPO}/pulls/2`)
    .reply(200, pr)
    .get(`${REPO}/commits/${HEAD}/check-runs`)
    .query({ check_name: "Security review", filter: "latest", per_page: 100 })
    .reply(200, { total_count: 1, check_runs: [{ id: 7, status: "completed", external_id: AI_GATE_EXTERNAL_ID, output: { title: "waiting", summary: WAITING }, app: { id: 1, slug: "security-review" }, ...run }] })
    .get(`${REPO}/pulls/2/reviews`)
    .query({ per_page: 100 })
    .reply(200, reviews)
    .patch(`${REPO}/check-runs/7`, bodies.capture("update"))
    .reply(200, { id: 7 });
}

describe("pull_request_review", () => {
  it("submitted: an approval of the head by a user with write access lifts the AI gate without re-analysing", async () => {
    const payload = payloadOf("pull_request_review", "submitted");
    payload.review.state = "approved";
    const engine = fakeEngine(makeReview());
    const { probot, queue } = await createTestApp(engine);
    const bodies = new Bodies();
    mockToken();
    mockGate(payload.pull_request, { conclusion: "action_required" }, [{ id: 1, state: "APPROVED", commit_id: HEAD, user: { login: "Codertocat", type: "User" } }], bodies);
    nock(API).get(`${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "write" });
    mockComment(`**Awaiting:** approval of head \`${HEAD}\` by a user with write access`, bodies);

    await probot.receive({ id: "p1", name: "pull_request_review", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(engine.calls).toBe(0);
    const update = bodies.one("update");
    expect(update).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Approved by @Codertocat (write access): the approval gate is lifted" } });
    expect(update.output.summary).toBe(
      `Reviewed head \`${HEAD}\`.\n\n<!-- security-review:ai-gate ai -->\nThis AI-generated change touches a mutation path. @Codertocat (write access) approved this head, which lifts the approval gate.\n${GATE_END}\n\n- **New findings:** 1 high`,
    );
    expect(bodies.one("comment").body).toContain(`**Approved:** @Codertocat (write access) approved head \`${HEAD}\`; the AI gate is lifted.`);
    expect(bodies.one("comment").body).not.toContain("**Awaiting:**");
  });

  it("dismissed: the gate closes again when no approval stands", async () => {
    const payload = payloadOf("pull_request_review", "dismissed");
    const { probot, queue } = await createTestApp(fakeEngine(makeReview()));
    const bodies = new Bodies();
    mockToken();
    mockGate(payload.pull_request, { conclusion: "success" }, [{ id: 1, state: "DISMISSED", commit_id: HEAD, user: { login: "Codertocat", type: "User" } }], bodies);
    mockComment(`**Approved:** @Codertocat (write access) approved head \`${HEAD}\`; the AI gate is lifted.`, bodies);

    await probot.receive({ id: "p2", name: "pull_request_review", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.one("update")).toMatchObject({ conclusion: "action_required", output: { title: "AI-generated mutation awaits approval by a maintainer" } });
    expect(bodies.one("comment").body).toContain(`**Awaiting:** approval of head \`${HEAD}\` by a user with write access`);
  });

  it("an approval by a read-only user, or of an older head, does not lift it", async () => {
    const payload = payloadOf("pull_request_review", "submitted");
    payload.review.state = "approved";
    const { probot, queue } = await createTestApp(fakeEngine(makeReview()));
    mockToken();
    nock(API)
      .get(`${REPO}/pulls/2`)
      .reply(200, payload.pull_request)
      .get(`${REPO}/commits/${HEAD}/check-runs`)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [{ id: 7, status: "completed", conclusion: "action_required", external_id: AI_GATE_EXTERNAL_ID, output: { title: "AI-generated mutation awaits approval by a maintainer", summary: WAITING }, app: { id: 1, slug: "security-review" } }] })
      .get(`${REPO}/pulls/2/reviews`)
      .query(true)
      .reply(200, [
        { id: 1, state: "APPROVED", commit_id: HEAD, user: { login: "reader", type: "User" } },
        { id: 2, state: "APPROVED", commit_id: "0".repeat(40), user: { login: "writer", type: "User" } },
      ])
      .get(`${REPO}/collaborators/reader/permission`)
      .reply(200, { permission: "read" });

    await probot.receive({ id: "p3", name: "pull_request_review", payload });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
  });

  it("a comment-only review is ignored without a request", async () => {
    const payload = payloadOf("pull_request_review", "submitted");
    const { probot, queue } = await createTestApp(fakeEngine(makeReview()));
    await probot.receive({ id: "p4", name: "pull_request_review", payload });
    await queue.onIdle();
    expect(nock.pendingMocks()).toEqual([]);
  });
});
