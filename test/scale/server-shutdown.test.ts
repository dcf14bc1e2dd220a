import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../e2e/fake-github.js";
import { freePort, OWNER, PRIVATE_KEY, pullRequestPayload, REPO, SECRET, sha } from "./helpers.js";
import { startWorker, waitFor } from "./processes.js";

/** `npm start` as a real process: SIGTERM while a review runs lets it finish, then exits 0. */

beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
});

describe("server shutdown", () => {
  it("npm start (src/server.ts): SIGTERM while a review runs — the review completes, then the process exits 0", async () => {
    const fake = new FakeGitHub(OWNER, REPO);
    await fake.start();
    const port = await freePort();
    const server = await startWorker(
      { APP_ID: "1", PRIVATE_KEY, WEBHOOK_SECRET: SECRET, HOST: "127.0.0.1", PORT: String(port), GHE_HOST: `127.0.0.1:${fake.port}`, GHE_PROTOCOL: "http", GITHUB_THROTTLE: "off", GITHUB_RETRY_BASE_MS: "100", LOG_LEVEL: "info", LOG_FORMAT: "json" },
      "server",
    );
    try {
      await waitFor(async () => fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok, () => false), 10_000, "the server to listen");
      const headSha = sha("shutdown:server");
      fake.addPull({ number: 9, headSha, files: [{ filename: "src/lib/math.ts", status: "added", content: "export const one = 1;\n" }] });
      // The first GraphQL request of the review is held for 700 ms (then answered 500 and retried):
      // SIGTERM arrives while the review runs.
      let held = false;
      fake.timeoutFaultMs = 700;
      fake.faultFor = (request) => {
        if (held || !request.path.endsWith("/graphql")) return undefined;
        held = true;
        return "timeout";
      };
      const body = JSON.stringify(pullRequestPayload("opened", 9, headSha));
      const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "shutdown-1", "x-hub-signature-256": await sign(SECRET, body) },
        body,
      });
      expect(response.status).toBe(200);
      await waitFor(() => held, 5_000, "the review to start");
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      expect(fake.latestRun(headSha)).toMatchObject({ status: "completed", conclusion: "success" });
      expect(fake.injected).toEqual([expect.objectContaining({ fault: "timeout" })]);
      // SIGTERM came before the review finished, and the process waited for it.
      const order = server.lines.map((line) => (line.includes('"signal":"SIGTERM"') ? "sigterm" : line.includes("review job finished") ? "finished" : "")).filter(Boolean);
      expect(order).toEqual(["sigterm", "finished"]);
      expect(server.lines.some((line) => line.includes("draining"))).toBe(true);
    } finally {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
      await fake.stop();
    }
  }, 30_000);
});
