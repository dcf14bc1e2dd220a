import { generateKeyPairSync } from "node:crypto";
import examples from "@octokit/webhooks-examples" with { type: "json" };
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import type { ReviewEngine } from "../../src/github/engine.js";
import { registerHandlers } from "../../src/handlers/index.js";
import type { ReviewQueue } from "../../src/queue/types.js";
import type { Finding, Review } from "../../src/review/types.js";

export const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
export const MARKER = "<!-- test:threat-model -->";
export const API = "https://api.github.com";

type Example = { name: string; examples: Record<string, unknown>[] };

/** A deep copy of a real webhook payload from @octokit/webhooks-examples (with an installation). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function payloadOf(name: string, action: string): any {
  const event = (examples as unknown as Example[]).find((entry) => entry.name === name);
  const found = event?.examples.find((example) => example.action === action && example.installation);
  if (!found) throw new Error(`no ${name}.${action} example with an installation`);
  return structuredClone(found);
}

export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "ingress/missing-auth",
    messageId: "missingAuth",
    data: {},
    severity: "critical",
    path: "app/api/users/route.ts",
    line: 3,
    column: 1,
    message: "POST changes users without an auth call.",
    fix: "Call `requireAuth()` first.",
    new: true,
    confidence: "certain",
    fingerprint: "ingress/missing-auth:app/api/users/route.ts:abc123",
    snippet: "export async function POST(req: Request) {",
    ...overrides,
  };
}

export function makeReview(overrides: Partial<Review> = {}): Review {
  return {
    verdict: "pass",
    repo: "Codertocat/Hello-World",
    number: 2,
    title: "Update the README with new information",
    restatedRequest: "Updates the README.",
    classification: { tier: "internal", evidence: [], regulations: [] },
    surface: { ingress: "none", authz: "none", mutation: "none", egress: "none", ai: "none" },
    provenance: { aiGenerated: false, signals: [] },
    findings: [],
    suppressions: [],
    openQuestions: [],
    notAnalysed: [],
    analysed: ["app/api/users/route.ts"],
    notes: [],
    ...overrides,
  };
}

/** An engine returning a hand-made review; the comment is the verdict behind a marker. */
export function fakeEngine(review: Review | (() => Review)): ReviewEngine & { calls: number } {
  const engine = {
    calls: 0,
    threatModelMarker: MARKER,
    reviewSnapshot: () => {
      engine.calls++;
      return typeof review === "function" ? review() : review;
    },
    notRunReview: (_snapshot: unknown, reason: string) => makeReview({ verdict: "not-run", notRunReason: reason }),
    renderThreatModelComment: (rendered: Review, extras: { overflowFindings?: Finding[]; awaiting?: string; configProblems?: string[] } = {}) =>
      [MARKER, `verdict: ${rendered.verdict}`, ...(extras.awaiting ? [`awaiting: ${extras.awaiting}`] : []), ...(extras.configProblems ?? []), ...(extras.overflowFindings ?? []).map((finding) => `overflow: ${finding.fingerprint}`)].join("\n"),
  };
  return engine;
}

/** A fresh Probot per test (tokens are cached per instance), retries and throttling off, logs silent. */
export async function createTestApp(engine: ReviewEngine): Promise<{ probot: Probot; queue: ReviewQueue }> {
  let queue: ReviewQueue | undefined;
  const probot = new Probot({
    appId: 123,
    privateKey: PRIVATE_KEY,
    log: pino({ level: "silent" }),
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  await probot.load((app) => {
    registerHandlers(app, { engine, identity: { slug: "security-review" }, concurrency: 1, onQueue: (created) => (queue = created) });
  });
  return { probot, queue: queue! };
}

export function mockToken(installationId = 1): nock.Scope {
  return nock(API).post(`/app/installations/${installationId}/access_tokens`).reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
}

/** No `.github/security-review.yml` in the repo nor in the owner's `.github` repo; or the given YAML. */
export function mockConfig(owner: string, repo: string, yaml?: string): nock.Scope {
  const scope = nock(API);
  if (yaml !== undefined) return scope.get(`/repos/${owner}/${repo}/contents/.github%2Fsecurity-review.yml`).reply(200, yaml, { "content-type": "text/plain; charset=utf-8" });
  return scope
    .get(`/repos/${owner}/${repo}/contents/.github%2Fsecurity-review.yml`)
    .reply(404, { message: "Not Found" })
    .get(`/repos/${owner}/.github/contents/.github%2Fsecurity-review.yml`)
    .reply(404, { message: "Not Found" });
}

/**
 * The review's first request: the PR and the config file in one GraphQL query (SecurityReviewContext).
 * `pr` is a REST-shaped PR (a webhook payload's); `yaml` the repo's config file, if any. The owner
 * has no `.github` repository, answered as GitHub does: null beside a NOT_FOUND error.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mockContext(owner: string, repo: string, pr: any, options: { yaml?: string; capture?: (body: unknown) => boolean } = {}): nock.Scope {
  const pullRequest = {
    number: pr.number,
    state: pr.state === "open" ? "OPEN" : "CLOSED",
    isDraft: Boolean(pr.draft),
    title: pr.title,
    body: pr.body ?? "",
    url: pr.html_url,
    headRefOid: pr.head.sha,
    headRefName: pr.head.ref,
    baseRefOid: pr.base.sha,
    baseRefName: pr.base.ref,
    changedFiles: pr.changed_files ?? 0,
    author: pr.user ? { login: String(pr.user.login).replace(/\[bot\]$/, ""), __typename: pr.user.type } : null,
    labels: { nodes: (pr.labels ?? []).map((label: { name: string }) => ({ name: label.name })) },
    comments: { totalCount: pr.comments ?? 0 },
  };
  const config = options.yaml === undefined ? null : { text: options.yaml, isTruncated: false };
  return nock(API)
    .post("/graphql", (body: { query: string; variables: Record<string, unknown> }) => {
      const matches = body.query.startsWith("query SecurityReviewContext") && body.variables.owner === owner && body.variables.name === repo && body.variables.config === "HEAD:.github/security-review.yml";
      return matches && (options.capture?.(body) ?? true);
    })
    .reply(200, { data: { repository: { config, pullRequest }, org: null }, errors: [{ type: "NOT_FOUND", path: ["org"], message: `Could not resolve to a Repository with the name '${owner}/.github'.` }] });
}

/** Records the JSON body of each matched request under its label. */
export class Bodies {
  readonly seen: Record<string, unknown[]> = {};
  capture(label: string) {
    return (body: unknown): boolean => {
      (this.seen[label] ??= []).push(body);
      return true;
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  one(label: string): any {
    const list = this.seen[label] ?? [];
    if (list.length !== 1) throw new Error(`${label}: ${list.length} requests`);
    return list[0];
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  all(label: string): any[] {
    return this.seen[label] ?? [];
  }
}
