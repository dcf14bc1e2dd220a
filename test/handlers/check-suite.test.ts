import nock from "nock";
import { describe, expect, it, vi } from "vitest";
import { createTestApp, fakeEngine, makeReview, payloadOf } from "./helpers.js";

describe("check_suite.rerequested", () => {
  it("reviews the PRs listed in the suite again, without a request", async () => {
    const payload = payloadOf("check_suite", "rerequested");
    const { probot, queue } = await createTestApp(fakeEngine(makeReview()));
    const enqueue = vi.spyOn(queue, "enqueue").mockReturnValue(true);

    await probot.receive({ id: "s1", name: "check_suite", payload });

    expect(nock.pendingMocks()).toEqual([]);
    expect(enqueue).toHaveBeenCalledWith({
      kind: "review",
      installationId: 957387,
      owner: "Codertocat",
      repo: "Hello-World",
      pullNumber: 2,
      headSha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
      trigger: "check_suite.rerequested",
      deliveryId: "s1",
      force: true,
    });
  });
});
