/** Plain-data results of a review: what the reporters render and the edges post. */

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

export const TIERS = ["public", "internal", "sensitive", "regulated"] as const;
export type Tier = (typeof TIERS)[number];

export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** A replacement of whole lines `startLine..endLine` (1-based, inclusive) by `text` (no trailing newline). */
export interface LineReplacement {
  startLine: number;
  endLine: number;
  text: string;
}

export interface Finding {
  ruleId: string;
  /** The rule's message id and placeholder data, so tests assert meaning rather than prose. */
  messageId: string;
  data: Record<string, string>;
  severity: Severity;
  /** Path relative to the repository or scanned root. */
  path: string;
  /** 1-based line of the offending call or declaration. */
  line: number;
  column: number;
  message: string;
  /** A concrete fix, in prose (may contain inline code). */
  fix: string;
  /**
   * Where the fix is local: the exact lines to replace (rendered as a GitHub `suggestion`). Set only
   * when the patched file parses and every name the lines use exists there (review/fixes.ts).
   */
  replacement?: LineReplacement;
  /** The replacement as a unified diff against the head (`git apply` takes it). */
  diff?: string;
  /**
   * A replacement that parses but uses names the file does not have yet (a helper to import or
   * write): not offered as a suggestion; the harden plan adds what it needs.
   */
  draft?: { replacement: LineReplacement; needs: string[] };
  /**
   * True when the PR introduces it. In PR mode the base is reviewed too and a finding is new when the
   * base review does not have its fingerprint; without a base (`scan`) everything is new; a snapshot
   * that carries no base falls back to the finding lying on a line the PR adds or changes.
   */
  new: boolean;
  /**
   * Where the inline comment goes when that is not `line`: a finding that is new because the PR took
   * something away (a guard) sits on a line the PR did not touch, so its comment goes on the nearest
   * line of the same function that the diff shows.
   */
  commentLine?: number;
  /**
   * `certain`: what the finding rests on was recognised through resolved imports and read code;
   * `likely`: it rests on name heuristics alone (a query on a client from a module the review did
   * not read). Likely findings are reported but never fail the check.
   */
  confidence: Confidence;
  /**
   * Stable across pushes and edits: rule, path, the enclosing function and the kind of call (see
   * review/fingerprint.ts), never the line. The base and head reviews are compared by it.
   */
  fingerprint: string;
  /** The trimmed source line, for fingerprints and reports (never logged). */
  snippet: string;
}

export interface Suppression {
  ruleId: string;
  path: string;
  line: number;
  reason?: string;
}

export interface FieldEvidence {
  /** The name as written (`insuranceMemberId`, `date_of_birth`). */
  name: string;
  path: string;
  line: number;
  /** Where it was seen: `type`, `zod`, `prisma`, `sql`, `storage-write`, `request-body`, … */
  source: string;
  /** The owning object or table, when known (`Patient`, `patients`). */
  owner?: string;
}

export interface ClassifiedField extends FieldEvidence {
  tier: Tier;
  /** The data type it matched (`ssn`, `diagnosis`, `email`), and its category. */
  dataType: string;
  category: string;
  /** Why this tier, in a few words (e.g. "free text on a patient record: one tier higher"). */
  reason: string;
}

export interface Classification {
  tier: Tier;
  /** The fields that decide the tier, highest first. */
  evidence: ClassifiedField[];
  /** Regulations that apply at this tier, e.g. HIPAA, GLBA/PCI DSS, state SSN laws. */
  regulations: string[];
}

export interface ThreatSurface {
  ingress: string;
  authz: string;
  mutation: string;
  egress: string;
  ai: string;
}

export interface NotAnalysedFile {
  path: string;
  reason: string;
  /**
   * A limit (size, file count, nesting, line length, time) kept a source file of the review from
   * being read in full, or its content read as binary: the review is incomplete. Not set for files it
   * never reads (other languages, configured exclusions, deletions).
   */
  limit?: boolean;
  /**
   * The review never reads this file, whatever the limits: another language (styles, images,
   * documentation, lock files) or a path the config excludes (tests, scripts, generated code).
   */
  outOfScope?: boolean;
}

export type Confidence = "certain" | "likely";

/** A step of the security checklist, numbered as the rules' `section` numbers them. */
export type ChecklistStep = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/**
 * What the PR's own analysed code reaches, counted (context files left out): which checklist steps
 * apply to this PR, and whether the PR is too small for the checklist at all.
 */
export interface Reach {
  /** Route handlers, server actions and procedures. */
  entryPoints: number;
  /** Database reads and writes. */
  dataAccess: number;
  migrations: number;
  /** Email, SMS, model and outbound HTTP calls. */
  egress: number;
  /** Email and SMS sends: what a BAA must cover. */
  messaging: number;
  modelCalls: number;
  /** An auth, role or admin check, JWT handling or an admin (service-role) client. */
  auth: boolean;
  /** An encrypt or decrypt call. */
  crypto: boolean;
  logCalls: number;
  /** A log call given more than literal text: data reaches the logs. */
  dataLogs: boolean;
  /** A file every request passes through: Next.js middleware, or a server bootstrap with its global middleware. */
  requestChain: boolean;
  /** Source files in scope that the PR deletes (a deleted middleware or guard module changes who can reach what). */
  removedSources: number;
  /** Checklist steps of the open questions: what the code could not settle there. */
  questionSteps: ChecklistStep[];
  /** Rules that did not run on this PR: turned off by the config, stopped by the time limit, or failed on too-deep code. */
  rulesNotRun: string[];
}

export interface Baseline {
  /** `compared`: the base was reviewed and findings are new only when the base lacks them; `unavailable`: everything counts as new. */
  state: "compared" | "unavailable";
  /** Head paths whose base version could not be reviewed, with why: their findings count as new. */
  uncompared: { path: string; reason: string }[];
}

export type Verdict = "pass" | "fail" | "needs-human-review" | "not-run";

export interface Provenance {
  aiGenerated: boolean;
  /** Human-readable descriptions of each matched signal (`label "ai-generated"`, `trailer Co-authored-by: Copilot`). */
  signals: string[];
}

export interface Review {
  verdict: Verdict;
  /** Why the review did not run (`not-run`), e.g. an invalid config. */
  notRunReason?: string;
  /**
   * Why part of the review did not run: checks the time limit stopped, or that code nested too deep
   * made overflow. A `pass` then concludes the check run `neutral` with this reason, never `success`:
   * a limit must not read as a clean review.
   */
  incomplete?: string;
  repo: string;
  number?: number;
  headSha?: string;
  title: string;
  restatedRequest: string;
  classification: Classification;
  surface: ThreatSurface;
  provenance: Provenance;
  findings: Finding[];
  /**
   * PR mode: findings of the base review that the head no longer has: fixed by this PR. Their `path`
   * and `line` are the base's. Absent when there was no base to compare with.
   */
  fixed?: Finding[];
  /** PR mode: how the head was compared with the base (see review/differential.ts). */
  baseline?: Baseline;
  suppressions: Suppression[];
  openQuestions: string[];
  notAnalysed: NotAnalysedFile[];
  /** Paths that were analysed. */
  analysed: string[];
  notes: string[];
  /** What the analysed code reaches; absent when the review did not run or could not describe it. */
  reach?: Reach;
}
