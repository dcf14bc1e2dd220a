import { CHECKS } from "../checks/index.js";
import type { ChecklistStep, NotAnalysedFile, Review } from "../review/types.js";
import { codeSpan } from "./markdown.js";

/**
 * What the checklist covered on a PR: the coverage line that ends the threat model, and the short
 * answer for a PR the checklist does not apply to. Pure functions of the review.
 */

/** The nine steps of the checklist, as the rules' `section` numbers them. */
export const CHECKLIST_STEPS: readonly { step: ChecklistStep; label: string }[] = [
  { step: 1, label: "data classification" },
  { step: 2, label: "threat surface walk" },
  { step: 3, label: "KMS encryption of regulated fields" },
  { step: 4, label: "BAA before PHI leaves" },
  { step: 5, label: "auth, roles, tenants and admin clients" },
  { step: 6, label: "shared rate limiting" },
  { step: 7, label: "AI-generated code gates" },
  { step: 8, label: "no PII in logs" },
  { step: 9, label: "request-ID propagation" },
];

export type StepStatus = "checked" | "not-applicable" | "open";

export interface StepCoverage {
  step: ChecklistStep;
  label: string;
  status: StepStatus;
}

/** The steps each rule enforces, from its `section` ("2, 5 (auth at the entry point)"); a rule the seed gave as an example (safeNext, logAdminAction) belongs to the surface walk. */
const STEPS_OF_RULE: ReadonlyMap<string, readonly ChecklistStep[]> = new Map(
  CHECKS.map((check) => {
    const numbers = /^\s*(\d(?:\s*,\s*\d)*)/.exec(check.section)?.[1];
    const steps = numbers ? numbers.split(",").map((n) => Number(n.trim()) as ChecklistStep) : [2 as ChecklistStep];
    return [check.id, steps] as const;
  }),
);

/** The files the review would have analysed but did not (a limit, an unreadable file): the gaps a reader must know of. */
export function inScopeNotAnalysed(review: Review): NotAnalysedFile[] {
  return review.notAnalysed.filter((file) => !file.outOfScope);
}

/**
 * Which of the nine steps the engine checked on this PR, which do not apply (the PR has nothing
 * the step is about), and which are left open: a question the code could not settle, a finding that
 * rests on names alone, a rule that did not run, or a part of the PR a limit kept out.
 */
export function checklistCoverage(review: Review): StepCoverage[] {
  const reach = review.reach;
  const analysed = review.analysed.length > 0;
  const open = new Set<ChecklistStep>(reach?.questionSteps ?? []);
  for (const finding of review.findings) if (finding.confidence === "likely") for (const step of STEPS_OF_RULE.get(finding.ruleId) ?? []) open.add(step);
  for (const rule of reach?.rulesNotRun ?? []) for (const step of STEPS_OF_RULE.get(rule) ?? []) open.add(step);
  const regulated = review.classification.tier === "regulated";
  const applies: Record<ChecklistStep, boolean> = reach
    ? {
        1: analysed,
        2: analysed,
        3: regulated || reach.crypto,
        4: reach.messaging > 0,
        5: reach.entryPoints > 0 || reach.auth || reach.dataAccess > 0 || reach.requestChain,
        6: reach.entryPoints > 0,
        7: review.provenance.aiGenerated || reach.modelCalls > 0,
        8: reach.logCalls > 0,
        // Routes without the middleware or bootstrap they run behind in view: propagation is not verified.
        9: reach.requestChain || reach.entryPoints > 0,
      }
    : { 1: analysed, 2: analysed, 3: analysed, 4: analysed, 5: analysed, 6: analysed, 7: analysed, 8: analysed, 9: analysed };
  if (reach) {
    if (regulated && reach.messaging > 0) open.add(4);
    if (!reach.requestChain && reach.entryPoints > 0) open.add(9);
    if (review.verdict === "needs-human-review") open.add(7);
  }
  return CHECKLIST_STEPS.map(({ step, label }) => {
    if (!applies[step]) return { step, label, status: "not-applicable" };
    // Without the facts of what the PR reaches, or with part of it not analysed, a step is not settled.
    const settled = reach !== undefined && !review.incomplete && !open.has(step);
    return { step, label, status: settled ? "checked" : "open" };
  });
}

const STATUS_MARK: Record<StepStatus, string> = { checked: "✅", open: "❓", "not-applicable": "➖" };

