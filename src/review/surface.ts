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
  if (route.kind === "socketio") return `Socket.IO event "${route.event ?? route.urlPath}"`;
  if (route.graphql) return `GraphQL ${route.urlPath.replace(/^graphql /, "")}`;
  return route.kind === "server-action" ? route.urlPath : `${route.method} ${route.urlPath}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Most questions about unread calls one review asks; the rest are counted. */
const MAX_UNREAD_QUESTIONS = 5;

/** A route as the surface names it: plain text, so facts outlive the analysis they came from. */
interface RouteEntry {
  /** Unique within a review: the route's file and label. */
  id: string;
  label: string;
  who: "signed webhook" | "admins" | "role-gated users" | "signed-in users" | "anyone";
  authEndpoint: boolean;
}

/**
 * What the surface is made of, gathered from one analysis: plain data (no syntax trees), so the
 * reviews of a scan's chunks can each gather theirs, merge them ({@link mergeSurfaceFacts}), and
 * render one surface ({@link renderSurface}) after their trees are gone.
 */
export interface SurfaceFacts {
  routes: RouteEntry[];
  /** Unread calls that may guard the routes, by module and name, in the order first met. */
  unreadCalls: { key: string; name: string; module: string; reason: string; routeIds: string[] }[];
  writes: string[];
  reads: string[];
  migrations: string[];
  egressItems: string[];
  /** Email and SMS providers and their kind, in the order first met. */
  providers: [string, string][];
  logCalls: number;
  outbound: number;
  messaging: number;
  modelCalls: number;
  dataLogs: boolean;
  auth: boolean;
  crypto: boolean;
  requestChain: boolean;
}

/** The surface facts of one analysis: the routes, data access and egress of its own (not context) files. */
export function collectSurfaceFacts(project: AnalysedProject, sem: Semantics): SurfaceFacts {
  // A context file's own routes (a layout's load read for its guard) are not what the PR changes.
  const routeFacts = sem.allRoutes().filter((route) => !route.file.context);
  const idOf = (route: RouteFact) => `${route.file.path}\0${routeLabel(route)}\0${route.line}`;
  const routes: RouteEntry[] = routeFacts.map((route) => {
    const guards = sem.routeGuards(route);
    const who = guards.has("webhook") ? "signed webhook" : guards.has("admin") ? "admins" : guards.has("role") ? "role-gated users" : guards.has("auth") ? "signed-in users" : "anyone";
    return { id: idOf(route), label: routeLabel(route), who, authEndpoint: AUTH_ENDPOINT_PATTERN.test(route.urlPath) };
  });
  const byCall = new Map<string, SurfaceFacts["unreadCalls"][number]>();
  for (const route of routeFacts) {
    for (const call of sem.unreadGuardCalls(route)) {
      const key = `${call.module}\0${call.name}`;
      const entry = byCall.get(key) ?? { key, name: call.name, module: call.module, reason: call.reason, routeIds: [] };
      entry.routeIds.push(idOf(route));
      byCall.set(key, entry);
    }
  }

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

  const egressItems: string[] = [];
  const providers = new Map<string, string>();
  const facts = { logCalls: 0, outbound: 0, messaging: 0, modelCalls: 0, dataLogs: false, auth: false, crypto: false, requestChain: false };
  for (const file of project.files) {
    if (file.context) continue;
    facts.requestChain ||= file.facts !== undefined && isRequestChainFile(sem, file);
    for (const call of file.facts?.calls ?? []) {
      const egress = sem.egressOf(file, call);
      if (egress) {
        facts.outbound++;
        egressItems.push(`${egress.kind === "model" ? "model provider" : egress.kind} via ${egress.provider} (${file.path}:${call.line})`);
        if (egress.kind === "email" || egress.kind === "sms") {
          providers.set(egress.provider, egress.kind);
          facts.messaging++;
        }
        if (egress.kind === "model") facts.modelCalls++;
      }
      const logged = sem.loggedCall(file, call);
      if (logged) {
        facts.logCalls++;
        facts.dataLogs ||= logged.args.some((arg) => !isLiteralText(arg));
      }
      facts.auth ||= sem.isAuthCall(file, call) || sem.isAdminCheckCall(file, call) || sem.jwtCall(file, call) !== undefined || sem.isAdminClientCreation(file, call);
      facts.crypto ||= sem.isEncryptCall(file, call) || sem.isDecryptCall(file, call);
    }
  }
  return { routes, unreadCalls: [...byCall.values()], writes, reads, migrations, egressItems, providers: [...providers], ...facts };
}

/** The facts of several analyses (a scan's chunks, in path order) as one analysis would have gathered them. */
export function mergeSurfaceFacts(parts: readonly SurfaceFacts[]): SurfaceFacts {
  const byCall = new Map<string, SurfaceFacts["unreadCalls"][number]>();
  const providers = new Map<string, string>();
  for (const part of parts) {
    for (const call of part.unreadCalls) {
      const entry = byCall.get(call.key);
      if (entry) entry.routeIds.push(...call.routeIds);
      else byCall.set(call.key, { ...call, routeIds: [...call.routeIds] });
    }
    for (const [provider, kind] of part.providers) if (!providers.has(provider)) providers.set(provider, kind);
  }
  return {
    routes: parts.flatMap((part) => part.routes),
    unreadCalls: [...byCall.values()],
    writes: parts.flatMap((part) => part.writes),
    reads: parts.flatMap((part) => part.reads),
    migrations: parts.flatMap((part) => part.migrations),
    egressItems: parts.flatMap((part) => part.egressItems),
    providers: [...providers],
    logCalls: parts.reduce((sum, part) => sum + part.logCalls, 0),
    outbound: parts.reduce((sum, part) => sum + part.outbound, 0),
    messaging: parts.reduce((sum, part) => sum + part.messaging, 0),
    modelCalls: parts.reduce((sum, part) => sum + part.modelCalls, 0),
    dataLogs: parts.some((part) => part.dataLogs),
    auth: parts.some((part) => part.auth),
    crypto: parts.some((part) => part.crypto),
    requestChain: parts.some((part) => part.requestChain),
  };
}

/**
 * One question per unread call that may guard the PR's routes (see `Semantics.unreadGuardCalls`):
 * what it is, why it was not read, which routes rest on it, and the config line that settles it.
 */
function unreadGuardQuestions(facts: SurfaceFacts): { questions: string[]; asked: Set<string> } {
  const labelOf = new Map(facts.routes.map((route) => [route.id, route.label]));
  const questions: string[] = [];
  const asked = new Set<string>();
  const entries = facts.unreadCalls;
  for (const entry of entries.slice(0, MAX_UNREAD_QUESTIONS)) {
    entry.routeIds.forEach((id) => asked.add(id));
    const count = entry.routeIds.length;
    const labels = entry.routeIds.slice(0, 3).map((id) => `\`${labelOf.get(id) ?? id}\``).join(", ") + (count > 3 ? ` and ${count - 3} more` : "");
    questions.push(
      `${labels} ${count === 1 ? "calls" : "call"} \`${entry.name}\` (from \`${entry.module}\`: ${entry.reason}), which the review could not read. Does it authenticate the caller and check their access? If it does, list it under \`functions.auth\` (or \`functions.role\`) in \`.github/security-review.yml\`; if not, the ${count === 1 ? "route needs" : "routes need"} a guard.`,
    );
  }
  if (entries.length > MAX_UNREAD_QUESTIONS) questions.push(`${entries.length - MAX_UNREAD_QUESTIONS} more calls into code the review could not read may guard the PR's routes.`);
  return { questions, asked };
}

