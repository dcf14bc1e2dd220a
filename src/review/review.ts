import { CHECKS } from "../checks/index.js";
import { formatMessage, type CheckDefinition, type ReportedFinding } from "../checks/define-check.js";
import type { RuleId } from "../checks/ids.js";
import type { Config } from "../config/schema.js";
import type { PullRequestSnapshot } from "../snapshot.js";
import { analyseFile, AnalysedProject, type AnalysedFile } from "./analysis/project.js";
import { Semantics } from "./analysis/semantics.js";
import { classifyFields, extractFieldEvidence } from "./classification/index.js";
import { changedLinesFromPatch } from "./diff.js";
import { baseSnapshotOf, compareWithBase, type BaseSide, type ReviewRun, type RunFinding } from "./differential.js";
import { compareRoutes } from "./regressions.js";
import { anchorOf, assignFingerprints, fingerprintKey, fingerprintOf } from "./fingerprint.js";
import { settleFixes, type PendingFix } from "./fixes.js";
import { detectProvenance } from "./provenance.js";
import { reviewBudget, screenSource, type ReviewBudget } from "./limits.js";
import { scopeFiles } from "./scope.js";
import { collectSurfaceFacts, mergeSurfaceFacts, renderSurface, type MaybeDescribedSurface, type SurfaceFacts } from "./surface.js";
import { findSuppressions, suppressionFor } from "./suppressions.js";
import { atLeast, severityRank, type Classification, type FieldEvidence, type Finding, type NotAnalysedFile, type Provenance, type Review, type Suppression, type Verdict } from "./types.js";

/**
 * The pure core: a PR snapshot and a config in, a Review out. No I/O and no logging; the only
 * clock is the time budget's (injectable, so limits are tested without timing).
 */

export interface ReviewOptions {
  /** Monotonic clock for the time limits, in milliseconds (tests step it; default `performance.now`). */
  clock?: () => number;
  /** Treat the PR as AI-generated whatever its signals (`--ai`); a string says why, as the matched signal. */
  forceAi?: boolean | string;
  /** Checks to run instead of the registry (tests). */
  checks?: readonly CheckDefinition[];
}

function analyse(snapshot: PullRequestSnapshot, config: Config, budget: ReviewBudget = reviewBudget(config.limits)): { files: AnalysedFile[]; notAnalysed: NotAnalysedFile[]; removed: string[] } {
  const scope = scopeFiles(snapshot.files, config, snapshot.context?.layout);
  const files: AnalysedFile[] = [];
  const notAnalysed = [...scope.notAnalysed];
  for (const { file, language, text } of scope.analyse) {
    const skip = screenSource(text) ?? budget.spent();
    if (skip && file.context) continue;
    if (skip) {
      notAnalysed.push({ path: file.path, reason: `not analysed: ${skip}`, limit: true });
      continue;
    }
    const fileStarted = budget.now();
    // Without a patch (a scanned file, or a diff GitHub would not render) every line counts as changed:
    // a finding that cannot be placed in the diff must still be able to block.
    // Read from the patch on first need: most files never place a finding.
    const patch = file.patch;
    const changed = snapshot.wholeFiles || !patch ? "all" : () => changedLinesFromPatch(patch);
    try {
      files.push(analyseFile({ path: file.path, text, language, changedLines: changed, context: file.context ?? false }));
    } catch (error) {
      if (file.context) continue;
      // The parser recurses; a pathologically deep file is reported, never fatal to the review.
      const reason = error instanceof RangeError ? "nesting too deep to parse" : "could not be parsed";
      notAnalysed.push({ path: file.path, reason: `not analysed: ${reason}`, limit: true });
    }
    if (budget.fileOver(fileStarted) && files.at(-1)?.path === file.path) {
      files.pop();
      if (file.context) continue;
      notAnalysed.push({ path: file.path, reason: `not analysed: took longer than ${config.limits.fileTimeoutMs} ms (limits.fileTimeoutMs)`, limit: true });
    }
  }
  for (const file of files) {
    if (file.facts?.truncated && !file.context) notAnalysed.push({ path: file.path, reason: "partly analysed: nesting deeper than the analysis limit was skipped", limit: true });
  }
  return { files, notAnalysed, removed: scope.removed };
}