/** The line that ends the threat model, so that "no issues" never reads as "everything was verified". */
export function renderCoverageLine(review: Review): string {
  const steps = checklistCoverage(review)
    .map((entry) => `${STATUS_MARK[entry.status]} ${entry.step} ${entry.label}`)
    .join(" · ");
  return `**Checklist coverage:** ${steps} (✅ checked by the engine on this PR, ❓ open: not settled by the code, a reviewer must confirm, ➖ not applicable to this PR).`;
}

/**
 * A PR the checklist does not apply to: it completed, found nothing, and its code reaches no entry
 * point, data access, outbound call, auth, crypto, logging of data, request chain or classified
 * field, deletes no source file, and left no file the review would read unanalysed.
 */
export function tooSmallForChecklist(review: Review): boolean {
  const reach = review.reach;
  if (!reach || review.verdict !== "pass" || review.incomplete) return false;
  if (review.findings.length > 0 || (review.fixed?.length ?? 0) > 0 || review.suppressions.length > 0 || review.openQuestions.length > 0) return false;
  if (inScopeNotAnalysed(review).length > 0 || review.classification.evidence.length > 0) return false;
  return (
    reach.entryPoints === 0 &&
    reach.dataAccess === 0 &&
    reach.migrations === 0 &&
    reach.egress === 0 &&
    !reach.auth &&
    !reach.crypto &&
    !reach.dataLogs &&
    !reach.requestChain &&
    reach.removedSources === 0
  );
}

const FILE_KINDS: readonly { kind: string; plural: string; test: RegExp }[] = [
  { kind: "test file", plural: "test files", test: /(^|\/)(__tests__|__mocks__|tests?|spec|e2e|cypress|playwright)\/|\.(test|spec|stories)\.[cm]?[jt]sx?$/i },
  { kind: "documentation file", plural: "documentation files", test: /\.(md|mdx|markdown|rst|txt|adoc)$|(^|\/)(LICENSE|CHANGELOG|NOTICE|AUTHORS)[^/]*$/i },
  { kind: "stylesheet", plural: "stylesheets", test: /\.(css|scss|sass|less|styl|pcss)$/i },
  { kind: "image, font or media file", plural: "images, fonts and media files", test: /\.(svg|png|jpe?g|gif|webp|avif|ico|bmp|woff2?|ttf|otf|eot|mp3|mp4|webm|pdf)$/i },
  { kind: "lock file", plural: "lock files", test: /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?)$/ },
  { kind: "config file", plural: "config files", test: /\.(json|jsonc|ya?ml|toml|ini)$|(^|\/)\.[^/]+$/i },
];

/** "2 documentation files and 1 stylesheet". */
function describeKinds(paths: readonly string[], analysed: ReadonlySet<string>): string {
  const counts = new Map<string, { one: string; many: string; count: number }>();
  for (const path of paths) {
    const kind = analysed.has(path) ? { kind: "source file", plural: "source files" } : (FILE_KINDS.find((entry) => entry.test.test(path)) ?? { kind: "other file", plural: "other files" });
    const entry = counts.get(kind.kind) ?? { one: kind.kind, many: kind.plural, count: 0 };
    entry.count++;
    counts.set(kind.kind, entry);
  }
  const parts = [...counts.values()].map((entry) => `${entry.count} ${entry.count === 1 ? entry.one : entry.many}`);
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

const MAX_NAMED_FILES = 3;

/**
 * The short answer, in two sentences: what was looked at, and why the checklist does not apply.
 * Paths are the PR's own text: code spans only.
 */
export function shortAnswerSentences(review: Review): string[] {
  const paths = [...new Set([...review.analysed, ...review.notAnalysed.map((file) => file.path)])];
  const analysed = new Set(review.analysed);
  const named = paths.slice(0, MAX_NAMED_FILES).map((path) => codeSpan(path));
  const more = paths.length - named.length;
  const list = more > 0 ? `${named.join(", ")} and ${more} more` : named.length > 1 ? `${named.slice(0, -1).join(", ")} and ${named.at(-1)}` : (named[0] ?? "");
  const looked = paths.length === 0 ? "This PR changes no file the review reads (it only deletes files outside its scope)." : `This PR changes ${describeKinds(paths, analysed)}: ${list}.`;
  const why =
    analysed.size > 0
      ? "Its code adds or changes no entry point, data access, outbound call, auth, crypto, logging of data or classified field, so the security checklist does not apply."
      : `${paths.length === 1 ? "It is not" : "None of them is"} code the review analyses (tests, documentation, styles and assets are outside its scope), so ${paths.length === 1 ? "it cannot" : "none can"} add an entry point, data access, outbound call, auth, crypto, logging of data or classified field: the security checklist does not apply.`;
  return [looked, why];
}
