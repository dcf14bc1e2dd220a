import parseDiff from "parse-diff";
import { ts } from "ts-morph";
import type { Config } from "../config/schema.js";
import type { PullRequestSnapshot, SnapshotFile } from "../snapshot.js";
import type { CallFact, FunctionFact } from "./analysis/facts.js";
import type { AnalysedFile, AnalysedProject } from "./analysis/project.js";
import type { RouteFact, Semantics } from "./analysis/semantics.js";
import { RATE_LIMIT_NAME_PATTERN } from "./analysis/names.js";
import { ACCESS_HELPER } from "./analysis/ownership.js";
import { callLabel, functionSpans, scopeOf, type FindingAnchor } from "./fingerprint.js";
import type { Finding, Review, Suppression } from "./types.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { forEachChild, isAwaitExpression, isBlock, isExpressionStatement, isFunctionLike, isIfStatement, isReturnStatement, isSourceFile, isThrowStatement } = ts;

/**
 * Differential review: in PR mode the engine reviews the base as it reviews the head (the touched
 * files and their context in each tree) and answers with the comparison. A finding is new when the
 * head review has its fingerprint and the base review does not, pre-existing when both have it, and
 * fixed by this PR when only the base has it. What cannot be compared (a base that is gone, a base
 * version that is binary or over the limits) counts as new, and the notes say so.
 */

/** One finding of a review run with what the comparison needs: where it sits and its key. */
export interface RunFinding {
  finding: Finding;
  file: AnalysedFile;
  anchor: FindingAnchor;
  /** Rule, head path, scope and sink (see fingerprint.ts): what the two reviews compare. */
  key: string;
  /** The rule judges the PR's change, not the code: new on changed lines, never compared. */
  changeScoped: boolean;
}

/** A review with the analysis it came from, kept for the comparison. */
export interface ReviewRun {
  review: Review;
  project: AnalysedProject;
  sem: Semantics;
  findings: RunFinding[];
  config: Config;
  /** The waivers of each reviewed file, by path. */
  waivers?: ReadonlyMap<string, readonly Suppression[]>;
}

export interface BaseSide {
  /** The base tree as a snapshot: the touched files' base versions and their context. */
  snapshot?: PullRequestSnapshot;
  /** Whether any touched file has a base version to review (a PR of added files has none). */
  reviewable: boolean;
  /** Base path → head path (a rename's old path maps to its new one). */
  headPathOf: Map<string, string>;
  /** Head path → base path, for the files that have both. */
  basePathOf: Map<string, string>;
  /** Head paths whose base version exists but could not be read, with why. */
  uncompared: Map<string, string>;
  /** Base paths the PR deletes. */
  deleted: Set<string>;
  /** Why the base could not be read at all. */
  unavailable?: string;
}

/** The base side of a PR-mode snapshot, as a snapshot the engine reviews like any other. */
export function baseSnapshotOf(snapshot: PullRequestSnapshot): BaseSide {
  const side: BaseSide = { reviewable: false, headPathOf: new Map(), basePathOf: new Map(), uncompared: new Map(), deleted: new Set() };
  const base = snapshot.base;
  if (!base) return side;
  if (base.unavailable) return { ...side, unavailable: base.unavailable };
  const files: SnapshotFile[] = [];
  const touchedBase = new Set<string>();
  for (const file of snapshot.files) {
    if (file.context) continue;
    // An added file, or a copy (its source is unchanged): the base has nothing to compare it with.
    if (file.status === "added" || file.status === "copied") continue;
    const basePath = file.previousPath ?? file.path;
    touchedBase.add(basePath);
    if (file.baseContent === undefined) {
      side.uncompared.set(file.path, file.baseSkipReason ?? "its base version was not read");
      continue;
    }
    files.push({ path: basePath, status: "modified", content: file.baseContent, size: Buffer.byteLength(file.baseContent, "utf8") });
    side.headPathOf.set(basePath, file.path);
    side.basePathOf.set(file.path, basePath);
    if (file.status === "removed") side.deleted.add(basePath);
  }
  side.reviewable = files.length > 0;
  // An unchanged file is the same in both trees: the head's copy serves the base review too.
  const unchanged = new Map<string, SnapshotFile>();
  for (const file of snapshot.files) if (file.context) unchanged.set(file.path, file);
  for (const file of base.files) unchanged.set(file.path, file);
  for (const path of new Set(base.contextPaths)) {
    const file = unchanged.get(path);
    if (touchedBase.has(path) || file?.content === undefined) continue;
    files.push({ path, status: "unchanged", context: true, content: file.content, ...(file.size !== undefined ? { size: file.size } : {}) });
  }
  const { base: _base, context: _context, ...meta } = snapshot;
  side.snapshot = { ...meta, files, ...(base.context ? { context: base.context } : {}) };
  return side;
}