function classificationEvidence(files: readonly AnalysedFile[]): FieldEvidence[] {
  // Scripts' evidence was gathered by the facts walk; SQL and Prisma files are read here.
  return files.flatMap((file) =>
    file.context ? [] : file.facts?.fields ?? extractFieldEvidence({ path: file.path, text: file.text, language: file.language, sourceFile: file.facts?.sourceFile }),
  );
}

/**
 * Reviews a snapshot. In PR mode (the snapshot carries its base) the base is reviewed as well and
 * the answer is the comparison: new, pre-existing and fixed by fingerprint (see differential.ts).
 */
export function reviewSnapshot(snapshot: PullRequestSnapshot, config: Config, options: ReviewOptions = {}): Review {
  // One time budget for both sides: the base review gets what the head's leaves, and what it cannot reach counts as new.
  const budget = reviewBudget(config.limits, options.clock);
  const head = runReview(snapshot, config, { ...options, budget });
  if (!snapshot.base || snapshot.wholeFiles) return head.review;
  const base = baseSnapshotOf(snapshot);
  // Only added files: the base has nothing the head could be compared with, and nothing to fix.
  const baseRun = base.snapshot && base.reviewable ? runReview(base.snapshot, config, { ...options, budget, baseline: { pathOf: (path) => base.headPathOf.get(path) ?? path } }) : undefined;
  const review = compareWithBase(snapshot, head, baseRun, base);
  if (baseRun) reportRegressions(snapshot, head, baseRun, base, config, options);
  review.verdict = verdictOf(review.findings, config, review.provenance.aiGenerated);
  return review;
}

/**
 * One review of a scan's chunk, kept as plain parts (its trees dropped when it returns), with the
 * provenance it was judged with: {@link mergeReviewParts} and {@link assembleReview} make the scan's Review.
 */
export function reviewChunk(snapshot: PullRequestSnapshot, config: Config, options: ReviewOptions = {}): { parts: ReviewParts; provenance: Provenance } {
  const run = runReview(snapshot, config, options);
  return { parts: run.parts, provenance: run.review.provenance };
}

interface RunOptions extends ReviewOptions {
  budget?: ReviewBudget;
  /**
   * The base side of a PR-mode review: only the findings matter (no threat-surface prose), checks that
   * judge the PR's change rather than the code are not run, and fingerprints use the head's paths.
   */
  baseline?: { pathOf: (path: string) => string };
}

