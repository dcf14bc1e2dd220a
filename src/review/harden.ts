import { posix } from "node:path";
import { ts } from "ts-morph";
import type { Config } from "../config/schema.js";
import type { PullRequestSnapshot, SnapshotFile } from "../snapshot.js";
import { parseSource, scriptKindOf } from "./analysis/parse.js";
import { applyReplacement, checkPatchedSource, isJavaScriptPath } from "./fix-check.js";
import { HELPER_TEMPLATES, type HelperTemplate } from "./harden-helpers.js";
import { joinPatches, unifiedDiff } from "./patches.js";
import { atLeast, severityRank, type Finding, type LineReplacement, type Review, type Severity } from "./types.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { ModuleKind, ScriptTarget, SyntaxKind, isClassDeclaration, isExpressionStatement, isFunctionDeclaration, isImportDeclaration, isStringLiteral, isVariableStatement, transpileModule } = ts;

/**
 * The harden plan (`/security harden`, `security-review harden`): for the open findings of the head
 * (or those named), the changes that fix them, in severity order, as unified diffs against the head.
 * Each change is kept only if every file it touches still parses and every name it uses exists: a
 * missing helper is imported from the project file that exports it, taken from the fix's own
 * sample, or written from a small template (review/harden-helpers.ts), and one shared helper serves
 * every finding that needs it. The patched tree is then reviewed again, so the plan says what the
 * diffs fix and what still blocks. Pure apart from the review it is given.
 */

export interface HardenRequest {
  /** Rule ids or their category prefixes (`ingress/missing-auth`, `authz`); none means every open finding. */
  rules?: readonly string[];
}

export interface HardenChange {
  severity: Severity;
  findings: Finding[];
  /** Helper functions this change writes or imports, with where they live. */
  helpers: { name: string; path: string; created: boolean }[];
  /** Files the change edits or creates. */
  paths: string[];
  /** What the reader must know or connect (assumptions of a written helper). */
  notes: string[];
  /** Set when the change could not be written as a diff: what a person must do, and why. */
  manual?: { reason: string };
}

export interface HardenPlan {
  request: HardenRequest;
  headSha?: string;
  /** The findings asked for, most severe first. */
  targets: Finding[];
  /** Names given that match no open finding. */
  unmatched: string[];
  changes: HardenChange[];
  /** Every file's diff, as one patch `git apply` takes on the head. */
  patch: string;
  /** One unified diff per file, in the order the patch has them. */
  diffs: { path: string; diff: string }[];
  /** The review of the patched tree: what the diffs resolve and what still blocks. */
  after?: { resolved: Finding[]; remaining: Finding[]; blocking: Finding[]; introduced: Finding[]; verdict: Review["verdict"] };
  /** The project's test framework, when its files show one. */
  testFramework?: string;
}

export type Reviewer = (snapshot: PullRequestSnapshot) => Review | Promise<Review>;

/** Whether a finding was asked for: its rule id, or a category prefix of it. */
function matches(finding: Finding, rule: string): boolean {
  return finding.ruleId === rule || finding.ruleId.startsWith(`${rule.replace(/\/+$/, "")}/`);
}

function bySeverity(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || Number(b.new) - Number(a.new) || a.path.localeCompare(b.path) || a.line - b.line;
}

interface FileState {
  before: string | undefined;
  replacements: LineReplacement[];
  /** Import lines to add, by module specifier. */
  imports: Map<string, Set<string>>;
  created?: string;
}

type State = Map<string, FileState>;

function cloneState(state: State): State {
  const out: State = new Map();
  for (const [path, file] of state) out.set(path, { ...file, replacements: [...file.replacements], imports: new Map([...file.imports].map(([k, v]) => [k, new Set(v)])) });
  return out;
}

