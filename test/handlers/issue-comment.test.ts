import nock from "nock";
import { describe, expect, it, vi } from "vitest";
import { API, Bodies, createTestApp, fakeEngine, makeReview, mockConfig, mockToken, payloadOf } from "./helpers.js";

const REPO = "/repos/Codertocat/Hello-World";
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

/** The real issue_comment.created payload, on a PR (no example has `issue.pull_request`), with the given body. */
function commentPayload(body: string) {
  const payload = payloadOf("issue_comment", "created");
  payload.issue.pull_request = { url: `https://api.github.com${REPO}/pulls/1`, html_url: "https://github.com/Codertocat/Hello-World/pull/1" };
  payload.comment.body = body;
  return payload;
}

async function setup() {
  const { probot, queue } = await createTestApp(fakeEngine(makeReview()));
  const enqueue = vi.spyOn(queue, "enqueue").mockReturnValue(true);
  return { probot, queue, enqueue };
}

function mockPermission(permission: string) {
  return nock(API).get(`${REPO}/collaborators/Codertocat/permission`).reply(200, { permission, user: { login: "Codertocat" } });
}

describe("issue_comment.created", () => {
  it("/security recheck by a user with write access: 👀, then a forced review of the current head", async () => {
    const { probot, enqueue } = await setup();
    const bodies = new Bodies();
    mockToken();
    mockPermission("write");
    mockConfig("Codertocat", "Hello-World");
    nock(API)
      .post(`${REPO}/issues/comments/492700400/reactions`, bodies.capture("reaction"))
      .reply(201, { id: 1, content: "eyes" })
      .get(`${REPO}/pulls/1`)
      .reply(200, { number: 1, state: "open", head: { sha: HEAD } });

    await probot.receive({ id: "c1", name: "issue_comment", payload: commentPayload("Looks fixed.\n\n/security recheck") });

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.one("reaction")).toEqual({ content: "eyes" });
    expect(enqueue).toHaveBeenCalledWith({ kind: "review", installationId: 1, owner: "Codertocat", repo: "Hello-World", pullNumber: 1, headSha: HEAD, trigger: "issue_comment.created", deliveryId: "c1", force: true });
  });

  it("refuses a user without write access with a short reply", async () => {
    const { probot, enqueue } = await setup();
    const bodies = new Bodies();
    mockToken();
    mockPermission("read");
    nock(API).post(`${REPO}/issues/1/comments`, bodies.capture("reply")).reply(201, { id: 2 });

    await probot.receive({ id: "c2", name: "issue_comment", payload: commentPayload("/security recheck") });

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.one("reply").body).toBe("@Codertocat `/security recheck` needs write access to this repository (you have `read`).");
    expect(enqueue).not.toHaveBeenCalled();
  });

  it("limits rechecks per PR per hour (recheckPerHour from the config) and says when the next can run", async () => {
    const { probot, enqueue } = await setup();
    const bodies = new Bodies();
    mockToken();
    mockPermission("admin").persist();
    mockConfig("Codertocat", "Hello-World", "recheckPerHour: 1\n").persist();
    nock(API)
      .post(`${REPO}/issues/comments/492700400/reactions`)
      .reply(201, { id: 1 })
      .get(`${REPO}/pulls/1`)
      .reply(200, { number: 1, state: "open", head: { sha: HEAD } })
      .post(`${REPO}/issues/1/comments`, bodies.capture("reply"))
      .reply(201, { id: 2 });

    await probot.receive({ id: "c3", name: "issue_comment", payload: commentPayload("/security recheck") });
    await probot.receive({ id: "c4", name: "issue_comment", payload: commentPayload("/security recheck") });

    expect(nock.pendingMocks()).toEqual([]);
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(bodies.one("reply").body).toMatch(/^@Codertocat this PR has had its 1 rechecks for this hour\. The next one can run at \d\d:\d\d UTC \(in 60 minutes\)\.$/);
  });

  it.each([
    ["inside a fenced code block", "```\n/security recheck\n```"],
    ["inside a quote", "> /security recheck\n\nno, not yet"],
    ["inline code", "type `/security recheck` to rerun"],
    ["no command at all", "You are totally right!"],
  ])("ignores the command %s, without a request", async (_case, body) => {
    const { probot, enqueue } = await setup();
    await probot.receive({ id: "c5", name: "issue_comment", payload: commentPayload(body) });
    expect(nock.pendingMocks()).toEqual([]);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it("ignores bots and comments on issues", async () => {
    const { probot, enqueue } = await setup();
    const fromBot = commentPayload("/security recheck");
    fromBot.comment.user.type = "Bot";
    fromBot.sender.type = "Bot";
    await probot.receive({ id: "c6", name: "issue_comment", payload: fromBot });
    const onIssue = payloadOf("issue_comment", "created");
    onIssue.comment.body = "/security recheck";
    await probot.receive({ id: "c7", name: "issue_comment", payload: onIssue });
    expect(enqueue).not.toHaveBeenCalled();
  });
});
