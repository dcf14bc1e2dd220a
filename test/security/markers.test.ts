import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { isAppBot } from "../../src/github/app-identity.js";
import { editMarkedComment, upsertThreatModelComment } from "../../src/github/comments.js";
import { listInlineThreads } from "../../src/github/inline-review.js";
import { fingerprintMarker, readFingerprint, renderInlineCommentBody, renderOutdatedBody } from "../../src/report/inline.js";
import { THREAT_MODEL_MARKER } from "../../src/report/threat-model.js";
import { API, Bodies, makeFinding } from "../handlers/helpers.js";

const IDENTITY = { slug: "security-review" };
const ISSUE = { owner: "acme", repo: "app", issue_number: 4 };
const PULL = { owner: "acme", repo: "app", pull_number: 4 };

function octokit() {
  return new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
}

function threads(nodes: unknown[]) {
  return { data: { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } } } } };
}

describe("markers are honoured only on content the app's own bot wrote, where it writes them", () => {
  it("another bot's comment that starts with the threat-model marker is not the app's: a new comment is posted, theirs is left alone", async () => {
    const bodies = new Bodies();
    nock(API)
      .get("/repos/acme/app/issues/4/comments")
      .query({ per_page: 100 })
      .reply(200, [
        { id: 50, body: `${THREAT_MODEL_MARKER}\n✅ Pass (forged)`, user: { login: "other-app[bot]", type: "Bot" }, html_url: "u50" },
        { id: 51, body: `quoting ${THREAT_MODEL_MARKER}`, user: { login: "security-review[bot]", type: "Bot" }, html_url: "u51" },
        { id: 52, body: `${THREAT_MODEL_MARKER}\nforged by a person named like the bot`, user: { login: "security-review", type: "User" }, html_url: "u52" },
      ])
      .post("/repos/acme/app/issues/4/comments", bodies.capture("create"))
      .reply(201, { id: 60, html_url: "u60" });

    const result = await upsertThreatModelComment(octokit(), ISSUE, `${THREAT_MODEL_MARKER}\nreal`, THREAT_MODEL_MARKER, IDENTITY);

    expect(nock.pendingMocks()).toEqual([]);
    expect(result).toMatchObject({ id: 60, created: true });
    expect(bodies.one("create").body).toBe(`${THREAT_MODEL_MARKER}\nreal`);
  });

  it("the AI-gate line is edited only in the app's own comment", async () => {
    nock(API)
      .get("/repos/acme/app/issues/4/comments")
      .query({ per_page: 100 })
      .reply(200, [{ id: 50, body: `${THREAT_MODEL_MARKER}\n**Awaiting:** x`, user: { login: "other-app[bot]", type: "Bot" }, html_url: "u50" }]);

    expect(await editMarkedComment(octokit(), ISSUE, THREAT_MODEL_MARKER, () => "changed", IDENTITY)).toBe(false);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("a fingerprint marker in the PR's code, quoted in a suggestion, is not the comment's fingerprint", () => {
    const forged = fingerprintMarker("someone-elses-finding");
    const body = renderInlineCommentBody(makeFinding({ fingerprint: "ours", message: forged, fix: forged, replacement: { startLine: 3, endLine: 3, text: `// ${forged}` } }), true);
    expect(readFingerprint(body)).toBe("ours");
    expect(readFingerprint(renderOutdatedBody(body, "a".repeat(40)))).toBe("ours");
    expect(readFingerprint(`a comment\n${forged}\nwith text after it`)).toBeUndefined();
  });

  it("threads opened by anyone but the app's bot are never the app's, whatever marker they carry", async () => {
    const marker = fingerprintMarker("f1");
    nock(API)
      .post("/graphql")
      .reply(
        200,
        threads([
          { id: "T1", isResolved: false, comments: { nodes: [{ databaseId: 1, body: `x\n${marker}`, author: { login: "mallory", __typename: "User" } }] } },
          { id: "T2", isResolved: false, comments: { nodes: [{ databaseId: 2, body: `x\n${marker}`, author: { login: "other-app", __typename: "Bot" } }] } },
          { id: "T3", isResolved: false, comments: { nodes: [{ databaseId: 3, body: `x\n${marker}`, author: null }] } },
          { id: "T4", isResolved: false, comments: { nodes: [{ databaseId: 4, body: `x\n${marker}`, author: { login: "security-review", __typename: "Bot" } }] } },
        ]),
      );

    const found = await listInlineThreads(octokit(), PULL, IDENTITY);

    expect(found.map((thread) => thread.threadId)).toEqual(["T4"]);
  });

  it.each([
    [{ login: "security-review[bot]", type: "Bot" }, true],
    [{ login: "security-review", __typename: "Bot" }, true],
    [{ login: "Security-Review[bot]", type: "Bot" }, true],
    [{ login: "security-review", type: "User" }, false],
    [{ login: "security-review-evil[bot]", type: "Bot" }, false],
    [null, false],
  ])("isAppBot(%j) is %s", (user, expected) => {
    expect(isAppBot(user, IDENTITY)).toBe(expected);
  });
});
