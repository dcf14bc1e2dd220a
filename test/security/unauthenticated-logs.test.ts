import { Writable } from "node:stream";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { FakeGitHub } from "../e2e/fake-github.js";
import { startApp, type AppUnderTest } from "../scale/helpers.js";

const lines: string[] = [];
let fake: FakeGitHub;
let app: AppUnderTest;

beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  fake = new FakeGitHub("acme", "app");
  await fake.start();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  app = await startApp(fake, createLogger({ level: "trace" }, sink), { concurrency: 1 });
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

describe("header values a caller sends are not logged before the signature is verified", () => {
  it("a webhook with a bad signature: 400, and no header value in any log line, even at trace", async () => {
    const response = await fetch(`${app.url}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request-INJECTED-EVENT",
        "x-github-delivery": "INJECTED-DELIVERY",
        "x-request-id": "INJECTED-REQUEST-ID",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
      body: JSON.stringify({ action: "opened" }),
    });
    await response.text();

    expect(response.status).toBe(400);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toMatch(/INJECTED/);
  });
});
