import { LRUCache } from "lru-cache";
import type { ts } from "ts-morph";
import { applyReplacement, checkReplacement, checkReplacementsTogether, sampleForLanguage, type FixCheck } from "./fix-check.js";
import { unifiedDiff } from "./patches.js";
import type { Finding, LineReplacement } from "./types.js";

/**
 * Every fix a check proposes passes here before any reporter sees it. A replacement that parses
 * and uses only names that exist becomes the one-click suggestion and a unified diff against the
 * head; one that parses but needs a name the file lacks is kept as a draft (the harden plan can add
 * the import or helper) and the prose says what to add; one that does not parse is dropped.
 */

export interface SettledFix {
  fix: string;
  replacement?: LineReplacement;
  diff?: string;
  draft?: { replacement: LineReplacement; needs: string[] };
}

function codeList(names: readonly string[]): string {
  const spans = names.map((n) => `\`${n}\``);
  return spans.length > 1 ? `${spans.slice(0, -1).join(", ")} and ${spans[spans.length - 1]}` : (spans[0] ?? "");
}

/** The fix's prose first line and its code sample, the sample written for the file's language. */
function fitSample(fix: string, path: string): string {
  const newline = fix.indexOf("\n");
  if (newline < 0) return fix;
  const first = fix.slice(0, newline);
  const sample = fix.slice(newline + 1).replace(/^\n+/, "");
  const fitted = sampleForLanguage(sample, path);
  return fitted === undefined ? first : `${first}\n\n${fitted}`;
}

/** The note ends the prose, unless the prose ends by introducing its code sample (`…as:`): then it leads. */
function withNote(fix: string, note: string): string {
  const newline = fix.indexOf("\n");
  const first = newline < 0 ? fix : fix.slice(0, newline);
  if (first.trimEnd().endsWith(":")) return `${note} ${fix}`;
  return newline < 0 ? `${fix} ${note}` : `${first} ${note}${fix.slice(newline)}`;
}

/** Samples are few and repeat across findings of one rule: translated once each. */
const samples = new LRUCache<string, string>({ max: 64 });

function fitSampleCached(fix: string, path: string): string {
  if (!fix.includes("\n")) return fix;
  const key = `${/\.(c|m)?jsx?$/i.test(path) ? "js" : "ts"}\0${fix}`;
  let fitted = samples.get(key);
  if (fitted === undefined) {
    fitted = fitSample(fix, path);
    samples.set(key, fitted);
  }
  return fitted;
}

const GATE_NOTE = / ?This file needs [^\n]*? so it is not offered as a one-click suggestion\. ?/;

/** The fix's prose without the note the gate added (for the harden plan, which adds what was missing). */
export function withoutGateNote(fix: string): string {
  return fix.replace(GATE_NOTE, (note) => (note.startsWith(" ") && note.endsWith(" ") ? " " : ""));
}

export function settleFix(path: string, text: string, fix: string, replacement: LineReplacement | undefined, checked?: FixCheck, tree?: ts.SourceFile): SettledFix {
  const prose = fitSampleCached(fix, path);
  if (!replacement) return { fix: prose };
  const check = checked ?? checkReplacement(path, text, replacement, tree);
  if (check.ok) {
    const diff = unifiedDiff({ path, before: text, after: applyReplacement(text, replacement) });
    return { fix: prose, replacement, ...(diff ? { diff } : {}) };
  }
  if (check.parseError) return { fix: prose };
  const names = check.undefinedNames;
  const note = `This file needs ${codeList(names)} before the change compiles (import or define ${names.length === 1 ? "it" : "them"} in scope first), so it is not offered as a one-click suggestion.`;
  return { fix: withNote(prose, note), draft: { replacement, needs: names } };
}

export interface PendingFix {
  finding: Finding;
  path: string;
  text: string;
  replacement: LineReplacement | undefined;
  /** The review's parse of `text`, reused for the names the file already uses undeclared. */
  tree?: ts.SourceFile;
}

/**
 * Settles every fix of a review, a file's replacements checked together with one parse when
 * they can be (a file with many findings is parsed once more, not once per finding).
 */
export function settleFixes(pending: readonly PendingFix[]): void {
  const byPath = new Map<string, PendingFix[]>();
  for (const entry of pending) {
    const entries = byPath.get(entry.path);
    if (entries) entries.push(entry);
    else byPath.set(entry.path, [entry]);
  }
  for (const entries of byPath.values()) {
    const withReplacement = entries.filter((e) => e.replacement);
    const { path, text, tree } = entries[0]!;
    const together = withReplacement.length > 1 ? checkReplacementsTogether(path, text, withReplacement.map((e) => e.replacement!), tree) : undefined;
    for (const entry of entries) {
      const index = withReplacement.indexOf(entry);
      Object.assign(entry.finding, settleFix(entry.path, entry.text, entry.finding.fix, entry.replacement, index >= 0 ? together?.[index] : undefined, entry.tree));
    }
  }
}
