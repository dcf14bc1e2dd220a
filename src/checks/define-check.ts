import type { Config } from "../config/schema.js";
import type { AnalysedFile, AnalysedProject } from "../review/analysis/project.js";
import type { RouteProfile } from "../review/analysis/route-profile.js";
import type { RouteFact, Semantics } from "../review/analysis/semantics.js";
import type { Strength } from "../review/analysis/permissions.js";
import type { Classification, Confidence, LineReplacement, Provenance, Severity } from "../review/types.js";

/**
 * One rule of the checklist. A check is pure: it reads the analysed PR and the shared facts and
 * reports findings; it never talks to GitHub, the file system or the logger.
 */

export interface CheckContext<MessageId extends string> {
  project: AnalysedProject;
  sem: Semantics;
  config: Config;
  provenance: Provenance;
  classification: Classification;
  report(finding: ReportedFinding<MessageId>): void;
}

export interface ReportedFinding<MessageId extends string> {
  file: AnalysedFile;
  line: number;
  column?: number;
  messageId: MessageId;
  /** Values for the message's `{{placeholders}}`. */
  data?: Record<string, string>;
  /** A concrete fix for this code. */
  fix: string;
  /** The exact lines to replace, where the fix is local. */
  replacement?: LineReplacement;
  /** Overrides the rule's default severity (e.g. critical when the data is regulated). */
  severity?: Severity;
  /** `likely` when the finding rests on name heuristics alone (default `certain`). */
  confidence?: Confidence;
  /** Where the inline comment goes when `line` is not one the diff shows (a guard removed further down). */
  commentLine?: number;
}

/** What a route enforced, in one tree: who may call it, and what holds callers back. */
export interface RouteGuardState {
  authenticated: boolean;
  /** Authenticated only by a verified webhook signature or a shared machine secret. */
  webhookOnly: boolean;
  roleGated: boolean;
  rateLimited: boolean;
  capability: boolean;
  /** The strongest permission the handler itself checks, when every check's strength is known. */
  strength: Strength | undefined;
  /** The permission check that strength comes from, as called (`throwIfNoProjectAccess({ scope: "x:read" })`). */
  strengthCheck: string | undefined;
  /** How many role or permission checks the handler itself makes. */
  permissionChecks: number;
}

/** A guard the base had in front of or inside a route and the head's version lacks (or checks more weakly). */
export interface LostGuard {
  /**
   * What the PR did, for the message: "this PR removed `await rateLimit(…)` (line 8 of the base)",
   * "this PR builds it on `publicProcedure` where the base used `adminProcedure`".
   */
  change: string;
  /** Where the inline comment goes when the route's own line is not one the diff shows: the nearest changed line of the route. */
  commentLine?: number;
}

/** A redirect whose destination the base passed through a check (`sanitizeRedirectPath(…)`) and the head no longer does. */
export interface LostRedirectCheck extends LostGuard {
  /** The head's redirect call, where the finding goes. */
  line: number;
  column: number;
  /** The redirect as written in the head, for the message. */
  sink: string;
}

/** A route of the head that the base also has, in a file the PR changes, with what each tree enforced and what was lost. */
export interface ComparedRoute {
  route: RouteFact;
  /** The head's profile; undefined for a route whose handler the review does not read (a library's). */
  profile: RouteProfile | undefined;
  label: string;
  before: RouteGuardState;
  after: RouteGuardState;
  /** Each guard kind the PR took away, only where what was taken can be named. */
  lost: { auth?: LostGuard; role?: LostGuard; rateLimit?: LostGuard; redirect?: LostRedirectCheck; orgScope?: LostGuard & { call: string } };
}

/** The base version of a PR's routes (PR mode only): what rules that judge a taken-away guard compare. */
export interface RegressionContext<MessageId extends string> extends CheckContext<MessageId> {
  routes: readonly ComparedRoute[];
}

export interface CheckDefinition<MessageId extends string = string> {
  /** Stable id: SARIF ruleId, config key and suppression key. */
  id: string;
  title: string;
  /** The checklist step(s) it enforces. */
  section: string;
  severity: Severity;
  /** One line: what it flags and what the fix looks like. */
  docs: string;
  messages: Record<MessageId, string>;
  /**
   * `change`: the rule judges the PR's change rather than the code (an AI-generated PR's mutations):
   * in PR mode its findings are new on the lines the PR adds or changes, and it is not run on the base.
   * By default a rule judges the code, and a finding is new when the base review does not have it.
   */
  judges?: "change";
  run(context: CheckContext<MessageId>): void;
  /**
   * PR mode: reports what the PR took away from a route the base has (a sign-in, role or rate-limit
   * guard present in the base and gone in the head). Such findings are new whether or not `run`
   * would flag the head route by itself: removing a guard is how most regressions arrive.
   */
  regressed?(context: RegressionContext<MessageId>): void;
}

export function defineCheck<MessageId extends string>(definition: CheckDefinition<MessageId>): CheckDefinition<MessageId> {
  return definition;
}

/** Fills `{{name}}` placeholders. */
export function formatMessage(template: string, data: Record<string, string> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => data[key] ?? `{{${key}}}`);
}

/** Where a route-level finding goes: the route's declaration or registration. */
export function routeSite(route: RouteFact): Pick<ReportedFinding<string>, "file" | "line" | "column"> {
  return { file: route.file, line: route.line, column: route.column };
}

/**
 * Where a finding about a guard the PR took away goes: the route's declaration or registration, and
 * its inline comment on the changed line nearest to what was removed.
 */
export function lostGuardSite(route: RouteFact, lost: LostGuard): Pick<ReportedFinding<string>, "file" | "line" | "column" | "commentLine"> {
  return { ...routeSite(route), ...(lost.commentLine !== undefined ? { commentLine: lost.commentLine } : {}) };
}
