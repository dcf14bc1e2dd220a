import nock from "nock";
import { ProbotOctokit } from "probot";
import type { Logger } from "pino";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { loadRepoConfigOrDefaults } from "../../src/github/config.js";
import { loadReviewContext } from "../../src/github/review-context.js";
import { API, mockConfig } from "../handlers/helpers.js";

const HEAD = "a".repeat(40);
const pull = { owner: "acme", repo: "shop", pull_number: 5 };

function octokit() {
  return new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
}

const pullRequest = {
  number: 5,
  state: "OPEN",
  isDraft: false,
  title: "Add things",
  body: "",
  url: "https://github.com/acme/shop/pull/5",
  headRefOid: HEAD,
  headRefName: "copilot/add-things",
  baseRefOid: "b".repeat(40),
  baseRefName: "main",
  changedFiles: 3,
  author: { login: "copilot-swe-agent", __typename: "Bot" },
  labels: { nodes: [{ name: "ai-generated" }] },
  comments: { totalCount: 2 },
};

const noOrg = [{ type: "NOT_FOUND", path: ["org"], message: "Could not resolve to a Repository with the name 'acme/.github'." }];

function reply(repoConfig: string | null, orgConfig: string | null | undefined, errors?: unknown[]) {
  const blob = (text: string | null) => (text === null ? null : { text, isTruncated: false });
  return { data: { repository: { config: blob(repoConfig), pullRequest }, org: orgConfig === undefined ? null : { config: blob(orgConfig) } }, ...(errors ? { errors } : {}) };
}

describe("loadReviewContext", () => {
  it("reads the PR and the repo's config in one request, tolerating a missing owner .github repository", async () => {
    nock(API).post("/graphql").reply(200, reply("failOn: high\n", undefined, noOrg));

    const { pr, config } = await loadReviewContext(octokit(), pull);

    expect(nock.pendingMocks()).toEqual([]);
    expect(config.problems).toBeUndefined();
    expect(config.config.failOn).toBe("high");
    expect(pr).toEqual({
      number: 5,
      state: "open",
      draft: false,
      title: "Add things",
      body: "",
      html_url: "https://github.com/acme/shop/pull/5",
      head: { sha: HEAD, ref: "copilot/add-things" },
      base: { sha: "b".repeat(40), ref: "main" },
      labels: [{ name: "ai-generated" }],
      user: { login: "copilot-swe-agent[bot]", type: "Bot" },
      changed_files: 3,
      comments: 2,
    });
  });

  it("falls back to the owner's .github config, and to the defaults when neither exists", async () => {
    nock(API).post("/graphql").reply(200, reply(null, "failOn: medium\n")).post("/graphql").reply(200, reply(null, null));

    expect((await loadReviewContext(octokit(), pull)).config.config.failOn).toBe("medium");
    expect((await loadReviewContext(octokit(), pull)).config.config.failOn).toBe("critical");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("reports an invalid config with the key and problem", async () => {
    nock(API).post("/graphql").reply(200, reply("failOn: severe\n", undefined, noOrg));

    const { config } = await loadReviewContext(octokit(), pull);

    expect(config.problems?.join("\n")).toContain("failOn");
  });

  it("follows _extends with the full reader, and reports unparsable YAML from the GraphQL answer", async () => {
    nock(API).post("/graphql").reply(200, reply("_extends: other-repo\n", undefined, noOrg));
    nock(API).get("/repos/acme/shop/contents/.github%2Fsecurity-review.yml").reply(200, "_extends: other-repo\nfailOn: low\n", { "content-type": "text/plain; charset=utf-8" });
    nock(API).get("/repos/acme/other-repo/contents/.github%2Fsecurity-review.yml").reply(200, "failOn: high\ninlineMinSeverity: medium\n", { "content-type": "text/plain; charset=utf-8" });
    nock(API).post("/graphql").reply(200, reply("failOn: [\n", undefined, noOrg));

    expect((await loadReviewContext(octokit(), pull)).config.config).toMatchObject({ failOn: "low", inlineMinSeverity: "medium" });
    expect((await loadReviewContext(octokit(), pull)).config.problems?.[0]).toMatch(/^\(file\): .*not valid YAML/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("fails (for the queue to retry) when GitHub errors while the full reader fetches the file, instead of calling the file invalid", async () => {
    nock(API).post("/graphql").reply(200, reply("_extends: other-repo\n", undefined, noOrg));
    nock(API).get("/repos/acme/shop/contents/.github%2Fsecurity-review.yml").reply(502, { message: "Bad Gateway" });

    await expect(loadReviewContext(octokit(), pull)).rejects.toMatchObject({ status: 502 });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("stands in the defaults where a webhook needs the config during an outage, and still reports a broken file", async () => {
    const log = { warn: vi.fn() } as unknown as Logger;
    nock(API).get("/repos/acme/shop/contents/.github%2Fsecurity-review.yml").reply(503, { message: "Service Unavailable" });
    mockConfig("acme", "shop", "failOn: [\n");

    expect(await loadRepoConfigOrDefaults(octokit(), { owner: "acme", repo: "shop" }, log)).toEqual({ config: DEFAULT_CONFIG });
    expect(log.warn).toHaveBeenCalledWith({ status: 503 }, expect.any(String));
    expect((await loadRepoConfigOrDefaults(octokit(), { owner: "acme", repo: "shop" }, log)).problems?.[0]).toMatch(/^\(file\): .*not valid YAML/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("leaves the config to the full reader when the owner's .github repository answers anything but NOT_FOUND", async () => {
    nock(API).post("/graphql").reply(200, reply(null, undefined, [{ type: "FORBIDDEN", path: ["org"], message: "Resource not accessible by integration" }]));
    mockConfig("acme", "shop");

    const { pr, config } = await loadReviewContext(octokit(), pull);

    expect(nock.pendingMocks()).toEqual([]);
    expect(pr.head.sha).toBe(HEAD);
    expect(config).toEqual({ config: expect.objectContaining({ failOn: "critical" }) });
  });

  it("throws on any other GraphQL error, a missing PR included", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: null, errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] })
      .post("/graphql")
      .reply(200, { data: { repository: { config: null, pullRequest: null }, org: null }, errors: [...noOrg, { type: "NOT_FOUND", path: ["repository", "pullRequest"], message: "Could not resolve to a PullRequest" }] });

    await expect(loadReviewContext(octokit(), pull)).rejects.toThrow(/rate limit/);
    await expect(loadReviewContext(octokit(), pull)).rejects.toThrow(/Could not resolve to a PullRequest/);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

