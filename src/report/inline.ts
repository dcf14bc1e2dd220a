import parseDiff from "parse-diff";
import { atLeast, severityRank, type Finding, type Severity } from "../review/types.js";
import { fenceLanguageOf } from "./fixes.js";
import { COMMENT_BODY_BYTES, cutToBytes, fitToBytes, utf8Bytes } from "./limits.js";
import { codeFence, codeSpan, escapeProse } from "./markdown.js";

/**
 * Hidden as the last line of every inline comment body so a later push can tell which findings were
 * already raised. Only a marker in that place counts: one quoted from the PR's code earlier in the
 * body (a suggested replacement) is text, not ours.
 */
const FINGERPRINT_PATTERN = /\r?\n<!-- security-review:fingerprint=([A-Za-z0-9%._~!*'()-]{1,300}) -->\s*$/;
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

/** The fingerprint hidden at the end of one of our comment bodies, if any. */
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
  return body.startsWith(`${OUTDATED_MARKER}\n`);
}

/** The body of a comment whose finding is gone but whose thread could not be resolved. */
export function renderOutdatedBody(body: string, headSha: string): string {
  const prefix = `${OUTDATED_MARKER}\n> **Outdated:** this finding is no longer present at ${codeSpan(headSha, 64)}.\n\n`;
  if (utf8Bytes(prefix + body) <= COMMENT_BODY_BYTES) return prefix + body;
  // Our body was cut to fit already; the marker at its end must survive the prefix.
  const marker = body.slice(body.lastIndexOf("\n<!-- security-review:fingerprint="));
  return `${cutToBytes(prefix + body, COMMENT_BODY_BYTES - utf8Bytes(marker))}${marker}`;
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

/**
 * One inline comment: severity and rule, the message and fix (escaped), the suggested replacement
 * fenced so its content cannot close the fence, and the fingerprint marker as the last line. Cut
 * to GitHub's limit without losing the marker; a suggestion that does not fit is left out whole.
 */
export function renderInlineCommentBody(finding: Finding, withSuggestion: boolean): string {
  const marker = `\n\n${fingerprintMarker(finding.fingerprint)}`;
  const [fixFirst = "", ...fixRest] = finding.fix.replace(/\r\n?/g, "\n").split("\n");
  const lines = [`**${SEVERITY_BADGE[finding.severity]} · ${codeSpan(finding.ruleId, 100)}**`, "", escapeProse(finding.message), "", `**Fix:** ${escapeProse(fixFirst)}`];
  const sample = fixRest.join("\n").replace(/^\n+/, "");
  if (sample) lines.push("", codeFence(sample, fenceLanguageOf(finding.path)));
  const text = lines.join("\n");
  const room = COMMENT_BODY_BYTES - utf8Bytes(marker);
  const suggestion = finding.replacement ? `\n\n${codeFence(finding.replacement.text, withSuggestion ? "suggestion" : fenceLanguageOf(finding.path))}` : "";
  if (utf8Bytes(text + suggestion) <= room) return `${text}${suggestion}${marker}`;
  return `${fitToBytes(text, room, "… cut to fit GitHub's comment limit.")}${marker}`;
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
    // A finding the PR caused by taking something away sits on an untouched line: its comment goes where the diff shows the change.
    const line = finding.commentLine !== undefined && lines?.has(finding.commentLine) ? finding.commentLine : finding.line;
    if (comments.length >= options.maxComments || !lines?.has(line)) {
      overflow.push(finding);
      continue;
    }
    const replacement = finding.replacement;
    const suggest = replacement !== undefined && everyLineCommentable(lines, replacement.startLine, replacement.endLine);
    const comment: InlineComment = { path: finding.path, line, side: "RIGHT", body: renderInlineCommentBody(finding, suggest), fingerprint: finding.fingerprint };
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
