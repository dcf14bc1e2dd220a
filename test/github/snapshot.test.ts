import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { completeCheckRun } from "../../src/github/check-runs.js";
import { DEFAULT_CONFIG, type Config } from "../../src/config/schema.js";
import { loadPullRequestSnapshot } from "../../src/github/snapshot.js";
import { renderCheckRun } from "../../src/report/check-run.js";
import { API, Bodies, makeFinding, makeReview } from "../handlers/helpers.js";

const REPO = "/repos/acme/shop";
const HEAD = "a".repeat(40);

function octokit() {
  return new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
}

const pull = { number: 5, title: "Add things", body: null, head: { sha: HEAD, ref: "copilot/add-things" }, base: { sha: "b".repeat(40), ref: "main" }, labels: [{ name: "ai-generated" }], user: { login: "copilot-swe-agent[bot]", type: "Bot" }, changed_files: 3_100 };

const HEAD_COMMIT = { oid: HEAD, message: "Add things\n\nCo-authored-by: Copilot <copilot@github.com>", author: { name: "Copilot", email: "copilot@github.com", user: { login: "Copilot" } } };

function configWith(limits: { maxFileBytes: number; maxFiles: number }, paths: Partial<Config["paths"]> = {}): Config {
  return { ...DEFAULT_CONFIG, limits: { ...DEFAULT_CONFIG.limits, ...limits }, paths: { ...DEFAULT_CONFIG.paths, ...paths } };
}

type BlobQuery = { query: string; variables: Record<string, string | number> };

/** Answers a blob query: each `eN` expression's file by `content(path)`, and the commits when asked. */
function answer(content: (path: string) => object | null, commits: object[] = [HEAD_COMMIT], hasNextPage = false) {
  return (_uri: string, body: BlobQuery) => {
    const repository: Record<string, unknown> = {};
    for (const [key, expression] of Object.entries(body.variables)) {
      if (!/^e\d+$/.test(key)) continue;
      repository[`f${key.slice(1)}`] = content(String(expression).split(":")[1]!);
    }
    if (body.query.includes("pr: pullRequest(")) repository.pr = { commits: { pageInfo: { hasNextPage }, nodes: commits.map((commit) => ({ commit })) } };
    return { data: { repository } };
  };
}

const text = (path: string) => ({ oid: path, text: `// ${path}\n`, isBinary: false, isTruncated: false, byteSize: 10 });
const expressions = (body: BlobQuery) => Object.keys(body.variables).filter((key) => /^e\d+$/.test(key)).map((key) => String(body.variables[key]).split(":")[1]);