/** The line after which imports go: after the last top-level import, or after a leading directive (`"use server"`). */
function importLine(sourceFile: ts.SourceFile): number {
  let after = 0;
  for (const statement of sourceFile.statements) {
    if (isImportDeclaration(statement) || (isExpressionStatement(statement) && isStringLiteral(statement.expression) && after === sourceFile.getLineAndCharacterOfPosition(statement.getStart(sourceFile)).line)) {
      after = sourceFile.getLineAndCharacterOfPosition(statement.getEnd()).line + 1;
    } else break;
  }
  return after;
}

function usesCommonJs(text: string): boolean {
  return !/^\s*(import|export)\s/m.test(text) && /\brequire\(\s*["']/.test(text);
}

function importStatement(names: readonly string[], specifier: string, commonJs: boolean): string {
  const list = [...names].sort().join(", ");
  return commonJs ? `const { ${list} } = require(${JSON.stringify(specifier)});` : `import { ${list} } from ${JSON.stringify(specifier)};`;
}

/** The file's text after the state's edits, or undefined when an edit overlaps the imports it adds (or the file cannot be parsed). */
function textOf(path: string, file: FileState): string | undefined {
  if (file.created !== undefined) return file.created;
  const before = file.before ?? "";
  let text = before;
  for (const r of [...file.replacements].sort((a, b) => b.startLine - a.startLine)) text = applyReplacement(text, r);
  if (file.imports.size === 0) return text;
  let at: number;
  try {
    at = importLine(parseSource(path, before));
  } catch (error) {
    // A file nested too deep to parse gets no imports written into it.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  if (file.replacements.some((r) => r.startLine <= at)) return undefined;
  const commonJs = usesCommonJs(before);
  const lines = text.split("\n");
  lines.splice(at, 0, ...[...file.imports].map(([specifier, names]) => importStatement([...names], specifier, commonJs)));
  return lines.join("\n");
}

/** A file nested too deep to parse exports nothing the plan can use. */
function exportedNamesOrNone(path: string, text: string): string[] {
  try {
    return exportedNames(path, text);
  } catch (error) {
    if (error instanceof RangeError) return [];
    throw error;
  }
}

/** Names a project file exports at its top level (functions, classes, variables). */
function exportedNames(path: string, text: string): string[] {
  const out: string[] = [];
  for (const statement of parseSource(path, text).statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if ((isFunctionDeclaration(statement) || isClassDeclaration(statement)) && statement.name) out.push(statement.name.text);
    if (isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) out.push(d.name.text);
  }
  return out;
}

/**
 * The path alias the caller already uses for project files (`@/lib/auth/session` for
 * `lib/auth/session.ts`): `[alias prefix, folder prefix]`. Two path segments must match, so a
 * package's subpath (`next/server`) is never taken for one.
 */
function aliasOf(callerText: string, paths: readonly string[]): [string, string] | undefined {
  const stems = paths.map((p) => p.replace(/\.(c|m)?[jt]sx?$/, "").replace(/\/index$/, ""));
  for (const match of callerText.matchAll(/from\s+["']([^"'.][^"']*)["']/g)) {
    const spec = match[1]!;
    for (let k = spec.indexOf("/") + 1; k > 0 && k < spec.length; k = spec.indexOf("/", k) + 1) {
      const rest = spec.slice(k);
      if (!rest.includes("/")) break;
      const stem = stems.find((s) => s === rest || s.endsWith(`/${rest}`));
      if (stem !== undefined) return [spec.slice(0, k), stem.slice(0, stem.length - rest.length)];
    }
  }
  return undefined;
}

/** The specifier that imports `target` from `from`: through the caller's path alias, else relative (with `.js` when the caller writes extensions). */
function specifierFor(from: string, target: string, callerText: string, paths: readonly string[] = []): string {
  const alias = aliasOf(callerText, paths);
  if (alias && target.startsWith(alias[1])) return `${alias[0]}${target.slice(alias[1].length).replace(/\.(c|m)?[jt]sx?$/, "")}`;
  let rel = posix.relative(posix.dirname(from), target).replace(/\.(c|m)?[jt]sx?$/, "");
  if (!rel.startsWith(".")) rel = `./${rel}`;
  const withExtensions = /from\s+["']\.{1,2}\/[^"']+\.(js|mjs|cjs)["']/.test(callerText);
  return withExtensions ? `${rel}.js` : rel;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** Where written helpers go: the project's `lib` folder, next to its source. */
function helperFolder(paths: readonly string[]): string {
  if (paths.some((p) => p.startsWith("src/lib/"))) return "src/lib";
  if (paths.some((p) => p.startsWith("lib/"))) return "lib";
  if (paths.some((p) => p.startsWith("src/"))) return "src/lib";
  return "lib";
}

/** A TypeScript helper's source for the caller's language (types stripped for JavaScript). */
function inLanguage(source: string, callerPath: string, commonJs: boolean): string {
  if (!isJavaScriptPath(callerPath)) return source;
  const output = transpileModule(source, { compilerOptions: { target: ScriptTarget.ES2022, module: commonJs ? ModuleKind.CommonJS : ModuleKind.ESNext }, reportDiagnostics: false }).outputText;
  return output.replace(/\n*export \{\};\s*$/, "\n");
}

/** A function the finding's own code sample defines (`export function safeNext(…)`), as a helper file's source. */
function sampleDefining(finding: Finding, name: string): string | undefined {
  const newline = finding.fix.indexOf("\n");
  if (newline < 0) return undefined;
  const sample = finding.fix.slice(newline + 1).replace(/^\n+/, "");
  return new RegExp(`^export (async )?function ${name}\\b`, "m").test(sample) ? `${sample.trimEnd()}\n` : undefined;
}

interface Context {
  snapshot: PullRequestSnapshot;
  /** Exported names of the head's script files, by name. */
  exports: Map<string, string>;
  /** Helpers written by this plan so far, by name → path. */
  written: Map<string, string>;
  folder: string;
  /** Every head path, for the caller's path aliases. */
  paths: string[];
}

function headContent(snapshot: PullRequestSnapshot, path: string): string | undefined {
  return snapshot.files.find((f) => f.path === path && f.status !== "removed")?.content;
}

function fileState(state: State, ctx: Context, path: string): FileState | undefined {
  let file = state.get(path);
  if (!file) {
    const before = headContent(ctx.snapshot, path);
    if (before === undefined) return undefined;
    file = { before, replacements: [], imports: new Map() };
    state.set(path, file);
  }
  return file;
}

function addImport(file: FileState, specifier: string, name: string): void {
  const names = file.imports.get(specifier) ?? new Set<string>();
  names.add(name);
  file.imports.set(specifier, names);
}

/**
 * Makes `name` available in `callerPath`: imported from the project, from a helper this plan wrote,
 * or from a helper written now. Returns what it used, or a reason it could not.
 */
function provide(state: State, ctx: Context, callerPath: string, name: string, finding: Finding, helpers: HardenChange["helpers"], notes: string[], depth = 0): string | undefined {
  const caller = fileState(state, ctx, callerPath);
  if (!caller) return `\`${callerPath}\` is not readable at the head`;
  const callerText = caller.before ?? caller.created ?? "";
  const existing = ctx.written.get(name) ?? ctx.exports.get(name);
  if (existing && existing !== callerPath) {
    addImport(caller, specifierFor(callerPath, existing, callerText, ctx.paths), name);
    helpers.push({ name, path: existing, created: false });
    return undefined;
  }
  if (depth > 2) return `\`${name}\` is not defined in the project`;
  const commonJs = usesCommonJs(callerText);
  const ext = isJavaScriptPath(callerPath) ? ".js" : ".ts";
  const sample = sampleDefining(finding, name);
  const template: HelperTemplate | undefined = sample ? undefined : HELPER_TEMPLATES.find((t) => t.name === name && t.fits(callerText));
  if (!sample && !template) return `\`${name}\` is not defined in the project, and the review has no safe helper to write for it`;
  const path = `${ctx.folder}/${template?.file ?? kebab(name)}${ext}`;
  if (headContent(ctx.snapshot, path) !== undefined || state.get(path)?.created !== undefined) return `\`${path}\` already exists`;
  let source = sample ?? "";
  if (template) {
    const imports: string[] = [];
    for (const need of template.needs) {
      const from = ctx.exports.get(need);
      if (!from) return `\`${name}\` would call \`${need}\`, which the project does not export`;
      imports.push(importStatement([need], specifierFor(path, from, callerText), false));
    }
    source = template.source(imports);
    notes.push(template.note);
  }
  state.set(path, { before: undefined, replacements: [], imports: new Map(), created: inLanguage(source, callerPath, commonJs) });
  ctx.written.set(name, path);
  addImport(caller, specifierFor(callerPath, path, callerText, ctx.paths), name);
  helpers.push({ name, path, created: true });
  return undefined;
}

/** Each touched file of `state` that differs from `previous`: parses, and uses only names that exist. */
function validate(state: State, touched: ReadonlySet<string>): string | undefined {
  for (const path of touched) {
    const file = state.get(path)!;
    const text = textOf(path, file);
    if (text === undefined) return `\`${path}\` cannot take the imports the change needs (an edit overlaps them, or the file is too deeply nested to read)`;
    const lines = text.split("\n").length;
    const check = checkPatchedSource(path, text, [{ startLine: 1, endLine: lines }], file.before);
    if (check.parseError) return `\`${path}\` would not parse: ${check.parseError}`;
    if (!check.ok) return `\`${path}\` would use ${check.undefinedNames.map((n) => `\`${n}\``).join(", ")}, not defined there`;
  }
  return undefined;
}

function overlaps(a: LineReplacement, b: LineReplacement): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}

/** Tries to write one finding's fix into the state; returns the change (manual when it could not). */
function planFinding(state: State, ctx: Context, finding: Finding): { change: HardenChange; state: State } {
  const manual = (reason: string): { change: HardenChange; state: State } => ({ change: { severity: finding.severity, findings: [finding], helpers: [], paths: [], notes: [], manual: { reason } }, state });
  const proposal = finding.replacement ?? finding.draft?.replacement;
  if (!proposal) return manual("it needs a person's judgement, not a change the review can write");
  if (scriptKindOf(finding.path) === undefined) return manual("the review writes fixes only for TypeScript and JavaScript");
  const next = cloneState(state);
  const file = fileState(next, ctx, finding.path);
  if (!file || file.created !== undefined) return manual(`\`${finding.path}\` is not readable at the head`);
  if (file.replacements.some((r) => overlaps(r, proposal))) return manual("it edits the same lines as a change above; apply that one first and review again");
  file.replacements.push(proposal);
  const helpers: HardenChange["helpers"] = [];
  const notes: string[] = [];
  for (const need of finding.draft?.needs ?? []) {
    const problem = provide(next, ctx, finding.path, need, finding, helpers, notes);
    if (problem) return manual(problem);
  }
  const touched = new Set([finding.path, ...helpers.filter((h) => h.created).map((h) => h.path)]);
  const problem = validate(next, touched);
  if (problem) {
    for (const h of helpers) if (h.created) ctx.written.delete(h.name);
    return manual(problem);
  }
  return { change: { severity: finding.severity, findings: [finding], helpers, paths: [...touched], notes }, state: next };
}

/** A change that uses a helper another change wrote joins that change: one helper, one change. */
function group(changes: readonly HardenChange[]): HardenChange[] {
  const out: HardenChange[] = [];
  const byHelper = new Map<string, HardenChange>();
  for (const change of changes) {
    const shared = change.helpers.map((h) => byHelper.get(h.path)).find((c) => c !== undefined);
    if (shared && !change.manual) {
      shared.findings.push(...change.findings);
      for (const path of change.paths) if (!shared.paths.includes(path)) shared.paths.push(path);
      for (const h of change.helpers) if (!shared.helpers.some((s) => s.name === h.name)) shared.helpers.push(h);
      continue;
    }
    out.push(change);
    for (const h of change.helpers) if (h.created) byHelper.set(h.path, change);
  }
  return out;
}

/** The project's test framework, from a test file's imports or package.json. */
export function detectTestFramework(files: readonly SnapshotFile[]): string | undefined {
  const frameworks: [RegExp, string][] = [
    [/["']vitest["']/, "Vitest"],
    [/["']@jest\/globals["']|["']jest["']/, "Jest"],
    [/["']node:test["']/, "node:test"],
    [/["']mocha["']/, "Mocha"],
    [/["']@playwright\/test["']/, "Playwright"],
  ];
  for (const file of files) {
    if (!file.content || !(/(^|\/)package\.json$/.test(file.path) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(file.path))) continue;
    const text = file.content.slice(0, 200_000);
    for (const [pattern, name] of frameworks) if (pattern.test(text)) return name;
  }
  return undefined;
}

/** The head with the plan's edits: edited files carry their new text (every line counted as changed), written helpers are added. */
export function patchedSnapshot(snapshot: PullRequestSnapshot, edits: ReadonlyMap<string, string>): PullRequestSnapshot {
  const files: SnapshotFile[] = snapshot.files.map((f) => {
    const after = edits.get(f.path);
    if (after === undefined) return f;
    const { patch: _patch, ...rest } = f;
    return { ...rest, content: after, context: false };
  });
  for (const [path, content] of edits) if (!snapshot.files.some((f) => f.path === path)) files.push({ path, status: "added", content });
  return { ...snapshot, files };
}

export async function planHardening(review: Review, snapshot: PullRequestSnapshot, config: Config, request: HardenRequest, reviewer?: Reviewer): Promise<HardenPlan> {
  const rules = request.rules ?? [];
  const open = [...review.findings].sort(bySeverity);
  const targets = rules.length === 0 ? open : open.filter((f) => rules.some((r) => matches(f, r)));
  const unmatched = rules.filter((r) => !open.some((f) => matches(f, r)));

  const exports = new Map<string, string>();
  for (const file of snapshot.files) {
    if (file.content === undefined || file.status === "removed" || scriptKindOf(file.path) === undefined) continue;
    for (const name of exportedNamesOrNone(file.path, file.content)) if (!exports.has(name)) exports.set(name, file.path);
  }
  const ctx: Context = { snapshot, exports, written: new Map(), folder: helperFolder(snapshot.files.map((f) => f.path)), paths: snapshot.files.map((f) => f.path) };
  let state: State = new Map();
  const planned: HardenChange[] = [];
  for (const finding of targets) {
    const result = planFinding(state, ctx, finding);
    state = result.state;
    planned.push(result.change);
  }
  const changes = group(planned);

  const diffs: { path: string; diff: string }[] = [];
  const edits = new Map<string, string>();
  for (const [path, file] of [...state].sort(([a], [b]) => a.localeCompare(b))) {
    const after = textOf(path, file);
    if (after === undefined) continue;
    const diff = unifiedDiff({ path, before: file.before, after });
    if (!diff) continue;
    diffs.push({ path, diff });
    edits.set(path, after);
  }
  const testFramework = detectTestFramework(snapshot.files);
  const plan: HardenPlan = { request, ...(review.headSha ? { headSha: review.headSha } : {}), targets, unmatched, changes, patch: joinPatches(diffs.map((d) => d.diff)), diffs, ...(testFramework ? { testFramework } : {}) };
  if (reviewer && edits.size > 0) {
    const again = await reviewer(patchedSnapshot(snapshot, edits));
    const still = new Set(again.findings.map((f) => f.fingerprint));
    const before = new Set(review.findings.map((f) => f.fingerprint));
    const remaining = targets.filter((f) => still.has(f.fingerprint));
    plan.after = {
      resolved: targets.filter((f) => !still.has(f.fingerprint)),
      remaining,
      blocking: again.findings.filter((f) => f.new && f.confidence === "certain" && atLeast(f.severity, config.failOn)),
      introduced: again.findings.filter((f) => !before.has(f.fingerprint)),
      verdict: again.verdict,
    };
  }
  return plan;
}
