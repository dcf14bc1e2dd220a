import { Writable } from "node:stream";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { registerHandlers } from "../../src/handlers/index.js";
import { payloadProblem } from "../../src/handlers/validate.js";
import { createLogger } from "../../src/logger.js";
import type { ReviewQueue } from "../../src/queue/types.js";
import { fakeEngine, makeReview, payloadOf, PRIVATE_KEY } from "./helpers.js";

/** Hostile payloads get one clear log line naming the field, never a crash or an API call. */

async function appWithLogs() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  let queue: ReviewQueue | undefined;
  const probot = new Probot({
    appId: 123,
    privateKey: PRIVATE_KEY,
    log: createLogger({ level: "debug" }, sink),
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  await probot.load((app) => {
    registerHandlers(app, { engine: fakeEngine(makeReview()), concurrency: 1, onQueue: (created) => (queue = created) });
  });
  return { probot, lines, queue: queue! };
}

describe("hostile webhook payloads", () => {
  it("a wrong type, a missing object or a non-SHA head: logged with the field, nothing enqueued", async () => {
    const { probot, lines, queue } = await appWithLogs();
    const wrongType = payloadOf("pull_request", "opened");
    wrongType.pull_request.number = "7";
    const missing = payloadOf("pull_request", "opened");
    delete missing.repository;
    const badSha = payloadOf("pull_request", "opened");
    badSha.pull_request.head.sha = "'; DROP TABLE pulls; --";
    for (const [index, payload] of [wrongType, missing, badSha].entries()) await probot.receive({ id: `hostile-${index}`, name: "pull_request", payload } as never);
    await queue.onIdle();
    const warnings = lines.filter((line) => line.msg === "malformed webhook payload: ignored");
    expect(warnings.map((line) => line.problem)).toEqual(["pull_request.number: invalid_type", "repository: invalid_type", "pull_request.head.sha: invalid_format"]);
    expect(lines.some((line) => line.msg === "review job started")).toBe(false);
    expect(JSON.stringify(lines)).not.toContain("DROP TABLE");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("a comment of several megabytes is read no further than GitHub's limit, quickly", async () => {
    const { probot, lines } = await appWithLogs();
    const payload = payloadOf("issue_comment", "created");
    payload.issue.pull_request = { url: "https://api.github.com/repos/o/r/pulls/1" };
    payload.comment.body = `${"`".repeat(70_000)}\n/security recheck\n${"x".repeat(5_000_000)}`;
    const started = performance.now();
    await probot.receive({ id: "giant", name: "issue_comment", payload } as never);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(lines.some((line) => line.msg === "no command: ignored")).toBe(true);
  });

  it("validation names the path, never the value", () => {
    expect(payloadProblem("pull_request", null)).toBe("(payload): invalid_type");
    expect(payloadProblem("pull_request", { action: "opened" })).toMatch(/^repository: /);
    expect(payloadProblem("issues", {})).toBe("no handler for issues");
  });
});
