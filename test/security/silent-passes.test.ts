import nock from "nock";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import type { ReviewEngine } from "../../src/github/engine.js";
import { isRecheckCommand } from "../../src/handlers/recheck-command.js";
import { renderCheckRun } from "../../src/report/check-run.js";
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

describe("code the paths leave out is read when the reviewed code calls into it", () => {
  const db = `import { PrismaClient } from "@prisma/client";\nexport const db = new PrismaClient();\n`;
  const helper = `import { db } from "../lib/db";\nexport async function removeUser(id: string) {\n  await db.user.delete({ where: { id } });\n}\n`;
  const route = (module: string) => `import { removeUser } from "../../../${module}";\n\nexport async function DELETE(req: Request) {\n  const { id } = await req.json();\n  await removeUser(id);\n  return Response.json({ ok: true });\n}\n`;
  const review = (files: { path: string; content: string; context?: boolean }[], config = DEFAULT_CONFIG) =>
    reviewSnapshot({ repo: "a/b", title: "t", body: "", labels: [], commits: [], files: files.map((file) => ({ status: file.context ? ("unchanged" as const) : ("added" as const), ...file })) }, config);
  const blocking = (result: ReturnType<typeof review>) => result.findings.filter((finding) => finding.ruleId === "ingress/missing-auth" && finding.path === "app/api/users/route.ts");

  it.each([
    ["the PR adds it under scripts/", [{ path: "scripts/users.ts", content: helper }]],
    ["it is already in generated/ (read as the route's import)", [{ path: "generated/users.ts", content: helper, context: true }]],
    ["it is a test helper", [{ path: "test/users.ts", content: helper }]],
  ])("%s: the route's missing auth blocks, and the helper's own code is not reviewed", (_name, extra) => {
    const helperPath = extra[0]!.path;
    const result = review([{ path: "app/api/users/route.ts", content: route(helperPath.replace(/\.ts$/, "")) }, { path: "lib/db.ts", content: db, context: true }, ...extra]);
    expect(blocking(result)).toHaveLength(1);
    expect(renderCheckRun(result).conclusion).toBe("failure");
    expect(result.findings.filter((finding) => finding.path === helperPath)).toEqual([]);
    expect(result.analysed).not.toContain(helperPath);
  });

  it("a path outside paths.include is read the same way; a left-out file nothing imports is not read", () => {
    const config = { ...DEFAULT_CONFIG, paths: { ...DEFAULT_CONFIG.paths, include: ["app/**"] } };
    const result = review([{ path: "app/api/users/route.ts", content: route("lib/users") }, { path: "lib/db.ts", content: db }, { path: "lib/users.ts", content: helper.replace("../lib/db", "./db") }, { path: "scripts/unrelated.ts", content: helper }], config);
    expect(blocking(result)).toHaveLength(1);
    expect(result.notes.join("\n")).toContain("lib/users.ts");
    expect(result.notes.join("\n")).not.toContain("scripts/unrelated.ts");
  });
});
