import { ts } from "ts-morph";
import { isRequestChainFile } from "../checks/missing-request-id.js";
import type { PullRequestSnapshot } from "../snapshot.js";
import type { AnalysedProject } from "./analysis/project.js";
import { AUTH_ENDPOINT_PATTERN, type RouteFact, type Semantics } from "./analysis/semantics.js";
import type { ChecklistStep, Classification, Finding, Provenance, Reach, ThreatSurface } from "./types.js";

/**
 * The threat-model prose: a restated request, one line per surface (ingress, authz, mutation,
 * egress, AI path) naming this PR's own routes, writes and providers, and the open questions the
 * code cannot settle.
 */

export interface SurfaceInput {
  snapshot: PullRequestSnapshot;
  project: AnalysedProject;
  sem: Semantics;
  findings: readonly Finding[];
  provenance: Provenance;
  classification: Classification;
}

export interface SurfaceDescription {
  restatedRequest: string;
  surface: ThreatSurface;
  openQuestions: string[];
  /** What the PR's code reaches; the review adds what the scope and the check runs know. */
  reach: Omit<Reach, "removedSources" | "rulesNotRun">;
}

/** The surface as a review holds it: without `reach` when the code could not be described (or for a base review). */
export type MaybeDescribedSurface = Omit<SurfaceDescription, "reach"> & Partial<Pick<SurfaceDescription, "reach">>;

// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isNumericLiteral, isStringLiteralLike } = ts;

/** A log argument that is literal text carries no data: `"sync done"`, a template without substitutions. */
function isLiteralText(arg: ts.Expression): boolean {
  return isStringLiteralLike(arg) || isNumericLiteral(arg);
}

const MAX_LISTED = 6;

function list(items: readonly string[], max = MAX_LISTED): string {
  const unique = [...new Set(items)];
  if (unique.length <= max) return unique.join(", ");
  return `${unique.slice(0, max).join(", ")} and ${unique.length - max} more`;
}

function routeLabel(route: RouteFact): string {
  return route.kind === "server-action" ? route.urlPath : `${route.method} ${route.urlPath}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Most questions about unread calls one review asks; the rest are counted. */
const MAX_UNREAD_QUESTIONS = 5;

/**
 * One question per unread call that may guard the PR's routes (see `Semantics.unreadGuardCalls`):
 * what it is, why it was not read, which routes rest on it, and the config line that settles it.
 */
function unreadGuardQuestions(sem: Semantics, routes: readonly RouteFact[]): { questions: string[]; asked: Set<RouteFact> } {
  const byCall = new Map<string, { name: string; module: string; reason: string; routes: RouteFact[] }>();
  for (const route of routes) {
    for (const call of sem.unreadGuardCalls(route)) {
      const key = `${call.module}\0${call.name}`;
      const entry = byCall.get(key) ?? { name: call.name, module: call.module, reason: call.reason, routes: [] };
      entry.routes.push(route);
      byCall.set(key, entry);
    }
  }
  const questions: string[] = [];
  const asked = new Set<RouteFact>();
  const entries = [...byCall.values()];
  for (const entry of entries.slice(0, MAX_UNREAD_QUESTIONS)) {
    entry.routes.forEach((route) => asked.add(route));
    const labels = entry.routes.slice(0, 3).map((route) => `\`${routeLabel(route)}\``).join(", ") + (entry.routes.length > 3 ? ` and ${entry.routes.length - 3} more` : "");
    questions.push(
      `${labels} ${entry.routes.length === 1 ? "calls" : "call"} \`${entry.name}\` (from \`${entry.module}\`: ${entry.reason}), which the review could not read. Does it authenticate the caller and check their access? If it does, list it under \`functions.auth\` (or \`functions.role\`) in \`.github/security-review.yml\`; if not, the ${entry.routes.length === 1 ? "route needs" : "routes need"} a guard.`,
    );
  }
  if (entries.length > MAX_UNREAD_QUESTIONS) questions.push(`${entries.length - MAX_UNREAD_QUESTIONS} more calls into code the review could not read may guard the PR's routes.`);
  return { questions, asked };
}

