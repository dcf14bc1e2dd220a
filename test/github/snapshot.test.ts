import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { completeCheckRun } from "../../src/github/check-runs.js";
import { loadPullRequestSnapshot } from "../../src/github/snapshot.js";
import { renderCheckRun } from "../../src/report/check-run.js";
import { API, Bodies, makeFinding, makeReview } from "../handlers/helpers.js";

const REPO = "/repos/acme/shop";
const HEAD = "a".repeat(40);

function octokit() {
  return new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
}

const pull = { number: 5, title: "Add things", body: null, head: { sha: HEAD, ref: "copilot/add-things" }, base: { sha: "b".repeat(40), ref: "main" }, labels: [{ name: "ai-generated" }], user: { login: "copilot-swe-agent[bot]", type: "Bot" }, changed_files: 3_100 };

describe("loadPullRequestSnapshot", () => {
  it("fetches analysable head contents through GraphQL in batches of 50, falls back to blobs when truncated, and lists the rest with a reason", async () => {
    const listed = [
      ...Array.from({ length: 52 }, (_, index) => ({ filename: `src/f${index}.ts`, status: "added", patch: "@@ -0,0 +1 @@\n+x" })),
      { filename: "README.md", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" },
      { filename: "src/old.ts", status: "removed" },
      { filename: "src/renamed.ts", previous_filename: "src/before.ts", status: "renamed" },
    ];
    const bodies = new Bodies();
    nock(API)
      .get(`${REPO}/pulls/5`)
      .reply(200, pull)
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100 })
      .reply(200, listed)
      .post("/graphql", bodies.capture("batch"))
      .times(2)
      .reply(200, (_uri, body: { variables: Record<string, string> }) => {
        const repository: Record<string, unknown> = {};
        for (const [key, expression] of Object.entries(body.variables)) {
          if (!key.startsWith("e")) continue;
          const path = expression.split(":")[1]!;
          const alias = `f${key.slice(1)}`;
          if (path === "src/f0.ts") repository[alias] = { oid: "big", text: "partial", isBinary: false, isTruncated: true, byteSize: 600_000 };
          else if (path === "src/f1.ts") repository[alias] = { oid: "bin", text: null, isBinary: true, isTruncated: false, byteSize: 10 };
          else if (path === "src/f2.ts") repository[alias] = { oid: "huge", text: null, isBinary: false, isTruncated: true, byteSize: 2_000_000 };
          else repository[alias] = { oid: path, text: `// ${path}\n`, isBinary: false, isTruncated: false, byteSize: 10 };
        }
        return { data: { repository } };
      })
      .get(`${REPO}/git/blobs/big`)
      .reply(200, { content: Buffer.from("the whole file\n").toString("base64"), encoding: "base64" })
      .get(`${REPO}/pulls/5/commits`)
      .query({ per_page: 100 })
      .reply(200, [{ sha: HEAD, commit: { message: "Add things\n\nCo-authored-by: Copilot <copilot@github.com>", author: { name: "Copilot", email: "copilot@github.com" } }, author: { login: "Copilot" } }]);

    const snapshot = await loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, { maxFileBytes: 1_000_000, maxFiles: 1_000 });

    expect(nock.pendingMocks()).toEqual([]);
    expect(bodies.all("batch").map((body) => Object.keys(body.variables).filter((key) => key.startsWith("e")).length)).toEqual([50, 3]);
    expect(snapshot).toMatchObject({ repo: "acme/shop", number: 5, title: "Add things", body: "", headSha: HEAD, branch: "copilot/add-things", baseBranch: "main", labels: ["ai-generated"], author: { login: "copilot-swe-agent[bot]", type: "Bot" }, unlistedFileCount: 3_045 });
    expect(snapshot.commits).toEqual([{ sha: HEAD, message: "Add things\n\nCo-authored-by: Copilot <copilot@github.com>", authorName: "Copilot", authorEmail: "copilot@github.com", authorLogin: "Copilot", trailers: [{ key: "Co-authored-by", value: "Copilot <copilot@github.com>" }] }]);
    const byPath = new Map(snapshot.files.map((file) => [file.path, file]));
    expect(byPath.get("src/f0.ts")).toMatchObject({ content: "the whole file\n", size: 600_000 });
    expect(byPath.get("src/f1.ts")).toMatchObject({ skipReason: "binary file" });
    expect(byPath.get("src/f2.ts")).toMatchObject({ skipReason: "too large (2000000 bytes; limit 1000000)" });
    expect(byPath.get("src/f9.ts")).toMatchObject({ content: "// src/f9.ts\n", patch: "@@ -0,0 +1 @@\n+x" });
    expect(byPath.get("README.md")).toMatchObject({ skipReason: "unsupported file type" });
    expect(byPath.get("src/old.ts")).toMatchObject({ skipReason: "deleted" });
    expect(byPath.get("src/renamed.ts")).toMatchObject({ previousPath: "src/before.ts", content: "// src/renamed.ts\n" });
  });

  it("stops fetching at maxFiles and says why", async () => {
    nock(API)
      .get(`${REPO}/pulls/5/files`)
      .query({ per_page: 100 })
      .reply(200, [
        { filename: "a.ts", status: "added" },
        { filename: "b.ts", status: "added" },
      ])
      .post("/graphql")
      .reply(200, { data: { repository: { f0: { oid: "1", text: "a", isBinary: false, isTruncated: false, byteSize: 1 } } } })
      .get(`${REPO}/pulls/5/commits`)
      .query({ per_page: 100 })
      .reply(200, []);

    const snapshot = await loadPullRequestSnapshot(octokit(), { owner: "acme", repo: "shop", pull_number: 5 }, { maxFileBytes: 1_000, maxFiles: 1 }, { ...pull, changed_files: 2 } as never);

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
