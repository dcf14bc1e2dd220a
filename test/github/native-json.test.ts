import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { NATIVE_JSON, parseResponsesNatively, readBody } from "../../src/github/native-json.js";
import { API } from "../handlers/helpers.js";

/** An integer past 2^53: json-with-bigint (Octokit's parser) makes it a BigInt, `JSON.parse` a number. */
const BIG = "9007199254740993";

function client() {
  return new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
}

const streamOf = (text: string) => new Response(text).body;

describe("parseResponsesNatively", () => {
  it("parses REST answers with JSON.parse, pages included; without it Octokit's parser answers", async () => {
    const patch = `@@ -0,0 +1,3 @@\n+${"x".repeat(200_000)}\n+"quoted" \\ and ✓\n+end`;
    const page = `[{"filename":"src/a.ts","patch":${JSON.stringify(patch)},"additions":${BIG}}]`;
    nock(API).get("/repos/acme/shop/pulls/1/files").query(true).times(2).reply(200, page, { "content-type": "application/json; charset=utf-8" });

    const plain = await client().paginate(client().rest.pulls.listFiles, { owner: "acme", repo: "shop", pull_number: 1 });
    const native = parseResponsesNatively(client());
    const listed = await native.paginate(native.rest.pulls.listFiles, { owner: "acme", repo: "shop", pull_number: 1 });

    expect(typeof (plain[0] as { additions: unknown }).additions).toBe("bigint");
    expect(typeof (listed[0] as { additions: unknown }).additions).toBe("number");
    expect(listed[0]!.patch).toBe(patch);
    expect(nock.isDone()).toBe(true);
  });

  it("parses a GraphQL answer natively only when the query asks for it", async () => {
    const body = `{"data":{"repository":{"f0":{"text":"export const a = 1;\\n","byteSize":${BIG}}}}}`;
    nock(API).post("/graphql").times(2).reply(200, body, { "content-type": "application/json; charset=utf-8" });
    const octokit = parseResponsesNatively(client());
    const query = "query { repository { f0 { text byteSize } } }";

    const asked = await octokit.graphql<{ repository: { f0: { byteSize: unknown } } }>(query, { request: NATIVE_JSON });
    const left = await octokit.graphql<{ repository: { f0: { byteSize: unknown } } }>(query);

    expect(typeof asked.repository.f0.byteSize).toBe("number");
    expect(typeof left.repository.f0.byteSize).toBe("bigint");
  });

  it("still throws GitHub's errors with their status, and hands a caller that asked for the stream the stream", async () => {
    nock(API).get("/repos/acme/shop/pulls/2").reply(404, { message: "Not Found" }).get("/repos/acme/shop/pulls/3").reply(200, { number: 3 });
    const octokit = parseResponsesNatively(client());

    await expect(octokit.rest.pulls.get({ owner: "acme", repo: "shop", pull_number: 2 })).rejects.toMatchObject({ status: 404 });
    const { data } = await octokit.rest.pulls.get({ owner: "acme", repo: "shop", pull_number: 3, request: { parseSuccessResponseBody: false } });
    expect(await new Response(data as unknown as ReadableStream).json()).toEqual({ number: 3 });
  });

  it("wraps a client once, however often it is handed over", async () => {
    nock(API).get("/repos/acme/shop/pulls/4").reply(200, { number: 4 });
    const octokit = client();
    expect(parseResponsesNatively(parseResponsesNatively(octokit))).toBe(octokit);
    expect((await octokit.rest.pulls.get({ owner: "acme", repo: "shop", pull_number: 4 })).data).toEqual({ number: 4 });
  });
});

describe("readBody", () => {
  it("reads a body by its content type, as Octokit does", async () => {
    expect(await readBody(streamOf('{"a":[1,"b"]}'), "application/json; charset=utf-8")).toEqual({ a: [1, "b"] });
    expect(await readBody(streamOf("<html>not json</html>"), "application/json")).toBe("<html>not json</html>");
    expect(await readBody(streamOf("plain"), "text/plain")).toBe("plain");
    expect(await readBody(streamOf("no type"), undefined)).toBe("no type");
    expect(await readBody(streamOf("labelled"), "application/vnd.github.raw; charset=utf-8")).toBe("labelled");
    const bytes = await readBody(streamOf("\u0000\u0001"), "application/octet-stream; charset=utf-8");
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect((bytes as ArrayBuffer).byteLength).toBe(2);
    expect(await readBody("", "application/json")).toBe("");
  });
});