export function describeSurface(input: SurfaceInput): SurfaceDescription {
  const { snapshot, project, sem, findings, provenance, classification } = input;
  // A context file's own routes (a layout's load read for its guard) are not what the PR changes.
  const routes = sem.allRoutes().filter((route) => !route.file.context);
  const open: { text: string; step: ChecklistStep }[] = [];
  const ask = (step: ChecklistStep, text: string) => open.push({ text, step });

  // Ingress: who can call what.
  const unauthenticated: RouteFact[] = [];
  const described = routes.map((route) => {
    const guards = sem.routeGuards(route);
    const who = guards.has("webhook") ? "signed webhook" : guards.has("admin") ? "admins" : guards.has("role") ? "role-gated users" : guards.has("auth") ? "signed-in users" : "anyone";
    if (who === "anyone") unauthenticated.push(route);
    return `${routeLabel(route)} (${who})`;
  });
  const ingress = routes.length === 0 ? "No new entry points (no route handlers, server actions or procedures in the analysed files)." : `${plural(routes.length, "entry point")}: ${list(described)}.`;
  const unread = unreadGuardQuestions(sem, routes);
  for (const question of unread.questions) ask(5, question);
  for (const route of unauthenticated.slice(0, 3)) {
    if (AUTH_ENDPOINT_PATTERN.test(route.urlPath) || unread.asked.has(route)) continue;
    ask(5, `Is \`${routeLabel(route)}\` meant to be callable without signing in?`);
  }

  // Mutation: DB writes and migrations.
  const writes: string[] = [];
  const reads: string[] = [];
  for (const file of project.files) {
    if (file.context) continue;
    for (const call of file.facts?.calls ?? []) {
      const op = sem.dbOperation(file, call);
      if (!op) continue;
      const label = `${op.library} ${op.table ? `${op.table.replace(/^['"]|['"]$/g, "")}.` : ""}${op.method} (${file.path}:${call.line})`;
      (op.op === "write" ? writes : reads).push(label);
    }
  }
  const migrations = project.files.filter((f) => f.isMigration).map((f) => f.path);
  const mutationParts: string[] = [];
  if (writes.length > 0) mutationParts.push(`${plural(writes.length, "write")}: ${list(writes, 5)}`);
  if (migrations.length > 0) mutationParts.push(`${plural(migrations.length, "migration")}: ${list(migrations, 3)}`);
  if (writes.length === 0 && reads.length > 0) mutationParts.push(`reads only: ${list(reads, 4)}`);
  const mutation = mutationParts.length > 0 ? `${mutationParts.join("; ")}.` : "No database writes or migrations.";

  // Authz: role gates, admin clients, tenant scoping, as the findings and guards show them.
  const authzParts: string[] = [];
  const roleGated = routes.filter((r) => sem.routeGuards(r).has("role")).map(routeLabel);
  if (roleGated.length > 0) authzParts.push(`role-gated: ${list(roleGated, 4)}`);
  const adminClients = findings.filter((f) => f.ruleId.startsWith("authz/admin-client")).map((f) => `${f.path}:${f.line}`);
  if (adminClients.length > 0) authzParts.push(`service-role client without a guard at ${list(adminClients, 3)}`);
  const missingRole = findings.filter((f) => f.ruleId === "authz/missing-role-check").length;
  if (missingRole > 0) authzParts.push(`${plural(missingRole, "admin operation")} without a role check`);
  const missingOrg = findings.filter((f) => f.ruleId === "authz/missing-org-context").length;
  if (missingOrg > 0) authzParts.push(`${plural(missingOrg, "tenant query")} without an org filter`);
  const missingOwner = findings.filter((f) => f.ruleId === "authz/missing-ownership-check").length;
  if (missingOwner > 0) authzParts.push(`${plural(missingOwner, "route")} reaching a record by a request id without an ownership check`);
  const authz = authzParts.length > 0 ? `${authzParts.join("; ")}.` : routes.length > 0 ? "No role, admin or tenant boundaries are crossed by the analysed routes." : "No authorization paths in the analysed files.";

  // Egress: providers, model calls, outbound HTTP, logs.
  const egressItems: string[] = [];
  const providers = new Map<string, string>();
  let logCalls = 0;
  let outbound = 0;
  let messaging = 0;
  let modelCalls = 0;
  let dataLogs = false;
  let auth = false;
  let crypto = false;
  let requestChain = false;
  for (const file of project.files) {
    if (file.context) continue;
    requestChain ||= file.facts !== undefined && isRequestChainFile(sem, file);
    for (const call of file.facts?.calls ?? []) {
      const egress = sem.egressOf(file, call);
      if (egress) {
        outbound++;
        egressItems.push(`${egress.kind === "model" ? "model provider" : egress.kind} via ${egress.provider} (${file.path}:${call.line})`);
        if (egress.kind === "email" || egress.kind === "sms") {
          providers.set(egress.provider, egress.kind);
          messaging++;
        }
        if (egress.kind === "model") modelCalls++;
      }
      const logged = sem.loggedCall(file, call);
      if (logged) {
        logCalls++;
        dataLogs ||= logged.args.some((arg) => !isLiteralText(arg));
      }
      auth ||= sem.isAuthCall(file, call) || sem.isAdminCheckCall(file, call) || sem.jwtCall(file, call) !== undefined || sem.isAdminClientCreation(file, call);
      crypto ||= sem.isEncryptCall(file, call) || sem.isDecryptCall(file, call);
    }
  }
  if (logCalls > 0) egressItems.push(`${plural(logCalls, "log call")}`);
  const egress = egressItems.length > 0 ? `${list(egressItems, 5)}.` : "No email, SMS, model or outbound HTTP calls; responses only.";
  if (classification.tier === "regulated") {
    for (const [provider, kind] of providers) ask(4, `Is a BAA signed with ${provider} before ${kind === "sms" ? "text messages" : "emails"} carry health data?`);
  }

  // AI path.
  const ai = provenance.aiGenerated
    ? `AI-generated (${provenance.signals.join("; ")}): mutation paths need a human approval of this head.`
    : "Not AI-generated: no label, commit trailer, author or branch signal matched.";

  for (const f of findings.filter((x) => x.ruleId === "authz/missing-role-check" && x.data.route).slice(0, 3)) {
    ask(5, `Which role may call \`${f.data.route}\` (admins only, organisation owners)?`);
  }
  if (classification.regulations.some((r) => /PCI/.test(r))) {
    ask(1, "Must card or bank numbers reach this service at all, or can a tokenised payment-method id replace them (PCI DSS scope)?");
  }
  if (findings.some((f) => f.ruleId === "logging/pii-in-logs")) ask(8, "Where do these logs go, and who can read them (retention, access)?");
  if (findings.some((f) => f.ruleId === "authz/missing-org-context")) ask(5, "Which tables are tenant-scoped, and do their row-level-security policies filter by organisation?");
  if (provenance.aiGenerated && writes.length + migrations.length > 0) ask(7, "Has a maintainer read each mutation path of this AI-generated change?");

  const changed = snapshot.files.filter((file) => !file.context).length;
  const parts: string[] = [];
  if (routes.length > 0) parts.push(plural(routes.length, "entry point"));
  if (writes.length > 0) parts.push(plural(writes.length, "database write"));
  if (migrations.length > 0) parts.push(plural(migrations.length, "migration"));
  const firstSentence = snapshot.body.split(/(?<=[.!?])\s|\n/).map((s) => s.trim()).find((s) => s.length > 0 && !s.startsWith("#") && !s.startsWith("<!--"));
  const restatedRequest =
    `${snapshot.title.trim() || "This change"}: ${plural(changed, "file")} changed` +
    (parts.length > 0 ? `, touching ${parts.join(", ")}` : "") +
    `; data up to ${classification.tier}` +
    (firstSentence ? ` (“${firstSentence.slice(0, 160)}”)` : "") +
    ".";

  return {
    restatedRequest,
    surface: { ingress, authz, mutation, egress, ai },
    openQuestions: open.map((question) => question.text),
    reach: {
      entryPoints: routes.length,
      dataAccess: writes.length + reads.length,
      migrations: migrations.length,
      egress: outbound,
      messaging,
      modelCalls,
      auth,
      crypto,
      logCalls,
      dataLogs,
      requestChain,
      questionSteps: [...new Set(open.map((question) => question.step))].sort((a, b) => a - b),
    },
  };
}