function normalisedSnippet(finding: Finding): string {
  return finding.snippet.replace(/\s+/g, "");
}

/**
 * Pairs the head's findings with the base's, key by key: first those whose line reads the same, then
 * in line order. Returns the head findings without a partner (new) and the base ones (fixed).
 */
function pair(head: readonly RunFinding[], base: readonly RunFinding[]): { unmatchedHead: Set<RunFinding>; unmatchedBase: RunFinding[]; partners: Map<RunFinding, RunFinding> } {
  const groups = new Map<string, { head: RunFinding[]; base: RunFinding[] }>();
  const group = (key: string) => {
    let entry = groups.get(key);
    if (!entry) groups.set(key, (entry = { head: [], base: [] }));
    return entry;
  };
  for (const entry of head) group(entry.key).head.push(entry);
  for (const entry of base) group(entry.key).base.push(entry);
  const unmatchedHead = new Set<RunFinding>();
  const unmatchedBase: RunFinding[] = [];
  const partners = new Map<RunFinding, RunFinding>();
  for (const { head: heads, base: bases } of groups.values()) {
    const left = new Set(bases);
    const rest: RunFinding[] = [];
    for (const entry of heads) {
      const same = [...left].find((candidate) => normalisedSnippet(candidate.finding) === normalisedSnippet(entry.finding));
      if (!same) {
        rest.push(entry);
        continue;
      }
      left.delete(same);
      partners.set(entry, same);
    }
    for (const entry of rest) {
      const next = left.values().next();
      if (next.done) {
        unmatchedHead.add(entry);
        continue;
      }
      left.delete(next.value);
      partners.set(entry, next.value);
    }
    unmatchedBase.push(...left);
  }
  return { unmatchedHead, unmatchedBase, partners };
}

/** A call's text as written, on one line; `withAuth(…)` for a call that wraps a function. */
function callText(call: CallFact): string {
  if (call.args.some((arg) => isFunctionLike(arg))) return `${call.callee.getText().replace(/\s+/g, "")}(…)`;
  return call.node.getText().replace(/\s+/g, " ").replace(/\(\s+/g, "(").replace(/\s+\)/g, ")");
}

