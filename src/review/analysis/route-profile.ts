import { identifierWords, RATE_LIMIT_NAME_PATTERN } from "./names.js";
import { globMatcher } from "../../config/globs.js";
import { ts } from "ts-morph";
import type { CallFact, FunctionFact } from "./facts.js";
import { chainOf, skipOuterExpressions } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import { NEXT_APP_ROOT } from "../context-files.js";
import { authorizedGuardsOf, guardCovers, guardsOf, requestHookGuards, type HookGuard } from "./request-hooks.js";
import { AUTH_ENDPOINT_PATTERN, handlerOf, type DbOperation, type Egress, type GuardKind, type RouteFact, type Semantics } from "./semantics.js";
import { mentionsName, orTerms, returnsOrThrows, walk } from "./nodes.js";
import { filtersByPrincipal, isPerUserTable } from "./ownership.js";
import { unfilteredWrite } from "./writes.js";
import { callersOf, intersect, paramRouterGuards } from "./mounts.js";
import { callerOwnWrite, roleFromCallerRecord } from "./permissions.js";
import { addsRowsOnly, publicationGatedRead } from "./open-by-design.js";
import { describeLaunch, requestLaunchedProcess, type ProcessLaunch } from "./process-launch.js";
import { nestInputParameter, nestPublicByDesign } from "../frameworks/nestjs.js";

// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isBinaryExpression, isIfStatement, isArrayLiteralExpression, isArrowFunction, isCallExpression, isFunctionExpression, isIdentifier, isMethodDeclaration, isNewExpression, isComputedPropertyName, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isStringLiteralLike } = ts;

/**
 * What a route does, computed once per route and shared by the ingress and authz rules: who it lets
 * in, what it reads, writes and sends, whether it takes input, is rate-limited or audited, and
 * whether it is public by design (auth endpoints, public forms, configured public routes).
 */

export interface ReachedCall {
  file: AnalysedFile;
  call: CallFact;
}

export interface ReachedDbOperation extends ReachedCall {
  op: DbOperation;
}

export interface RouteProfile {
  route: RouteFact;
  /** A readable name: `POST /api/patients/[id]`, `server action submitContactForm`. */
  label: string;
  guards: Set<GuardKind>;
  /** An auth, role or webhook-signature guard protects it. */
  authenticated: boolean;
  /** Authenticated only by a verified webhook signature: it acts for the provider. */
  webhookOnly: boolean;
  roleGated: boolean;
  reached: ReachedCall[];
  db: ReachedDbOperation[];
  writes: ReachedDbOperation[];
  egress: Egress[];
  /** Uses the admin / service-role client (creation, `auth.admin.*`, a client named admin). */
  adminClient: ReachedCall | undefined;
  /**
   * Reads or changes a payment provider's customer records: a Stripe customer, subscription,
   * payment method, invoice or billing-portal session (`stripe.billingPortal.sessions.create`).
   * Checkout for a price, products and prices are not a customer's data.
   */
  paymentAccount: { call: ReachedCall; what: string } | undefined;
  /** Starts a program (a process, a browser) whose executable or command line the request supplies: it runs code on the server. */
  processLaunch: ProcessLaunch | undefined;
  takesInput: boolean;
  rateLimited: boolean;
  /**
   * The handler (or a helper it calls) limits its own callers, rather than a limiter installed on
   * every route of a router: a deliberate choice for this route, which marks it as meant to be open.
   */
  ownRateLimit: boolean;
  audited: boolean;
  orgContext: boolean;
  /** Login, sign-up, reset, OTP, OAuth callback, sign-out. */
  authEndpoint: boolean;
  signOut: boolean;
  /** The URL reads as a provider's webhook (`/api/webhooks/stripe`). */
  webhookPath: boolean;
  oauthCallback: boolean;
  /** Listed in `publicRoutes`, or a public form (contact, newsletter, waitlist, feedback). */
  publicByDesign: boolean;
  /**
   * A capability route: it looks a record up by a secret the caller presents (a signing link's
   * token, an invitation code, a reset token's hash) and refuses the request when none matches.
   * Whoever holds the secret may act; there is no principal to authenticate.
   */
  capability: boolean;
  /** A GET with no input and no stored data (health checks, static pages, `force-static`). */
  staticGet: boolean;
}

const PUBLIC_FORM_PATTERN =
  /(^|[/_.\-\s[(])(contact|contact-?us|newsletter|subscribe|unsubscribe|waitlist|wait-?list|early-?access|feedback|inquir(y|ies)|enquir(y|ies)|leads?|demo-?request|request-?demo|get-?a-?quote|quote|public|marketing|landing|health|healthz|status|ping|sitemap|robots)([/_.\-\s\])]|$)/i;
