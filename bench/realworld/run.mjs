/**
 * `npm run bench:realworld`: the review on real open-source apps and real security fixes.
 *
 * 1. Precision. Each app in bench/realworld/repos.json is extracted at its pinned commit from a bare
 *    git mirror, reviewed whole with the built CLI (`security-review scan <paths> --format json`),
 *    and its findings are compared with the hand judgements in bench/realworld/labels.json. Printed
 *    per app and in total: findings by severity, critical/high judged true/false/debatable,
 *    precision (true / judged) for critical and for critical+high, critical+high false positives per
 *    thousand lines reviewed, and the critical/high findings nobody has judged yet.
 * 2. Recall. Each fix in ../shared/realworld/advisories.tsv is undone as a PR with
 *    ../shared/realworld/replay.sh and reviewed with `security-review diff --base … --head …`; a case
 *    is found when a new finding from a rule fitting its class lies within 3 lines of the listed line.
 *
 *   npm run bench:realworld                           table on stdout
 *   npm run -s bench:realworld -- --json              one JSON object on stdout (progress on stderr)
 *   npm run bench:realworld -- --only rallly          one app (by name or owner/name) and its fixes, or one case id
 *   npm run bench:realworld -- --no-replay            skip the replayed fixes
 *   npm run bench:realworld -- --no-apps              the replayed fixes only (no app scans)
 *   npm run bench:realworld -- --mirrors DIR          where the mirrors are (default $REALWORLD_MIRRORS or /work/.mirror)
 *   npm run bench:realworld -- --shared DIR           advisories.tsv, cases.tsv, replay.sh (default $REALWORLD_SHARED or ../shared/realworld)
 *   npm run bench:realworld -- --workdir DIR          where trees are extracted and replays built (default $TMPDIR/pr-security-review-realworld)
 *   npm run bench:realworld -- --list-unjudged        print every unjudged critical/high finding, not the first 15 per app
 *
 * A mirror is a bare git directory named owner+name (or owner+name/repo, as the fetch tool lays it
 * out) under the mirrors folder. A missing mirror or commit skips that app or case with a note.
 * Every run also writes bench/results/realworld.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import {
  countLoc,
  matchLabel,
  notAnalysedPath,
  parseCases,
  parseTsv,
  percent,
  replayHit,
  rulesForClass,
  summarize,
  toRepoPath,
  total,
  SEVERITY_ORDER,
} from "./lib.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(HERE, "..", "..");
const CLI = join(PROJECT, "dist", "cli.js");

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const asJson = flag("--json");
const noReplay = flag("--no-replay");
const noApps = flag("--no-apps");
const listAllUnjudged = flag("--list-unjudged");
const only = option("--only");
const MIRRORS = resolve(option("--mirrors") ?? process.env.REALWORLD_MIRRORS ?? "/work/.mirror");
const SHARED = resolve(option("--shared") ?? process.env.REALWORLD_SHARED ?? join(PROJECT, "..", "shared", "realworld"));
const WORKDIR = resolve(option("--workdir") ?? process.env.REALWORLD_WORKDIR ?? join(tmpdir(), "pr-security-review-realworld"));

/**
 * The config every scan runs with: the default rules, with the file cap and the review's time
 * budget at their maxima so a large app is reviewed whole (the defaults, 1,000 files and 60 s, are
 * sized for a PR). Anything still cut is reported under "limits".
 */
const SCAN_CONFIG = "limits:\n  maxFiles: 3000\n  reviewTimeoutMs: 600000\n";
/** The CLI's own cap on files listed by `scan` (src/local/scan.ts), and the config's cap above. */
const SCAN_LISTED_CAP = 5000;
const SCAN_ANALYSED_CAP = 3000;

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const SKIPPED_DIRS = new Set([".git", "node_modules"]);

const progress = (message) => process.stderr.write(`bench:realworld: ${message}\n`);
const out = [];
const print = (line = "") => out.push(line);