function runReview(snapshot: PullRequestSnapshot, config: Config, options: RunOptions = {}): ReviewRun & { parts: ReviewParts } {
  const budget = options.budget ?? reviewBudget(config.limits, options.clock);
  const { files, notAnalysed, removed } = analyse(snapshot, config, budget);
  const checksNotRun: string[] = [];
  const project = new AnalysedProject(files, config, snapshot.context?.layout, new Map(snapshot.context?.unread.map((entry) => [entry.path, entry.reason])));
  const sem = new Semantics(project);
  const provenance = detectProvenance(snapshot, config, options.forceAi);
  const classification = classifyFields(classificationEvidence(files));

  const suppressionsByPath = new Map<string, Suppression[]>();
  // A file without the marker has no waiver: skip splitting it into lines.
  for (const file of files) suppressionsByPath.set(file.path, !file.context && file.text.includes("security-review-ignore") ? findSuppressions(file) : []);

  const findings: Finding[] = [];
  const pendingFixes: PendingFix[] = [];
  const anchored: RunFinding[] = [];
  const headPathOf = options.baseline?.pathOf ?? ((path: string) => path);
  const seen = new Set<string>();
  /** Checks a pathological file (an expression nested thousands deep) made overflow the stack. */
  const checksFailed: string[] = [];
  for (const check of options.checks ?? CHECKS) {
    const override = config.rules[check.id as RuleId];
    if (override === "off") continue;
    if (options.baseline && check.judges === "change") continue;
    if (budget.spent()) {
      checksNotRun.push(check.id);
      continue;
    }
    const report = (raw: ReportedFinding<string>) => {
      // A context file is read for its guards; what it does itself is not this PR's change.
      if (raw.file.context) return;
      const line = Math.max(1, raw.line);
      const key = `${check.id}\0${raw.file.path}\0${line}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (suppressionFor(suppressionsByPath.get(raw.file.path) ?? [], check.id, line)) return;
      const entry = runFinding(check, raw, config, headPathOf);
      findings.push(entry.finding);
      // The base review's fixes are never shown: only the head's are checked, after every check ran.
      if (!options.baseline) pendingFixes.push({ finding: entry.finding, path: raw.file.path, text: raw.file.text, replacement: raw.replacement, tree: raw.file.facts?.sourceFile });
      anchored.push(entry);
    };
    try {
      check.run({ project, sem, config, provenance, classification, report });
    } catch (error) {
      // The analysis recurses over syntax; a hostile file costs this check, never the review.
      if (!(error instanceof RangeError)) throw error;
      checksFailed.push(check.id);
    }
  }

  settleFixes(pendingFixes);

  const suppressions = [...suppressionsByPath.values()].flat();
  for (const s of suppressions) {
    if (s.reason) continue;
    const file = project.file(s.path);
    const snippet = (file?.lines[s.line - 1] ?? "").trim();
    const finding: Finding = {
      ruleId: "review/suppression-without-reason",
      messageId: "missingReason",
      data: { rule: s.ruleId },
      severity: "low",
      path: s.path,
      line: s.line,
      column: 1,
      message: `The waiver of ${s.ruleId} gives no reason, so it does not take effect.`,
      fix: `Write why the finding is acceptable after \`--\`: \`// security-review-ignore ${s.ruleId} -- <reason>\`.`,
      new: file?.isChanged(s.line) ?? true,
      confidence: "certain",
      fingerprint: "",
      snippet,
    };
    findings.push(finding);
    // A waiver is found in a file of the review, so its file is there; its key holds the waived rule and the line's text.
    const anchor = file ? anchorOf(file, s.line, undefined) : { scope: "file", sink: "" };
    const key = fingerprintKey(finding.ruleId, headPathOf(s.path), { scope: anchor.scope, sink: `${s.ruleId}\0${snippet.replace(/\s+/g, " ")}` });
    if (file) anchored.push({ finding, file, anchor, key, changeScoped: false });
    else finding.fingerprint = fingerprintOf(key, 0);
  }

  findings.sort(byLocation);
  anchored.sort((a, b) => byLocation(a.finding, b.finding));
  assignFingerprints(anchored, (entry, fingerprint) => (entry.finding.fingerprint = fingerprint));

  const surface = options.baseline ? undefined : collectSurfaceOrLimit(project, sem);
  const parts: ReviewParts = {
    findings,
    suppressions,
    notAnalysed,
    analysed: files.filter((f) => !f.context).map((f) => f.path),
    context: files.filter((f) => f.context).map((f) => f.path),
    evidence: distinctEvidence(classificationEvidence(files)),
    surface,
    checksFailed,
    checksNotRun,
    ...(checksNotRun.length > 0 ? { timeLimit: budget.spent() ?? "The review's time limit was reached" } : {}),
    rulesOff: (options.checks ?? CHECKS).filter((check) => config.rules[check.id as RuleId] === "off").map((check) => check.id),
    removed: removed.length,
    changedFiles: snapshot.files.filter((file) => !file.context).length,
  };
  const review = assembleReview(snapshot, parts, config, provenance, { classification, baseline: options.baseline !== undefined, notes: snapshot.context?.notes ?? [] });
  return { review, project, sem, findings: anchored, config, parts, waivers: suppressionsByPath };
}

/**
 * What one review found, as plain data (no syntax trees): enough to assemble its Review, and to
 * merge with the parts of other reviews of the same scan ({@link mergeReviewParts}) into one.
 */
export interface ReviewParts {
  findings: Finding[];
  suppressions: Suppression[];
  notAnalysed: NotAnalysedFile[];
  /** The review's own files that were analysed, in order. */
  analysed: string[];
  /** Files read as context. */
  context: string[];
  /** Field evidence of the analysed files: the first use of each name and owner. */
  evidence: FieldEvidence[];
  /** What the surface is made of; absent for a base review, `"too deep"` when the code could not be described. */
  surface?: SurfaceFacts | "too deep";
  /** Checks a pathological file made overflow the stack. */
  checksFailed: string[];
  /** Checks the time limit kept from running, and the limit's reason. */
  checksNotRun: string[];
  timeLimit?: string;
  rulesOff: string[];
  /** Source files in scope that the PR deletes. */
  removed: number;
  /** The review's own files (not context). */
  changedFiles: number;
}

