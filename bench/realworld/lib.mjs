/**
 * The pure pieces of `npm run bench:realworld`: matching findings to hand judgements, the precision and
 * per-kLOC arithmetic, the advisory class → rule map that decides whether a replayed fix was found,
 * and the small parsers the runner needs. No I/O here; bench/realworld/run.mjs does that.
 */

export const SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"];

/** How far (in lines) a finding may sit from a label's line and still be the finding it judged. */
export const LABEL_LINE_TOLERANCE = 2;

/** How far a replayed case's finding may sit from the advisory's listed line. */
export const REPLAY_LINE_TOLERANCE = 3;

/**
 * The rules that fit each advisory class of ../shared/realworld/advisories.tsv. A replayed fix is
 * found when a new finding from one of these rules lands near the listed line.
 * - idor: whichever missing constraint the engine names (owner, role, tenant) is the right comment;
 * - missing-org-context: a cross-tenant read or write by a caller-supplied id is also an ownership
 *   finding when the engine ties the record to no principal at all;
 * - weak-permission: missing-role-check covers "a check too weak for the operation";
 * - unverified-webhook: DESIGN puts an unverified webhook under missing-auth;
 * - missing-rate-limit: a limiter that only lives in memory is the same gap for one instance.
 */
export const CLASS_RULES = {
  idor: ["authz/missing-ownership-check", "authz/missing-role-check", "authz/missing-org-context"],
  "missing-auth": ["ingress/missing-auth"],
  "unverified-webhook": ["ingress/missing-auth"],
  "missing-rate-limit": ["ingress/missing-rate-limit", "ingress/in-memory-rate-limit"],
  "in-memory-limiter": ["ingress/in-memory-rate-limit"],
  "missing-org-context": ["authz/missing-org-context", "authz/missing-ownership-check"],
  "missing-ownership-check": ["authz/missing-ownership-check"],
  "missing-role-check": ["authz/missing-role-check"],
  "weak-permission": ["authz/missing-role-check"],
  "open-redirect": ["redirect/open-redirect"],
  "pii-in-logs": ["logging/pii-in-logs"],
  "jwt-decode": ["auth/jwt-decode-without-verify"],
  "hardcoded-allowlist": ["authz/hardcoded-allowlist"],
  "unfiltered-write": ["mutation/unfiltered-write"],
};

/** The rules fitting an advisory class; empty for a class the map does not know. */
export function rulesForClass(cls) {
  return Object.hasOwn(CLASS_RULES, cls) ? CLASS_RULES[cls] : [];
}

/**
 * The label a finding is judged by: same repo, rule and path, line within ±2; the nearest wins
 * (the first listed on a tie). `undefined` when none fits.
 */
export function matchLabel(finding, repo, labels, tolerance = LABEL_LINE_TOLERANCE) {
  let best;
  let bestDistance = Infinity;
  for (const label of labels) {
    if (label.repo !== repo || label.rule !== finding.ruleId || label.path !== finding.path) continue;
    const distance = Math.abs(Number(label.line) - Number(finding.line));
    if (distance <= tolerance && distance < bestDistance) {
      best = label;
      bestDistance = distance;
    }
  }
  return best;
}

/** true / judged, or null when nothing was judged (printed as "n/a", never as 0% or 100%). */
export function precision(counts) {
  const judged = counts.true + counts.false + counts.debatable;
  return judged === 0 ? null : counts.true / judged;
}

/** False positives per thousand lines, or null when no lines were counted. */
export function perKloc(count, loc) {
  return loc > 0 ? count / (loc / 1000) : null;
}

const emptyVerdicts = () => ({ true: 0, false: 0, debatable: 0, unjudged: 0 });

/**
 * One repository's (or the total's) figures from its findings, each already given its `label` (or
 * none), and the lines of code reviewed. Precision is true / judged (debatable counts as judged,
 * not as true); false positives per kLOC count critical and high `false` verdicts.
 */
export function summarize(findings, loc) {
  const bySeverity = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0]));
  const critical = emptyVerdicts();
  const criticalHigh = emptyVerdicts();
  const unjudged = [];
  for (const finding of findings) {
    bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
    if (finding.severity !== "critical" && finding.severity !== "high") continue;
    const verdict = finding.label ? finding.label.verdict : "unjudged";
    if (!Object.hasOwn(criticalHigh, verdict)) throw new Error(`unknown verdict "${verdict}" in a label for ${finding.path}:${finding.line}`);
    criticalHigh[verdict]++;
    if (finding.severity === "critical") critical[verdict]++;
    if (verdict === "unjudged") unjudged.push(finding);
  }
  return {
    loc,
    bySeverity,
    critical,
    criticalHigh,
    precisionCritical: precision(critical),
    precisionCriticalHigh: precision(criticalHigh),
    falsePositivesPerKloc: perKloc(criticalHigh.false, loc),
    unjudged,
  };
}

/** The figures over several repositories (`{ findings, loc }` each): counts summed, ratios taken on the sums. */
export function total(repos) {
  const findings = [];
  let loc = 0;
  for (const repo of repos) {
    loc += repo.loc;
    findings.push(...repo.findings);
  }
  return summarize(findings, loc);
}

/**
 * Whether a replayed case was found: a finding marked new, from a rule fitting the class, in the
 * vulnerable file, within 3 lines of the listed line. Returns the finding that settles it.
 */
export function replayHit(findings, advisory, tolerance = REPLAY_LINE_TOLERANCE) {
  const rules = rulesForClass(advisory.class);
  const line = Number(advisory.vulnerable_line);
  return findings.find(
    (f) => f.new === true && rules.includes(f.ruleId) && f.path === advisory.vulnerable_path && Math.abs(Number(f.line) - line) <= tolerance,
  );
}

/** Rows of a tab-separated file with a header line, as objects keyed by the header's names. */
export function parseTsv(text) {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines.length === 0) return [];
  const header = lines[0].split("\t");
  return lines.slice(1).map((line) => {
    const cells = line.split("\t");
    const row = Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]));
    return row;
  });
}

/** cases.tsv has no header: id, mirror, fix commit, then optional paths to revert. */
export function parseCases(text) {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => {
      const [id, mirror, fix, ...paths] = line.split("\t");
      return { id, mirror, fix, paths: paths.filter((p) => p !== "") };
    });
}

/**
 * A path the CLI printed relative to the folder it took as its root, made relative to the
 * checkout: the deepest of `rootRelative` and its ancestors under which the file exists, or the
 * path as printed when none does. `exists` is given checkout-relative paths.
 */
export function toRepoPath(printed, rootRelative, exists) {
  const clean = (p) => p.split("/").filter((part) => part !== "" && part !== ".").join("/");
  let dir = clean(rootRelative);
  for (;;) {
    const candidate = dir ? `${dir}/${clean(printed)}` : clean(printed);
    if (exists(candidate)) return candidate;
    if (!dir) break;
    dir = dir.includes("/") ? dir.slice(0, dir.lastIndexOf("/")) : "";
  }
  return clean(printed);
}

/** Lines that are not blank: the "lines of code" the per-kLOC figure divides by. */
export function countLoc(text) {
  let count = 0;
  for (const line of text.split("\n")) if (line.trim() !== "") count++;
  return count;
}

/** The file named by a `notes` entry of the JSON output that says a file was not analysed. */
export function notAnalysedPath(note) {
  const match = /^(.+?): (skipped|not analysed)\b/.exec(note);
  return match ? match[1] : undefined;
}

/** 0.4321 → "43%"; null → "n/a". */
export function percent(value) {
  return value === null ? "n/a" : `${Math.round(value * 100)}%`;
}
