import type { Finding } from "../review/types.js";
import { codeFence, codeSpan } from "./markdown.js";

/**
 * How checked fixes appear in what the app posts: the fence language of a file's code, and the
 * "Suggested diffs" section of the threat-model comment (unified diffs against the head, one per
 * finding whose replacement passed review/fix-check.ts).
 */

/** The fence language for code of the file at `path`, so a sample reads in the file's own language. */
export function fenceLanguageOf(path: string): string {
  if (/\.(tsx?|mts|cts)$/i.test(path)) return "ts";
  if (/\.(jsx?|mjs|cjs)$/i.test(path)) return "js";
  if (/\.sql$/i.test(path)) return "sql";
  return "";
}

/** At most this many diffs in the comment; the rest are in the harden plan. */
export const MAX_SUGGESTED_DIFFS = 15;

/**
 * The section's lines, or none when no finding has a checked diff. Each diff is fenced as `diff`
 * so it renders as one, and is exactly what `git apply` takes.
 */
export function renderSuggestedDiffs(findings: readonly Finding[]): string[] {
  const withDiff = findings.filter((f) => f.diff);
  if (withDiff.length === 0) return [];
  const out = ["### Suggested diffs"];
  for (const f of withDiff.slice(0, MAX_SUGGESTED_DIFFS)) out.push(`${codeSpan(f.path)} (${codeSpan(f.ruleId, 100)}):`, codeFence(f.diff!.replace(/\n$/, ""), "diff"));
  if (withDiff.length > MAX_SUGGESTED_DIFFS) out.push(`… and ${withDiff.length - MAX_SUGGESTED_DIFFS} more: \`/security harden\` posts them all as one plan.`);
  out.push("");
  return out;
}
