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
  /** Where the fix is local: the exact lines to replace (rendered as a GitHub `suggestion`). */
  replacement?: LineReplacement;
  /** True when the finding lies on an added or changed line of the PR. */
  new: boolean;
  /**
   * `certain`: what the finding rests on was recognised through resolved imports and read code;
   * `likely`: it rests on name heuristics alone (a query on a client from a module the review did
   * not read). Likely findings are reported but never fail the check.
   */
  confidence: Confidence;
  /** Stable across pushes: rule, path and the normalised text of the line. */
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
}

export type Confidence = "certain" | "likely";

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
  suppressions: Suppression[];
  openQuestions: string[];
  notAnalysed: NotAnalysedFile[];
  /** Paths that were analysed. */
  analysed: string[];
  notes: string[];
}
