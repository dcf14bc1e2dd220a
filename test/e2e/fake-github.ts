import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Ajv, type ValidateFunction } from "ajv";
import { structuredPatch } from "diff";
import addFormats from "ajv-formats";
import operationsFile from "./openapi/github-operations.json" with { type: "json" };

/**
 * A fake GitHub API on 127.0.0.1 for the end-to-end tests. Every REST request is matched to an
 * operation of GitHub's OpenAPI description (the subset in openapi/github-operations.json,
 * extracted by scripts/extract-openapi.mjs) and its path, query and body are validated against it
 * with Ajv; anything unknown or invalid is answered 422 and recorded in `violations`. GraphQL
 * answers the app's documents by name. State (pulls, check runs, comments, reviews,
 * threads, reactions) is kept so tests assert what a user would see on GitHub.
 */

interface Operation {
  method: string;
  path: string;
  operationId: string;
  parameters: { name: string; in: "path" | "query"; required: boolean; schema: object }[];
  requestBody?: { required: boolean; schema: object };
}

interface CompiledOperation extends Operation {
  pattern: RegExp;
  pathNames: string[];
  validatePath: ValidateFunction;
  validateQuery: ValidateFunction;
  validateBody?: ValidateFunction;
}

export interface FakeFile {
  filename: string;
  status: "added" | "modified" | "removed" | "renamed";
  /** Head content (absent for a removed file). */
  content?: string;
  /** Base content of a modified, renamed or removed file: served at the base SHA, and the patch is the real diff. */
  baseContent?: string;
  /** The old path of a renamed file. */
  previousFilename?: string;
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  draft: boolean;
  headSha: string;
  headRef: string;
  labels: string[];
  author: { login: string; type: "User" | "Bot" };
  files: FakeFile[];
  /** Files at the head the PR does not change (path → content): readable by expression, never listed. */
  unchanged?: Record<string, string>;
  commits: { sha: string; message: string }[];
  /** The PR's base commit (default BASE_SHA). */
  baseSha?: string;
  /** The base commit a force-push took away: expressions at the base SHA resolve to nothing. */
  baseGone?: boolean;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  output: { title: string; summary: string; text?: string };
  annotations: Record<string, unknown>[];
  /** The app that created the run: the app under test unless a test adds another's. */
  app?: { id: number; slug: string };
}

export interface FakeComment {
  id: number;
  issue_number: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
}

export interface FakeReview {
  id: number;
  pull_number: number;
  commit_id: string;
  state: string;
  body: string;
  user: { login: string; type: "User" | "Bot" };
}

export interface FakeReviewComment {
  id: number;
  review_id: number;
  pull_number: number;
  path: string;
  line: number;
  start_line?: number;
  body: string;
  threadId: string;
  resolved: boolean;
}

/** A fault the fake can answer with instead of the real answer (scale tests). */
export type FakeFault = "500" | "502" | "reset" | "timeout" | "secondary-rate-limit" | "404";

/** What a fault injector is told about each request. */
export interface FakeRequestInfo {
  method: string;
  path: string;
  /** A hash of the body, so GraphQL documents with different variables count as different requests. */
  bodyHash: string;
  /** The raw request body. */
  body: string;
}

export const APP_BOT = { login: "security-review[bot]", type: "Bot" as const };

/** The base commit of every fake PR. */
export const BASE_SHA = "b".repeat(40);

/** GitHub's `patch`: hunks only, the whole file added, or the real diff from the base content. */
function patchOf(file: FakeFile): string | undefined {
  if (file.status === "removed" && file.baseContent === undefined) return undefined;
  const { hunks } = structuredPatch(file.previousFilename ?? file.filename, file.filename, file.baseContent ?? "", file.content ?? "", "", "", { context: 3 });
  return hunks.map((hunk) => [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines].join("\n")).join("\n");
}