/** The bare git directory of a mirror named `owner+name` (or given as owner/name), or undefined. */
function mirrorDir(name) {
  const base = join(MIRRORS, name.replace("/", "+"));
  for (const candidate of [join(base, "repo"), base, `${base}.git`, join(base, ".git")]) {
    if (existsSync(join(candidate, "objects")) && existsSync(join(candidate, "HEAD"))) return candidate;
  }
  return undefined;
}

function hasCommit(gitDir, commit) {
  return spawnSync("git", [`--git-dir=${gitDir}`, "cat-file", "-e", `${commit}^{commit}`]).status === 0;
}

/**
 * Blobs the mirror lacks (a snapshot can leave out large files and Git LFS content): left out of the
 * extracted tree, as `:(exclude)` pathspecs, so `git archive` does not stop at the first one.
 */
function missingBlobs(gitDir, commit) {
  const tree = spawnSync("git", [`--git-dir=${gitDir}`, "ls-tree", "-r", "-z", commit], { maxBuffer: 2 ** 31 - 1, encoding: "utf8" });
  if (tree.status !== 0) throw new Error(`git ls-tree failed: ${tree.stderr.trim()}`);
  const blobs = new Map();
  for (const record of tree.stdout.split("\0")) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(record);
    if (match) blobs.set(match[2], match[1]);
  }
  const check = spawnSync("git", [`--git-dir=${gitDir}`, "cat-file", "--batch-check=%(objectname)"], { input: [...new Set(blobs.values())].join("\n"), maxBuffer: 2 ** 31 - 1, encoding: "utf8" });
  const missing = new Set(check.stdout.split("\n").filter((line) => line.endsWith(" missing")).map((line) => line.split(" ")[0]));
  return [...blobs].filter(([, sha]) => missing.has(sha)).map(([path]) => path);
}

/** The pinned tree, extracted once into the work folder and reused by later runs. */
function extract(gitDir, entry) {
  const dir = join(WORKDIR, "trees", `${entry.name}@${entry.commit.slice(0, 12)}`);
  const marker = join(dir, ".bench-extracted");
  if (existsSync(marker)) return { dir, missing: readFileSync(marker, "utf8").split("\n").slice(1).filter(Boolean) };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const missing = missingBlobs(gitDir, entry.commit);
  const pathspecs = missing.length ? ["--", ".", ...missing.map((p) => `:(exclude,literal)${p}`)] : [];
  const archive = spawnSync("git", [`--git-dir=${gitDir}`, "archive", "--format=tar", entry.commit, ...pathspecs], { maxBuffer: 2 ** 32, stdio: ["ignore", "pipe", "pipe"] });
  if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr.toString().trim()}`);
  const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout, stdio: ["pipe", "ignore", "pipe"], maxBuffer: 1 << 20 });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr.toString().trim()}`);
  writeFileSync(marker, `${entry.commit}\n${missing.join("\n")}\n`);
  return { dir, missing };
}

/** Every file under a folder (checkout-relative, forward slashes), skipping .git and node_modules like `scan`. */
function listFiles(checkout, relPath) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(relative(checkout, abs).split(sep).join("/"));
    }
  };
  const abs = join(checkout, relPath);
  if (statSync(abs).isDirectory()) walk(abs);
  else files.push(relPath);
  return files;
}

/**
 * The scans one app needs: one over all its paths when the CLI's caps hold them, else one per path,
 * a path too large on its own split into its sub-folders. Each split is reported: it loses the
 * cross-file view between the parts.
 */