/** How the call reads in a message: awaited when it was, short, and never holding a backtick. */
function displayText(call: CallFact): string {
  let text = callText(call);
  if (isAwaitExpression(call.node.parent)) text = `await ${text}`;
  if (text.length > 80 || text.includes("`")) text = `${call.isNew ? "new " : ""}${call.callee.getText().replace(/\s+/g, "").replace(/`/g, "").slice(0, 60)}(…)`;
  return text;
}

/** What a refusal reads like: an error status, a redirect, a not-found or forbidden helper, an error thrown at the caller. */
const DENIAL = /\bstatus(Code)?\s*[:(=]\s*(4\d\d|5\d\d)\b|\b(redirect|notFound|forbidden|unauthori[sz]ed|error)\s*\(|\b(401|403|404|429|503)\b|\b(TRPCError|HttpException|ForbiddenException|UnauthorizedException|NotFoundException|HTTPException)\b/;

/** An `if` whose branch refuses the request: throws, or answers with an error status or a redirect. */
function denies(statement: ts.IfStatement): boolean {
  const then = statement.thenStatement;
  const statements = isBlock(then) ? then.statements : [then];
  return statements.some((inner) => isThrowStatement(inner) || ((isReturnStatement(inner) || isExpressionStatement(inner)) && DENIAL.test(inner.getText())));
}

/** The `if` that refuses the request and has the call in its condition: a hand-written guard. */
function refusingIf(call: CallFact): ts.IfStatement | undefined {
  let node: ts.Node = call.node;
  for (let depth = 0; depth < 12 && node.parent && !isSourceFile(node.parent) && !isFunctionLike(node.parent); depth++) {
    const parent = node.parent;
    if (isIfStatement(parent) && parent.expression === node) return denies(parent) ? parent : undefined;
    node = parent;
  }
  return undefined;
}

function guardsByCondition(call: CallFact): boolean {
  return refusingIf(call) !== undefined;
}

/** Whether the base review reads a call as a guard of some kind: auth, role, signature, rate limit, audit, tenant scope, encryption. */
function isGuard(sem: Semantics, file: AnalysedFile, call: CallFact): boolean {
  try {
    return (
      sem.isAuthCall(file, call) ||
      sem.isRateLimitCall(file, call) ||
      sem.isOrgContextCall(file, call) ||
      sem.isAuditCall(file, call) ||
      sem.isEncryptCall(file, call) ||
      sem.isBaaAssertion(file, call) ||
      sem.jwtCall(file, call) === "verify" ||
      guardsByCondition(call)
    );
  } catch (error) {
    // The analysis recurses; a pathological file loses the explanation, never the review.
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/** Something around a finding that may guard it: a call, or a middleware passed by reference. */
interface GuardItem {
  /** Normalised text, compared between base and head. */
  text: string;
  /** How a message shows it. */
  display: string;
  line: number;
  isGuard(): boolean;
  /** Which guards it is, where that can be told: sign-in, a role or permission, a rate limit. */
  kinds(): Set<GuardItemKind>;
}

export type GuardItemKind = "auth" | "role" | "rateLimit";

/** What an `if` that refuses the request refuses for, by the answer it gives. */
function refusalKinds(statement: ts.IfStatement): Set<GuardItemKind> {
  return answerKinds(statement.thenStatement.getText());
}

/** What an answer refusing the request says it refuses for: too many attempts, no sign-in, no permission. */
function answerKinds(text: string): Set<GuardItemKind> {
  const kinds = new Set<GuardItemKind>();
  if (/\b429\b|too many|rate.?limit/i.test(text)) kinds.add("rateLimit");
  if (/\b401\b|unauthori[sz]ed|unauthenticated|sign.?in|log.?in|not authenticated/i.test(text)) kinds.add("auth");
  if (/\b403\b|forbidden|not allowed|permission|access denied|not (an? )?(admin|owner|member)|insufficient/i.test(text)) kinds.add("role");
  return kinds;
}

/** Guard kinds of a call as the review reads it, and of the refusal it sits in. */
function callKinds(sem: Semantics, file: AnalysedFile, call: CallFact): Set<GuardItemKind> {
  const kinds = new Set<GuardItemKind>();
  try {
    if (sem.isAuthCall(file, call) || sem.jwtCall(file, call) === "verify") kinds.add("auth");
    if (sem.isRoleCall(file, call) || ACCESS_HELPER.test(call.name)) kinds.add("role");
    if (sem.isRateLimitCall(file, call)) kinds.add("rateLimit");
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const refusal = refusingIf(call);
  if (refusal) for (const kind of refusalKinds(refusal)) kinds.add(kind);
  // An assertion that refuses by itself (`assertThat(scopes.has(x), "auth.forbidden", 403)`, `ctx.assert(ok, 401)`): the status it answers says what it guards.
  if (ASSERTION_NAME.test(call.name)) for (const kind of answerKinds(call.args.slice(1).map((arg) => arg.getText()).join(" "))) kinds.add(kind);
  return kinds;
}

/** Calls that refuse the request themselves when their first argument is false. */
const ASSERTION_NAME = /^(assert\w*|ensure|invariant|throwUnless|throwIf)$/i;

function callItem(sem: Semantics, file: AnalysedFile, call: CallFact): GuardItem {
  // Awaited or not is part of what the call is: an async guard whose Promise is only tested guards nothing.
  return { text: `${isAwaitExpression(call.node.parent) ? "await " : ""}${callText(call)}`, display: displayText(call), line: call.line, isGuard: () => isGuard(sem, file, call), kinds: () => callKinds(sem, file, call) };
}

/** A middleware or option passed by reference: `requireAuth` in `router.post("/x", requireAuth, handler)`. */
function expressionItem(sem: Semantics, file: AnalysedFile, arg: ts.Expression): GuardItem {
  const sf = arg.getSourceFile();
  const text = arg.getText(sf).replace(/\s+/g, " ");
  return {
    text: `arg:${text}`,
    display: text.length > 80 || text.includes("`") ? `${text.replace(/`/g, "").slice(0, 60)}…` : text,
    line: sf.getLineAndCharacterOfPosition(arg.getStart(sf)).line + 1,
    isGuard: () => {
      try {
        return sem.guardKinds(file, arg).size > 0;
      } catch (error) {
        if (error instanceof RangeError) return false;
        throw error;
      }
    },
    kinds: () => {
      const kinds = new Set<GuardItemKind>();
      if (RATE_LIMIT_NAME_PATTERN.test(text)) kinds.add("rateLimit");
      try {
        for (const kind of sem.guardKinds(file, arg)) kinds.add(kind === "role" || kind === "admin" ? "role" : "auth");
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
      }
      return kinds;
    },
  };
}

