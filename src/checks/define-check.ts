import type { Config } from "../config/schema.js";
import type { AnalysedFile, AnalysedProject } from "../review/analysis/project.js";
import type { Semantics } from "../review/analysis/semantics.js";
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
}

export function defineCheck<MessageId extends string>(definition: CheckDefinition<MessageId>): CheckDefinition<MessageId> {
  return definition;
}

/** Fills `{{name}}` placeholders. */
export function formatMessage(template: string, data: Record<string, string> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => data[key] ?? `{{${key}}}`);
}