function compile(): CompiledOperation[] {
  const ajv = addFormats.default(new Ajv({ strict: false, allErrors: true }));
  const coercing = addFormats.default(new Ajv({ strict: false, allErrors: true, coerceTypes: true }));
  return (operationsFile.operations as Operation[]).map((operation) => {
    const pathNames: string[] = [];
    const pattern = new RegExp(
      `^${operation.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{(\w+)\\?\}/g, (_match, name: string) => {
        pathNames.push(name);
        return "([^/]+)";
      })}$`,
    );
    const schemaOf = (where: "path" | "query") => {
      const parameters = operation.parameters.filter((parameter) => parameter.in === where);
      return {
        type: "object",
        properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema])),
        required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
        additionalProperties: false,
      };
    };
    return {
      ...operation,
      pattern,
      pathNames,
      validatePath: coercing.compile(schemaOf("path")),
      validateQuery: coercing.compile(schemaOf("query")),
      ...(operation.requestBody ? { validateBody: ajv.compile(operation.requestBody.schema) } : {}),
    };
  });
}

const OPERATIONS = compile();

export class FakeGitHub {
  readonly pulls = new Map<number, FakePull>();
  readonly permissions = new Map<string, string>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly comments: FakeComment[] = [];
  readonly reviews: FakeReview[] = [];
  readonly reviewComments: FakeReviewComment[] = [];
  readonly reactions: { comment_id: number; content: string }[] = [];
  /** Every request: method, path and matched operation (or `graphql:<name>`). */
  readonly requests: { method: string; path: string; operation: string }[] = [];
  /** Requests that do not match GitHub's description: each a readable reason. */
  readonly violations: string[] = [];
  config: string | undefined;
  /** Who the comments the token under test creates are by: the app's bot, or another token's user (the Actions bot). */
  commentAuthor: FakeComment["user"] = APP_BOT;
  /** Fault injection: asked for each request; a fault answers instead of the fake. */
  faultFor: ((request: FakeRequestInfo) => FakeFault | undefined) | undefined;
  /** Every fault injected: the request and the fault. */
  readonly injected: { method: string; path: string; fault: FakeFault }[] = [];
  /** How long a `timeout` fault holds the request before answering (the client should give up first). */
  timeoutFaultMs = 2_000;
  #nextId = 1000;
  #server: Server | undefined;

  constructor(readonly owner: string, readonly repo: string) {}

