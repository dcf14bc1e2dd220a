import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, sink };
}

describe("createLogger", () => {
  it("keeps ids and actions, redacts tokens, keys, headers, payloads and anything it does not know", () => {
    const { lines, sink } = capture();
    const log = createLogger({ level: "info" }, sink);
    log.info(
      {
        token: "ghs_secret",
        privateKey: "-----BEGIN",
        req: { method: "POST", url: "/api/github/webhooks?token=ghs_secret", headers: { authorization: "token ghs_secret", "x-hub-signature-256": "sha256=abc" } },
        request: { headers: { authorization: "bearer x" }, body: '{"code":1}' },
        payload: { pull_request: {} },
        file: { content: "const secret = 1", patch: "+x" },
        output: { summary: "patient ssn 123-45-6789" },
        body: "comment text",
        repo: "acme/shop",
        pr: 3,
        deliveryId: "d-1",
        jobId: "r-abc",
      },
      "review posted",
    );
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      token: "[redacted]",
      privateKey: "[redacted]",
      req: { method: "POST", url: "/api/github/webhooks" },
      request: "[redacted]",
      payload: "[redacted]",
      file: "[redacted]",
      output: "[redacted]",
      body: "[redacted]",
      repo: "acme/shop",
      pr: 3,
      deliveryId: "d-1",
      jobId: "r-abc",
      msg: "review posted",
    });
    expect(lines[0]).not.toContain("ghs_secret");
    expect(lines[0]).not.toContain("123-45-6789");
  });

  it("logs an error by type and status, never its text, and drops interpolated values", () => {
    const { lines, sink } = capture();
    const log = createLogger({ level: "info" }, sink);
    const error = Object.assign(new Error("Unexpected token in ssn: 123-45-6789"), { status: 502 });
    log.error(error);
    log.error({ err: error }, "review failed");
    log.info("user %s logged in", "jane@example.com");
    expect(lines.join("")).not.toMatch(/123-45-6789|jane@example\.com/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ err: { type: "Error", status: 502 }, msg: "Error 502" });
    expect(JSON.parse(lines[1]!)).toMatchObject({ err: { type: "Error", status: 502 }, msg: "review failed" });
  });
});