function planScans(checkout, paths) {
  const fits = (list) => {
    const files = list.flatMap((p) => listFiles(checkout, p));
    return files.length <= SCAN_LISTED_CAP && files.filter((f) => SOURCE.test(f)).length <= SCAN_ANALYSED_CAP;
  };
  if (fits(paths)) return [paths];
  const plan = [];
  const split = (p) => {
    if (fits([p])) return plan.push([p]);
    const abs = join(checkout, p);
    const children = readdirSync(abs, { withFileTypes: true }).filter((e) => !SKIPPED_DIRS.has(e.name));
    const dirs = children.filter((e) => e.isDirectory()).map((e) => `${p}/${e.name}`);
    const files = children.filter((e) => !e.isDirectory()).map((e) => `${p}/${e.name}`);
    if (files.length) plan.push(files);
    for (const d of dirs) split(d);
  };
  for (const p of paths) split(p);
  return plan;
}

/** The folder `scan` takes as its root: the deepest common ancestor of what it was given (src/local/scan.ts). */
function scanRoot(checkout, paths) {
  const dirs = paths.map((p) => (statSync(join(checkout, p)).isDirectory() ? p : dirname(p)).split("/").filter((s) => s && s !== "."));
  let common = dirs[0];
  for (const d of dirs.slice(1)) {
    let i = 0;
    while (i < common.length && i < d.length && common[i] === d[i]) i++;
    common = common.slice(0, i);
  }
  return common.join("/");
}

function runCli(cliArgs, cwd) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [CLI, ...cliArgs], { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  const seconds = (Date.now() - started) / 1000;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`security-review ${cliArgs[0]} exited ${result.status ?? result.signal}: ${(result.stderr || "").trim().split("\n")[0]}`);
  }
  try {
    return { report: JSON.parse(result.stdout), seconds };
  } catch {
    throw new Error(`security-review ${cliArgs[0]} printed no JSON: ${(result.stderr || result.stdout).trim().slice(0, 300)}`);
  }
}