  get port(): number {
    return (this.#server?.address() as AddressInfo).port;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.violations.push(`fake crashed: ${String(error)}`);
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  addPull(pull: Partial<FakePull> & { number: number; headSha: string; files: FakeFile[] }): FakePull {
    const full: FakePull = {
      title: `PR ${pull.number}`,
      body: "",
      state: "open",
      draft: false,
      headRef: `feature-${pull.number}`,
      labels: [],
      author: { login: "octocat", type: "User" },
      commits: [{ sha: pull.headSha, message: "Change things" }],
      ...pull,
    };
    this.pulls.set(full.number, full);
    return full;
  }

  /** A push: the PR's head moves to a new commit with these files. */
  push(number: number, headSha: string, files?: FakeFile[]): void {
    const pull = this.pulls.get(number)!;
    pull.headSha = headSha;
    if (files) pull.files = files;
    pull.commits.push({ sha: headSha, message: "Another change" });
  }

  /** A human submits a review in the GitHub UI. */
  approve(number: number, login: string): FakeReview {
    const review: FakeReview = { id: this.#id(), pull_number: number, commit_id: this.pulls.get(number)!.headSha, state: "APPROVED", body: "", user: { login, type: "User" } };
    this.reviews.push(review);
    return review;
  }

  /** The latest "Security review" run on a commit. */
  latestRun(headSha: string): FakeCheckRun | undefined {
    return this.checkRuns.filter((run) => run.head_sha === headSha).at(-1);
  }

  #id(): number {
    return this.#nextId++;
  }

  async #injectFault(fault: FakeFault, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    this.injected.push({ method: req.method ?? "", path, fault });
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(data));
    };
    switch (fault) {
      case "500":
        return json(500, { message: "Server Error" });
      case "502":
        res.writeHead(502, { "content-type": "text/html" });
        res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
        return;
      case "404":
        return json(404, { message: "Not Found" });
      case "secondary-rate-limit":
        return json(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "1" });
      case "reset":
        req.socket.destroy();
        return;
      case "timeout":
        await new Promise((resolve) => setTimeout(resolve, this.timeoutFaultMs));
        if (!res.destroyed) json(500, { message: "answered too late" });
        return;
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const fault = this.faultFor?.({ method: req.method ?? "", path: url.pathname, bodyHash: createHash("sha1").update(raw).digest("hex"), body: raw });
    if (fault) return this.#injectFault(fault, req, res, url.pathname);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const send = (status: number, data?: unknown, type = "application/json; charset=utf-8") => {
      res.writeHead(status, { "content-type": type });
      res.end(data === undefined ? "" : typeof data === "string" ? data : JSON.stringify(data));
    };

    if (req.method === "POST" && url.pathname === "/api/graphql") {
      const result = this.#graphql(body as { query: string; variables: Record<string, unknown> });
      return send(200, result);
    }
    const path = url.pathname.replace(/^\/api\/v3/, "");
    const operation = OPERATIONS.find((candidate) => candidate.method === req.method && candidate.pattern.test(path));
    if (!operation) {
      this.violations.push(`${req.method} ${path}: no such operation`);
      this.requests.push({ method: req.method ?? "", path, operation: "unknown" });
      return send(404, { message: "Not Found" });
    }
    this.requests.push({ method: operation.method, path, operation: operation.operationId });
    const match = operation.pattern.exec(path)!;
    const params: Record<string, unknown> = Object.fromEntries(operation.pathNames.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
    const query: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const problems: string[] = [];
    if (!operation.validatePath(params)) problems.push(`path ${JSON.stringify(operation.validatePath.errors)}`);
    if (!operation.validateQuery(query)) problems.push(`query ${JSON.stringify(operation.validateQuery.errors)}`);
    if (operation.validateBody && (body !== undefined || operation.requestBody?.required) && !operation.validateBody(body ?? {})) {
      problems.push(`body ${JSON.stringify(operation.validateBody.errors)}`);
    }
    if (!operation.validateBody && body !== undefined) problems.push("a body where the operation takes none");
    if (problems.length > 0) {
      this.violations.push(`${operation.operationId}: ${problems.join("; ")}`);
      return send(422, { message: "Validation Failed", errors: problems });
    }
    const [status, data, type] = this.#rest(operation.operationId, params, query, (body ?? {}) as Record<string, never>);
    return send(status, data, type);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  #rest(operationId: string, params: Record<string, any>, query: Record<string, unknown>, body: Record<string, any>): [number, unknown, string?] {
    const pull = params.pull_number !== undefined ? this.pulls.get(Number(params.pull_number)) : undefined;
    const number = Number(params.pull_number ?? params.issue_number);
    if (params.pull_number !== undefined && !pull) return [404, { message: "Not Found" }];
    switch (operationId) {
      case "apps/create-installation-access-token":
        return [201, { token: "ghs_fake", expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: "all" }];
      case "repos/get-content":
        if (params.repo === this.repo && params.path === ".github/security-review.yml" && this.config !== undefined) return [200, this.config, "text/plain; charset=utf-8"];
        return [404, { message: "Not Found" }];
      case "repos/get-collaborator-permission-level":
        return [200, { permission: this.permissions.get(params.username) ?? "none", user: { login: params.username } }];
      case "pulls/list":
        return [200, [...this.pulls.values()].filter((entry) => entry.state === "open").map((entry) => this.#pullJson(entry))];
      case "pulls/get":
        return [200, this.#pullJson(pull!)];
      case "pulls/list-files":
        return [
          200,
          pull!.files.map((file, index) => {
            const patch = file.content !== undefined || file.baseContent !== undefined ? patchOf(file) : undefined;
            return { sha: `f${index}`, filename: file.filename, status: file.status, additions: 1, deletions: 0, changes: 1, ...(file.previousFilename ? { previous_filename: file.previousFilename } : {}), ...(patch !== undefined ? { patch } : {}) };
          }),
        ];
      case "pulls/list-commits":
        return [200, pull!.commits.map((commit) => ({ sha: commit.sha, commit: { message: commit.message, author: { name: pull!.author.login, email: `${pull!.author.login}@example.com` } }, author: { login: pull!.author.login, type: pull!.author.type } }))];
      case "pulls/list-reviews":
        return [200, this.reviews.filter((review) => review.pull_number === number)];
      case "pulls/create-review": {
        const review: FakeReview = { id: this.#id(), pull_number: number, commit_id: body.commit_id, state: body.event === "APPROVE" ? "APPROVED" : "COMMENTED", body: body.body ?? "", user: APP_BOT };
        this.reviews.push(review);
        for (const comment of body.comments ?? []) {
          const id = this.#id();
          this.reviewComments.push({ id, review_id: review.id, pull_number: number, path: comment.path, line: comment.line, start_line: comment.start_line, body: comment.body, threadId: `T_${id}`, resolved: false });
        }
        return [200, { id: review.id, commit_id: review.commit_id, state: review.state }];
      }
      case "pulls/update-review-comment": {
        const comment = this.reviewComments.find((entry) => entry.id === Number(params.comment_id));
        if (!comment) return [404, { message: "Not Found" }];
        comment.body = body.body;
        return [200, { id: comment.id, body: comment.body }];
      }
      case "git/get-blob":
        return [404, { message: "Not Found" }];
      case "git/get-tree": {
        // The head tree of a PR (its files and the unchanged ones), listed whole as `recursive` asks.
        const head = [...this.pulls.values()].find((entry) => entry.headSha === params.tree_sha);
        if (!head) return [404, { message: "Not Found" }];
        const paths = new Set([...Object.keys(head.unchanged ?? {}), ...head.files.filter((file) => file.status !== "removed").map((file) => file.filename)]);
        const tree = [...paths].sort().map((path) => ({ path, mode: "100644", type: "blob", sha: `blob-${path}`, size: Buffer.byteLength(head.unchanged?.[path] ?? head.files.find((file) => file.filename === path)?.content ?? "") }));
        return [200, { sha: head.headSha, url: "", tree, truncated: false }];
      }
      case "checks/create": {
        const run: FakeCheckRun = { id: this.#id(), name: body.name, head_sha: body.head_sha, status: body.status ?? "queued", conclusion: body.conclusion ?? null, external_id: body.external_id ?? null, details_url: body.details_url ?? null, output: body.output ?? { title: "", summary: "" }, annotations: body.output?.annotations ?? [] };
        this.checkRuns.push(run);
        return [201, this.#runJson(run)];
      }
      case "checks/update": {
        const run = this.checkRuns.find((entry) => entry.id === Number(params.check_run_id));
        if (!run) return [404, { message: "Not Found" }];
        if (body.status) run.status = body.status;
        if (body.conclusion) {
          run.conclusion = body.conclusion;
          run.status = "completed";
        }
        if (body.external_id !== undefined) run.external_id = body.external_id;
        if (body.details_url !== undefined) run.details_url = body.details_url;
        if (body.output) {
          const { annotations, ...output } = body.output;
          run.output = { ...run.output, ...output };
          run.annotations.push(...(annotations ?? []));
        }
        return [200, this.#runJson(run)];
      }
      case "checks/list-for-ref": {
        const runs = this.checkRuns.filter((run) => run.head_sha === params.ref && (!query.check_name || run.name === query.check_name));
        return [200, { total_count: runs.length, check_runs: runs.map((run) => this.#runJson(run)) }];
      }
      case "issues/list-comments":
        return [200, this.comments.filter((comment) => comment.issue_number === number).map((comment) => this.#commentJson(comment))];
      case "issues/create-comment": {
        const comment: FakeComment = { id: this.#id(), issue_number: number, body: body.body, user: this.commentAuthor };
        this.comments.push(comment);
        return [201, this.#commentJson(comment)];
      }
      case "issues/update-comment": {
        const comment = this.comments.find((entry) => entry.id === Number(params.comment_id));
        if (!comment) return [404, { message: "Not Found" }];
        comment.body = body.body;
        return [200, this.#commentJson(comment)];
      }
      case "reactions/create-for-issue-comment":
        this.reactions.push({ comment_id: Number(params.comment_id), content: body.content });
        return [201, { id: this.#id(), content: body.content }];
      default:
        this.violations.push(`${operationId}: not implemented by the fake`);
        return [501, { message: "Not implemented" }];
    }
  }

  #graphql({ query, variables }: { query: string; variables: Record<string, unknown> }): unknown {
    const name = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous";
    this.requests.push({ method: "POST", path: "/graphql", operation: `graphql:${name}` });
    if (name === "SecurityReviewBlobs") {
      const repository: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(variables)) {
        if (!/^e\d+$/.test(key)) continue;
        const [sha, ...rest] = String(value).split(":");
        const path = rest.join(":");
        const pull = [...this.pulls.values()].find((entry) => entry.headSha === sha);
        // A changed file, or an unchanged one the review reads as context.
        const text = pull?.files.find((entry) => entry.filename === path)?.content ?? pull?.unchanged?.[path];
        repository[`f${key.slice(1)}`] = text === undefined ? null : { oid: `blob-${key}`, text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) };
      }
      // Base versions (`b0`…) at the base SHA: a touched file's base content (by its old path), or an unchanged file.
      for (const [key, value] of Object.entries(variables)) {
        if (!/^b\d+$/.test(key)) continue;
        const [sha, ...rest] = String(value).split(":");
        const path = rest.join(":");
        const touched = (file: FakeFile) => (file.previousFilename ?? file.filename) === path && file.baseContent !== undefined;
        const pull = [...this.pulls.values()].find((entry) => (entry.baseSha ?? BASE_SHA) === sha && !entry.baseGone && entry.files.some(touched));
        const text = pull?.files.find(touched)?.baseContent;
        repository[key] = text === undefined ? null : { oid: `base-${key}`, text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) };
      }
      if (typeof variables.base === "string") {
        const exists = [...this.pulls.values()].some((entry) => (entry.baseSha ?? BASE_SHA) === variables.base && !entry.baseGone);
        repository.baseCommit = exists ? { oid: variables.base } : null;
      }
      // Context paths (`c0`…): a file at the head, or a folder's direct entries (`... on Tree { entries … }`).
      for (const [key, value] of Object.entries(variables)) {
        if (!/^c\d+$/.test(key)) continue;
        const [sha, ...rest] = String(value).split(":");
        const path = rest.join(":");
        const pull = [...this.pulls.values()].find((entry) => entry.headSha === sha);
        const head = new Map<string, string>(Object.entries(pull?.unchanged ?? {}));
        for (const file of pull?.files ?? []) if (file.content !== undefined && file.status !== "removed") head.set(file.filename, file.content);
        const blob = (text: string, id: string) => ({ oid: `blob-${id}`, text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) });
        const text = head.get(path);
        const children = [...head].filter(([filename]) => filename.startsWith(`${path}/`) && !filename.slice(path.length + 1).includes("/"));
        repository[key] = text !== undefined ? blob(text, key) : children.length > 0 ? { entries: children.map(([filename, content]) => ({ name: filename.slice(path.length + 1), type: "blob", object: blob(content, filename) })) } : null;
      }
      // The PR's commits, when the query asks for them (`pr: pullRequest(number: $number) { commits … }`).
      const withCommits = /\bpr:\s*pullRequest\(/.test(query) ? this.pulls.get(Number(variables.number)) : undefined;
      if (withCommits) {
        const nodes = withCommits.commits.map((commit) => ({ commit: { oid: commit.sha, message: commit.message, author: { name: withCommits.author.login, email: `${withCommits.author.login}@example.com`, user: { login: withCommits.author.login } } } }));
        repository.pr = { commits: { pageInfo: { hasNextPage: false }, nodes } };
      }
      return { data: { repository } };
    }
    if (name === "SecurityReviewContext") {
      // The PR, and `.github/security-review.yml` of the default branch (`HEAD:<path>`); the owner has
      // no `.github` repository, which GitHub answers with null and a NOT_FOUND error beside the data.
      const pull = this.pulls.get(Number(variables.number));
      const configBlob = variables.config === "HEAD:.github/security-review.yml" && this.config !== undefined ? { text: this.config, isTruncated: false } : null;
      const pullRequest = pull
        ? {
            number: pull.number,
            state: pull.state === "open" ? "OPEN" : "CLOSED",
            isDraft: pull.draft,
            title: pull.title,
            body: pull.body,
            url: `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}`,
            headRefOid: pull.headSha,
            headRefName: pull.headRef,
            baseRefOid: pull.baseSha ?? BASE_SHA,
            baseRefName: "main",
            changedFiles: pull.files.length,
            author: { login: pull.author.login.replace(/\[bot\]$/, ""), __typename: pull.author.type },
            labels: { nodes: pull.labels.map((label) => ({ name: label })) },
            comments: { totalCount: this.comments.filter((comment) => comment.issue_number === pull.number).length },
          }
        : null;
      const errors = [{ type: "NOT_FOUND", path: ["org"], message: `Could not resolve to a Repository with the name '${this.owner}/.github'.` }];
      if (!pull) errors.push({ type: "NOT_FOUND", path: ["repository", "pullRequest"], message: `Could not resolve to a PullRequest with the number of ${String(variables.number)}.` });
      return { data: { repository: { config: configBlob, pullRequest }, org: null }, errors };
    }
    if (name === "SecurityReviewThreads") {
      const nodes = this.reviewComments
        .filter((comment) => comment.pull_number === variables.number)
        .map((comment) => ({ id: comment.threadId, isResolved: comment.resolved, comments: { nodes: [{ databaseId: comment.id, body: comment.body, author: { login: APP_BOT.login.replace(/\[bot\]$/, ""), __typename: APP_BOT.type } }] } }));
      return { data: { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } } } } };
    }
    if (name === "SecurityReviewResolveThread") {
      const comment = this.reviewComments.find((entry) => entry.threadId === variables.threadId);
      if (!comment) return { data: null, errors: [{ type: "NOT_FOUND", message: "Could not resolve to a node" }] };
      comment.resolved = true;
      return { data: { resolveReviewThread: { thread: { id: comment.threadId, isResolved: true } } } };
    }
    this.violations.push(`graphql ${name}: unknown document`);
    return { data: null, errors: [{ message: "unknown document" }] };
  }

  #pullJson(pull: FakePull) {
    const html = `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}`;
    return {
      number: pull.number,
      html_url: html,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      draft: pull.draft,
      user: pull.author,
      labels: pull.labels.map((name, index) => ({ id: index + 1, name })),
      head: { sha: pull.headSha, ref: pull.headRef },
      base: { sha: pull.baseSha ?? BASE_SHA, ref: "main" },
      changed_files: pull.files.length,
      comments: this.comments.filter((comment) => comment.issue_number === pull.number).length,
      review_comments: this.reviewComments.filter((comment) => comment.pull_number === pull.number).length,
    };
  }

  #runJson(run: FakeCheckRun) {
    return { id: run.id, name: run.name, head_sha: run.head_sha, status: run.status, conclusion: run.conclusion, external_id: run.external_id, details_url: run.details_url, output: { title: run.output.title, summary: run.output.summary }, app: run.app ?? { id: 1, slug: "security-review" } };
  }

  #commentJson(comment: FakeComment) {
    return { id: comment.id, body: comment.body, user: comment.user, html_url: `https://github.com/${this.owner}/${this.repo}/pull/${comment.issue_number}#issuecomment-${comment.id}` };
  }
}
