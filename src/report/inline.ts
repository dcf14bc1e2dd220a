import parseDiff from "parse-diff";
import { atLeast, severityRank, type Finding, type Severity } from "../review/types.js";

/** Hidden in every inline comment body so a later push can tell which findings were already raised. */
const FINGERPRINT_PATTERN = /<!-- security-review:fingerprint=([^\s>]+) -->/;
const OUTDATED_MARKER = "<!-- security-review:outdated -->";

export interface InlineComment {
  path: string;
  /** Last line of the comment (the finding's line, or the end of the suggested replacement). */
  line: number;
  side: "RIGHT";
  start_line?: number;
  start_side?: "RIGHT";
  body: string;
  fingerprint: string;
}

export interface InlinePlan {
  comments: InlineComment[];
  /** Findings that qualified but were over the cap or off the diff: listed in the threat-model comment. */
  overflow: Finding[];
}

export interface InlinePlanOptions {
  minSeverity: Severity;
  maxComments: number;
  /** Fingerprints already raised by earlier reviews of this PR. */
  alreadyCommented: ReadonlySet<string>;
  /** Per path, the head-side lines that appear in the diff (GitHub rejects comments elsewhere). */
  commentableLines: ReadonlyMap<string, ReadonlySet<number>>;
}

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- security-review:fingerprint=${encodeURIComponent(fingerprint)} -->`;
}

/** The fingerprint hidden in one of our comment bodies, if any. */
export function readFingerprint(body: string): string | undefined {
  const match = FINGERPRINT_PATTERN.exec(body);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

export function isMarkedOutdated(body: string): boolean {
  return body.includes(OUTDATED_MARKER);
}

/** The body of a comment whose finding is gone but whose thread could not be resolved. */
export function renderOutdatedBody(body: string, headSha: string): string {
  return `${OUTDATED_MARKER}\n> **Outdated:** this finding is no longer present at \`${headSha}\`.\n\n${body}`;
}

/** Head-side line numbers present in a GitHub `patch` (added and context lines). */
export function commentableLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>();
  if (!patch) return lines;
  for (const file of parseDiff(patch)) {
    for (const chunk of file.chunks) {
      for (const change of chunk.changes) {
        if (change.type === "add") lines.add(change.ln);
        else if (change.type === "normal") lines.add(change.ln2);
      }
    }
  }
  return lines;
}

const SEVERITY_BADGE: Record<Severity, string> = { critical: "🔴 Critical", high: "🟠 High", medium: "🟡 Medium", low: "⚪ Low" };

function fence(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
  return "`".repeat(longest + 1);
}

export function renderInlineCommentBody(finding: Finding, withSuggestion: boolean): string {
  const lines = [`**${SEVERITY_BADGE[finding.severity]} · \`${finding.ruleId}\`**`, "", finding.message, "", `**Fix:** ${finding.fix}`];
  if (finding.replacement) {
    const marks = fence(finding.replacement.text);
    lines.push("", withSuggestion ? `${marks}suggestion` : `${marks}ts`, finding.replacement.text, marks);
  }
  lines.push("", fingerprintMarker(finding.fingerprint));
  return lines.join("\n");
}

function everyLineCommentable(lines: ReadonlySet<number> | undefined, start: number, end: number): boolean {
  if (!lines) return false;
  for (let line = start; line <= end; line++) if (!lines.has(line)) return false;
  return true;
}

function bySeverityThenLocation(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.path.localeCompare(b.path) || a.line - b.line;
}

/**
 * Which new findings get an inline comment: at or above `minSeverity`, not raised before, on a
 * diff line, at most `maxComments` (most severe first). The rest that qualified are overflow.
 */
export function planInlineComments(findings: readonly Finding[], options: InlinePlanOptions): InlinePlan {
  const comments: InlineComment[] = [];
  const overflow: Finding[] = [];
  const seen = new Set(options.alreadyCommented);
  const eligible = findings.filter((finding) => finding.new && finding.confidence === "certain" && atLeast(finding.severity, options.minSeverity)).sort(bySeverityThenLocation);
  for (const finding of eligible) {
    if (seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    const lines = options.commentableLines.get(finding.path);
    if (comments.length >= options.maxComments || !lines?.has(finding.line)) {
      overflow.push(finding);
      continue;
    }
    const replacement = finding.replacement;
    const suggest = replacement !== undefined && everyLineCommentable(lines, replacement.startLine, replacement.endLine);
    const comment: InlineComment = { path: finding.path, line: finding.line, side: "RIGHT", body: renderInlineCommentBody(finding, suggest), fingerprint: finding.fingerprint };
    if (suggest) {
      comment.line = replacement.endLine;
      if (replacement.startLine < replacement.endLine) {
        comment.start_line = replacement.startLine;
        comment.start_side = "RIGHT";
      }
    }
    comments.push(comment);
  }
  return { comments, overflow };
}