/** The parts of several reviews of disjoint files (a scan's chunks, in path order) as one review. */
export function mergeReviewParts(all: readonly ReviewParts[]): ReviewParts {
  const union = (pick: (part: ReviewParts) => readonly string[]) => [...new Set(all.flatMap(pick))];
  const surfaces = all.map((part) => part.surface);
  const findings = all.flatMap((part) => part.findings).sort(byLocation);
  const timeLimit = all.find((part) => part.timeLimit)?.timeLimit;
  const analysed = all.flatMap((part) => part.analysed).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const reviewed = new Set(analysed);
  return {
    findings,
    suppressions: all.flatMap((part) => part.suppressions),
    notAnalysed: all.flatMap((part) => part.notAnalysed),
    // In path order, as one review of all the files lists them.
    analysed,
    // A file one chunk read as context and another analysed was reviewed: not context of the whole.
    context: union((part) => part.context).filter((path) => !reviewed.has(path)),
    evidence: distinctEvidence(all.flatMap((part) => part.evidence)),
    surface: surfaces.includes("too deep") ? "too deep" : surfaces.every((facts) => facts !== undefined) ? mergeSurfaceFacts(surfaces as SurfaceFacts[]) : undefined,
    checksFailed: union((part) => part.checksFailed),
    checksNotRun: union((part) => part.checksNotRun),
    ...(timeLimit ? { timeLimit } : {}),
    rulesOff: union((part) => part.rulesOff),
    removed: all.reduce((sum, part) => sum + part.removed, 0),
    changedFiles: all.reduce((sum, part) => sum + part.changedFiles, 0),
  };
}

export interface AssembleOptions {
  /** The classification the checks ran with; by default the parts' evidence classified. */
  classification?: Classification;
  /** A base review: no threat-surface prose. */
  baseline?: boolean;
  /** Notes of the loader (context that could not be read). */
  notes?: readonly string[];
  /** Gaps the loader left (files past a limit): in `incomplete` and in the notes. */
  incomplete?: readonly string[];
}

/** The Review of a snapshot's parts: verdict, incompleteness, surface prose and notes. */
export function assembleReview(snapshot: Pick<PullRequestSnapshot, "repo" | "number" | "headSha" | "title" | "body" | "unlistedFileCount">, parts: ReviewParts, config: Config, provenance: Provenance, options: AssembleOptions = {}): Review {
  const { findings, checksFailed, checksNotRun } = parts;
  const classification = options.classification ?? classifyFields(parts.evidence);
  const limited = parts.notAnalysed.filter((entry) => entry.limit).map((entry) => entry.path);
  const incomplete = [
    ...(limited.length > 0 ? [`${limited.length} ${limited.length === 1 ? "file" : "files"} could not be read in full within the review's limits (${limited.slice(0, 5).join(", ")}${limited.length > 5 ? ", …" : ""}); list generated files under paths.exclude.`] : []),
    ...(snapshot.unlistedFileCount ? [`${snapshot.unlistedFileCount} files were not listed by GitHub.`] : []),
    ...(options.incomplete ?? []),
    ...(checksFailed.length > 0 ? [`${checksFailed.length} ${checksFailed.length === 1 ? "check" : "checks"} could not finish: code in this PR is nested too deep for the analysis (${checksFailed.join(", ")}).`] : []),
    ...(checksNotRun.length > 0 ? [`${parts.timeLimit ?? "The review's time limit was reached"}: ${checksNotRun.length} checks were not run (${checksNotRun.join(", ")}).`] : []),
  ];
  // The base review's findings are compared, never shown: its prose is not worth the time.
  const surface: MaybeDescribedSurface = options.baseline
    ? { restatedRequest: snapshot.title, surface: { ingress: "", authz: "", mutation: "", egress: "", ai: "" }, openQuestions: [] }
    : parts.surface === undefined || parts.surface === "too deep"
      ? tooDeepSurface(snapshot.title)
      : renderSurface(parts.surface, { snapshot, changedFiles: parts.changedFiles, findings, provenance, classification });
  return {
    verdict: verdictOf(findings, config, provenance.aiGenerated),
    ...(incomplete.length > 0 ? { incomplete: incomplete.join(" ") } : {}),
    repo: snapshot.repo,
    ...(snapshot.number !== undefined ? { number: snapshot.number } : {}),
    ...(snapshot.headSha ? { headSha: snapshot.headSha } : {}),
    title: snapshot.title,
    restatedRequest: surface.restatedRequest,
    classification,
    surface: surface.surface,
    provenance,
    findings,
    suppressions: parts.suppressions,
    openQuestions: surface.openQuestions,
    notAnalysed: parts.notAnalysed,
    analysed: parts.analysed,
    ...(surface.reach ? { reach: { ...surface.reach, removedSources: parts.removed, rulesNotRun: [...parts.rulesOff, ...checksNotRun, ...checksFailed] } } : {}),
    notes: [
      ...(parts.context.length > 0 ? [contextNote(parts.context)] : []),
      ...(options.notes ?? []),
      ...incomplete,
      ...(snapshot.unlistedFileCount ? [`${snapshot.unlistedFileCount} more files were not listed (GitHub lists at most 3,000 files of a PR) and were not reviewed.`] : []),
    ],
  };
}