const OPTIONAL_AUTH = /^(optional|maybe|soft|try)\w*(auth|authenticate|authentication|user|session)$|^auth\w*optional(ly)?$/i;
const SIGN_OUT_PATTERN = /(^|[/_.\-\s[(])(log-?out|sign-?out)([/_.\-\s\])]|$)/i;
const INPUT_PATTERN =
  /\b(req|request|ctx|c)\.(body|params|query|json|formData|text|arrayBuffer|blob|nextUrl|url|valid|param|header|headers|cookies|files?|input)\b|\bsearchParams\b|\bformData\b|\bparams\b|\binput\b|\bgetRawBody\b|\b(readBody|readRawBody|readValidatedBody|readFormData|readMultipartFormData|getQuery|getValidatedQuery|getRouterParams?|getValidatedRouterParams)\s*[<(]/;
/** `new URL("/auth/email", request.url)`: a constant path resolved against the request's origin. */
const CONSTANT_URL = /\bnew\s+URL\(\s*(['"])[^'"]*\1\s*,\s*[\w$]+\.(?:url|nextUrl)\s*\)/g;
const ATTEMPT_COUNTER_NAME = /^(check|count|record|track|consume|increment|register|bump|hit|note|guard|enforce)\w*(Attempts?|Failures?|Tries|Lockout|Quota)$/;

const PUBLIC_CONTENT_TABLE =
  /^(products?|posts?|articles?|blogs?|blog_?posts?|categories|category|tags?|plans?|pricing|prices|faqs?|changelogs?|releases?|listings?|testimonials?|announcements?)$/i;
const SHARED_SECRET_CHECK =
  /(authorization|x-api-key|api-key|x-cron-secret|x-internal-token|secret|bearer)[^;]{0,160}(!==?|===?)[^;]{0,80}process\.env\.\w*(SECRET|TOKEN|KEY)\b|process\.env\.\w*(SECRET|TOKEN|KEY)\b[^;]{0,80}(!==?|===?)[^;]{0,160}(authorization|x-api-key|api-key|x-cron-secret|secret|bearer)/i;

/**
 * Per-review answers (keyed by the review's `Semantics`): five checks walk the route profiles, two
 * ask each profile's admin operation, and the same reached calls come back in many routes.
 */
interface ProfileCache {
  byRoute: Map<RouteFact, RouteProfile>;
  /** Every route's profile, in route order. */
  all?: RouteProfile[];
  adminOperations: Map<RouteProfile, AdminOperation | undefined>;
  /** Whether a reached call is an admin-client use (see {@link adminClientUse}). */
  adminCalls: Map<CallFact, boolean>;
  /** Whether a file declares `export const dynamic = "force-static"`. */
  forceStatic: Map<AnalysedFile, boolean>;
}

const cache = new WeakMap<Semantics, ProfileCache>();

function cacheOf(sem: Semantics): ProfileCache {
  let state = cache.get(sem);
  if (!state) {
    state = { byRoute: new Map(), adminOperations: new Map(), adminCalls: new Map(), forceStatic: new Map() };
    cache.set(sem, state);
  }
  return state;
}

export function routeLabel(route: RouteFact): string {
  if (route.kind === "server-action") return `server action ${route.handler?.name ?? route.urlPath}`;
  if (route.kind === "trpc" && route.urlPath.startsWith("orpc ")) return `oRPC procedure ${route.urlPath.slice(5)}`;
  if (route.kind === "trpc") return `tRPC ${route.urlPath.replace(/^trpc /, "")} (${route.method === "GET" ? "query" : "mutation"})`;
  if (route.kind === "socketio") return `Socket.IO event "${route.event ?? route.urlPath}"`;
  if (route.graphql) return `GraphQL ${route.urlPath.replace(/^graphql /, "")}`;
  return `${route.method === "ANY" ? "" : `${route.method} `}${route.urlPath}`;
}

export function isConfiguredPublic(sem: Semantics, route: RouteFact): boolean {
  const patterns = sem.project.config.publicRoutes;
  if (patterns.length === 0) return false;
  const isMatch = globMatcher(patterns);
  return isMatch(route.urlPath) || isMatch(route.file.path);
}

/** `createAdminClient()`, `supabaseAdmin.from(…)`, `admin.auth.admin.updateUserById(…)`. */
export function adminClientUse(sem: Semantics, reached: ReachedCall[]): ReachedCall | undefined {
  // A helper's calls are reached from many routes: each call is judged once per review.
  const memo = cacheOf(sem).adminCalls;
  return reached.find(({ file, call }) => {
    let hit = memo.get(call);
    if (hit === undefined) {
      hit = isAdminClientUse(sem, file, call);
      memo.set(call, hit);
    }
    return hit;
  });
}

function isAdminClientUse(sem: Semantics, file: AnalysedFile, call: CallFact): boolean {
  if (sem.isAdminClientCreation(file, call)) return true;
  const chain = call.chain;
  if (chain.includes("auth") && chain[chain.indexOf("auth") + 1] === "admin") return true;
  const root = chain[0] ?? "";
  if (/^(supabaseAdmin|adminClient|adminSupabase|serviceClient|serviceRoleClient|supabaseService)$/i.test(root)) return true;
  const r = sem.callee(file, call);
  return r.origins.some((o) => {
    const originCall = sem.project.callOf(o);
    const originFile = originCall ? sem.project.fileOf(o) : undefined;
    return originCall !== undefined && originFile !== undefined && sem.isAdminClientCreation(originFile, originCall);
  });
}

/** `handlerText`: the handler's code, as `handler.node.getText()` gives it. */
function takesInput(sem: Semantics, route: RouteFact, handler: FunctionFact, handlerText: string): boolean {
  if (/\[[^\]]+\]|\/:\w|\{\w+\}/.test(route.urlPath)) return true;
  if (route.kind === "server-action" || route.kind === "trpc") return handler.node.parameters.length > 0 || /\binput\b/.test(handlerText);
  // A Socket.IO handler's parameters are what the client emitted (an acknowledgement callback last, when it takes one).
  if (route.kind === "socketio") return handler.node.parameters.length > 1 || (handler.node.parameters.length === 1 && !/^(callback|cb|ack|done|respond|reply)$/i.test(handler.node.parameters[0]!.name.getText()));
  if (handler.node.parameters.length === 0) return false;
  if (route.kind === "nest" && handler.node.parameters.some((p) => nestInputParameter(sem, sem.handlerFileOf(route), p))) return true;
  return INPUT_PATTERN.test(handlerText);
}

function isRateLimit(sem: Semantics, file: AnalysedFile, call: CallFact): boolean {
  if (sem.isRateLimitCall(file, call)) return true;
  if (ATTEMPT_COUNTER_NAME.test(call.name)) return true;
  return false;
}

function expressionIsRateLimit(expr: ts.Expression): boolean {
  const inner = skipOuterExpressions(expr);
  const target = isCallExpression(inner) ? inner.expression : inner;
  const chain = chainOf(target);
  const name = chain[chain.length - 1] ?? "";
  return RATE_LIMIT_NAME_PATTERN.test(name) || ATTEMPT_COUNTER_NAME.test(name);
}

export function profileRoute(sem: Semantics, route: RouteFact): RouteProfile | undefined {
  const state = cacheOf(sem);
  const byRoute = state.byRoute;
  const cached = byRoute.get(route);
  if (cached) return cached;
  const handler = route.handler;
  if (!handler) return undefined;

  const file = route.file;
  const guards = sem.routeGuards(route);
  const mount = mountOf(sem, route);
  for (const k of mount.guards) guards.add(k);
  // Guards in front of the route: a role guard turns away anonymous callers too.
  for (const kind of [...nextMiddlewareGuards(sem, route), ...requestHookGuards(sem, route)]) guards.add("auth").add(kind);
  if (layoutAuthenticates(sem, route)) guards.add("auth");
  const reached = sem.reachableCalls(sem.handlerFileOf(route), handler, 2);
  // A hand-rolled HMAC signature check (`timingSafeEqual` of a `createHmac` digest) verifies a webhook.
  if (reached.some((r) => r.call.name === "timingSafeEqual") && reached.some((r) => r.call.name === "createHmac")) guards.add("webhook");
  // A shared secret from the environment compared in constant time, the request refused when it differs
  // (an internal job's bearer key), here or in a helper the handler delegates to.
  if (reached.some((r) => r.call.name === "timingSafeEqual" && constantTimeSecretCheck(r.call))) guards.add("webhook");
  // A shared secret from the environment compared with a request header (cron jobs, service calls).
  const handlerText = handler.node.getText();
  // Both of its spellings name `process.env.`: a linear scan first spares most handlers the backtracking.
  if (/process\.env\./i.test(handlerText) && SHARED_SECRET_CHECK.test(handlerText)) guards.add("webhook");
  const db: ReachedDbOperation[] = [];
  const egress: Egress[] = [];
  for (const r of reached) {
    const op = sem.dbOperation(r.file, r.call);
    // The audit trail's own insert is not the route's mutation, nor is the lookup that verifies the caller's credential its data.
    if (op && !sem.isAuditCall(r.file, r.call) && !/audit/i.test(r.call.fn?.name ?? "") && !(r.call.fn !== handler && credentialCheckRead(r.call, op))) db.push({ ...r, op });
    const out = sem.egressOf(r.file, r.call);
    if (out) egress.push(out);
  }
  const writes = db.filter((d) => d.op.op === "write");
  const input = takesInput(sem, route, handler, handlerText);
  const routeText = `${route.urlPath} ${route.file.path} ${handler.name ?? ""}`;
  const actionName = kebab(handler.name ?? "");
  // A server action's own name says what it is; its file's folders only inside the app's routes
  // (`app/(auth)/login/actions.ts`), not a helpers folder named after auth (`utils/auth-helpers/`).
  const actionFolder = /(?:^|\/)app\/(.*)\/[^/]+$/.exec(route.file.path)?.[1] ?? "";
  const authEndpoint =
    (route.kind === "server-action" ? AUTH_ENDPOINT_PATTERN.test(`${actionFolder} ${actionName}`) : AUTH_ENDPOINT_PATTERN.test(route.graphql ? kebab(route.urlPath) : route.urlPath)) ||
    reached.some(({ call }) => signsInWithCredentials(call)) ||
    // A Socket.IO event that checks a password is a sign-in step: its name (`login`, `setup`) may say nothing.
    (route.kind === "socketio" && checksPassword(sem, reached)) ||
    // A SAML assertion consumer: the identity provider posts the signed assertion here, for no session.
    samlAssertionConsumer(route, handlerText) ||
    // A step of an identity provider's sign-in interaction (the provider refuses requests outside one).
    guards.has("interaction") ||
    // The start of an OAuth authorization: the provider's authorize URL built and the browser sent there.
    oauthAuthorizationStart(handlerText);
  // Only the handler's own calls: a helper two levels down that backs off a provider's 429s limits no caller.
  const handlerFile = sem.handlerFileOf(route);
  // A limiter in the route's own middleware list is as deliberate as one in its handler; one installed on every route of a router is not.
  const ownRateLimit = sem.callsWithin(handler).some((call) => isRateLimit(sem, handlerFile, call)) || route.middleware.some(expressionIsRateLimit);
  const rateLimited =
    reached.some((r) => isRateLimit(sem, r.file, r.call)) ||
    route.middleware.some(expressionIsRateLimit) ||
    route.wrappers.some((w) => expressionIsRateLimit(w.node)) ||
    routerLevelRateLimit(route) ||
    mount.rateLimited;
  let forceStatic = state.forceStatic.get(file);
  if (forceStatic === undefined) {
    // Once per file (a file can declare many routes); most files never mention it.
    forceStatic = file.text.includes("force-static") && /export\s+const\s+dynamic\s*=\s*['"]force-static['"]/.test(file.text);
    state.forceStatic.set(file, forceStatic);
  }
  const reads = db.some((d) => d.op.op === "read");
  const isGet = route.method === "GET" || route.method === "HEAD";
  const flags = callerFlags(guards);
  const adminClient = adminClientUse(sem, reached);
  const paymentAccount = paymentAccountUse(sem, reached);
  const profile: RouteProfile = {
    route,
    label: routeLabel(route),
    guards,
    ...flags,
    reached,
    db,
    writes,
    egress,
    adminClient,
    paymentAccount,
    processLaunch: input ? requestLaunchedProcess(sem, handlerFile, handler) : undefined,
    takesInput: input,
    rateLimited,
    ownRateLimit,
    audited: reached.some((r) => sem.isAuditCall(r.file, r.call)),
    orgContext: reached.some((r) => sem.isOrgContextCall(r.file, r.call)),
    authEndpoint,
    signOut: SIGN_OUT_PATTERN.test(routeText),
    publicByDesign:
      isConfiguredPublic(sem, route) ||
      // `@Public()`: metadata the guard in front honours to let the route through.
      nestPublicByDesign(sem, route) ||
      // `router.get("/profiles/:name", optionalAuth, …)`: declared open to anyone, with or without a session.
      route.middleware.some((m) => OPTIONAL_AUTH.test(chainOf(isCallExpression(m) ? m.expression : m).at(-1) ?? "")) ||
      // A public form adds a row (a message, a sign-up); one that changes an existing account's row is not one.
      ((PUBLIC_FORM_PATTERN.test(route.urlPath) || PUBLIC_FORM_PATTERN.test(route.file.path) || (route.kind === "server-action" && PUBLIC_FORM_PATTERN.test(actionName))) &&
        !writes.some((w) => USER_TABLE_PATTERN.test(tableName(w.op) ?? "") && !/^(create|insert|createMany|insertOne|insertMany)$/.test(w.op.method))) ||
      // tRPC declares it: a `publicProcedure` query is public on purpose (a public mutation still needs auth).
      (route.kind === "trpc" && route.method === "GET" && /^public/i.test(route.procedure ?? "")) ||
      // A read-only GET of published content (products, posts, plans) is a public API.
      (isGet && writes.length === 0 && db.length > 0 && db.every((d) => PUBLIC_CONTENT_TABLE.test(tableName(d.op) ?? ""))) ||
      // Read from what the route does, for a route with no principal: a form that only adds rows, a
      // read of content the route first checks is published.
      (!flags.authenticated && (addsRowsOnly(sem, db, effectsBeyondData({ egress, adminClient, paymentAccount, processLaunch: undefined })) || publicationGatedRead(sem, route, handlerFile, handler, db))),
    capability: capabilityLookup(db, handler, handlerText, flags.authenticated) || (!flags.authenticated && inlineSecretCheck(handler)),
    webhookPath: /(^|[/_.-])(webhooks?|hooks?)([/_.-]|$)/i.test(`${route.urlPath} ${route.file.path}`),
    oauthCallback: /(^|[/_.\-\s[(])(callback|oauth)([/_.\-\s\])]|$)/i.test(route.urlPath),
    // A request used only as the base of a constant URL (`redirect(new URL("/login", request.url))`) is no input.
    staticGet: isGet && writes.length === 0 && (forceStatic ? true : !reads && (!input || !takesInput(sem, route, handler, handlerText.replace(CONSTANT_URL, "")))),
  };
  byRoute.set(route, profile);
  return profile;
}

/**
 * Filter keys that hold a secret the caller presents: a token, its hash, a nonce, a signature.
 * Ids and slugs are not secrets (they are listed, linked and guessable), and a short code (an OTP)
 * is guessed, not held: its route is an auth endpoint.
 */
const SECRET_FILTER_KEY = /(?:^|[{,\s(])(\w*(?:token|secret|hash|nonce|signature))\s*(?::|,|\}|\)|=\s*[?$:@])/i;
/**
 * Records that are themselves capabilities (DESIGN: share links and invitations): whoever holds the
 * link's id may open it, so a lookup by that id, refused when none matches, admits its holder. A
 * child pinned to one by its key (`{ id: viewId, linkId }`, a visit the link issued) is reached
 * through the same secret.
 */
const CAPABILITY_TABLE = /^(links?|share_?links?|shared_?links?|shares|invites?|invitations?|magic_?links?)$/i;
/**
 * A table named for a kind of invitation or share link (`eventInvite`, `team_invitations`,
 * `documentShareLink`): one of those records when the lookup keys it by its own identifier (`uid`,
 * `id`, `code`), not by a parent's (`eventId`) or an address.
 */
const CAPABILITY_TABLE_SUFFIX = /(?:[a-z0-9](?:Invites?|Invitations?|ShareLinks?|SharedLinks?|MagicLinks?)|_(?:invites?|invitations?|share_?links?|shared_?links?|magic_?links?))$/;
const OWN_KEY = /(?:^|[{,\s(])(id|uid|uuid|code|key)\s*(?::|,|\}|\))/;
const CAPABILITY_PARENT_KEY = /(?:^|[{,\s(])(link|share_?link|shared_?link|share|invite|invitation)_?id\s*(?::|,|\}|\))/i;
/** `if (!found) return …404/401/403…`, `throw`, `notFound()`, a redirect: the request refused when nothing matches. */
const REFUSED_WHEN_MISSING = /\bif\s*\(\s*!\s*[\w$.?]+[^)]{0,120}\)\s*(?:\{\s*)?(?:return\b[^;]{0,200}?(?:\b40[134]\b|notFound|redirect|error\()|throw\b|notFound\(|redirect\(|error\()/;

/**
 * A record read by a secret the request supplies, and the request refused when none matches: the
 * route is a capability (a signing link, an invitation, a reset or share link).
 */
function capabilityLookup(db: ReachedDbOperation[], handler: FunctionFact, handlerText: string, signedIn: boolean): boolean {
  return db.some((d) => {
    if (d.op.op !== "read") return false;
    const filter = filterText(d.call);
    const table = tableName(d.op) ?? "";
    // A signed-in member reading a share link or an invitation of their team is a user caller still:
    // only a request with no principal is admitted by the link itself.
    const linkRecord = !signedIn && (CAPABILITY_TABLE.test(table) || CAPABILITY_PARENT_KEY.test(filter) || (CAPABILITY_TABLE_SUFFIX.test(table) && OWN_KEY.test(filter)));
    if (!SECRET_FILTER_KEY.test(filter) && !linkRecord) return false;
    const fnText = d.call.fn?.node.getText() ?? "";
    return REFUSED_WHEN_MISSING.test(fnText) || REFUSED_WHEN_MISSING.test(handlerText) || leavesWhenNoneMatches(d, handler, db);
  });
}

/**
 * The lookup's own result tested and the function left when it is empty (`if (!invite) return …`,
 * `if (!view) throw …`), before the work: in the handler, that ends the request, whatever it
 * answers; in a helper, only when the route's other data work follows there, after the test.
 */
function leavesWhenNoneMatches(d: ReachedDbOperation, handler: FunctionFact, db: ReachedDbOperation[]): boolean {
  const fn = d.call.fn;
  const name = resultName(d.call);
  if (!fn || !name) return false;
  let exit: ts.IfStatement | undefined;
  walk(fn.node, (node) => {
    if (exit) return "stop";
    if (node.pos < d.call.node.end) return undefined;
    if (node !== fn.node && (isFunctionExpression(node) || isArrowFunction(node))) return "skip";
    if (isIfStatement(node) && returnsOrThrows(node.thenStatement) && orTerms(node.expression).some((t) => isAbsenceTest(t, name))) exit = node;
    return undefined;
  });
  if (!exit) return false;
  if (fn === handler) return true;
  const after = exit.end;
  return db.some((other) => other !== d && other.call.fn === fn && other.call.node.pos >= after);
}

/** `!x`, `x == null`, `x === undefined`. */
function isAbsenceTest(term: ts.Expression, name: string): boolean {
  if (ts.isPrefixUnaryExpression(term) && term.operator === SyntaxKind.ExclamationToken) {
    const operand = skipOuterExpressions(term.operand);
    return isIdentifier(operand) && operand.text === name;
  }
  if (!isBinaryExpression(term) || (term.operatorToken.kind !== SyntaxKind.EqualsEqualsToken && term.operatorToken.kind !== SyntaxKind.EqualsEqualsEqualsToken)) return false;
  const sides = [term.left, term.right].map((side) => skipOuterExpressions(side).getText());
  return sides.includes(name) && sides.some((text) => text === "null" || text === "undefined");
}

/** Where a lookup's result is kept in its function: `const invite = await prisma.invite.findUnique(…)` → `invite`. */
function resultName(call: CallFact): string | undefined {
  return resultNameOf(call.node);
}

/** The variable an expression's value is put in (`const x = await f()`), through `await`, parentheses and casts. */
function resultNameOf(expression: ts.Node): string | undefined {
  let node: ts.Node = expression;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return parent && ts.isVariableDeclaration(parent) && parent.initializer === node && isIdentifier(parent.name) ? parent.name.text : undefined;
}

/** A hash or constant-time comparison of a secret (`bcrypt.compare`, `argon2.verify`, `comparePasswordsAsync`, `timingSafeEqual`, `verifyHash`). */
const SECRET_COMPARISON = /^(timingSafeEqual|compare|compareSync|verify|verifySync|(compare|verify|check|validate)(Password|Passwords|Hash|Hashes|Secret|Token|Key|ApiKey)s?(Async|Sync)?)$/i;

/**
 * A read that is the verification of the caller's credential, in a helper the route calls: the row
 * it looks up is compared with what the caller presented through a hash or constant-time comparison
 * (`comparePasswordsAsync(given, row.apiKey)`, `bcrypt.compare(given, row.hash)`), and the helper
 * answers nobody (a `return`/`throw` before the principal) when they differ. The caller is that
 * credential's owner or nobody: the lookup authenticates the request, it is not data it serves.
 * A lookup whose result is only compared for equality (`row.token === given`) or never compared
 * does not qualify.
 */
function credentialCheckRead(call: CallFact, op: DbOperation): boolean {
  const fn = call.fn;
  if (op.op !== "read" || !fn) return false;
  const row = resultName(call) ?? destructuredResultNames(call);
  if (!row) return false;
  const rows = new Set(typeof row === "string" ? [row] : row);
  const verdicts = new Set<string>();
  let refused = false;
  walk(fn.node, (node) => {
    if (refused) return "stop";
    if (node.pos < call.node.end) return undefined;
    if (node !== fn.node && (isFunctionExpression(node) || isArrowFunction(node))) return "skip";
    if (isCallExpression(node) && SECRET_COMPARISON.test(chainOf(node.expression).at(-1) ?? "") && node.arguments.length >= 2 && node.arguments.some((arg) => mentionsName(arg, rows))) {
      const verdict = resultNameOf(node);
      if (verdict) verdicts.add(verdict);
      else {
        // `if (!(await bcrypt.compare(given, row.hash))) return null`.
        let up: ts.Node = node;
        while (up.parent && !isIfStatement(up.parent) && !ts.isStatement(up.parent)) up = up.parent;
        if (up.parent && isIfStatement(up.parent) && up.parent.expression === up && returnsOrThrows(up.parent.thenStatement)) refused = true;
      }
    }
    // `const isValid = await compare(…); if (!isValid) return null;`
    if (verdicts.size > 0 && isIfStatement(node) && returnsOrThrows(node.thenStatement) && mentionsName(node.expression, verdicts)) refused = true;
    return undefined;
  });
  return refused;
}

/** The names a read's result is destructured into (`const [row] = await db.select()…`). */
function destructuredResultNames(call: CallFact): string[] | undefined {
  let node: ts.Node = call.node;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent || !ts.isVariableDeclaration(parent) || parent.initializer !== node || isIdentifier(parent.name)) return undefined;
  const names: string[] = [];
  const collect = (name: ts.BindingName) => {
    if (isIdentifier(name)) names.push(name.text);
    else for (const element of name.elements) if (ts.isBindingElement(element)) collect(element.name);
  };
  collect(parent.name);
  return names.length > 0 ? names : undefined;
}

/**
 * The start of an OAuth authorization (RFC 6749 §4.1.1): the handler builds an authorization request
 * (`client_id` and `redirect_uri` parameters, `?client_id=…&redirect_uri=…` or `searchParams.append("client_id", …)`)
 * and redirects the browser to it. Like the callback it leads to, it is a step of signing in, open by design.
 */
function oauthAuthorizationStart(handlerText: string): boolean {
  return /\bclient_id\b/.test(handlerText) && /\bredirect_uri\b/.test(handlerText) && (/\bredirect\s*\(/.test(handlerText) || /['"`]location['"`]/i.test(handlerText));
}

/**
 * A SAML assertion consumer service: a POST whose handler or route validation reads the
 * `SAMLResponse` an identity provider posts. Like an OAuth callback, it is where sign-in completes;
 * the assertion's signature, not a session, is what it checks.
 */
function samlAssertionConsumer(route: RouteFact, handlerText: string): boolean {
  if (route.method === "GET" || route.method === "HEAD") return false;
  return /\bSAMLResponse\b/.test(handlerText) || route.middleware.some((m) => /\bSAMLResponse\b/.test(m.getText()));
}

/** A secret's name: what a capability link or a machine caller presents. */
const SECRET_NAME = /(token|secret|signature|hash|nonce|api_?key)$/i;
const REQUEST_SIDE = /\b(req|request|input|body|params|query|searchParams|formData|headers)\b/;
const NOT_A_SECRET_VALUE = /^(undefined|null|true|false|""|''|``|\d+)$/;

/**
 * The handler compares a secret the request presents with one it holds or derives (`if (hashed !==
 * token) return …`, `if (!stored || stored !== input.token) throw …`) and refuses the request when
 * they differ: a capability link or a machine caller's shared token. A comparison that only runs
 * when some other value is set (`if (expected && token !== expected)`) fails open and does not count.
 */
function inlineSecretCheck(handler: FunctionFact): boolean {
  let found = false;
  walk(handler.node, (node) => {
    if (found) return "stop";
    if (!isIfStatement(node) || !returnsOrThrows(node.thenStatement)) return;
    found = orTerms(node.expression).some((term) => {
      if (!isBinaryExpression(term) || (term.operatorToken.kind !== SyntaxKind.ExclamationEqualsEqualsToken && term.operatorToken.kind !== SyntaxKind.ExclamationEqualsToken)) return false;
      const sides = [term.left, term.right].map((side) => skipOuterExpressions(side).getText());
      if (sides.some((text) => NOT_A_SECRET_VALUE.test(text)) || sides[0] === sides[1]) return false;
      if (!sides.some((text) => SECRET_NAME.test(text.replace(/\W+$/, "")))) return false;
      // Both sides from the request (a confirmation field) prove nothing.
      return !sides.every((text) => REQUEST_SIDE.test(text));
    });
  });
  return found;
}

/**
 * `if (!timingSafeEqual(given, expected)) return 401`, with the expected value a secret from the
 * environment: a shared-secret check of a machine caller (DESIGN: a secret compared in constant time).
 */
function constantTimeSecretCheck(call: CallFact): boolean {
  const fn = call.fn;
  if (!fn) return false;
  const text = fn.node.getText();
  if (!/\benv\.\w*(SECRET|KEY|TOKEN)\b/i.test(text)) return false;
  let node: ts.Node = call.node;
  while (node.parent && node.parent !== fn.node && !isIfStatement(node.parent)) node = node.parent;
  const statement = node.parent;
  return statement !== undefined && isIfStatement(statement) && statement.expression === node && /^!/.test(node.getText()) && returnsOrThrows(statement.thenStatement) && /\b40[13]\b|unauthori[sz]ed|forbidden/i.test(statement.thenStatement.getText());
}

/** `router.use(limiter)` / `app.use("/auth", loginLimiter)` before the registration on the same receiver. */
function routerLevelRateLimit(route: RouteFact): boolean {
  const registration = route.registration;
  if (!registration) return false;
  const receiver = registration.chain.slice(0, -1).join(".");
  for (const call of route.file.facts?.calls ?? []) {
    if (call.node.pos >= registration.node.pos) break;
    if (call.name !== "use" && call.name !== "register") continue;
    if (call.chain.slice(0, -1).join(".") !== receiver) continue;
    if (call.args.some(expressionIsRateLimit)) return true;
  }
  return false;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/**
 * Guards (and limiters) of the mounts that serve a router from another file: `app.use("/admin",
 * requireAuth, requireRole("admin"), adminRouter)`, or `app.use("/api/*", requireAuth)` before
 * `app.route("/api/x", x)`, and so on up through routers mounted on routers (`app.use("/v1/auth",
 * authLimiter)` before `app.use("/v1", v1Router)`, where `v1Router.use("/auth", authRouter)`), a few
 * levels up. A guard installed on a mounting router with a path of its own counts only when that
 * path covers the route's.
 */
function mountOf(sem: Semantics, route: RouteFact): MountGuards {
  const registration = route.registration;
  if (!registration) return { guards: new Set(), rateLimited: false };
  // A router handed in by the caller of the function that registers the route.
  const fromCallers = paramRouterGuards(sem, route, (file, router, at) => {
    const kinds = sem.routerLevelGuardsAt(file, at, router.text);
    const init = routerInitOf(sem, file, router.text, at);
    if (init) collectMounts(sem, init, undefined, 0).guards.forEach((k) => kinds.add(k));
    return kinds;
  });
  if (fromCallers) return { guards: fromCallers, rateLimited: false };
  if (registration.chain.length !== 2) return { guards: new Set(), rateLimited: false };
  const init = routerInit(sem, route.file, registration);
  return init ? collectMounts(sem, init, route.urlPath.startsWith("/") ? route.urlPath : undefined, 0) : { guards: new Set(), rateLimited: false };
}

interface MountGuards {
  guards: Set<GuardKind>;
  rateLimited: boolean;
}

/** The `Router()` / `new Hono()` call a registration's or mount's receiver was made by, in its own file. */
function routerInit(sem: Semantics, file: AnalysedFile, call: CallFact): ts.CallExpression | ts.NewExpression | undefined {
  const receiver = call.chain[0];
  return receiver ? routerInitOf(sem, file, receiver, call.node) : undefined;
}

function routerInitOf(sem: Semantics, file: AnalysedFile, name: string, at: ts.Node | CallFact): ts.CallExpression | ts.NewExpression | undefined {
  const binding = sem.project.lookup(file, name, "node" in at ? at.node : at);
  const init = binding?.kind === "var" && binding.init ? skipOuterExpressions(binding.init) : undefined;
  return init && (isCallExpression(init) || isNewExpression(init)) ? init : undefined;
}

/**
 * The guards every mount of the router made by `init` puts in front of it (a router mounted once
 * behind auth and once without is not protected), and whether every mount is rate-limited. `below`
 * is the route's path within that router, when known (a chained route's is not).
 */
function collectMounts(sem: Semantics, init: ts.Node, below: string | undefined, depth: number): MountGuards {
  const mounts = depth > 3 ? [] : (mountCalls(sem).get(init) ?? []);
  const each = mounts.map(({ file, call: mount }) => {
    const result: MountGuards = { guards: new Set(), rateLimited: false };
    for (const arg of mount.args.slice(0, -1)) sem.guardKinds(file, arg).forEach((k) => result.guards.add(k));
    if (mount.args.slice(0, -1).some(expressionIsRateLimit)) result.rateLimited = true;
    const mountPath = mountPathOf(mount);
    const full = below === undefined ? undefined : joinPaths(mountPath, below);
    // Guards installed on the mounting router before the mount, for every path or for one that covers the route's.
    const mountReceiver = mount.chain.slice(0, -1).join(".");
    for (const call of file.facts?.calls ?? []) {
      if (call.node.pos >= mount.node.pos) break;
      if (call.name !== "use" && call.name !== "addHook") continue;
      if (call.chain.slice(0, -1).join(".") !== mountReceiver) continue;
      const path = mountPathOf(call);
      if (path !== "" && !pathCovers(path, mountPath, full)) continue;
      for (const arg of call.args) sem.guardKinds(file, arg).forEach((k) => result.guards.add(k));
      if (call.args.some(expressionIsRateLimit)) result.rateLimited = true;
    }
    // The mounting router may be mounted in its turn.
    const parent = mount.chain.length === 2 ? routerInit(sem, file, mount) : undefined;
    if (parent && parent !== init) {
      const outer = collectMounts(sem, parent, full, depth + 1);
      outer.guards.forEach((k) => result.guards.add(k));
      if (outer.rateLimited) result.rateLimited = true;
    }
    return result;
  });
  return { guards: intersect(each.map((m) => m.guards)), rateLimited: each.length > 0 && each.every((m) => m.rateLimited) };
}

/** The path a `use` / `route` call mounts at: its first argument when that is a string, else "" (every path). */
function mountPathOf(call: CallFact): string {
  const first = call.args.length > 1 && call.args[0] ? skipOuterExpressions(call.args[0]) : undefined;
  return first && isStringLiteralLike(first) ? first.text : "";
}

function trimPath(path: string): string {
  return path.replace(/\/?\*$/, "").replace(/\/+$/, "");
}

function joinPaths(prefix: string, rest: string): string {
  return `${trimPath(prefix)}${rest.startsWith("/") ? rest : `/${rest}`}`;
}

/** Whether a guard installed at `path` runs for the route: it covers the route's full path or, that unknown, the whole mount. */
function pathCovers(path: string, mountPath: string, full: string | undefined): boolean {
  const p = trimPath(path);
  if (p === "") return true;
  const target = trimPath(full ?? mountPath);
  return target === p || target.startsWith(`${p}/`);
}

const mountCallsCache = new WeakMap<Semantics, Map<ts.Node, ReachedCall[]>>();

/**
 * Every `use` / `route` / `register` call of the PR, by where its last argument (the mounted value)
 * comes from, found once per review: each Express/Hono route looks its mount up here instead of
 * rescanning every call of every file (that rescan was a twelfth of the engine's time on a
 * 1,000-file PR). Each list keeps the calls in file and source order.
 */
function mountCalls(sem: Semantics): Map<ts.Node, ReachedCall[]> {
  const cached = mountCallsCache.get(sem);
  if (cached) return cached;
  const byOrigin = new Map<ts.Node, ReachedCall[]>();
  for (const file of sem.project.files) {
    for (const call of file.facts?.calls ?? []) {
      if ((call.name !== "use" && call.name !== "route" && call.name !== "register") || call.args.length < 1) continue;
      const mount: ReachedCall = { file, call };
      for (const origin of sem.project.resolve(file, call.args[call.args.length - 1]!).origins) {
        const list = byOrigin.get(origin);
        if (!list) byOrigin.set(origin, [mount]);
        // An origin listed twice still mounts the call once.
        else if (list[list.length - 1] !== mount) list.push(mount);
      }
    }
  }
  mountCallsCache.set(sem, byOrigin);
  return byOrigin;
}

interface NextMiddleware {
  file: AnalysedFile;
  /** The app it belongs to: `""` at the repository root, `apps/web/` in a monorepo. */
  root: string;
  authenticates: boolean;
  /** The matcher's patterns; undefined when it has no matcher (it runs on every path). */
  patterns?: string[];
  /**
   * The guards read from its code with the paths each runs for (`if (pathname.startsWith("/app") &&
   * !session) redirect…`); undefined when none could be read and the file is judged as a whole.
   */
  guards?: HookGuard[];
}

const nextMiddlewareCache = new WeakMap<Semantics, NextMiddleware[]>();
/** A Next.js middleware file (`proxy.ts` from Next.js 16) at an app's root or in its `src/`; group 1 is the root. */
const NEXT_MIDDLEWARE = /^((?:[^/]+\/)*?)(?:src\/)?(?:middleware|proxy)\.(?:ts|js|mjs)$/;

/** The Next.js `middleware.ts` / `proxy.ts` files of the review, each judged once per review (not once per route). */
function nextMiddlewares(sem: Semantics): NextMiddleware[] {
  const cached = nextMiddlewareCache.get(sem);
  if (cached) return cached;
  const found: NextMiddleware[] = [];
  for (const file of sem.project.files) {
    const root = NEXT_MIDDLEWARE.exec(file.path)?.[1];
    if (root === undefined) continue;
    const exported = file.facts?.exports.get("middleware") ?? file.facts?.exports.get("proxy") ?? file.facts?.exports.get("default");
    let authenticates = false;
    let fn: FunctionFact | undefined;
    if (exported && exported.kind === "function") {
      fn = exported.fn;
      authenticates = sem.guardsInFunction(file, exported.fn).has("auth");
    }
    if (exported && (exported.kind === "var" || exported.kind === "expression")) {
      const expr = exported.kind === "var" ? exported.init : exported.expr;
      // Clerk's `clerkMiddleware()` protects nothing by itself: only the `auth.protect()` its callback calls.
      const wrapper = expr ? skipOuterExpressions(expr) : undefined;
      const wrapperName = wrapper && isCallExpression(wrapper) ? chainOf(wrapper.expression).at(-1) : undefined;
      if (expr) authenticates = sem.guardKinds(file, expr).has("auth") || /^(withAuth|authMiddleware|auth)$/.test(wrapperName ?? "");
      // `export default auth((req) => { … })`: the callback is where the paths are tested.
      fn = handlerOf(sem, file, expr, []);
    }
    // Guards its code states path by path: the paths it protects are those, not every path it runs on.
    const read = fn ? guardsOf(sem, file, fn, true) : [];
    let guards = read.length > 0 ? read : undefined;
    if (guards) authenticates = true;
    // NextAuth v4's `export { default } from "next-auth/middleware"` sends every matched request
    // without a session to sign-in.
    if (!authenticates) authenticates = /^export\s*\{[^}]{0,200}\b(?:default|middleware)\b[^}]{0,200}\}\s*from\s*['"]next-auth\/middleware['"]/m.test(file.text);
    if (!authenticates) {
      const authJs = authJsGuards(sem, file);
      if (authJs.length > 0) [authenticates, guards] = [true, authJs];
    }
    // A session read that redirects to sign-in (or answers 401) when absent.
    if (!authenticates) authenticates = /cookies?|authorization|session|token/i.test(file.text) && /redirect\([^)]*(log-?in|sign-?in)|status:\s*401|Unauthorized/i.test(file.text);
    if (!authenticates) {
      found.push({ file, root, authenticates });
      continue;
    }
    const patterns = matcherPatterns(file);
    found.push({ file, root, authenticates, ...(patterns ? { patterns } : {}), ...(guards ? { guards } : {}) });
  }
  nextMiddlewareCache.set(sem, found);
  return found;
}

/** Auth.js v5 as middleware: `export { auth as middleware } from "@/auth"`, `export default NextAuth(authConfig).auth`. */
const AUTH_JS_MIDDLEWARE = /^export\s*(?:\{\s*auth\s+as\s+(?:middleware|proxy|default)\s*\}\s*from\s*['"]([^'"]+)['"]|default\s+NextAuth\s*\(\s*(\w+)\s*\)\s*\.\s*auth\b)/m;
/**
 * Auth.js v5 middleware blocks a request only where its config's `authorized` callback says so (in
 * the file its `auth` comes from, or a config file that one imports, in the PR or read as context):
 * the guards read from that callback, path by path (`if (isOnDashboard) return isLoggedIn`), or
 * none.
 */
function authJsGuards(sem: Semantics, file: AnalysedFile): HookGuard[] {
  const match = AUTH_JS_MIDDLEWARE.exec(file.text);
  if (!match) return [];
  let specifier = match[1];
  if (!specifier && match[2]) {
    const binding = file.facts?.moduleBindings.get(match[2]);
    specifier = binding?.kind === "import" ? binding.imp.module : undefined;
  }
  const config = specifier ? sem.project.resolveModule(file, specifier) : undefined;
  if (!config?.facts) return [];
  const candidates = [config];
  for (const binding of config.facts.moduleBindings.values()) {
    const imported = binding.kind === "import" && sem.project.isProjectModule(config, binding.imp.module) ? sem.project.resolveModule(config, binding.imp.module) : undefined;
    if (imported && !candidates.includes(imported)) candidates.push(imported);
  }
  for (const candidate of candidates) {
    for (const fn of candidate.facts?.functions ?? []) {
      if (fn.name !== "authorized") continue;
      const guards = authorizedGuardsOf(sem, candidate, fn);
      if (guards.length > 0) return guards;
    }
  }
  return [];
}

const SVELTEKIT_LOAD_MODULE = /^((?:.*\/)?src\/routes(?:\/.*)?)\/\+(page|layout)\.server\.(?:ts|js)$/;
const SVELTEKIT_LAYOUT = /^(.*)\/\+layout\.server\.(?:ts|js)$/;

/**
 * A SvelteKit `load` that awaits `parent()` runs after its layouts' loads: an authenticated layout
 * load above it (in the PR or read as context) guards it. Without `parent()` the loads run side by
 * side and the layout's check protects nothing of the page's.
 */
function layoutAuthenticates(sem: Semantics, route: RouteFact): boolean {
  if (route.kind !== "sveltekit" || route.method !== "GET" || !route.handler) return false;
  const match = SVELTEKIT_LOAD_MODULE.exec(route.file.path);
  if (!match) return false;
  const dir = match[1]!;
  const isLayout = match[2] === "layout";
  if (!sem.callsWithin(route.handler).some((call) => call.name === "parent")) return false;
  for (const file of sem.project.files) {
    const layoutDir = SVELTEKIT_LAYOUT.exec(file.path)?.[1];
    if (layoutDir === undefined || file === route.file) continue;
    // The layouts above: its own folder's (for a page) and every enclosing folder's within the routes tree.
    const above = dir === layoutDir ? !isLayout : dir.startsWith(`${layoutDir}/`) && /(^|\/)src\/routes(\/|$)/.test(layoutDir);
    if (!above) continue;
    for (const layout of sem.routes(file)) {
      if (layout.method === "GET" && layout.handler && profileRoute(sem, layout)?.authenticated) return true;
    }
  }
  return false;
}

/**
 * What the route's app's Next.js middleware (changed by the PR or read as context) guards it with:
 * `auth` when it authenticates and its matcher covers the route, narrowed to the paths of the guards
 * read from its code when there are any, and `role` where one of those also requires a role.
 * Server actions get none: Next.js runs an action by the id its POST carries, whichever page the
 * POST is sent to (the sign-in page included), so a middleware that guards the pages using the
 * action does not guard the action; its data-security guide asks each action to check its caller.
 */
function nextMiddlewareGuards(sem: Semantics, route: RouteFact): Set<HookGuard["kind"]> {
  const kinds = new Set<HookGuard["kind"]>();
  if (!isNextRequestRoute(route)) return kinds;
  // A middleware runs for its own app only (each app of a monorepo has its own).
  const root = NEXT_APP_ROOT.exec(route.file.path)?.[1] ?? "";
  const path = route.urlPath;
  for (const middleware of nextMiddlewares(sem)) {
    if (!middleware.authenticates || middleware.root !== root) continue;
    const patterns = middleware.patterns;
    if (patterns && !patterns.some((p) => matcherCovers(p, path))) continue;
    if (!middleware.guards) kinds.add("auth");
    for (const guard of middleware.guards ?? []) if (guardCovers(guard, path)) kinds.add(guard.kind);
  }
  return kinds;
}

/**
 * The `matcher` of a middleware's `export const config`: a string, or a list of strings and
 * `{ source }` objects. Undefined without one (the middleware runs on every path); a matcher it
 * cannot read matches nothing.
 */
function matcherPatterns(file: AnalysedFile): string[] | undefined {
  const config = file.facts?.exports.get("config");
  const object = config?.kind === "var" && config.init ? skipOuterExpressions(config.init) : undefined;
  if (!object) return /\bmatcher\s*:/.test(file.text) ? [] : undefined;
  if (!isObjectLiteralExpression(object)) return [];
  const property = object.properties.find((p) => p.name?.getText() === "matcher");
  if (!property) return undefined;
  if (!isPropertyAssignment(property)) return [];
  const value = skipOuterExpressions(property.initializer);
  const read = (expr: ts.Expression): string | undefined => {
    const inner = skipOuterExpressions(expr);
    if (isStringLiteralLike(inner)) return inner.text;
    if (!isObjectLiteralExpression(inner)) return undefined;
    // `{ source: "/api/:path*", missing: […] }`
    const source = inner.properties.find((p) => isPropertyAssignment(p) && p.name.getText() === "source");
    return source && isPropertyAssignment(source) ? read(source.initializer) : undefined;
  };
  const values = isArrayLiteralExpression(value) ? value.elements.map(read) : [read(value)];
  return values.filter((v): v is string => v !== undefined);
}

function matcherCovers(pattern: string, path: string): boolean {
  const source = pattern
    .replace(/\/:[\w]+\*/g, "(?:/.*)?")
    .replace(/\/:[\w]+\+/g, "/.+")
    // `:name` is one segment; `(?:…)` and `(?!…)` are the pattern's own regular expression.
    .replace(/(?<!\?):[\w]+/g, "[^/]+");
  try {
    return new RegExp(`^${source}$`).test(path) || new RegExp(`^${source}$`).test(`${path}/`);
  } catch {
    return false;
  }
}

/** Who a route's guards admit: anyone signed in or verified, a verified machine caller only, or a role. */
export function callerFlags(guards: ReadonlySet<GuardKind>): { authenticated: boolean; webhookOnly: boolean; roleGated: boolean } {
  const roleGated = guards.has("role") || guards.has("admin");
  return {
    authenticated: roleGated || guards.has("auth") || guards.has("webhook"),
    webhookOnly: guards.has("webhook") && !guards.has("auth") && !roleGated,
    roleGated,
  };
}

/**
 * What runs in front of a route, without its handler: wrappers, middleware, router-level `use` and
 * mounts. A route whose handler is not a function the review reads (a library's handler passed
 * through a wrapper, `export const GET = withLogging(handlers.GET)`) is known by this alone.
 */
export function chainGuards(sem: Semantics, route: RouteFact): { guards: Set<GuardKind>; rateLimited: boolean } {
  const guards = sem.routeGuards(route);
  const mount = mountOf(sem, route);
  for (const k of mount.guards) guards.add(k);
  const rateLimited = route.middleware.some(expressionIsRateLimit) || route.wrappers.some((w) => expressionIsRateLimit(w.node)) || routerLevelRateLimit(route) || mount.rateLimited;
  return { guards, rateLimited };
}

/** Every route's profile, built once per review and shared by the checks (which only read it). */
export function routeProfiles(sem: Semantics): RouteProfile[] {
  const state = cacheOf(sem);
  if (state.all) return state.all;
  const all: RouteProfile[] = [];
  for (const route of sem.allRoutes()) {
    const p = profileRoute(sem, route);
    if (p) all.push(p);
  }
  state.all = all;
  return all;
}

/** The route is unauthenticated on purpose: an auth endpoint, a public form, or configured public. */
export function isPublicByDesign(profile: RouteProfile): boolean {
  return profile.authEndpoint || profile.publicByDesign;
}



/** Tables and models that hold another user's account or their role. */
export const USER_TABLE_PATTERN = /^(users?|profiles?|accounts?|members?|memberships?|user_?roles?|roles?|user_?profiles?|admins?|staff|employees?|auth_?users?|org_?members?|organi[sz]ation_?members?|team_?members?|workspace_?members?)$/i;
export const ROLE_FIELD_PATTERN = /^(role|roles|is_?admin|is_?staff|is_?superuser|is_?owner|permissions?|scopes?|app_?metadata|access_?level|user_?role|membership_?role)$/i;
export const ORG_SETTINGS_TABLE_PATTERN = /^(org|orgs|organi[sz]ations?|workspaces?|teams?|tenants?|companies|company|accounts?_?settings|org_?settings|organi[sz]ation_?settings|workspace_?settings|billing\w*|subscriptions?|plans?|seats?|invoices?|payment_?methods?|api_?keys?|sso_?\w*|domains?)$/i;

/** What a route does besides reading and writing its own tables: mail, SMS or model calls, the admin client, a customer's payment records, a launched program. */
export function effectsBeyondData(profile: Pick<RouteProfile, "egress" | "adminClient" | "paymentAccount" | "processLaunch">): boolean {
  return profile.egress.some((e) => e.kind !== "http") || profile.adminClient !== undefined || profile.paymentAccount !== undefined || profile.processLaunch !== undefined;
}

/** Normalised table name: `"public.support_tickets"` → `support_tickets`, `supportTickets` stays. */
export function tableName(op: DbOperation): string | undefined {
  const table = op.table;
  if (!table) return undefined;
  // Asked many times of each operation: a bare name needs no quote stripping and no copy.
  const raw = /['"`]/.test(table) ? table.replace(/^['"`]|['"`]$/g, "").replace(/"/g, "") : table;
  if (!raw) return undefined;
  return raw.slice(raw.lastIndexOf(".") + 1);
}

/** Keys of an object literal (for `data: { role }`, `.update({ role })`). */
const RELATION_OPERATIONS = new Set(["connect", "connectOrCreate", "disconnect"]);

/** Prisma `data` that only links or unlinks related rows (`{ followedBy: { connect: { id } } }`). */
function relationsOnly(values: ts.Expression | undefined): boolean {
  const data = values ? skipOuterExpressions(values) : undefined;
  if (!data || !isObjectLiteralExpression(data) || data.properties.length === 0) return false;
  return data.properties.every((property) => {
    if (!isPropertyAssignment(property)) return false;
    const keys = objectKeys(property.initializer);
    return keys.length > 0 && keys.every((key) => RELATION_OPERATIONS.has(key));
  });
}

export function objectKeys(expr: ts.Expression | undefined): string[] {
  if (!expr) return [];
  const inner = skipOuterExpressions(expr);
  if (!isObjectLiteralExpression(inner)) return [];
  const keys: string[] = [];
  for (const property of inner.properties) {
    if (isPropertyAssignment(property) || isShorthandPropertyAssignment(property) || isMethodDeclaration(property)) {
      keys.push(property.name.getText().replace(/['"`]/g, ""));
    }
  }
  return keys;
}

/** The whole query expression a DB call belongs to (`db.select().from(t).where(…)`, `supabase.from(t).update(x).eq(…)`). */
export function queryExpression(call: CallFact): ts.Expression {
  let node: ts.Expression = call.node;
  for (let i = 0; i < 32; i++) {
    const parent: ts.Node = node.parent;
    if (isPropertyAccessExpression(parent) && isCallExpression(parent.parent) && parent.parent.expression === parent) {
      node = parent.parent;
      continue;
    }
    break;
  }
  return node;
}

const FILTER_METHODS = new Set(["where", "andWhere", "orWhere", "whereIn", "eq", "neq", "in", "is", "match", "filter", "or", "and", "contains", "having"]);

interface FilterMemo {
  nodes: readonly ts.Node[];
  /** The nodes' text joined by spaces, before any name is left out. */
  text?: string;
  /** {@link filterText}'s answer by the table name left out ("" for none). */
  byTable?: Map<string, string>;
}

/**
 * A query's filter, worked out once per call: three checks ask it of the same DB calls. Keyed by
 * the call's facts, which belong to one review's parse (no entry outlives that review's trees).
 */
const filterMemo = new WeakMap<CallFact, FilterMemo>();

function filterMemoOf(call: CallFact): FilterMemo {
  let memo = filterMemo.get(call);
  if (!memo) {
    memo = { nodes: computeFilterNodes(call) };
    filterMemo.set(call, memo);
  }
  return memo;
}

/**
 * Text of a query's filter: Prisma's `where`, the arguments of `.where()` / `.eq()` / `.match()` in
 * the chain (knex, Drizzle, Supabase); otherwise (Mongo filters, raw SQL) the whole query with the
 * table's own name left out, so a table called `org_members` is no org filter.
 */
export function filterNodes(call: CallFact): readonly ts.Node[] {
  return filterMemoOf(call).nodes;
}

function computeFilterNodes(call: CallFact): ts.Node[] {
  const query = queryExpression(call);
  const nodes: ts.Node[] = [];
  const first = call.args[0] ? skipOuterExpressions(call.args[0]) : undefined;
  if (first && isObjectLiteralExpression(first)) {
    for (const p of first.properties) if (isPropertyAssignment(p) && isWhereName(p.name)) nodes.push(p.initializer);
  }
  walk(query, (node) => {
    if (isCallExpression(node) && isPropertyAccessExpression(node.expression) && FILTER_METHODS.has(node.expression.name.text)) nodes.push(...node.arguments);
    return isFunctionLike(node) ? "skip" : undefined;
  });
  return nodes.length > 0 ? nodes : [query];
}

/**
 * A property name written exactly `where` (what `name.getText() === "where"` tests, without
 * rescanning trivia): a plain identifier, not `"where"`, `[where]` or an escaped spelling.
 */
function isWhereName(name: ts.PropertyName): boolean {
  return isIdentifier(name) && name.text === "where" && name.getSourceFile().text.slice(name.end - 5, name.end) === "where";
}

export function filterText(call: CallFact, table?: string): string {
  const memo = filterMemoOf(call);
  const key = table ?? "";
  const hit = memo.byTable?.get(key);
  if (hit !== undefined) return hit;
  memo.text ??= memo.nodes.map((n) => n.getText()).join(" ");
  const names = [table, call.name === "from" ? call.args[0]?.getText() : undefined].filter((n): n is string => Boolean(n));
  // Whole words only: `organization` leaves `organizationSlug` (a filter by the org) alone.
  const text = names.reduce((t, name) => t.replace(new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`, "g"), " "), memo.text);
  (memo.byTable ??= new Map()).set(key, text);
  return text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isFunctionLike(node: ts.Node): boolean {
  return isArrowFunction(node) || isFunctionExpression(node);
}

const SENSITIVE_TABLE_PATTERN =
  /patient|user|profile|customer|member|account|person|people|contact|employee|applicant|student|client|payment|card|bank|billing|invoice|medical|health|diagnos|prescription|medication|lab_?result|insurance|claim|ssn|tax|address|message|conversation|note/i;

/** The route touches sensitive or regulated data: by the tables it touches, or the fields the PR's classification found in its file. */
export function touchesSensitiveData(profile: RouteProfile, evidence: ReadonlyArray<{ path: string; tier: string; owner?: string }>): boolean {
  const tables = profile.db.map((d) => tableName(d.op) ?? "").filter(Boolean);
  if (tables.some((t) => SENSITIVE_TABLE_PATTERN.test(t))) return true;
  const files = new Set([profile.route.file.path, ...profile.db.map((d) => d.file.path)]);
  const lowered = new Set(tables.map((t) => t.toLowerCase()));
  return evidence.some((e) => (e.tier === "sensitive" || e.tier === "regulated") && (files.has(e.path) || (e.owner !== undefined && lowered.has(e.owner.toLowerCase()))));
}

/** What a route does with data, in a few words: "writes `task` (prisma update)". */
export function describeAccess(profile: RouteProfile): string {
  if (profile.processLaunch) return describeLaunch(profile.processLaunch);
  const pick = profile.writes[0] ?? profile.db[0];
  if (pick) {
    const table = tableName(pick.op);
    return `${pick.op.op === "write" ? "writes" : "reads"} ${table ? `\`${table}\`` : "the database"} (${pick.op.library} ${pick.op.method})`;
  }
  if (profile.paymentAccount) return `reaches a customer's payment records (${profile.paymentAccount.what})`;
  const out = profile.egress[0];
  if (out) return `sends request input through ${out.provider}`;
  if (profile.adminClient) return "uses the service-role client";
  return "handles request input";
}

/** The name of the project's auth call, when the PR already uses one. */
export function authFunctionName(sem: Semantics, file: AnalysedFile, fallback = "requireAuth"): string {
  for (const f of [file, ...sem.project.files]) {
    for (const imp of f.facts?.imports.values() ?? []) {
      if (/^(requireAuth|requireUser|requireSession)$/.test(imp.local) && !imp.typeOnly) return imp.local;
    }
  }
  return fallback;
}

export interface AdminOperation {
  /** `org-preference`: a team-wide product preference (see {@link preferenceFields}), reported below the others. */
  kind: "admin-path" | "admin-client" | "role-change" | "other-user" | "org-settings" | "org-preference" | "billing";
  /** A few words for the message: "changes `role` on `profiles`". */
  what: string;
  call?: ReachedCall;
}

const CALLER_MARKER = /\b(require(Auth|User|Session)|getServerSession|getSession|getCurrentUser|currentUser|validateRequest)\s*\(|\b(session|currentUser|viewer|caller|actor|me|claims\.sub|req\.user|req\.auth|request\.auth|ctx\.user|ctx\.session|ctx\.auth|locals\.user|auth\(\)|getUser\(\)|authUser|sessionUser)\b|\buser\.(id|userId|sub)\b|\b(auth|getUser|getAuth|currentUser)\(\)/;

/** Whether a write's filter names the caller (their own row) rather than an id from the request. */
export function filtersByCaller(sem: Semantics, reached: ReachedDbOperation): boolean {
  const own = (text: string) => CALLER_MARKER.test(text);
  const nodes = filterNodes(reached.call);
  if (nodes.some((n) => own(n.getText()))) return true;
  let found = false;
  for (const root of nodes) {
    walk(root, (node) => {
      if (!isIdentifier(node)) return undefined;
      const binding = sem.project.lookup(reached.file, node.text, node);
      const picked = binding?.kind === "var" && binding.init ? pickedFilters(node, binding.init) : undefined;
      // One of several filters picked by a value (`where[input.kind]`): the caller's only when every one it may pick is.
      if (picked) found = picked.length > 0 && picked.every((p) => own(p.getText()));
      else if (binding?.kind === "var" && binding.init && own(binding.init.getText())) found = true;
      // A helper's parameter (`updateTheme({ user, theme })` → `where: { id: user.id }`): the caller's
      // principal when every call of the helper passes it in.
      else if (binding?.kind === "param" && paramIsCaller(sem, binding.fn, binding.node, binding.path, 0)) found = true;
      return found ? "stop" : undefined;
    });
    if (found) break;
  }
  return found;
}

/**
 * The entries of an object of alternative filters a lookup picks from (`where[input.kind]` with
 * `const where = { a: eq(…), b: eq(…) }`): the one a literal key names, or all of them; undefined when
 * the name is not so indexed.
 */
export function pickedFilters(name: ts.Identifier, init: ts.Expression): ts.ObjectLiteralElementLike[] | undefined {
  const parent = name.parent;
  const object = skipOuterExpressions(init);
  if (!parent || !ts.isElementAccessExpression(parent) || parent.expression !== name || !isObjectLiteralExpression(object)) return undefined;
  const key = skipOuterExpressions(parent.argumentExpression);
  return object.properties.filter((p) => !ts.isStringLiteralLike(key) || (p.name !== undefined && p.name.getText().replace(/['"`]/g, "") === key.text));
}

/** Whether every call of a function passes the caller's principal (or a value read from it) for a parameter. */
function paramIsCaller(sem: Semantics, fn: FunctionFact, param: ts.ParameterDeclaration, path: readonly string[], depth: number): boolean {
  if (depth > 2) return false;
  const index = fn.node.parameters.indexOf(param);
  const callers = callersOf(sem, fn);
  if (index < 0 || callers.length === 0 || callers.length > 20) return false;
  return callers.every(({ file, call }) => {
    let arg: ts.Expression | undefined = call.args[index] && skipOuterExpressions(call.args[index]);
    // A destructured parameter (`{ user }`): the property the caller's object literal gives it.
    for (const key of path.slice(0, 1)) {
      if (!arg || !isObjectLiteralExpression(arg)) return false;
      const property = arg.properties.find((p) => p.name?.getText() === key);
      arg = property && isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : property && isShorthandPropertyAssignment(property) ? property.name : undefined;
    }
    return arg !== undefined && valueIsCaller(sem, file, arg, depth + 1);
  });
}

/** A value that is the caller's principal or read from it: `session.user.id`, a variable set from `requireUser(request)`, a parameter every caller fills so. */
function valueIsCaller(sem: Semantics, file: AnalysedFile, expr: ts.Expression, depth: number): boolean {
  if (CALLER_MARKER.test(expr.getText())) return true;
  let root: ts.Expression = expr;
  while (isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (!isIdentifier(root)) return false;
  const binding = sem.project.lookup(file, root.text, root);
  if (binding?.kind === "var") return binding.init !== undefined && CALLER_MARKER.test(binding.init.getText());
  if (binding?.kind === "param") return paramIsCaller(sem, binding.fn, binding.node, binding.path, depth);
  return false;
}

export function isAdminPath(route: RouteFact): boolean {
  return /(^|[/(])admin([/)]|$)/i.test(route.urlPath) || /(^|\/)(\(admin\)|admin)\//i.test(route.file.path);
}

/** Admin or role-gated work: admin paths, admin-client use, role changes, another user's account, org or billing settings. */
export function adminOperation(sem: Semantics, profile: RouteProfile): AdminOperation | undefined {
  // Asked of every profile by two checks: worked out once per review.
  const memo = cacheOf(sem).adminOperations;
  if (memo.has(profile)) return memo.get(profile);
  const op = computeAdminOperation(sem, profile);
  memo.set(profile, op);
  return op;
}

/**
 * Word stems of organisation settings that carry access, money, identity or policy: membership and
 * roles, sign-in and SSO, keys and secrets, addresses the app calls or sends to, sharing and
 * visibility, plan and billing, retention and deletion, the organisation's name and contacts.
 * Matched against the words of a field name (`enforceSso` → enforce, sso), as prefixes.
 */
const WEIGHTY_SETTING_WORD =
  /^(plan|billing|subscri|stripe|customer|payment|price|pricing|seat|limit|quota|credit|trial|pause|cancel|member|role|permission|owner|admin|invit|domain|sso|saml|oidc|oauth|scim|ldap|auth|login|signin|signup|password|passkey|mfa|2fa|two|totp|otp|token|key|secret|credential|cert|webhook|callback|redirect|url|uri|endpoint|host|origin|ip|cidr|cors|allow|deny|block|whitelist|allowlist|public|share|sharing|visib|access|private|require|enforce|restrict|verif|retention|expir|delete|archiv|disable|suspend|ban|lock|status|name|slug|email|phone|address|contact|tax|vat|encrypt|audit|log|security|policy|provider|integration|api)/i;

/**
 * The fields a write sets when every one of them is a product preference (`enableExcelAdvancedMode`,
 * `replicateDataroomFolders`, `surveyData`): the values are an object literal with plain keys (no
 * spread, no computed key) and no key has a word of {@link WEIGHTY_SETTING_WORD}. Otherwise undefined.
 */
export function preferenceFields(values: ts.Expression | undefined): string[] | undefined {
  const inner = values && skipOuterExpressions(values);
  if (!inner || !isObjectLiteralExpression(inner) || inner.properties.length === 0) return undefined;
  // A spread or a computed key may set any field: not known to be a preference.
  if (inner.properties.some((p) => !(isPropertyAssignment(p) || isShorthandPropertyAssignment(p)) || isComputedPropertyName(p.name))) return undefined;
  const keys = objectKeys(inner);
  return keys.every((key) => !identifierWords(key).some((word) => WEIGHTY_SETTING_WORD.test(word))) ? keys : undefined;
}

function computeAdminOperation(sem: Semantics, profile: RouteProfile): AdminOperation | undefined {
  // A team-wide preference is reported only when no write of the route is weightier.
  let preference: AdminOperation | undefined;
  for (const w of profile.writes) {
    // A write with no filter at all is `mutation/unfiltered-write`'s finding alone.
    if (unfilteredWrite(sem, w.file, w.call)) continue;
    const table = tableName(w.op) ?? "";
    const keys = objectKeys(w.op.values);
    const roleKey = keys.find((k) => ROLE_FIELD_PATTERN.test(k));
    if (w.op.library === "supabase-auth-admin") return { kind: "admin-client", what: `calls \`auth.admin.${w.op.method}\``, call: w };
    if (roleKey && (USER_TABLE_PATTERN.test(table) || !table)) {
      // Accepting an invitation: the caller's own membership gets the role the invitation (addressed to them) carries.
      if (roleFromCallerRecord(sem, profile, w, roleKey) && callerOwnWrite(sem, profile, w)) continue;
      return { kind: "role-change", what: `changes \`${roleKey}\` on \`${table || "a user"}\``, call: w };
    }
    // Linking the caller to another user (a follow: `followedBy: { connect: … }`) relates two accounts; it changes neither.
    if (USER_TABLE_PATTERN.test(table) && w.op.method !== "create" && w.op.method !== "insert" && !filtersByCaller(sem, w) && !filtersByPrincipal(sem, profile, w) && !relationsOnly(w.op.values) && !callerOwnWrite(sem, profile, w)) {
      return { kind: "other-user", what: `changes another user's \`${table}\` row (${w.op.method})`, call: w };
    }
    // Org and billing rows; a row the caller owns (filtered by their user id) is their own, not the org's.
    const ownRow = /(user_?id|owner_?id|created_?by\w*|author_?id)['"`]?\s*(?:[:,]|=(?!=))/i.test(filterText(w.call, table)) && (filtersByCaller(sem, w) || filtersByPrincipal(sem, profile, w));
    // A table of per-user records (the caller's own invoices) is the user's, not the organisation's: ownership, not role.
    if (ORG_SETTINGS_TABLE_PATTERN.test(table) && !/^(create|insert|createMany)$/.test(w.op.method) && !ownRow && !isPerUserTable(sem, table) && !callerOwnWrite(sem, profile, w)) {
      const billing = /billing|subscription|plan|seat|invoice|payment/i.test(table);
      const fields = billing || !/^(update|updateMany|updateOne|findOneAndUpdate|findByIdAndUpdate|set)$/.test(w.op.method) ? undefined : preferenceFields(w.op.values);
      if (fields) {
        preference ??= { kind: "org-preference", what: `changes a team-wide setting (\`${fields.join("`, `")}\` on \`${table}\`)`, call: w };
        continue;
      }
      return { kind: billing ? "billing" : "org-settings", what: `changes ${billing ? "billing" : "organisation"} settings (\`${table}\` ${w.op.method})`, call: w };
    }
  }
  for (const r of profile.reached) {
    const resolved = sem.callee(r.file, r.call);
    if (resolved.kind === "module" && resolved.module === "stripe") {
      const path = resolved.path.filter((p) => p !== "()");
      // A billing-portal session is where a customer manages their own billing: self-service, not an admin's work.
      if (/^(subscriptions|customers|subscriptionItems)$/.test(path[0] ?? "") && /^(update|cancel|del|create)$/.test(path[path.length - 1] ?? "")) {
        return { kind: "billing", what: `changes billing (\`stripe.${path.join(".")}\`)`, call: r };
      }
    }
  }
  if (profile.adminClient) return { kind: "admin-client", what: "uses the service-role client, which bypasses row-level security", call: profile.adminClient };
  if (isAdminPath(profile.route)) return { kind: "admin-path", what: "is an admin route" };
  return preference;
}

/** Auth.js credentials sign-in (`await signIn("credentials", formData)`): it checks a password, whatever its handler is named. */
/** Password hashing libraries' comparisons: a stored hash checked against what the caller typed. */
const PASSWORD_CHECK = { packages: /^(bcrypt|bcryptjs|argon2|@node-rs\/argon2|@node-rs\/bcrypt|password-hash)$/, methods: /^(compare|compareSync|verify|verifySync)$/ };

/** Whether a reached call (or, one call further, the project function it calls) compares a password with its stored hash. */
function checksPassword(sem: Semantics, reached: ReachedCall[]): boolean {
  const compares = (file: AnalysedFile, call: CallFact): boolean => {
    const callee = sem.callee(file, call);
    return callee.kind === "module" && PASSWORD_CHECK.packages.test(callee.module ?? "") && PASSWORD_CHECK.methods.test(callee.path.filter((p) => p !== "()").at(-1) ?? "");
  };
  return reached.some(({ file, call }) => {
    if (compares(file, call)) return true;
    const callee = sem.callee(file, call);
    return callee.kind === "function" && callee.fn !== undefined && callee.path.length === 0 && sem.callsWithin(callee.fn).some((inner) => compares(callee.file, inner));
  });
}

export function signsInWithCredentials(call: CallFact): boolean {
  const first = call.name === "signIn" && call.args[0] ? skipOuterExpressions(call.args[0]) : undefined;
  return first !== undefined && isStringLiteralLike(first) && first.text === "credentials";
}

const STRIPE_CUSTOMER_DATA = /^(customers|subscriptions|subscriptionItems|subscriptionSchedules|paymentMethods|invoices|billingPortal|setupIntents|paymentIntents|charges|refunds)$/;

/** The first reached call into a customer's records at Stripe (see {@link RouteProfile.paymentAccount}). */
function paymentAccountUse(sem: Semantics, reached: ReachedCall[]): RouteProfile["paymentAccount"] {
  for (const r of reached) {
    const resolved = sem.callee(r.file, r.call);
    if (resolved.kind !== "module" || resolved.module !== "stripe") continue;
    const path = resolved.path.filter((p) => p !== "()");
    // `stripe.checkout.sessions.retrieve(id)` hands back the customer of a session the caller names.
    const customerData = STRIPE_CUSTOMER_DATA.test(path[0] ?? "") || (path[0] === "checkout" && path[path.length - 1] === "retrieve");
    if (customerData) return { call: r, what: `\`stripe.${path.join(".")}\`` };
  }
  return undefined;
}

/** A route Next.js middleware runs in front of, path by path: an App Router route handler or a `pages/api` handler. */
export function isNextRequestRoute(route: RouteFact): boolean {
  return route.kind === "next-app" || route.kind === "next-pages";
}

/** A Next.js `middleware.ts` (`proxy.ts`) in the PR that checks a role and matches `/admin` covers admin-path routes. */

export function middlewareRoleGatesAdmin(sem: Semantics): boolean {
  for (const file of sem.project.files) {
    if (!NEXT_MIDDLEWARE.test(file.path)) continue;
    // One whose guards could be read gates the routes its role guards cover, through their profiles.
    if (nextMiddlewares(sem).some((m) => m.file === file && m.guards)) continue;
    const fn = file.facts?.functions.find((f) => f.exported && (f.name === "middleware" || f.name === "proxy" || f.name === "default"));
    if (!fn || !/['"`]\/admin/.test(file.text)) continue;
    if (sem.guardsInFunction(file, fn).has("role")) return true;
  }
  return false;
}
