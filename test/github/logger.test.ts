import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";

describe("createLogger", () => {
  it("redacts tokens, keys, authorization headers and payload bodies", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ level: "info" }, sink);
    log.info(
      {
        token: "ghs_secret",
        privateKey: "-----BEGIN",
        req: { headers: { authorization: "token ghs_secret", "x-hub-signature-256": "sha256=abc" } },
        request: { headers: { authorization: "bearer x" }, body: "{\"code\":1}" },
        payload: { pull_request: {} },
        file: { content: "const secret = 1", patch: "+x" },
        repo: "acme/shop",
        pr: 3,
      },
      "review posted",
    );
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      token: "[redacted]",
      privateKey: "[redacted]",
      req: { headers: { authorization: "[redacted]", "x-hub-signature-256": "[redacted]" } },
      request: { headers: { authorization: "[redacted]" }, body: "[redacted]" },
      payload: "[redacted]",
      file: { content: "[redacted]", patch: "[redacted]" },
      repo: "acme/shop",
      pr: 3,
      msg: "review posted",
    });
    expect(lines[0]).not.toContain("ghs_secret");
  });
});
