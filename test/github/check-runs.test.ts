import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { resumeCheckRun } from "../../src/github/check-runs.js";
import type { GitHubClient } from "../../src/github/client.js";

const API = "https://api.github.com";
const HEAD = "a".repeat(40);

function octokit(): GitHubClient {
  return new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } }) as unknown as GitHubClient;
}

function mockRuns(runs: object[]) {
  nock(API)
    .get(`/repos/o/r/commits/${HEAD}/check-runs`)
    .query({ check_name: "Security review", filter: "latest", per_page: 10 })
    .reply(200, { total_count: runs.length, check_runs: runs });
}

describe("resumeCheckRun (a retried review job)", () => {
  it("takes over the run a failed attempt left in progress", async () => {
    mockRuns([{ id: 41, status: "in_progress", conclusion: null, external_id: null, output: { title: "Reviewing…", summary: "" } }]);
    expect(await resumeCheckRun(octokit(), { owner: "o", repo: "r", headSha: HEAD })).toEqual({ owner: "o", repo: "r", check_run_id: 41 });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("starts afresh when the latest run is completed or there is none", async () => {
    mockRuns([{ id: 42, status: "completed", conclusion: "success", external_id: null, output: { title: "ok", summary: "" } }]);
    expect(await resumeCheckRun(octokit(), { owner: "o", repo: "r", headSha: HEAD })).toBeUndefined();
    mockRuns([]);
    expect(await resumeCheckRun(octokit(), { owner: "o", repo: "r", headSha: HEAD })).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });
});
