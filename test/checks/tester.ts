import { describe, expect, it } from "vitest";
import type { CheckDefinition } from "../../src/checks/define-check.js";
import { ConfigSchema, type ConfigInput } from "../../src/config/schema.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { Finding, LineReplacement, Severity } from "../../src/review/types.js";
import type { PullRequestSnapshot, SnapshotFile } from "../../src/snapshot.js";
import { buildModuleLayout, CONFIG_FILE } from "../../src/review/module-layout.js";

/**
 * Inline valid/invalid cases for one rule, in the spirit of typescript-eslint's RuleTester: each
 * case is a small PR (one or more files), reviewed with only this rule; invalid cases list every
 * finding expected, with its line, and the replacement where the fix is local.
 */

export interface TestCase {
  name: string;
  /** One file's code (at `path`) or several files by path. */
  code?: string;
  path?: string;
  files?: Record<string, string>;
  /** Unchanged files of the head tree the review reads as context (analysed, never reported on). */
  context?: Record<string, string>;
  /** Per-path unified-diff hunks: only their added lines are new. Without one, every line is new. */
  patches?: Record<string, string>;
  config?: ConfigInput;
  /** Mark the PR AI-generated (`--ai`). */
  ai?: boolean;
}

export interface ExpectedFinding {
  line: number;
  path?: string;
  messageId?: string;
  data?: Record<string, string>;
  severity?: Severity;
  new?: boolean;
  /** The expected replacement text (lines as given), or the whole replacement. */
  replacement?: string | LineReplacement;
  /**
   * Names the replacement uses that the file does not have yet: it is then a draft (prose names
   * them; the harden plan adds them), not a one-click suggestion. Without it, the replacement given
   * must be offered as a suggestion.
   */
  needs?: string[];
}

export interface InvalidCase extends TestCase {
  errors: ExpectedFinding[];
}

const DEFAULT_PATH = "app/api/example/route.ts";

export function snapshotOf(test: TestCase): PullRequestSnapshot {
  const files: Record<string, string> = test.files ?? { [test.path ?? DEFAULT_PATH]: test.code ?? "" };
  const snapshotFiles: SnapshotFile[] = Object.entries(files).map(([path, content]) => {
    const patch = test.patches?.[path];
    return { path, status: patch ? "modified" : "added", content, ...(patch ? { patch } : {}) };
  });
  for (const [path, content] of Object.entries(test.context ?? {})) snapshotFiles.push({ path, status: "unchanged", content, context: true });
  // The module layout a loader would build from the case's tsconfig/jsconfig/package.json files.
  const configs = new Map(snapshotFiles.flatMap((f) => (CONFIG_FILE.test(f.path) && f.content !== undefined ? [[f.path, f.content] as const] : [])));
  const context = configs.size > 0 ? { context: { layout: buildModuleLayout(configs), unread: [], notes: [] } } : {};
  return { repo: "acme/app", title: test.name, body: "", labels: [], commits: [], files: snapshotFiles, ...context };
}

export function runCheck(check: CheckDefinition, test: TestCase): Finding[] {
  const config = ConfigSchema.parse(test.config ?? {});
  const review = reviewSnapshot(snapshotOf(test), config, { checks: [check], forceAi: test.ai ?? false });
  return review.findings.filter((f) => f.ruleId === check.id);
}

export function ruleTester(check: CheckDefinition, cases: { valid: TestCase[]; invalid: InvalidCase[] }): void {
  describe(check.id, () => {
    describe("valid", () => {
      it.each(cases.valid.map((c) => [c.name, c] as const))("%s", (_name, test) => {
        expect(runCheck(check, test).map((f) => `${f.path}:${f.line} ${f.message}`)).toEqual([]);
      });
    });
    describe("invalid", () => {
      it.each(cases.invalid.map((c) => [c.name, c] as const))("%s", (_name, test) => {
        const findings = runCheck(check, test);
        const defaultPath = test.files ? undefined : (test.path ?? DEFAULT_PATH);
        const actual = findings.map((f) => ({ path: f.path, line: f.line }));
        const expected = test.errors.map((e) => ({ path: e.path ?? defaultPath ?? f0(test), line: e.line }));
        expect(actual).toEqual(expected);
        test.errors.forEach((error, i) => {
          const finding = findings[i]!;
          if (error.messageId) expect(finding.messageId).toBe(error.messageId);
          if (error.data) expect(finding.data).toMatchObject(error.data);
          if (error.severity) expect(finding.severity).toBe(error.severity);
          if (error.new !== undefined) expect(finding.new).toBe(error.new);
          const proposed = error.needs ? finding.draft?.replacement : finding.replacement;
          if (error.needs) expect(finding.draft?.needs).toEqual(error.needs);
          if (typeof error.replacement === "string") expect(proposed?.text).toBe(error.replacement);
          else if (error.replacement) expect(proposed).toEqual(error.replacement);
          expect(finding.message).not.toMatch(/\{\{/);
          expect(finding.fix.length).toBeGreaterThan(10);
        });
      });
    });
  });
}

function f0(test: TestCase): string {
  return Object.keys(test.files ?? {})[0] ?? DEFAULT_PATH;
}

/** A Remix app's `~/*` path alias and a `requireUserId` that answers 401 without a user: context files for route tests. */
export const REMIX_SESSION_CONTEXT: Record<string, string> = {
  "app/session.server.ts": `export async function requireUserId(request: Request): Promise<string> {
  const id = request.headers.get("x-user");
  if (!id) throw new Response("Unauthorized", { status: 401 });
  return id;
}`,
  "tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "~/*": ["./app/*"] } } }),
};
