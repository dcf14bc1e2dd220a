import nock from "nock";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import type { ReviewEngine } from "../../src/github/engine.js";
import { isRecheckCommand } from "../../src/handlers/recheck-command.js";
import { isMarkedAiGenerated, markAiGenerated, renderThreatModelComment, STICKY_AI_SIGNAL, THREAT_MODEL_MARKER } from "../../src/report/threat-model.js";
import { reviewSnapshot } from "../../src/review/review.js";
import { API, Bodies, createTestApp, fakeEngine, makeReview, MARKER, mockContext, mockToken, payloadOf } from "../handlers/helpers.js";

const REPO = "/repos/Codertocat/Hello-World";
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

/** An engine that records the options of each review and reports the PR AI-generated when told to. */
function recordingEngine(): ReviewEngine & { options: unknown[] } {
  const base = fakeEngine(makeReview());
  const options: unknown[] = [];
  return {
    ...base,
    options,
    reviewSnapshot: (_snapshot, _config, given) => {
      options.push(given ?? {});
      const ai = Boolean(given?.forceAi);
      return makeReview({ headSha: HEAD, verdict: "pass", provenance: { aiGenerated: ai, signals: ai ? [String(given?.forceAi)] : [] } });
    },
  };
}

/** One review of PR 2 whose PR carries no AI signal, with the app's earlier comment `previous`. */
function mockReview(pr: Record<string, unknown>, previous: { body: string; user: { login: string; type: string } }, bodies: Bodies) {
  mockContext("Codertocat", "Hello-World", pr);
  nock(API)
    .post(`${REPO}/check-runs`)
    .reply(201, { id: 7 })
    .get(`${REPO}/pulls/2/files`)
    .query({ per_page: 100 })
    .reply(200, [{ sha: "1", filename: "README.md", status: "modified", additions: 1, deletions: 0, changes: 1, patch: "@@ -1 +1 @@\n-a\n+b" }])
    .get(`${REPO}/pulls/2/commits`)
    .query({ per_page: 100 })
    .reply(200, [])
    .get(`${REPO}/issues/2/comments`)
    .query({ per_page: 100 })
    .times(previous.user.login === "security-review[bot]" ? 1 : 2)
    .reply(200, [{ id: 5, html_url: "https://github.com/c/5", ...previous }])
    .get(`${REPO}/pulls/2`)
    .reply(200, pr)
    .patch(`${REPO}/issues/comments/5`, bodies.capture("edit"))
    .optionally()
    .reply(200, { id: 5, html_url: "https://github.com/c/5" })
    .post(`${REPO}/issues/2/comments`, bodies.capture("create"))
    .optionally()
    .reply(201, { id: 6, html_url: "https://github.com/c/6" })
    .patch(`${REPO}/check-runs/7`, bodies.capture("complete"))
    .reply(200, { id: 7 });
}

describe("no silent passes", () => {
  it("a PR once seen as AI-generated stays so after its AI label is removed", async () => {
    const payload = payloadOf("pull_request", "opened");
    const pr = { ...payload.pull_request, comments: 1, review_comments: 0, labels: [] };
    const engine = recordingEngine();
    const { probot, queue } = await createTestApp(engine);
    const bodies = new Bodies();
    mockToken();
    mockReview(pr, { body: markAiGenerated(`${MARKER}\nverdict: needs-human-review`, MARKER), user: { login: "security-review[bot]", type: "Bot" } }, bodies);

    await probot.receive({ id: "s1", name: "pull_request", payload: { ...payload, pull_request: pr } });
    await queue.onIdle();

    expect(nock.pendingMocks()).toEqual([]);
    expect(engine.options).toEqual([{ forceAi: STICKY_AI_SIGNAL }]);
    // The comment keeps the mark, so the next review does too.
    expect(isMarkedAiGenerated(bodies.one("edit").body)).toBe(true);
  });

  it("the mark counts only on the app's own comment", async () => {
    const payload = payloadOf("pull_request", "opened");
    const pr = { ...payload.pull_request, comments: 1, review_comments: 0, labels: [] };
    const engine = recordingEngine();
    const { probot, queue } = await createTestApp(engine);
    const bodies = new Bodies();
    mockToken();
    mockReview(pr, { body: markAiGenerated(`${MARKER}\nverdict: pass`, MARKER), user: { login: "other-app[bot]", type: "Bot" } }, bodies);

    await probot.receive({ id: "s2", name: "pull_request", payload: { ...payload, pull_request: pr } });
    await queue.onIdle();

    expect(engine.options).toEqual([{}]);
    expect(isMarkedAiGenerated(bodies.one("create").body)).toBe(false);
  });

  it("the mark is read only as the comment's second line", () => {
    expect(isMarkedAiGenerated(markAiGenerated(`${THREAT_MODEL_MARKER}\nbody`))).toBe(true);
    expect(isMarkedAiGenerated(`${THREAT_MODEL_MARKER}\nbody\n<!-- pr-security-review:ai-generated -->`)).toBe(false);
  });

  it.each([
    ["<!-- /security recheck -->", false],
    ["<!--\n/security recheck\n-->", false],
    ["<!-- an unclosed comment hides the rest\n/security recheck", false],
    ["> <!-- -->\n> /security recheck", false],
    ["<!-- note -->\n/security recheck", true],
  ])("a command inside an HTML comment does not count: %j → %s", (body, expected) => {
    expect(isRecheckCommand(body)).toBe(expected);
  });
});

describe("a waiver takes effect only with a rule id and a reason, in a real comment", () => {
  const decode = "export const claims = (t: string) => jwt.decode(t);";
  const reviewWith = (lines: string[]) =>
    reviewSnapshot(
      { repo: "a/b", title: "t", body: "", labels: [], commits: [], files: [{ path: "lib/session.ts", status: "added", content: ['import jwt from "jsonwebtoken";', ...lines, ""].join("\n") }] },
      DEFAULT_CONFIG,
    );
  const waived = (lines: string[]) => !reviewWith(lines).findings.some((finding) => finding.ruleId === "auth/jwt-decode-without-verify");

  it("a waiver naming the rule, with a reason, in a comment, waives the finding", () => {
    expect(waived(["// security-review-ignore auth/jwt-decode-without-verify -- verified by the gateway", decode])).toBe(true);
    expect(waived([`${decode} /* security-review-ignore auth/jwt-decode-without-verify -- verified by the gateway */`])).toBe(true);
  });

  it.each([
    ["no rule id", ["// security-review-ignore -- trust me", decode]],
    ["a wildcard rule id", ["// security-review-ignore * -- trust me", decode]],
    ["an unknown rule id", ["// security-review-ignore auth/anything -- trust me", decode]],
    ["no reason", ["// security-review-ignore auth/jwt-decode-without-verify", decode]],
    ["a string literal", ['const note = "// security-review-ignore auth/jwt-decode-without-verify -- trust me";', decode]],
    ["a template literal across lines", ["const note = `", "// security-review-ignore auth/jwt-decode-without-verify -- trust me", `\`; ${decode}`]],
    ["a string on the finding's line", [`${decode} const s = "// security-review-ignore auth/jwt-decode-without-verify -- trust me";`]],
  ])("a waiver with %s waives nothing", (_name, lines) => {
    expect(waived(lines)).toBe(false);
  });

  it("a waiver naming no rule is listed as not in effect", () => {
    const review = reviewWith(["// security-review-ignore * -- trust me", decode]);
    expect(renderThreatModelComment(review)).toContain("**names no rule, so not in effect**");
  });
});