describe("loadPullRequestSnapshot", () => {
  it("PR mode: reads the base versions of changed, renamed and deleted files in the same query, by base SHA, and notices a base that is gone", async () => {
    const BASE = "b".repeat(40);
    const listed = [
      { sha: "m", filename: "src/changed.ts", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" },
      { sha: "n", filename: "src/renamed.ts", previous_filename: "src/before.ts", status: "renamed", patch: "@@ -1 +1 @@\n-a\n+b" },
      { sha: "o", filename: "src/old.ts", status: "removed" },
      { sha: "a", filename: "src/added.ts", status: "added", patch: "@@ -0,0 +1 @@\n+x" },
      { sha: "i", filename: "src/image.ts", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" },
    ];
    const load = async (baseExists: boolean) => {
      const bodies = new Bodies();
      nock(API)
        .get(`${REPO}/pulls/5/files`)
        .query({ per_page: 100 })
        .reply(200, listed)
        .post("/graphql", bodies.capture("batch"))
        .reply(200, (uri: string, body: BlobQuery) => {
          const answered = answer(text)(uri, body) as { data: { repository: Record<string, unknown> } };
          for (const [key, expression] of Object.entries(body.variables)) {
            if (!/^b\d+$/.test(key)) continue;
            const [sha, path] = String(expression).split(":");
            answered.data.repository[key] = !baseExists || sha !== BASE ? null : path === "src/image.ts" ? { oid: "img", text: null, isBinary: true, isTruncated: false, byteSize: 10 } : { oid: `b-${path}`, text: `// base ${path}\n`, isBinary: false, isTruncated: false, byteSize: 20 };
          }
          answered.data.repository.baseCommit = baseExists && body.variables.base === BASE ? { oid: BASE } : null;
          return answered;
        });
      const config = { ...configWith({ maxFileBytes: 1_000_000, maxFiles: 1_000 }), limits: { ...DEFAULT_CONFIG.limits, contextDepth: 0 } };
      const snapshot = await loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, config, { ...pull, changed_files: listed.length } as never);
      expect(nock.pendingMocks()).toEqual([]);
      return { snapshot, batch: bodies.one("batch") };
    };

    const { snapshot, batch } = await load(true);
    // One request: head contents, base contents (old path of the rename, the deleted file) and the commits.
    const bases = Object.keys(batch.variables).filter((key) => /^b\d+$/.test(key)).map((key) => batch.variables[key]);
    expect(bases.sort()).toEqual([`${BASE}:src/before.ts`, `${BASE}:src/changed.ts`, `${BASE}:src/image.ts`, `${BASE}:src/old.ts`]);
    expect(expressions(batch)).not.toContain("src/old.ts");
    const file = (path: string) => snapshot.files.find((entry) => entry.path === path)!;
    expect(file("src/changed.ts")).toMatchObject({ content: "// src/changed.ts\n", baseContent: "// base src/changed.ts\n" });
    expect(file("src/renamed.ts").baseContent).toBe("// base src/before.ts\n");
    expect(file("src/old.ts")).toMatchObject({ skipReason: "deleted", baseContent: "// base src/old.ts\n" });
    expect(file("src/added.ts").baseContent).toBeUndefined();
    expect(file("src/image.ts")).toMatchObject({ baseSkipReason: "its base version is binary" });
    expect(snapshot.base?.unavailable).toBeUndefined();

    const gone = await load(false);
    expect(gone.snapshot.base?.unavailable).toBe("the base commit bbbbbbbbbbbb no longer exists (a force-push or a deleted branch)");
  });

  it("reads the files in scope through one GraphQL query with the commits, falls back to blobs when truncated, and lists the rest with a reason", async () => {
    const listed = [
      ...Array.from({ length: 52 }, (_, index) => ({ sha: `s${index}`, filename: `src/f${index}.ts`, status: "added", patch: "@@ -0,0 +1 @@\n+x" })),
      { sha: "r", filename: "README.md", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" },
      { sha: "o", filename: "src/old.ts", status: "removed" },
      { sha: "n", filename: "src/renamed.ts", previous_filename: "src/before.ts", status: "renamed" },
      { sha: "t", filename: "src/f0.test.ts", status: "added" },
    ];
    const bodies = new Bodies();
    nock(API)
      .get(`${REPO}/pulls/5`)
      .reply(200, pull)
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100 })
      .reply(200, listed)
      .post("/graphql", bodies.capture("batch"))
      .reply(
        200,
        answer((path) => {
          if (path === "src/f0.ts") return { oid: "big", text: "partial", isBinary: false, isTruncated: true, byteSize: 600_000 };
          if (path === "src/f1.ts") return { oid: "bin", text: null, isBinary: true, isTruncated: false, byteSize: 10 };
          if (path === "src/f2.ts") return { oid: "huge", text: null, isBinary: false, isTruncated: true, byteSize: 2_000_000 };
          if (path === "src/f3.ts") return null;
          return text(path);
        }),
      )
      .get(`${REPO}/git/blobs/big`)
      .reply(200, { content: Buffer.from("the whole file\n").toString("base64"), encoding: "base64", size: 600_000 });

    const snapshot = await loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, configWith({ maxFileBytes: 1_000_000, maxFiles: 1_000 }));

    expect(nock.pendingMocks()).toEqual([]);
    const batch = bodies.one("batch");
    expect(expressions(batch)).toHaveLength(53);
    expect(expressions(batch)).not.toContain("src/f0.test.ts");
    expect(batch.variables).toMatchObject({ owner: "acme", name: "shop", number: 5 });
    expect(snapshot).toMatchObject({ repo: "acme/shop", number: 5, title: "Add things", body: "", headSha: HEAD, branch: "copilot/add-things", baseBranch: "main", labels: ["ai-generated"], author: { login: "copilot-swe-agent[bot]", type: "Bot" }, unlistedFileCount: 3_044 });
    expect(snapshot.commits).toEqual([{ sha: HEAD, message: "Add things\n\nCo-authored-by: Copilot <copilot@github.com>", authorName: "Copilot", authorEmail: "copilot@github.com", authorLogin: "Copilot", trailers: [{ key: "Co-authored-by", value: "Copilot <copilot@github.com>" }] }]);
    const byPath = new Map(snapshot.files.map((file) => [file.path, file]));
    expect(byPath.get("src/f0.ts")).toMatchObject({ content: "the whole file\n", size: 600_000 });
    expect(byPath.get("src/f1.ts")).toMatchObject({ skipReason: "binary file" });
    expect(byPath.get("src/f2.ts")).toMatchObject({ skipReason: "too large (2000000 bytes; limit 1000000)" });
    expect(byPath.get("src/f3.ts")).toMatchObject({ skipReason: "not found at the head commit" });
    expect(byPath.get("src/f9.ts")).toMatchObject({ content: "// src/f9.ts\n", patch: "@@ -0,0 +1 @@\n+x" });
    expect(byPath.get("README.md")).toMatchObject({ skipReason: "unsupported file type" });
    expect(byPath.get("src/old.ts")).toMatchObject({ skipReason: "deleted" });
    expect(byPath.get("src/f0.test.ts")).toMatchObject({ skipReason: "excluded by paths" });
    expect(byPath.get("src/f0.test.ts")?.content).toBeUndefined();
    expect(byPath.get("src/renamed.ts")).toMatchObject({ previousPath: "src/before.ts", content: "// src/renamed.ts\n" });
  });

  it("reads the unchanged guard files the PR's routes depend on with the first query: a file, a folder's entries, within the limits", async () => {
    const listed = [
      { sha: "a", filename: "app/api/notes/route.ts", status: "added" },
      { sha: "s", filename: "src/middleware.ts", status: "modified" },
      { sha: "n", filename: "server/api/notes.get.ts", status: "added" },
      { sha: "m", filename: "server/middleware/changed.ts", status: "modified" },
    ];
    const bodies = new Bodies();
    const contexts: Record<string, object | null> = {
      "middleware.ts": text("middleware.ts"),
      "middleware.js": null,
      "src/middleware.js": { oid: "bin", text: null, isBinary: true, isTruncated: false, byteSize: 10 },
      "server/middleware": {
        entries: [
          { name: "auth.ts", type: "blob", object: text("server/middleware/auth.ts") },
          { name: "changed.ts", type: "blob", object: text("server/middleware/changed.ts") },
          { name: "huge.ts", type: "blob", object: { oid: "h", text: "partial", isBinary: false, isTruncated: true, byteSize: 5_000_000 } },
          { name: "notes.md", type: "blob", object: text("server/middleware/notes.md") },
          { name: "nested", type: "tree", object: null },
        ],
      },
    };
    nock(API)
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100 })
      .reply(200, listed)
      .post("/graphql", bodies.capture("batch"))
      .reply(200, (uri: string, body: BlobQuery) => {
        const response = answer(text)(uri, body) as { data: { repository: Record<string, unknown> } };
        for (const [key, expression] of Object.entries(body.variables)) {
          if (/^c\d+$/.test(key)) response.data.repository[key] = contexts[String(expression).split(":")[1]!] ?? null;
        }
        return response;
      });

    const snapshot = await loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, configWith({ maxFileBytes: 1_000_000, maxFiles: 1_000 }), { ...pull, changed_files: 4 } as never);

    expect(nock.pendingMocks()).toEqual([]);
    const batch = bodies.one("batch");
    const asked = Object.keys(batch.variables).filter((key) => /^c\d+$/.test(key)).map((key) => String(batch.variables[key]));
    const next = ["middleware.ts", "middleware.js", "proxy.ts", "proxy.js", "auth.ts", "auth.js", "auth.config.ts", "auth.config.js"];
    const wanted = [...next, ...next.map((path) => `src/${path}`).filter((path) => path !== "src/middleware.ts"), "server/middleware"];
    expect(asked).toEqual(wanted.map((path) => `${HEAD}:${path}`));
    expect(batch.query).toContain("... on Tree { entries { name type object {");
    const context = snapshot.files.filter((file) => file.context);
    expect(context).toEqual([
      { path: "middleware.ts", status: "unchanged", context: true, content: "// middleware.ts\n", size: 10 },
      { path: "server/middleware/auth.ts", status: "unchanged", context: true, content: "// server/middleware/auth.ts\n", size: 10 },
    ]);
    expect(snapshot.files.filter((file) => !file.context).map((file) => file.path)).toEqual(listed.map((file) => file.filename));
    expect(snapshot.unlistedFileCount).toBeUndefined();
  });

  it("reads 450 files in three queries of at most 200, the commits with the first", async () => {
    const listed = Array.from({ length: 450 }, (_, index) => ({ sha: `s${index}`, filename: `lib/m${index}.ts`, status: "added" }));
    const bodies = new Bodies();
    nock(API)
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100 })
      .reply(200, listed.slice(0, 100), { link: `<${API}${REPO}/pulls/5/files?per_page=100&page=2>; rel="next"` })
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100, page: 2 })
      .reply(200, listed.slice(100))
      .post("/graphql", bodies.capture("batch"))
      .times(3)
      .reply(200, answer(text));

    const snapshot = await loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, configWith({ maxFileBytes: 1_000, maxFiles: 1_000 }), { ...pull, changed_files: 450 } as never);

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.all("batch").map((body) => expressions(body).length)).toEqual([200, 200, 50]);
    expect(bodies.all("batch").map((body) => body.query.includes("pr: pullRequest("))).toEqual([true, false, false]);
    expect(snapshot.files.every((file) => file.content === `// ${file.path}\n`)).toBe(true);
    expect(snapshot.commits.map((commit) => commit.sha)).toEqual([HEAD]);
  });

  it("splits a batch GitHub cannot answer, and reads a single failing file from the blobs API", async () => {
    const listed = Array.from({ length: 4 }, (_, index) => ({ sha: `s${index}`, filename: `lib/m${index}.ts`, status: "added" }));
    const bodies = new Bodies();
    const timeout = { data: null, errors: [{ message: "Something went wrong while executing your query. This may be the result of a timeout." }] };
    nock(API)
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100 })
      .reply(200, listed)
      .post("/graphql", bodies.capture("batch"))
      .reply(502, { message: "Bad Gateway" })
      .post("/graphql", bodies.capture("batch"))
      .reply(200, answer(text))
      .post("/graphql", bodies.capture("batch"))
      .reply(200, timeout)
      .post("/graphql", bodies.capture("batch"))
      .reply(200, answer(text))
      .post("/graphql", bodies.capture("batch"))
      .reply(200, timeout)
      .get(`${REPO}/git/blobs/s3`)
      .reply(200, { content: Buffer.from("from the blob\n").toString("base64"), encoding: "base64", size: 14 });

    const snapshot = await loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, configWith({ maxFileBytes: 1_000, maxFiles: 1_000 }), { ...pull, changed_files: 4 } as never);

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.all("batch").map(expressions)).toEqual([["lib/m0.ts", "lib/m1.ts", "lib/m2.ts", "lib/m3.ts"], ["lib/m0.ts", "lib/m1.ts"], ["lib/m2.ts", "lib/m3.ts"], ["lib/m2.ts"], ["lib/m3.ts"]]);
    expect(snapshot.files.map((file) => file.content)).toEqual(["// lib/m0.ts\n", "// lib/m1.ts\n", "// lib/m2.ts\n", "from the blob\n"]);
    expect(snapshot.commits).toHaveLength(1);
  });

  it("never retries a rate-limited content query", async () => {
    nock(API)
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100 })
      .reply(200, [
        { sha: "a", filename: "a.ts", status: "added" },
        { sha: "b", filename: "b.ts", status: "added" },
      ])
      .post("/graphql")
      .reply(200, { data: null, errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] });

    await expect(loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, configWith({ maxFileBytes: 1_000, maxFiles: 10 }), { ...pull, changed_files: 2 } as never)).rejects.toThrow(/rate limit/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("lists the commits through REST when the PR has more than the query reads, or nothing is read", async () => {
    const rest = [{ sha: HEAD, commit: { message: "One", author: { name: "A", email: "a@example.com" } }, author: { login: "a" } }];
    nock(API)
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100 })
      .reply(200, [{ sha: "a", filename: "a.ts", status: "added" }])
      .post("/graphql")
      .reply(200, answer(text, [HEAD_COMMIT], true))
      .get(`${REPO}/pulls/5/commits`)
      .query({ per_page: 100 })
      .reply(200, rest)
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100 })
      .reply(200, [{ sha: "r", filename: "README.md", status: "modified" }])
      .get(`${REPO}/pulls/5/commits`)
      .query({ per_page: 100 })
      .reply(200, rest);

    const many = await loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, configWith({ maxFileBytes: 1_000, maxFiles: 10 }), { ...pull, changed_files: 1 } as never);
    const none = await loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, configWith({ maxFileBytes: 1_000, maxFiles: 10 }), { ...pull, changed_files: 1 } as never);

    expect(nock.pendingMocks()).toEqual([]);
    expect(many.commits).toEqual([{ sha: HEAD, message: "One", authorName: "A", authorEmail: "a@example.com", authorLogin: "a", trailers: [] }]);
    expect(none.commits).toEqual(many.commits);
  });

  it("stops fetching at maxFiles and says why", async () => {
    nock(API)
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100 })
      .reply(200, [
        { sha: "a", filename: "a.ts", status: "added" },
        { sha: "b", filename: "b.ts", status: "added" },
      ])
      .post("/graphql")
      .reply(200, answer((path) => ({ oid: "1", text: path[0], isBinary: false, isTruncated: false, byteSize: 1 })));

    const snapshot = await loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, configWith({ maxFileBytes: 1_000, maxFiles: 1 }), { ...pull, changed_files: 2 } as never);

    expect(nock.pendingMocks()).toEqual([]);
    expect(snapshot.files).toEqual([
      { path: "a.ts", status: "added", content: "a", size: 1 },
      { path: "b.ts", status: "added", skipReason: "over the limit of 1 files per review" },
    ]);
    expect(snapshot.unlistedFileCount).toBeUndefined();
  });
});

describe("completeCheckRun", () => {
  it("sends annotations 50 per request, the conclusion with the last batch", async () => {
    const findings = Array.from({ length: 120 }, (_, index) => makeFinding({ line: index + 1, fingerprint: String(index) }));
    const bodies = new Bodies();
    nock(API).patch(`${REPO}/check-runs/9`, bodies.capture("update")).times(3).reply(200, { id: 9 });

    await completeCheckRun(octokit(), { owner: "acme", repo: "shop", check_run_id: 9 }, renderCheckRun(makeReview({ verdict: "fail", findings })));

    expect(nock.pendingMocks()).toEqual([]);
    const updates = bodies.all("update");
    expect(updates.map((update) => update.output.annotations.length)).toEqual([50, 50, 20]);
    expect(updates.map((update) => update.conclusion)).toEqual([undefined, undefined, "failure"]);
    expect(updates[2].status).toBe("completed");
  });
});
