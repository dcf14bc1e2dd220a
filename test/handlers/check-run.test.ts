import nock from "nock";
import { describe, expect, it, vi } from "vitest";
import { API, createTestApp, fakeEngine, makeReview, mockToken, payloadOf } from "./helpers.js";

const SHA = "d6fde92930d4715a2b49857d24b940956b26d2d3";

describe("check_run.rerequested", () => {
  it("a fork PR (empty pull_requests) is found by its head SHA and reviewed again", async () => {
    const payload = payloadOf("check_run", "rerequested");
    payload.check_run.name = "Security review";
    expect(payload.check_run.pull_requests).toEqual([]);
    const { probot, queue } = await createTestApp(fakeEngine(makeReview()));
    const enqueue = vi.spyOn(queue, "enqueue").mockReturnValue(true);
    mockToken();
    nock(API)
      .get("/repos/github/hello-world/pulls")
      .query({ state: "open", per_page: 100 })
      .reply(200, [
        { number: 3, head: { sha: "0".repeat(40) } },
        { number: 4, head: { sha: SHA } },
      ]);

    await probot.receive({ id: "r1", name: "check_run", payload });

    expect(nock.pendingMocks()).toEqual([]);
    expect(enqueue).toHaveBeenCalledWith({ kind: "review", installationId: 1, owner: "github", repo: "hello-world", pullNumber: 4, headSha: SHA, trigger: "check_run.rerequested", deliveryId: "r1", force: true });
  });

  it("ignores other apps' check runs", async () => {
    const payload = payloadOf("check_run", "rerequested");
    const { probot, queue } = await createTestApp(fakeEngine(makeReview()));
    const enqueue = vi.spyOn(queue, "enqueue");
    await probot.receive({ id: "r2", name: "check_run", payload });
    expect(enqueue).not.toHaveBeenCalled();
  });
});
