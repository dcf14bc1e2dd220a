import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitRequestBody, MAX_WEBHOOK_BODY_BYTES } from "../../src/handlers/body-limit.js";
import { createLogger } from "../../src/logger.js";
import { FakeGitHub } from "../e2e/fake-github.js";
import { SECRET, startApp, type AppUnderTest } from "../scale/helpers.js";

beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
});

interface Answer {
  status: number;
  /** Body bytes the client had written when the answer came. */
  sent: number;
}

/**
 * POSTs a body to `url` over a plain socket (an HTTP client would buffer what it is given): with
 * `declared`, a `content-length` header and only 1 KB of the body; without, a chunked body
 * streamed 1 MB at a time, with backpressure, until the server answers or `total` bytes are sent.
 */
function post(url: string, options: { declared?: number; total?: number; body?: string; signature?: string; event?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const socket = connect(Number(target.port), target.hostname);
    let sent = 0;
    let answer = "";
    let status: number | undefined;
    const headers = [
      `POST ${target.pathname} HTTP/1.1`,
      `host: ${target.host}`,
      "content-type: application/json",
      `x-github-event: ${options.event ?? "pull_request"}`,
      "x-github-delivery: unsigned",
      `x-hub-signature-256: ${options.signature ?? `sha256=${"0".repeat(64)}`}`,
      options.declared !== undefined ? `content-length: ${options.declared}` : "transfer-encoding: chunked",
    ];
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match && status === undefined) {
        status = Number(match[1]);
        resolve({ status, sent });
        socket.destroy();
      }
    });
    socket.on("error", (error) => (status === undefined ? reject(error) : undefined));
    socket.on("close", () => (status === undefined ? reject(new Error(`closed without an answer after ${sent} bytes`)) : undefined));
    socket.write(`${headers.join("\r\n")}\r\n\r\n`);
    if (options.body !== undefined) {
      const body = Buffer.from(options.body);
      socket.write(`${body.length.toString(16)}\r\n`);
      socket.write(body);
      socket.write("\r\n0\r\n\r\n");
      return;
    }
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    if (options.declared !== undefined) {
      socket.write(chunk.subarray(0, 1024));
      sent = 1024;
      return; // the rest is never sent: a server that waits for it never answers
    }
    const pump = () => {
      while (status === undefined && !socket.destroyed && sent < (options.total ?? 0)) {
        sent += chunk.length;
        socket.write(`${chunk.length.toString(16)}\r\n`);
        socket.write(chunk);
        if (!socket.write("\r\n")) return void socket.once("drain", pump);
      }
      if (status === undefined && !socket.destroyed) socket.write("0\r\n\r\n");
    };
    pump();
  });
}

describe("the body limit in front of a listener", () => {
  let server: Server;
  let url: string;
  const reached: number[] = [];

  beforeAll(async () => {
    server = createServer(
      limitRequestBody(
        (request, response) => {
          const raw = (request as { rawBody?: Buffer }).rawBody;
          reached.push(raw?.length ?? -1);
          response.end("ok");
        },
        { maxBytes: 4 * 1024 * 1024 },
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("a declared length over the limit is refused with 413 before the body is sent", async () => {
    reached.length = 0;
    expect(await post(url, { declared: 1024 * 1024 * 1024 })).toEqual({ status: 413, sent: 1024 });
    expect(reached).toEqual([]);
  });

  it("a chunked body is refused as soon as it passes the limit, never read to its end", async () => {
    reached.length = 0;
    const answer = await post(url, { total: 64 * 1024 * 1024 });
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeLessThan(16 * 1024 * 1024);
    expect(reached).toEqual([]);
  });

  it("a chunked body within the limit is handed on whole", async () => {
    reached.length = 0;
    expect((await post(url, { total: 3 * 1024 * 1024 })).status).toBe(200);
    expect(reached).toEqual([3 * 1024 * 1024]);
  });
});

describe("the app's webhook endpoint", () => {
  let fake: FakeGitHub;
  let app: AppUnderTest;
  const lines: string[] = [];

  beforeAll(async () => {
    fake = new FakeGitHub("acme", "app");
    await fake.start();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    app = await startApp(fake, createLogger({ level: "info" }, sink), { concurrency: 1 });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
  });

  it("an unsigned 1 GB POST is answered 413 after 1 KB, before Probot reads it or checks a signature", async () => {
    expect(await post(`${app.url}/api/github/webhooks`, { declared: 1024 * 1024 * 1024 })).toEqual({ status: 413, sent: 1024 });
    expect(lines.some((line) => line.includes("over the size limit"))).toBe(true);
    expect(lines.join("\n")).not.toMatch(/unsigned/);
  });

  it("an unsigned chunked POST over 25 MB is refused while it streams", async () => {
    const answer = await post(`${app.url}/api/github/webhooks`, { total: 200 * 1024 * 1024 });
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeLessThan(MAX_WEBHOOK_BODY_BYTES + 16 * 1024 * 1024);
  });

  it("a body within the limit still reaches the signature check (and fails it)", async () => {
    expect((await post(`${app.url}/api/github/webhooks`, { total: 2 * 1024 * 1024 })).status).toBe(400);
    const small = await fetch(`${app.url}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "d", "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
      body: "{}",
    });
    expect(small.status).toBe(400);
  });

  it("a signed chunked webhook within the limit is received", async () => {
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    expect((await post(`${app.url}/api/github/webhooks`, { body, event: "ping", signature: await sign(SECRET, body) })).status).toBe(200);
  });

  it("other paths are not limited by it", async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