/** The arguments of a wrapper or a registration that are not the handler: `requireAuth` in `router.post("/x", requireAuth, handler)`. */
function argumentItems(sem: Semantics, file: AnalysedFile, call: CallFact): GuardItem[] {
  return call.args.filter((arg) => !isFunctionLike(arg)).map((arg) => expressionItem(sem, file, arg));
}

/** Most `if` statements read from one function: a pathological one is cut, not walked whole. */
const MAX_CONDITIONS = 500;

/** Each `if` in a function (callbacks included) that refuses the request, by its condition's text. */
function conditionItems(fn: FunctionFact): GuardItem[] {
  const items: GuardItem[] = [];
  const sf = fn.node.getSourceFile();
  const visit = (node: ts.Node, depth: number): void => {
    if (items.length >= MAX_CONDITIONS || depth > 200) return;
    if (isIfStatement(node) && denies(node)) {
      const condition = node.expression.getText(sf).replace(/\s+/g, " ");
      const shown = condition.length > 70 || condition.includes("`") ? `${condition.replace(/`/g, "").slice(0, 60)}…` : condition;
      const statement = node;
      items.push({ text: `if:${condition}`, display: `if (${shown}) …`, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, isGuard: () => true, kinds: () => refusalKinds(statement) });
    }
    forEachChild(node, (child) => visit(child, depth + 1));
  };
  if (fn.node.body) visit(fn.node.body, 0);
  return items;
}

/** What runs around a finding and could guard it: the function's calls and refusing conditions, the wrapper it is passed to and that wrapper's other arguments, or a registration's arguments. */
function guardItems(sem: Semantics, file: AnalysedFile, fn: FunctionFact | undefined, call: CallFact | undefined): GuardItem[] {
  const items: GuardItem[] = [];
  if (fn) {
    for (const inner of sem.callsWithin(fn)) items.push(callItem(sem, file, inner));
    items.push(...conditionItems(fn));
    if (fn.argumentOf) items.push(callItem(sem, file, fn.argumentOf), ...argumentItems(sem, file, fn.argumentOf));
  } else if (call) items.push(...argumentItems(sem, file, call));
  return items;
}

export interface RemovedGuard {
  text: string;
  /** 1-based line in the base version. */
  line: number;
}

/**
 * The first guard around the base's finding site that the head no longer has (compared by text), and
 * whether the head has fewer guards there than the base: a guard replaced by another is a refactor,
 * one taken away is a weakening.
 */
function removedGuard(head: GuardItem[], base: GuardItem[]): (RemovedGuard & { weakened: boolean }) | undefined {
  const present = new Set(head.map((item) => item.text));
  const removed = base.find((item) => !present.has(item.text) && item.isGuard());
  if (!removed) return undefined;
  const count = (items: GuardItem[]) => new Set(items.filter((item) => item.isGuard()).map((item) => item.text)).size;
  return { text: removed.display, line: removed.line, weakened: count(head) < count(base) };
}

/** Everything that could guard a route in one tree: its handler's calls and refusals, its wrappers and its middleware. */
function routeItems(sem: Semantics, route: RouteFact): GuardItem[] {
  const file = route.handler ? sem.handlerFileOf(route) : route.file;
  return [
    ...(route.handler ? guardItems(sem, file, route.handler, undefined) : []),
    ...route.wrappers.map((call) => callItem(sem, route.file, call)),
    ...route.middleware.map((expr) => expressionItem(sem, route.file, expr)),
  ];
}

/**
 * The first guard of a kind in the base's route (handler, wrappers, middleware) that the head's
 * version no longer has, and whether the head has fewer guards of that kind (one replaced by
 * another is a refactor; one taken away is a weakening).
 */
export function removedFromRoute(headSem: Semantics, headRoute: RouteFact, baseSem: Semantics, baseRoute: RouteFact, kind: GuardItemKind): (RemovedGuard & { fewer: boolean }) | undefined {
  try {
    const headAll = routeItems(headSem, headRoute);
    const headItems = headAll.filter((item) => item.kinds().has(kind));
    const present = new Set(headAll.map((item) => item.text));
    const baseItems = routeItems(baseSem, baseRoute).filter((item) => item.kinds().has(kind));
    const removed = baseItems.find((item) => !present.has(item.text));
    return removed ? { text: removed.display, line: removed.line, fewer: new Set(headItems.map((item) => item.text)).size < new Set(baseItems.map((item) => item.text)).size } : undefined;
  } catch (error) {
    // A pathological handler loses the explanation, never the review.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** The base counterpart of the head's finding site: the function of the same scope, or the module-scope call of the same label. */
function baseSite(baseFile: AnalysedFile, anchor: FindingAnchor): { fn?: FunctionFact; call?: CallFact } | undefined {
  if (anchor.fn) {
    const span = functionSpans(baseFile).find((candidate) => scopeOf(candidate.fn) === anchor.scope);
    return span ? { fn: span.fn } : undefined;
  }
  if (!anchor.call) return undefined;
  const call = baseFile.facts?.calls.find((candidate) => candidate.fn === undefined && callLabel(candidate) === anchor.sink);
  return call ? { call } : undefined;
}

/**
 * Head-side lines of a patch the diff view shows near a change: the lines it adds, and for each
 * deleted line the head line that now stands where it was (keyed by the deleted line's base number).
 */
export function diffLines(patch: string | undefined): { added: Set<number>; deletedAt: Map<number, number> } {
  const added = new Set<number>();
  const deletedAt = new Map<number, number>();
  if (!patch) return { added, deletedAt };
  const text = patch.startsWith("@@") ? `--- a/x\n+++ b/x\n${patch}` : patch;
  for (const file of parseDiff(text)) {
    for (const chunk of file.chunks) {
      let pending: number[] = [];
      for (const change of chunk.changes) {
        if (change.type === "del") {
          pending.push(change.ln);
          continue;
        }
        const headLine = change.type === "add" ? change.ln : change.ln2;
        if (change.type === "add") added.add(headLine);
        for (const line of pending) deletedAt.set(line, headLine);
        pending = [];
      }
      // Deleted at the end of the hunk: the last line the hunk shows.
      const last = chunk.newStart + Math.max(chunk.newLines - 1, 0);
      for (const line of pending) deletedAt.set(line, last);
    }
  }
  return { added, deletedAt };
}

/** Whether the diff adds or deletes a line inside the function. */
export function touches(span: { startLine: number; endLine: number }, lines: { added: Set<number>; deletedAt: Map<number, number> }): boolean {
  for (const line of [...lines.added, ...lines.deletedAt.values()]) if (line >= span.startLine && line <= span.endLine) return true;
  return false;
}

/** The line of the function nearest `target` that the diff shows changed (or where a line was deleted). */
export function nearestChangedLine(span: { startLine: number; endLine: number }, lines: { added: Set<number>; deletedAt: Map<number, number> }, target: number): number | undefined {
  let best: number | undefined;
  for (const line of [...lines.added, ...lines.deletedAt.values()]) {
    if (line < span.startLine || line > span.endLine) continue;
    if (best === undefined || Math.abs(line - target) < Math.abs(best - target)) best = line;
  }
  return best;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The head review, its findings marked new, pre-existing or fixed against the base review. */
export function compareWithBase(snapshot: PullRequestSnapshot, head: ReviewRun, base: ReviewRun | undefined, side: BaseSide): Review {
  const review = head.review;
  const baseName = snapshot.baseSha ? `base \`${snapshot.baseSha.slice(0, 12)}\`` : "the base";
  if (side.unavailable) {
    for (const entry of head.findings) if (!entry.changeScoped) entry.finding.new = true;
    review.baseline = { state: "unavailable", uncompared: [] };
    review.notes.push(`The base could not be read (${side.unavailable}), so nothing was compared with it: every finding in the touched files counts as new.`);
    return review;
  }

  const uncompared = new Map(side.uncompared);
  if (base) {
    for (const entry of base.review.notAnalysed) {
      const headPath = side.headPathOf.get(entry.path);
      if (entry.limit && headPath !== undefined && !side.deleted.has(entry.path)) uncompared.set(headPath, `its base version was ${entry.reason.startsWith("not analysed") ? entry.reason : `not analysed in full (${entry.reason})`}`);
    }
  }
  const headAnalysed = new Set(review.analysed);
  const compared = head.findings.filter((entry) => !entry.changeScoped && !uncompared.has(entry.finding.path));
  const baseFindings = base?.findings.filter((entry) => !entry.changeScoped) ?? [];
  const { unmatchedHead, unmatchedBase, partners } = pair(compared, baseFindings);

  for (const entry of head.findings) {
    if (entry.changeScoped) continue;
    entry.finding.new = uncompared.has(entry.finding.path) || unmatchedHead.has(entry);
  }

  // What the PR took away: the guard the base function had and the head's lacks. A finding the base
  // review also made (it did not credit that guard) is still new when the PR took a guard away from
  // that very function: the protection the code had is weaker than before.
  if (base) {
    for (const entry of head.findings) {
      if (entry.changeScoped || uncompared.has(entry.finding.path) || (!entry.anchor.fn && !entry.anchor.call)) continue;
      const partner = partners.get(entry);
      const headFile = snapshot.files.find((file) => file.path === entry.finding.path && !file.context);
      const lines = diffLines(headFile?.patch);
      const headSpan = entry.anchor.fn ? functionSpans(entry.file).find((span) => span.fn === entry.anchor.fn) : undefined;
      // A pre-existing finding is looked at again only when the PR changed its function.
      if (partner && !(headSpan && touches(headSpan, lines))) continue;
      const basePath = side.basePathOf.get(entry.finding.path);
      const baseFile = basePath === undefined ? undefined : base.project.file(basePath);
      const site = baseFile ? baseSite(baseFile, entry.anchor) : undefined;
      if (!baseFile || !site) continue;
      const removed = removedGuard(guardItems(head.sem, entry.file, entry.anchor.fn, entry.anchor.call), guardItems(base.sem, baseFile, site.fn, site.call));
      if (partner && !removed?.weakened) continue;
      if (partner) entry.finding.new = true;
      if (removed) {
        entry.finding.data = { ...entry.finding.data, removedCall: removed.text, removedLine: String(removed.line) };
        entry.finding.message = `${entry.finding.message} This PR removed \`${removed.text}\` (line ${removed.line} of the base).`;
      }
      if (headSpan && !entry.file.isChanged(entry.finding.line)) {
        const target = (removed && lines.deletedAt.get(removed.line)) ?? entry.finding.line;
        const line = nearestChangedLine(headSpan, lines, target);
        if (line !== undefined && line !== entry.finding.line) entry.finding.commentLine = line;
      }
    }
  }
  const weakened = new Set(head.findings.filter((entry) => entry.finding.new && partners.has(entry)));

  // Fixed: what the base had in a file the head reviewed (or deleted), and the head no longer has.
  const fixed = unmatchedBase
    .filter((entry) => {
      const headPath = side.headPathOf.get(entry.finding.path) ?? entry.finding.path;
      return side.deleted.has(entry.finding.path) || headAnalysed.has(headPath);
    })
    .map((entry) => ({ ...entry.finding, new: false }));
  review.fixed = fixed;
  review.baseline = { state: "compared", uncompared: [...uncompared].map(([path, reason]) => ({ path, reason })) };

  const fresh = review.findings.filter((finding) => finding.new).length;
  if (weakened.size > 0) review.notes.push(`${plural(weakened.size, "finding")} the base review also made ${weakened.size === 1 ? "counts" : "count"} as new: this PR removed a guard from ${weakened.size === 1 ? "its function" : "their functions"}.`);
  review.notes.push(`Compared with ${baseName}: ${plural(fresh, "new finding")}, ${review.findings.length - fresh} pre-existing, ${fixed.length} fixed by this PR.`);
  for (const [path, reason] of uncompared) review.notes.push(`\`${path}\` could not be compared with ${baseName} (${reason}): its findings count as new.`);
  const deletedFixed = fixed.filter((finding) => side.deleted.has(finding.path)).length;
  if (deletedFixed > 0) review.notes.push(`${plural(deletedFixed, "finding")} of the base ${deletedFixed === 1 ? "was" : "were"} in files this PR deletes and ${deletedFixed === 1 ? "is" : "are"} listed as fixed.`);
  if (base?.review.incomplete) review.notes.push(`The review of the base was cut short (${base.review.incomplete}): findings it could not reach count as new.`);
  return review;
}
