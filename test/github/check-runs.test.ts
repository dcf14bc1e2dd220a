import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { resumeCheckRun } from "../../src/github/check-runs.js";
import type { GitHubClient } from "../../src/github/client.js";

const API = "https://api.github.com";
const HEAD = "a".repeat(40);
const IDENTITY = { slug: "security-review" };
const OURS = { app: { id: 1, slug: "security-review" } };

function octokit(): GitHubClient {
  return new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } }) as unknown as GitHubClient;
}

function mockRuns(runs: object[]) {
  nock(API)
    .get(`/repos/o/r/commits/${HEAD}/check-runs`)
    .query({ check_name: "Security review", filter: "latest", per_page: 100 })
    .reply(200, { total_count: runs.length, check_runs: runs });
}

describe("resumeCheckRun (a retried review job)", () => {
  it("takes over the run a failed attempt left in progress", async () => {
    mockRuns([{ id: 41, status: "in_progress", conclusion: null, external_id: null, output: { title: "Reviewing…", summary: "" }, ...OURS }]);
    expect(await resumeCheckRun(octokit(), { owner: "o", repo: "r", headSha: HEAD }, IDENTITY)).toEqual({ owner: "o", repo: "r", check_run_id: 41 });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("starts afresh when the latest run is completed or there is none", async () => {
    mockRuns([{ id: 42, status: "completed", conclusion: "success", external_id: null, output: { title: "ok", summary: "" }, ...OURS }]);
    expect(await resumeCheckRun(octokit(), { owner: "o", repo: "r", headSha: HEAD }, IDENTITY)).toBeUndefined();
    mockRuns([]);
    expect(await resumeCheckRun(octokit(), { owner: "o", repo: "r", headSha: HEAD }, IDENTITY)).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("never takes over a run of the same name that another app or a workflow created", async () => {
    const foreign = { id: 99, status: "in_progress", conclusion: null, external_id: null, output: { title: "Reviewing…", summary: "" } };
    mockRuns([{ ...foreign, app: { id: 15368, slug: "github-actions" } }, { id: 40, status: "completed", conclusion: "failure", external_id: null, output: { title: "x", summary: "" }, ...OURS }]);
    expect(await resumeCheckRun(octokit(), { owner: "o", repo: "r", headSha: HEAD }, IDENTITY)).toBeUndefined();
    mockRuns([{ ...foreign, app: null }]);
    expect(await resumeCheckRun(octokit(), { owner: "o", repo: "r", headSha: HEAD }, IDENTITY)).toBeUndefined();
    mockRuns([{ ...foreign, app: { id: 7, slug: "security-review-evil" } }]);
    expect(await resumeCheckRun(octokit(), { owner: "o", repo: "r", headSha: HEAD }, IDENTITY)).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });
});