export interface SurfaceRenderInput {
  snapshot: Pick<PullRequestSnapshot, "title" | "body">;
  /** The PR's own files (a scan's listed files). */
  changedFiles: number;
  findings: readonly Finding[];
  provenance: Provenance;
  classification: Classification;
}

/** The threat-model prose from the gathered facts, the review's findings and its classification. */
export function renderSurface(facts: SurfaceFacts, input: SurfaceRenderInput): SurfaceDescription {
  const { snapshot, findings, provenance, classification } = input;
  const { routes, writes, reads, migrations } = facts;
  const open: { text: string; step: ChecklistStep }[] = [];
  const ask = (step: ChecklistStep, text: string) => open.push({ text, step });

  // Ingress: who can call what.
  const unauthenticated = routes.filter((route) => route.who === "anyone");
  const ingress = routes.length === 0 ? "No new entry points (no route handlers, server actions or procedures in the analysed files)." : `${plural(routes.length, "entry point")}: ${list(routes.map((route) => `${route.label} (${route.who})`))}.`;
  const unread = unreadGuardQuestions(facts);
  for (const question of unread.questions) ask(5, question);
  for (const route of unauthenticated.slice(0, 3)) {
    if (route.authEndpoint || unread.asked.has(route.id)) continue;
    ask(5, `Is \`${route.label}\` meant to be callable without signing in?`);
  }

  // Mutation: DB writes and migrations.
  const mutationParts: string[] = [];
  if (writes.length > 0) mutationParts.push(`${plural(writes.length, "write")}: ${list(writes, 5)}`);
  if (migrations.length > 0) mutationParts.push(`${plural(migrations.length, "migration")}: ${list(migrations, 3)}`);
  if (writes.length === 0 && reads.length > 0) mutationParts.push(`reads only: ${list(reads, 4)}`);
  const mutation = mutationParts.length > 0 ? `${mutationParts.join("; ")}.` : "No database writes or migrations.";

  // Authz: role gates, admin clients, tenant scoping, as the findings and guards show them.
  const authzParts: string[] = [];
  const roleGated = routes.filter((route) => route.who === "role-gated users").map((route) => route.label);
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
  const egressItems = facts.logCalls > 0 ? [...facts.egressItems, `${plural(facts.logCalls, "log call")}`] : facts.egressItems;
  const egress = egressItems.length > 0 ? `${list(egressItems, 5)}.` : "No email, SMS, model or outbound HTTP calls; responses only.";
  if (classification.tier === "regulated") {
    for (const [provider, kind] of facts.providers) ask(4, `Is a BAA signed with ${provider} before ${kind === "sms" ? "text messages" : "emails"} carry health data?`);
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

  const parts: string[] = [];
  if (routes.length > 0) parts.push(plural(routes.length, "entry point"));
  if (writes.length > 0) parts.push(plural(writes.length, "database write"));
  if (migrations.length > 0) parts.push(plural(migrations.length, "migration"));
  const firstSentence = snapshot.body.split(/(?<=[.!?])\s|\n/).map((s) => s.trim()).find((s) => s.length > 0 && !s.startsWith("#") && !s.startsWith("<!--"));
  const restatedRequest =
    `${snapshot.title.trim() || "This change"}: ${plural(input.changedFiles, "file")} changed` +
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
      egress: facts.outbound,
      messaging: facts.messaging,
      modelCalls: facts.modelCalls,
      auth: facts.auth,
      crypto: facts.crypto,
      logCalls: facts.logCalls,
      dataLogs: facts.dataLogs,
      requestChain: facts.requestChain,
      questionSteps: [...new Set(open.map((question) => question.step))].sort((a, b) => a - b),
    },
  };
}

export function describeSurface(input: SurfaceInput): SurfaceDescription {
  const { snapshot, project, sem } = input;
  return renderSurface(collectSurfaceFacts(project, sem), { ...input, changedFiles: snapshot.files.filter((file) => !file.context).length });
}
