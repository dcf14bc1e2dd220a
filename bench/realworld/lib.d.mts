/** Types of bench/realworld/lib.mjs for the unit tests. */
export interface BenchFinding {
  ruleId: string;
  severity: string;
  path: string;
  line: number;
  new?: boolean;
  label?: Label | undefined;
  [key: string]: unknown;
}
export interface Label {
  repo: string;
  rule: string;
  path: string;
  line: number;
  verdict: "true" | "false" | "debatable";
  reason: string;
}
export interface VerdictCounts {
  true: number;
  false: number;
  debatable: number;
  unjudged: number;
}
export interface Summary {
  loc: number;
  bySeverity: Record<string, number>;
  critical: VerdictCounts;
  criticalHigh: VerdictCounts;
  precisionCritical: number | null;
  precisionCriticalHigh: number | null;
  falsePositivesPerKloc: number | null;
  unjudged: BenchFinding[];
}
export interface Advisory {
  class: string;
  vulnerable_path: string;
  vulnerable_line: string | number;
}
export const SEVERITY_ORDER: string[];
export const LABEL_LINE_TOLERANCE: number;
export const REPLAY_LINE_TOLERANCE: number;
export const CLASS_RULES: Record<string, string[]>;
export function rulesForClass(cls: string): string[];
export function matchLabel(finding: Pick<BenchFinding, "ruleId" | "path" | "line">, repo: string, labels: Label[], tolerance?: number): Label | undefined;
export function precision(counts: Omit<VerdictCounts, "unjudged">): number | null;
export function perKloc(count: number, loc: number): number | null;
export function summarize(findings: BenchFinding[], loc: number): Summary;
export function total(repos: { findings: BenchFinding[]; loc: number }[]): Summary;
export function replayHit<F extends Pick<BenchFinding, "ruleId" | "path" | "line" | "new">>(findings: F[], advisory: Advisory, tolerance?: number): F | undefined;
export function parseTsv(text: string): Record<string, string>[];
export function parseCases(text: string): { id: string; mirror: string; fix: string; paths: string[] }[];
export function toRepoPath(printed: string, rootRelative: string, exists: (path: string) => boolean): string;
export function countLoc(text: string): number;
export function notAnalysedPath(note: string): string | undefined;
export function percent(value: number | null): string;