/** A reported finding as the review keeps it: its message filled in, where it sits, and its fingerprint key. */
function runFinding(check: CheckDefinition, raw: ReportedFinding<string>, config: Config, headPathOf: (path: string) => string): RunFinding {
  const line = Math.max(1, raw.line);
  const snippet = (raw.file.lines[line - 1] ?? "").trim();
  const data = raw.data ?? {};
  const anchor = anchorOf(raw.file, line, raw.column);
  const override = config.rules[check.id as RuleId];
  const finding: Finding = {
    ruleId: check.id,
    messageId: raw.messageId,
    data,
    severity: override && override !== "off" ? override : (raw.severity ?? check.severity),
    path: raw.file.path,
    line,
    column: raw.column ?? 1,
    message: formatMessage((check.messages as Record<string, string>)[raw.messageId] ?? raw.messageId, data),
    fix: raw.fix,
    new: raw.file.isChanged(line),
    confidence: raw.confidence ?? "certain",
    fingerprint: "",
    snippet,
  };
  if (raw.commentLine !== undefined && raw.commentLine !== line) finding.commentLine = raw.commentLine;
  return { finding, file: raw.file, anchor, key: fingerprintKey(check.id, headPathOf(raw.file.path), anchor), changeScoped: check.judges === "change" };
}

/**
 * What the PR took away (PR mode): each rule with a `regressed` hook is shown the routes whose base
 * version enforced a guard the head's no longer does, and what it reports is new. A finding the head
 * review already made on that line is marked new and told what was removed, not repeated.
 */
function reportRegressions(snapshot: PullRequestSnapshot, head: ReviewRun, base: ReviewRun, side: BaseSide, config: Config, options: ReviewOptions): void {
  const review = head.review;
  const uncompared = new Set(review.baseline?.uncompared.map((entry) => entry.path) ?? []);
  const routes = compareRoutes(snapshot, head, base, side, uncompared);
  if (routes.length === 0) return;
  const pendingFixes: PendingFix[] = [];
  const added: RunFinding[] = [];
  for (const check of options.checks ?? CHECKS) {
    if (!check.regressed || config.rules[check.id as RuleId] === "off") continue;
    const report = (raw: ReportedFinding<string>) => {
      if (raw.file.context) return;
      const line = Math.max(1, raw.line);
      if (suppressionFor(head.waivers?.get(raw.file.path) ?? [], check.id, line)) return;
      const same = [...head.findings, ...added].find((entry) => entry.finding.ruleId === check.id && entry.finding.path === raw.file.path && entry.finding.line === line);
      const change = raw.data?.change;
      if (same) {
        same.finding.new = true;
        // What the PR took away can weigh more than the head alone shows (a limiter taken off a sign-in
        // route the head's code reads as low-stakes): the finding keeps the higher of the two severities.
        const override = config.rules[check.id as RuleId];
        const weight = override && override !== "off" ? override : (raw.severity ?? check.severity);
        if (severityRank(weight) > severityRank(same.finding.severity)) same.finding.severity = weight;
        if (change && !same.finding.message.toLowerCase().includes(change.toLowerCase())) same.finding.message = `${same.finding.message} ${change.charAt(0).toUpperCase()}${change.slice(1)}.`;
        if (raw.commentLine !== undefined && raw.commentLine !== line) same.finding.commentLine = raw.commentLine;
        return;
      }
      const entry = runFinding(check, raw, config, (path) => path);
      entry.finding.new = true;
      added.push(entry);
      pendingFixes.push({ finding: entry.finding, path: raw.file.path, text: raw.file.text, replacement: raw.replacement, tree: raw.file.facts?.sourceFile });
    };
    try {
      check.regressed({ project: head.project, sem: head.sem, config, provenance: review.provenance, classification: review.classification, report, routes });
    } catch (error) {
      // The analysis recurses over syntax; a hostile file costs this comparison, never the review.
      if (!(error instanceof RangeError)) throw error;
    }
  }
  if (added.length === 0) return;
  settleFixes(pendingFixes);
  const ordinals = new Map<string, number>();
  for (const entry of head.findings) ordinals.set(entry.key, (ordinals.get(entry.key) ?? 0) + 1);
  for (const entry of added) {
    const ordinal = ordinals.get(entry.key) ?? 0;
    ordinals.set(entry.key, ordinal + 1);
    entry.finding.fingerprint = fingerprintOf(entry.key, ordinal);
    head.findings.push(entry);
    review.findings.push(entry.finding);
  }
  review.findings.sort(byLocation);
  review.notes.push(`${added.length === 1 ? "1 finding is" : `${added.length} findings are`} new because this PR took a guard away from a route the base had.`);
}