const LIMIT_NOTE = /(\(limits\.|time limit|took longer|past \d+ files|larger than|too large|not listed)/;

function scanRepo(entry, labels) {
  const gitDir = mirrorDir(entry.repo);
  if (!gitDir) return { name: entry.name, repo: entry.repo, skipped: `no mirror of ${entry.repo} under ${MIRRORS} (fetch it as ${entry.repo.replace("/", "+")})` };
  if (!hasCommit(gitDir, entry.commit)) return { name: entry.name, repo: entry.repo, skipped: `commit ${entry.commit} is not in ${gitDir}` };
  progress(`${entry.name}: extracting ${entry.commit.slice(0, 12)}`);
  const { dir: checkout, missing } = extract(gitDir, entry);
  const missingPaths = entry.paths.filter((p) => !existsSync(join(checkout, p)));
  if (missingPaths.length === entry.paths.length) return { name: entry.name, repo: entry.repo, skipped: `none of the paths exist at ${entry.commit}: ${missingPaths.join(", ")}` };
  const paths = entry.paths.filter((p) => !missingPaths.includes(p));
  const configPath = join(WORKDIR, "scan-config.yml");
  writeFileSync(configPath, SCAN_CONFIG);

  const plan = planScans(checkout, paths);
  const notes = missingPaths.map((p) => `path not found at the pinned commit: ${p}`);
  const missingReviewed = missing.filter((m) => paths.some((p) => m === p || m.startsWith(`${p}/`)));
  if (missing.length) notes.push(`${missing.length} blobs absent from the mirror were left out of the tree${missingReviewed.length ? `, ${missingReviewed.length} under the reviewed paths: ${missingReviewed.slice(0, 5).join(", ")}` : " (none under the reviewed paths)"}`);
  if (plan.length > 1) notes.push(`reviewed in ${plan.length} scans (more than ${SCAN_ANALYSED_CAP} source or ${SCAN_LISTED_CAP} files in one): each part sees only its own files`);
  const findings = [];
  const notAnalysed = new Set();
  let seconds = 0;
  const scanned = new Set();
  for (const part of plan) {
    progress(`${entry.name}: scan ${part.length > 3 ? `${part.slice(0, 3).join(" ")} …(${part.length})` : part.join(" ")}`);
    const { report, seconds: s } = runCli(["scan", ...part, "--format", "json", "--config", configPath], checkout);
    seconds += s;
    const root = scanRoot(checkout, part);
    const exists = (p) => existsSync(join(checkout, p));
    for (const f of report.findings) findings.push({ ...f, path: toRepoPath(f.path, root, exists) });
    for (const note of report.notes ?? []) {
      const p = notAnalysedPath(note);
      if (p) notAnalysed.add(toRepoPath(p, root, exists));
      if (LIMIT_NOTE.test(p ? note.slice(p.length) : note)) notes.push(note);
    }
    if (report.incomplete) notes.push(`incomplete: ${typeof report.incomplete === "string" ? report.incomplete : JSON.stringify(report.incomplete)}`);
    for (const p of part) for (const f of listFiles(checkout, p)) scanned.add(f);
  }
  let loc = 0;
  let files = 0;
  for (const f of scanned) {
    if (!SOURCE.test(f) || notAnalysed.has(f)) continue;
    files++;
    loc += countLoc(readFileSync(join(checkout, f), "utf8"));
  }
  const labelled = findings.map((f) => ({ ...f, label: matchLabel(f, entry.repo, labels) }));
  return { name: entry.name, repo: entry.repo, commit: entry.commit, framework: entry.framework, files, loc, seconds, notes, findings: labelled, summary: summarize(labelled, loc) };
}

const fmtRate = (value) => (value === null ? "n/a" : value.toFixed(2));

function printSummary(title, s) {
  print(title);
  print(`  findings: ${SEVERITY_ORDER.filter((k) => s.bySeverity[k]).map((k) => `${k} ${s.bySeverity[k]}`).join(", ") || "none"}`);
  const v = (c) => `true ${c.true}, false ${c.false}, debatable ${c.debatable}, unjudged ${c.unjudged}`;
  print(`  critical:      ${v(s.critical)}   precision ${percent(s.precisionCritical)}`);
  print(`  critical+high: ${v(s.criticalHigh)}   precision ${percent(s.precisionCriticalHigh)}`);
  print(`  critical+high false positives per kLOC: ${fmtRate(s.falsePositivesPerKloc)} (${s.criticalHigh.false} in ${(s.loc / 1000).toFixed(1)} kLOC)`);
}

function printRepo(r) {
  if (r.skipped) {
    print(`${r.name} (${r.repo}): SKIPPED: ${r.skipped}`);
    print();
    return;
  }
  printSummary(`${r.name} (${r.repo} @ ${r.commit.slice(0, 12)}, ${r.framework}): ${r.files} files, ${(r.loc / 1000).toFixed(1)} kLOC, ${r.seconds.toFixed(1)} s`, r.summary);
  for (const note of r.notes.slice(0, 10)) print(`  note: ${note}`);
  if (r.notes.length > 10) print(`  note: … ${r.notes.length - 10} more notes`);
  const unjudged = r.summary.unjudged;
  if (unjudged.length) {
    print(`  unjudged critical/high (${unjudged.length}):`);
    const shown = listAllUnjudged ? unjudged : unjudged.slice(0, 15);
    for (const f of shown) print(`    ${f.severity.padEnd(8)} ${f.ruleId} ${f.path}:${f.line}  ${f.message.replace(/\s+/g, " ").slice(0, 140)}`);
    if (shown.length < unjudged.length) print(`    … ${unjudged.length - shown.length} more (--list-unjudged prints all)`);
  }
  print();
}

function runReplays(entries) {
  const advisories = parseTsv(readFileSync(join(SHARED, "advisories.tsv"), "utf8"));
  const cases = new Map(parseCases(readFileSync(join(SHARED, "cases.tsv"), "utf8")).map((c) => [c.id, c]));
  const replay = join(SHARED, "replay.sh");
  const onlyRepos = only ? new Set(entries.map((e) => e.repo)) : undefined;
  const wanted = advisories.filter((a) => !only || a.id === only || onlyRepos.has(a.repo));
  const results = [];
  for (const advisory of wanted) {
    const base = { id: advisory.id, repo: advisory.repo, class: advisory.class, path: advisory.vulnerable_path, line: Number(advisory.vulnerable_line) };
    const c = cases.get(advisory.id);
    const rules = rulesForClass(advisory.class);
    try {
      if (!c) throw new Error("not in cases.tsv");
      if (rules.length === 0) throw new Error(`no rule is mapped to the class "${advisory.class}"`);
      const gitDir = mirrorDir(c.mirror);
      if (!gitDir) throw new Error(`no mirror ${c.mirror} under ${MIRRORS}`);
      if (!hasCommit(gitDir, c.fix)) throw new Error(`fix commit ${c.fix} is not in the mirror`);
      progress(`replay ${advisory.id}`);
      const workroot = join(WORKDIR, "replays");
      mkdirSync(workroot, { recursive: true });
      const built = spawnSync("bash", [replay, gitDir, c.fix, advisory.id, ...c.paths], { encoding: "utf8", env: { ...process.env, WORKROOT: workroot } });
      if (built.status !== 0) throw new Error(`replay.sh failed: ${(built.stderr || built.stdout).trim().split("\n").pop()}`);
      const field = (name) => new RegExp(`^${name}=(\\S+)`, "m").exec(built.stdout)?.[1];
      const [b, h, workdir] = [field("base"), field("head"), field("workdir")];
      if (!b || !h || !workdir) throw new Error(`replay.sh printed no base/head/workdir`);
      const { report, seconds } = runCli(["diff", "--base", b, "--head", h, "--format", "json"], workdir);
      const hit = replayHit(report.findings, advisory);
      const onFile = report.findings.filter((f) => f.path === advisory.vulnerable_path);
      results.push({
        ...base,
        status: hit ? "found" : "missed",
        seconds,
        hit: hit ? { ruleId: hit.ruleId, severity: hit.severity, line: hit.line } : undefined,
        newFindings: report.findings.filter((f) => f.new).length,
        onFile: onFile.map((f) => ({ ruleId: f.ruleId, severity: f.severity, line: f.line, new: f.new })),
        openQuestions: (report.openQuestions ?? []).length,
        questions: (report.openQuestions ?? []).slice(0, 3),
        fileNotes: (report.notes ?? []).filter((n) => n.includes(advisory.vulnerable_path)),
      });
    } catch (error) {
      results.push({ ...base, status: "not run", reason: error.message });
    }
  }
  return results;
}

function printReplays(results) {
  const ran = results.filter((r) => r.status !== "not run");
  const found = ran.filter((r) => r.status === "found");
  print(`Replayed fixes: ${found.length} of ${ran.length} found (recall ${percent(ran.length ? found.length / ran.length : null)})${results.length > ran.length ? `, ${results.length - ran.length} not run` : ""}`);
  for (const r of results) {
    if (r.status === "found") print(`  found   ${r.id} (${r.class}): ${r.hit.ruleId} ${r.hit.severity} at ${r.path}:${r.hit.line} (listed ${r.line})`);
  }
  for (const r of results) {
    if (r.status !== "missed") continue;
    const near = r.onFile.length ? r.onFile.map((f) => `${f.ruleId}@${f.line}${f.new ? "" : " (not new)"}`).join(", ") : "nothing on that file";
    print(`  missed  ${r.id} (${r.class}, wants ${rulesForClass(r.class).join(" | ")} near ${r.path}:${r.line}): ${near}; ${r.newFindings} new findings in all`);
    for (const note of r.fileNotes) print(`          note: ${note}`);
    if (r.openQuestions) print(`          asked instead (${r.openQuestions}): ${r.questions.map((q) => q.replace(/\s+/g, " ").slice(0, 100)).join(" | ")}`);
  }
  for (const r of results) if (r.status === "not run") print(`  not run ${r.id}: ${r.reason}`);
}

/** The commit the engine was built from: the last one that changed src/ (bench and label commits do not change it), and HEAD. */
function engineCommit() {
  try {
    const git = (gitArgs) => execFileSync("git", gitArgs, { cwd: PROJECT, encoding: "utf8" }).trim();
    const head = git(["rev-parse", "HEAD"]);
    const engine = git(["log", "-1", "--format=%H", "--", "src"]) || head;
    const dirty = git(["status", "--porcelain", "--untracked-files=no", "--", "src"]) !== "";
    return `${engine.slice(0, 12)} (last change to src/; HEAD ${head.slice(0, 12)})${dirty ? " with uncommitted changes to src/" : ""}`;
  } catch {
    return "unknown";
  }
}

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: run npm run build (npm run bench:realworld builds first)`);
  const repos = JSON.parse(readFileSync(join(HERE, "repos.json"), "utf8")).repos;
  const labelsFile = join(HERE, "labels.json");
  const labels = existsSync(labelsFile) ? JSON.parse(readFileSync(labelsFile, "utf8")).labels : [];
  const entries = repos.filter((e) => !only || e.name === only || e.repo === only);
  mkdirSync(WORKDIR, { recursive: true });
  // `--no-apps`: the replays alone (the apps' scans take most of the run).
  const scanned = noApps ? [] : entries;

  const engine = engineCommit();
  print(`Real-world review bench. Engine ${engine}; mirrors ${MIRRORS}`);
  print();
  const results = [];
  for (const entry of scanned) {
    try {
      results.push(scanRepo(entry, labels));
    } catch (error) {
      results.push({ name: entry.name, repo: entry.repo, skipped: `scan failed: ${error.message}` });
    }
    printRepo(results[results.length - 1]);
  }
  const reviewed = results.filter((r) => !r.skipped);
  const all = total(reviewed);
  if (reviewed.length > 1 || (entries.length === 0 && !noApps)) printSummary(`TOTAL over ${reviewed.length} apps (${results.length - reviewed.length} skipped)`, all);
  if (reviewed.length) {
    const rows = reviewed.map((r) => `  ${r.name.padEnd(14)} crit ${String(r.summary.bySeverity.critical).padStart(4)}  high ${String(r.summary.bySeverity.high).padStart(4)}  judged ${String(r.summary.criticalHigh.true + r.summary.criticalHigh.false + r.summary.criticalHigh.debatable).padStart(4)}  P(crit) ${percent(r.summary.precisionCritical).padStart(4)}  P(crit+high) ${percent(r.summary.precisionCriticalHigh).padStart(4)}  FP/kLOC ${fmtRate(r.summary.falsePositivesPerKloc).padStart(5)}  unjudged ${r.summary.unjudged.length}`);
    print();
    print("Per app:");
    for (const row of rows) print(row);
  }
  print();

  let replays = [];
  if (!noReplay) {
    replays = runReplays(entries);
    printReplays(replays);
  }

  const strip = (r) => (r.skipped ? r : { ...r, findings: r.findings.map(({ label, ...f }) => ({ ...f, verdict: label?.verdict })), summary: { ...r.summary, unjudged: r.summary.unjudged.map((f) => `${f.severity} ${f.ruleId} ${f.path}:${f.line}`) } });
  const json = {
    engine,
    mirrors: MIRRORS,
    repos: results.map(strip),
    total: { ...all, unjudged: all.unjudged.length },
    replays: noReplay ? undefined : { found: replays.filter((r) => r.status === "found").length, ran: replays.filter((r) => r.status !== "not run").length, cases: replays },
  };
  mkdirSync(join(PROJECT, "bench", "results"), { recursive: true });
  writeFileSync(join(PROJECT, "bench", "results", "realworld.json"), `${JSON.stringify(json, null, 2)}\n`);
  if (asJson) {
    const compact = { ...json, repos: json.repos.map((r) => (r.skipped ? r : { ...r, findings: undefined })) };
    process.stdout.write(`${JSON.stringify(compact)}\n`);
  } else process.stdout.write(`${out.join("\n")}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench:realworld: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
