import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "./fake-github.js";

/** The fake GitHub rejects what GitHub would: proof that the end-to-end checks mean something. */

let fake: FakeGitHub;

beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  fake = new FakeGitHub("acme", "shop");
  await fake.start();
});

afterAll(async () => {
  await fake.stop();
});

async function call(method: string, path: string, body?: unknown): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${fake.port}/api/v3${path}`, { method, headers: { "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return response.status;
}

describe("FakeGitHub request validation", () => {
  it.each([
    ["51 annotations in one update", "PATCH", "/repos/acme/shop/check-runs/1", { output: { title: "t", summary: "s", annotations: Array.from({ length: 51 }, () => ({ path: "a.ts", start_line: 1, end_line: 1, annotation_level: "failure", message: "m" })) } }],
    ["a conclusion GitHub does not know", "PATCH", "/repos/acme/shop/check-runs/1", { conclusion: "blocked" }],
    ["a check run without a head SHA", "POST", "/repos/acme/shop/check-runs", { name: "Security review" }],
    ["a review event that does not exist", "POST", "/repos/acme/shop/pulls/1/reviews", { event: "SHOUT", comments: [{ path: "a.ts", line: 1, body: "x" }] }],
    ["a review comment without a body", "POST", "/repos/acme/shop/pulls/1/reviews", { event: "COMMENT", comments: [{ path: "a.ts", line: 1 }] }],
    ["a per_page that is not a number", "GET", "/repos/acme/shop/pulls/1/files?per_page=many", undefined],
    ["an unknown query parameter", "GET", "/repos/acme/shop/pulls/1/files?color=red", undefined],
  ])("rejects %s with 422", async (_case, method, path, body) => {
    const before = fake.violations.length;
    expect(await call(method, path, body)).toBe(422);
    expect(fake.violations.length).toBe(before + 1);
  });

  it("answers an operation the app does not use with 404, recorded as a violation", async () => {
    const before = fake.violations.length;
    expect(await call("DELETE", "/repos/acme/shop")).toBe(404);
    expect(fake.violations.slice(before)).toEqual(["DELETE /repos/acme/shop: no such operation"]);
  });

  it("accepts a valid request", async () => {
    const before = fake.violations.length;
    expect(await call("POST", "/repos/acme/shop/check-runs", { name: "Security review", head_sha: "a".repeat(40), status: "in_progress", output: { title: "t", summary: "s" } })).toBe(201);
    expect(fake.violations.length).toBe(before);
  });
});