const byLocation = (a: Finding, b: Finding) => a.path.localeCompare(b.path) || a.line - b.line || severityRank(b.severity) - severityRank(a.severity) || a.ruleId.localeCompare(b.ruleId);

/** The first use of each field name and owner: what classification reads (it matches a name and owner once). */
function distinctEvidence(evidence: readonly FieldEvidence[]): FieldEvidence[] {
  const seen = new Set<string>();
  return evidence.filter((field) => {
    const key = `${field.name}\0${field.owner ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Which unchanged files the review read to understand the PR's code; a long list is counted, not listed. */
function contextNote(paths: readonly string[]): string {
  const shown = paths.slice(0, 10).join(", ");
  return `Read to understand the PR's code (guards in front of its routes, the modules it imports), not reviewed: ${paths.length > 10 ? `${paths.length} files, among them ${shown}` : shown}.`;
}

/** The surface facts, or `"too deep"` when the PR's code is too deeply nested to describe. */
function collectSurfaceOrLimit(project: AnalysedProject, sem: Semantics): SurfaceFacts | "too deep" {
  try {
    return collectSurfaceFacts(project, sem);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return "too deep";
  }
}

function tooDeepSurface(title: string): MaybeDescribedSurface {
  const limit = "not described: code in this PR is nested too deep for the analysis";
  return { restatedRequest: title, surface: { ingress: limit, authz: limit, mutation: limit, egress: limit, ai: limit }, openQuestions: [] };
}

export function verdictOf(findings: readonly Finding[], config: Config, aiGenerated: boolean): Verdict {
  // A likely finding rests on names alone: reported, never the reason a merge is blocked.
  if (findings.some((f) => f.new && f.confidence === "certain" && atLeast(f.severity, config.failOn))) return "fail";
  if (aiGenerated && findings.some((f) => f.ruleId === "ai/unreviewed-mutation")) return "needs-human-review";
  return "pass";
}

/** A review that could not run (an invalid config): no findings, the reason stated. */
export function notRunReview(snapshot: PullRequestSnapshot, reason: string): Review {
  return {
    verdict: "not-run",
    notRunReason: reason,
    repo: snapshot.repo,
    ...(snapshot.number !== undefined ? { number: snapshot.number } : {}),
    ...(snapshot.headSha ? { headSha: snapshot.headSha } : {}),
    title: snapshot.title,
    restatedRequest: snapshot.title,
    classification: { tier: "public", evidence: [], regulations: [] },
    surface: { ingress: "not reviewed", authz: "not reviewed", mutation: "not reviewed", egress: "not reviewed", ai: "not reviewed" },
    provenance: { aiGenerated: false, signals: [] },
    findings: [],
    suppressions: [],
    openQuestions: [],
    notAnalysed: [],
    analysed: [],
    notes: [reason],
  };
}
