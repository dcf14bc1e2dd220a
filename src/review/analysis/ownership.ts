import { ts } from "ts-morph";
import { isFunctionNode, skipOuterExpressions, type CallFact, type FunctionFact } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import { filterNodes, filtersByCaller, filterText, pickedFilters, tableName, USER_TABLE_PATTERN, type ReachedCall, type ReachedDbOperation, type RouteProfile } from "./route-profile.js";
import { PRISMA_READS, TYPEORM_READS, type DbOperation, type RouteFact, type Semantics } from "./semantics.js";
import { endsInExit, mentionsName, orTerms, returnedExpressions, walk } from "./nodes.js";
import { statementOf } from "./value-trace.js";
import { unfilteredWrite } from "./writes.js";
import { nestInputParameter } from "../frameworks/nestjs.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isArrowFunction, isBinaryExpression, isCallExpression, isConditionalExpression, isElementAccessExpression, isFunctionExpression, isIdentifier, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isStringLiteralLike, isVariableDeclaration } = ts;

/**
 * Object-level authorization: where the values of a query's filter come from (the request, the
 * caller, a record already loaded, a constant), which request ids a route has tied to the caller
 * (a filter by the caller, a permission or membership helper given the id, a comparison after the
 * fetch), and which tables hold per-user records. The ownership rule asks it of each route.
 */

export type SourceKind = "request" | "principal" | "record" | "constant" | "unknown";

export interface Source {
  kind: SourceKind;
  /** For request values: a readable path of where it is read (`params.id`, `input.projectId`, `formData.get(id)`). */
  origin?: string;
  /** The expression the value was read at (for messages and fixes). */
  expr: ts.Expression;
  /** For records: the member path read from the record (`serverId` of `server.serverId`), when one was. */
  field?: string;
}

/** Segments of a request object's member path that hold what the client sent. */
const REQUEST_SEGMENT = /^(params|query|body|input|rawInput|searchParams|nextUrl|param|params|json|formData|valid|url|data|args|payload|variables)$/;
/** Segments that hold the authenticated caller (put there by auth middleware or the session; `authentication` is what an API-key or JWT check yields, the key's own environment or project among it). */
const PRINCIPAL_SEGMENT = /^(user|session|auth|authentication|currentUser|viewer|principal|claims|me|actor|sessionUser|authUser|userId|userID|jwt|token)$/;
/** A context entry auth middleware sets (`c.get("apiAuth")`, `c.get("currentUser")`): the caller, whatever prefix the app gives it. */
const CONTEXT_PRINCIPAL_KEY = /(Auth|User|Session|Principal|Viewer|Caller|Actor|Claims|Identity)$/;
/** The request object itself, as a source's origin. */
const REQUEST_OBJECT = /^(req|request)$/;
const CLIENT_SEGMENT = /^(db|prisma|database|client|orm|drizzle|knex|sql|redis|cache|services?|repos?|repositories|models?|em|manager|dataSource)$/;
/** Parameter names that are the request's input by name. */
const REQUEST_NAME = /^(params|query|body|input|searchParams|formData|data|args|payload|values|variables|id|[a-z]\w*Id|[a-z]\w*Ids|slug)$/;
/** Calls that return the caller (a session, a user, their claims, what an API key or token authenticates: `authenticateApiRequest(request)`). */
const SESSION_CALL = /^(auth|getServerSession|getServerAuthSession|getSession|getSessionUser|currentUser|getCurrentUser|getUser|getAuth|getAuthUser|getLoggedInUser|getViewer|requireAuth|requireUser|requireSession|requireViewer|validateRequest|getUserOrThrow|getSessionOrThrow|authenticate|getPrincipal|getCaller|getToken|verifySession|getUserFromSession|getUserSession|assertAuthenticated|ensureAuthenticated|authenticate(Api|Request|ApiRequest|ApiKey|Key|Token|Jwt|Bearer)\w*)$/;
/** Array methods that hand back one or some of a list's own rows, picked by a callback. */
const ARRAY_PICK = /^(find|findLast|filter)$/;
/** Calls that read what the client sent (Nuxt/h3 helpers and the like). */
const REQUEST_CALL = /^(readBody|readValidatedBody|getQuery|getValidatedQuery|getRouterParam|getRouterParams|getValidatedRouterParams|readFormData|readMultipartFormData|useParams|useSearchParams)$/;
/** Form and body parsers named for what they parse (`parseWithZod(formData, { schema })`, `parseFormData`, `validateBody`): their result holds the input's fields. */
const PARSER_CALL = /^(?:safe)?(?:parse|validate)(?:With\w*|Form\w*|Body|Json|Input|Query|Params|Request\w*|Submission|Schema)$/;
/** Calls whose result is their input's value, transformed (parsing, validation, conversion, a getter on a request container). */
const PASS_THROUGH_CALL = /^(parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|cast|coerce|Number|String|BigInt|parseInt|parseFloat|decodeURIComponent|trim|toString|toLowerCase|toUpperCase|get|getAll|param|valid|json|formData|text|query|header|toNumber|assertString|z)$/;
/** Text that reads as the caller, for values the trace could not follow. */
export const PRINCIPAL_TEXT =
  /\b(session|currentUser|viewer|caller|actor|me|sessionUser|authUser)\b(\??\.\w+)*|\b(req|request|ctx|context|locals|c)\??\.(user|auth|session)\b|\bclaims\??\.sub\b|\buser\??\.(id|userId|sub|_id)\b|\b(auth|getUser|getAuth|currentUser)\(\)|\bsocket\??\.(data\??\.)?(user|userId|userID|session)\b/;

/** A permission, membership or ownership helper's name (`canEditProject`, `assertProjectAccess`, `requireMember`, `ability.can`). */
export const ACCESS_HELPER =
  /^(can|may)([A-Z]\w*)?$|^(has|is)[A-Z]\w*(Access|Permission|Permissions|Member|Membership|Owner|Role|Admin|Editor|Viewer)\w*$|^(check|assert|ensure|require|verify|authori[sz]e|guard|protect|enforce|get|load|fetch|find)\w*(Access|Permission|Permissions|Member|Membership|Owner|Ownership|Role|Authori[sz]ation|Allowed|Rights)\w*$|^(authori[sz]e|checkAccess|checkPermission|assertCan|ensureCan|requireCan|canAccess|forbidUnless|throwUnless)\w*$|^(throw|fail|deny|reject|forbid|abort)(If|Unless)\w*$|^\w*(Forbidden|Unauthori[sz]ed|NotAllowed)\w*$/;
/** Names of calls that do work rather than decide who may (they never check access, whatever their arguments). */
const NOT_ACCESS = /^(log|audit|track|record|report|capture|send|notify|emit|publish|enqueue|format|parse|render|serialize|respond|redirect|revalidate|create|insert|update|delete|upsert|save|set)/i;

export interface TraceContext {
  sem: Semantics;
  route: RouteFact;
  handler: FunctionFact;
  /** Calls into the PR's functions reached from the handler, by the function they call. */
  callSites: Map<FunctionFact, ReachedCall[]>;
  /** {@link returnsScoped}'s answers on this route. */
  scopedFunctions: Map<FunctionFact, boolean>;
  /**
   * tRPC: read a handler's `ctx.<key>` through what the procedure's middleware passed on as that key
   * (see {@link middlewareContextSource}); the ownership rule's reading, set on its own context.
   */
  middlewareContext?: Map<string, boolean>;
}

function unknown(expr: ts.Expression): Source {
  return { kind: "unknown", expr };
}

/** Where a value comes from (several sources for a composite value). Bounded: an unknown past the depth limit. */
export function sourcesOf(ctx: TraceContext, file: AnalysedFile, expression: ts.Expression, depth = 0, path: string[] = []): Source[] {
  if (depth > 8) return [unknown(expression)];
  const expr = skipOuterExpressions(expression);
  if (isStringLiteralLike(expr) || expr.kind === SyntaxKind.NumericLiteral || expr.kind === SyntaxKind.TrueKeyword || expr.kind === SyntaxKind.FalseKeyword || expr.kind === SyntaxKind.NullKeyword) {
    return [{ kind: "constant", expr }];
  }
  if (isObjectLiteralExpression(expr)) {
    // A member of an object built here (`fn({ memberId: input.memberId, role })` read as `memberId`): that property's value.
    if (path.length > 0) {
      for (const property of expr.properties) {
        const key = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : undefined;
        if (key !== path[0]) continue;
        if (isPropertyAssignment(property)) return sourcesOf(ctx, file, property.initializer, depth + 1, path.slice(1));
        if (isShorthandPropertyAssignment(property)) return sourcesOf(ctx, file, property.name, depth + 1, path.slice(1));
      }
      // Not named here: it comes from what is spread in (`{ ...input, orgId }` read as `aiId` is `input.aiId`).
      const spreads = expr.properties.filter(isSpreadAssignment);
      if (spreads.length === 0) return [{ kind: "constant", expr }];
      return spreads.flatMap((spread) => sourcesOf(ctx, file, spread.expression, depth + 1, path));
    }
    const out: Source[] = [];
    for (const property of expr.properties) {
      if (isPropertyAssignment(property)) out.push(...sourcesOf(ctx, file, property.initializer, depth + 1));
      else if (isShorthandPropertyAssignment(property)) out.push(...sourcesOf(ctx, file, property.name, depth + 1));
      else if (isSpreadAssignment(property)) out.push(...sourcesOf(ctx, file, property.expression, depth + 1));
    }
    return out;
  }
  if (isConditionalExpression(expr)) return [...sourcesOf(ctx, file, expr.whenTrue, depth + 1, path), ...sourcesOf(ctx, file, expr.whenFalse, depth + 1, path)];
  if (isBinaryExpression(expr)) return [...sourcesOf(ctx, file, expr.left, depth + 1), ...sourcesOf(ctx, file, expr.right, depth + 1)];
  if (ts.isTemplateExpression(expr)) return expr.templateSpans.flatMap((s) => sourcesOf(ctx, file, s.expression, depth + 1));
  if (ts.isArrayLiteralExpression(expr)) return expr.elements.flatMap((e) => sourcesOf(ctx, file, e, depth + 1));
  if (isPropertyAccessExpression(expr) || isElementAccessExpression(expr)) {
    const key = isPropertyAccessExpression(expr) ? expr.name.text : isStringLiteralLike(expr.argumentExpression) ? expr.argumentExpression.text : "[]";
    return sourcesOf(ctx, file, expr.expression, depth + 1, [key, ...path]).map((s) => (s.kind === "request" || s.kind === "unknown" ? { ...s, expr } : s));
  }
  if (isCallExpression(expr)) return callSources(ctx, file, expr, depth, path);
  if (isIdentifier(expr)) return identifierSources(ctx, file, expr, depth, path);
  return [unknown(expr)];
}

function withPath(origin: string, path: string[]): string {
  return path.length === 0 ? origin : `${origin}.${path.join(".")}`;
}

/** A request-rooted value by its member path: the caller where the path goes through `user`/`session`, the request's input where it goes through `params`/`body`/…. */
function classifyPath(rootName: string, path: string[], wholeIsInput: boolean, expr: ts.Expression): Source {
  const segments = [rootName, ...path];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    // A client hung on the context (`ctx.db.query.boards`) holds no request values.
    if (i > 0 && CLIENT_SEGMENT.test(segment)) return unknown(expr);
    if (i > 0 && PRINCIPAL_SEGMENT.test(segment)) return { kind: "principal", expr };
    if (i === 0 && /^(user|session|currentUser|viewer|principal|claims|me|auth|authentication|locals)$/.test(segment) && !wholeIsInput) return { kind: segment === "locals" ? "unknown" : "principal", expr };
    if (REQUEST_SEGMENT.test(segment) || (i === 0 && REQUEST_NAME.test(segment))) return { kind: "request", origin: segments.slice(i).join("."), expr };
    // The request object hung on a context (Hono's `c.req`, Koa's `ctx.request`): what is read from it is the client's.
    if (i > 0 && i === segments.length - 1 && /^(req|request)$/.test(segment)) return { kind: "request", origin: segment, expr };
    if (i > 0 && segments[i - 1] === "locals") return { kind: "principal", expr };
  }
  return wholeIsInput ? { kind: "request", origin: segments.join("."), expr } : unknown(expr);
}

function callSources(ctx: TraceContext, file: AnalysedFile, call: ts.CallExpression, depth: number, path: string[]): Source[] {
  const callee = skipOuterExpressions(call.expression);
  const name = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : "";
  const fact = ctx.sem.project.callOf(call);
  const field = path.length > 0 ? { field: path.join(".") } : {};
  if (fact && ctx.sem.dbOperation(file, fact)) return [{ kind: "record", expr: call, ...field }];
  // `existing.find((e) => e.key === key)`: a row picked from a list is a row of that list, as a
  // `for (const row of rows)` row is. Only a callback picks: `find(id)` on a client is a lookup.
  if (ARRAY_PICK.test(name) && isPropertyAccessExpression(callee) && call.arguments.length > 0 && isFunctionNode(skipOuterExpressions(call.arguments[0]!))) {
    return sourcesOf(ctx, file, callee.expression, depth + 1, path);
  }
  if (REQUEST_CALL.test(name)) {
    const arg = call.arguments[1] && isStringLiteralLike(call.arguments[1]) ? `(${call.arguments[1].text})` : "";
    return [{ kind: "request", origin: withPath(`${name}${arg}`, path), expr: call }];
  }
  // Given the request itself (`requireUserId(request)`), not a value read from it (`getUser(input.userId)`).
  const givenInput = () => call.arguments.some((a) => sourcesOf(ctx, file, a, depth + 1).some((s) => s.kind === "request" && !REQUEST_OBJECT.test(s.origin ?? "")));
  if ((SESSION_CALL.test(name) || (fact !== undefined && isPrincipalGuard(ctx.sem, file, fact))) && !givenInput()) return [{ kind: "principal", expr: call }];
  if (fact !== undefined && authenticationStep(ctx, file, fact, depth)) return [{ kind: "principal", expr: call }];
  // `c.get("user")`, `event.context.get("session")`: a request container's caller entry.
  if (name === "get" && call.arguments[0] && isStringLiteralLike(call.arguments[0]) && (PRINCIPAL_SEGMENT.test(call.arguments[0].text) || CONTEXT_PRINCIPAL_KEY.test(call.arguments[0].text))) return [{ kind: "principal", expr: call }];
  if (PASS_THROUGH_CALL.test(name) || PARSER_CALL.test(name)) {
    const out: Source[] = [];
    const arg = call.arguments[0] && isStringLiteralLike(call.arguments[0]) ? `(${call.arguments[0].text})` : "";
    // The receiver counts when it is the request's or the caller's (`formData.get("id")`), not when it is a parser (`schema.parse(x)`).
    if (isPropertyAccessExpression(callee)) {
      for (const s of sourcesOf(ctx, file, callee.expression, depth + 1)) if (s.kind === "request" || s.kind === "principal") out.push(s.kind === "request" ? { ...s, origin: withPath(`${s.origin ?? "input"}.${name}${arg}`, path), expr: call } : s);
    }
    for (const a of call.arguments) for (const s of sourcesOf(ctx, file, a, depth + 1)) out.push(s.kind === "request" ? { ...s, origin: withPath(s.origin ?? "input", path) } : s);
    const decisive = out.filter((s) => s.kind === "request" || s.kind === "principal");
    if (decisive.length > 0) return decisive;
    return out.length > 0 && out.every((s) => s.kind === "constant") ? out : [{ kind: "record", expr: call, ...field }];
  }
  // Anything else made from the value (a helper's result, a lookup) is a new value, not the request's.
  return [{ kind: "record", expr: call, ...field }];
}

/**
 * A step of the caller's authentication: a function of the review handed the whole result of an
 * authentication call (`authenticatedEnvironment(authenticationResult, projectRef, env)`, not a
 * field read from it) that decides by what it holds (a member of its parameter in an `if`, `switch`
 * or `?:` condition, such as the kind of credential or the project the key belongs to):
 * what it hands back is what the presented credential reaches, the caller's own tenant, even where
 * the request names which one (a lookup the credential does not reach is the step's to refuse).
 */
function authenticationStep(ctx: TraceContext, file: AnalysedFile, call: CallFact, depth: number): boolean {
  const index = call.args.findIndex((arg) => {
    if (!isIdentifier(skipOuterExpressions(arg))) return false;
    const sources = sourcesOf(ctx, file, arg, depth + 1);
    return sources.length > 0 && sources.every((s) => s.kind === "principal" && isCallExpression(skipOuterExpressions(s.expr)));
  });
  if (index < 0) return false;
  const callee = ctx.sem.callee(file, call);
  const param = callee.kind === "function" && callee.path.length === 0 ? callee.fn?.node.parameters[index] : undefined;
  const body = callee.fn?.node.body;
  if (!param || !isIdentifier(param.name) || !body) return false;
  // What it holds decides, not whether it is there: `if (!auth) throw …` alone may precede any lookup.
  const name = param.name.text;
  const readsMember = (condition: ts.Node) => {
    let found = false;
    walk(condition, (node) => {
      if (found) return "stop";
      if (isPropertyAccessExpression(node) && isIdentifier(node.expression) && node.expression.text === name) found = true;
      return undefined;
    });
    return found;
  };
  let decides = false;
  walk(body, (node) => {
    if (decides) return "stop";
    const condition = ts.isIfStatement(node) || ts.isSwitchStatement(node) ? node.expression : isConditionalExpression(node) ? node.condition : undefined;
    if (condition && readsMember(condition)) decides = true;
    return undefined;
  });
  return decides;
}

function identifierSources(ctx: TraceContext, file: AnalysedFile, id: ts.Identifier, depth: number, path: string[]): Source[] {
  if (id.text === "undefined") return [{ kind: "constant", expr: id }];
  const binding = ctx.sem.project.lookup(file, id.text, id);
  if (!binding) return [unknown(id)];
  if (binding.kind === "var") {
    // `for (const row of rows)`: a row of the list it walks.
    const loop = binding.decl.parent?.parent;
    if (!binding.init && loop && ts.isForOfStatement(loop)) return sourcesOf(ctx, file, loop.expression, depth + 1, [...binding.path, ...path]);
    if (!binding.init) return [unknown(id)];
    // A destructured name reads its path of the initialiser: `const { id } = await params` → `params.id`.
    // Request values keep the name as the query writes it (`documentId`), for messages and fixes.
    return sourcesOf(ctx, file, binding.init, depth + 1, [...binding.path, ...path]).map((s) => (s.kind === "unknown" || (s.kind === "request" && path.length === 0 && (binding.path.length > 0 || !isIdentifier(s.expr))) ? { ...s, expr: id } : s));
  }
  if (binding.kind === "param") {
    const fn = binding.fn;
    if (fn === ctx.handler) return [paramSource(ctx, fn, binding.node, binding.name, [...binding.path, ...path], id)];
    // A function of the PR called from the route: what its callers pass.
    const sites = ctx.callSites.get(fn);
    const index = fn.node.parameters.indexOf(binding.node);
    if (!sites || sites.length === 0 || index < 0) return [unknown(id)];
    const out: Source[] = [];
    for (const site of sites.slice(0, 4)) {
      const arg = site.call.args[index];
      if (!arg) continue;
      out.push(...sourcesOf(ctx, site.file, arg, depth + 1, [...binding.path, ...path]));
    }
    return out.length > 0 ? out : [unknown(id)];
  }
  if (binding.kind === "import" || binding.kind === "class" || binding.kind === "function") return [{ kind: "constant", expr: id }];
  return [unknown(id)];
}

/** A handler parameter's value: server actions and tRPC inputs are the client's; request objects by the member read. */
function paramSource(ctx: TraceContext, fn: FunctionFact, node: ts.ParameterDeclaration, name: string, path: string[], expr: ts.Expression): Source {
  const kind = ctx.route.kind;
  const index = fn.node.parameters.indexOf(node);
  if (kind === "server-action") {
    // An action built on a client (`authActionClient.action(async ({ ctx, parsedInput }) => …)`): `ctx` is the middleware's, not the client's.
    const segments = [name, ...path];
    if (segments.some((p) => /^(ctx|context)$/.test(p))) return classifyPath(name, path, false, expr);
    const principal = path.find((p) => PRINCIPAL_SEGMENT.test(p));
    return principal ? { kind: "principal", expr } : { kind: "request", origin: withPath(name, path), expr };
  }
  // NestJS: a parameter decorated as the client's (`@Args("id")`, `@Body()`, `@Param("id")`), whatever its name.
  if (kind === "nest" && nestInputParameter(ctx.sem, ctx.sem.handlerFileOf(ctx.route), node)) return { kind: "request", origin: withPath(name, path), expr };
  // Next.js route handlers: `(request, { params })`.
  if ((kind === "next-app" || kind === "sveltekit" || kind === "remix") && index === 1) return { kind: "request", origin: withPath(name, path), expr };
  // tRPC: `({ ctx, input })`.
  if (kind === "trpc") {
    const [first, ...rest] = [name, ...path];
    const root = node.name.kind === SyntaxKind.ObjectBindingPattern ? name : rest[0] ?? first!;
    if (root === "input" || root === "rawInput") return { kind: "request", origin: withPath(name, path), expr };
    const classified = classifyPath(name, path, false, expr);
    if (classified.kind !== "unknown" || !ctx.middlewareContext) return classified;
    // `ctx.space.id` (or `opts.ctx.space.id`): what the procedure's middleware put on the context as `space`.
    // A destructured `{ ctx }` reads as `ctx` followed by its path in the parameter (`ctx.ctx.space`).
    const segments = [name, ...path];
    let at = segments.findIndex((p) => /^(ctx|context)$/.test(p));
    if (at > 1) at = -1;
    while (at >= 0 && /^(ctx|context)$/.test(segments[at + 1] ?? "")) at++;
    const key = at >= 0 ? segments[at + 1] : undefined;
    if (key && middlewareContextSource(ctx, key)) return { kind: "principal", expr };
    return classified;
  }
  return classifyPath(name, path, false, expr);
}

/**
 * tRPC: whether the procedure's middleware hands the handler `ctx.<key>` derived from the caller
 * alone (`spaceProcedure = authed.use(async ({ ctx, next }) => next({ ctx: { space: await
 * getActiveSpaceForUser(ctx.user.id) } }))`): the caller's own membership or record, so a filter on
 * it scopes the query to the caller. A value read by a request id (`input.projectId`), or through
 * code the trace cannot follow, is not credited.
 */
function middlewareContextSource(ctx: TraceContext, key: string): boolean {
  const memo = ctx.middlewareContext!;
  const known = memo.get(key);
  if (known !== undefined) return known;
  // Guards against a middleware that hands on what an earlier one set (`space: ctx.space`).
  memo.set(key, false);
  let derived = false;
  const callee = ctx.route.registration ? skipOuterExpressions(ctx.route.registration.callee) : undefined;
  if (callee && isPropertyAccessExpression(callee)) {
    for (const { file, fn } of procedureMiddleware(ctx.sem, ctx.route.file, callee.expression)) {
      const values = contextValuesPassed(fn, key);
      if (values.length === 0) continue;
      const inner: TraceContext = { ...ctx, handler: fn, callSites: new Map(), scopedFunctions: new Map() };
      derived = values.every((value) => {
        const sources = sourcesOf(inner, file, value).filter((s) => s.kind !== "constant");
        return sources.length > 0 && sources.every((s) => callerDerived(inner, file, s));
      });
      if (!derived) break;
    }
  }
  memo.set(key, derived);
  return derived;
}

/** The caller, a query filtered by the caller, or a call given the caller and nothing from the request (`getActiveSpaceForUser(ctx.user.id)`). */
function callerDerived(ctx: TraceContext, file: AnalysedFile, source: Source): boolean {
  if (isPrincipal(source)) return true;
  if (source.kind !== "record") return false;
  const call = skipOuterExpressions(source.expr);
  if (!isCallExpression(call)) return false;
  const fact = ctx.sem.project.callOf(call);
  const op = fact && ctx.sem.dbOperation(file, fact);
  if (fact && op) return filterSources(ctx, { file, call: fact, op }).some(isPrincipal);
  const given = call.arguments.flatMap((a) => sourcesOf(ctx, file, a)).filter((s) => s.kind !== "constant");
  return given.length > 0 && given.some(isPrincipal) && given.every((s) => isPrincipal(s) || callerDerived(ctx, file, s));
}

/**
 * The functions a procedure's builder chain runs before its handler: those passed along the chain
 * (`.use(async ({ ctx, next }) => …)`, `.use(mw)` with `mw = t.middleware(fn)`), down to the root
 * builder and the chain that defines it (in this file or the one it is imported from).
 */
function procedureMiddleware(sem: Semantics, file: AnalysedFile, expression: ts.Expression): Array<{ file: AnalysedFile; fn: FunctionFact }> {
  const out: Array<{ file: AnalysedFile; fn: FunctionFact }> = [];
  sem.walkBuilderChain(file, expression, 0, { fn: (at, fn) => out.push({ file: at, fn }) }, false);
  return out;
}

/** What a middleware passes on as `ctx.<key>`: `next({ ctx: { key: value } })`, `next({ ctx: { key } })`. */
function contextValuesPassed(fn: FunctionFact, key: string): ts.Expression[] {
  const values: ts.Expression[] = [];
  if (!fn.node.body) return values;
  walk(fn.node.body, (node) => {
    if (isFunctionNode(node) && node !== fn.node) return "skip";
    if (!isCallExpression(node) || calleeName(node) !== "next") return undefined;
    const arg = node.arguments[0] ? skipOuterExpressions(node.arguments[0]) : undefined;
    if (!arg || !isObjectLiteralExpression(arg)) return undefined;
    for (const p of arg.properties) {
      if (!isPropertyAssignment(p) || p.name.getText() !== "ctx") continue;
      const inner = skipOuterExpressions(p.initializer);
      if (!isObjectLiteralExpression(inner)) continue;
      for (const q of inner.properties) {
        if (isPropertyAssignment(q) && q.name.getText() === key) values.push(q.initializer);
        else if (isShorthandPropertyAssignment(q) && q.name.text === key) values.push(q.name);
      }
    }
    return undefined;
  });
  return values;
}

/** The sources of every value a query's filter compares with (not the column names it compares them to). */
export function filterSources(ctx: TraceContext, reached: ReachedDbOperation): Source[] {
  const out: Source[] = [];
  for (const root of filterNodes(reached.call)) collectLeaves(ctx, reached.file, root, out, 0);
  return out;
}

function collectLeaves(ctx: TraceContext, file: AnalysedFile, node: ts.Node, out: Source[], depth: number): void {
  if (depth > 12) return;
  if (ts.isExpression(node)) {
    const expr = skipOuterExpressions(node);
    if (isObjectLiteralExpression(expr)) {
      for (const property of expr.properties) {
        if (isPropertyAssignment(property)) collectLeaves(ctx, file, property.initializer, out, depth + 1);
        else if (isShorthandPropertyAssignment(property)) collectLeaves(ctx, file, property.name, out, depth + 1);
        else if (isSpreadAssignment(property)) out.push(...sourcesOf(ctx, file, property.expression));
      }
      return;
    }
    if (isCallExpression(expr)) {
      const fact = ctx.sem.project.callOf(expr);
      // A DB call in a filter (`findUnique(…)` itself when the filter could not be isolated): its arguments.
      const callee = skipOuterExpressions(expr.expression);
      const name = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : "";
      const dbCall = fact !== undefined && ctx.sem.dbOperation(file, fact) !== undefined;
      if (dbCall || /^(eq|ne|and|or|inArray|not|gt|gte|lt|lte|like|ilike|isNull|exists|sql)$/.test(name) || !PASS_THROUGH_CALL.test(name)) {
        // A query's receiver (`ctx.db.query.boards`) is the client, not a value it filters by.
        if (isPropertyAccessExpression(callee) && !dbCall) collectLeaves(ctx, file, callee.expression, out, depth + 1);
        for (const arg of expr.arguments) collectLeaves(ctx, file, arg, out, depth + 1);
        return;
      }
    }
    if (isArrowFunction(expr) || isFunctionExpression(expr)) return;
    if (isConditionalExpression(expr)) {
      collectLeaves(ctx, file, expr.whenTrue, out, depth + 1);
      collectLeaves(ctx, file, expr.whenFalse, out, depth + 1);
      return;
    }
    if (isBinaryExpression(expr) && expr.operatorToken.kind !== SyntaxKind.EqualsToken) {
      collectLeaves(ctx, file, expr.left, out, depth + 1);
      collectLeaves(ctx, file, expr.right, out, depth + 1);
      return;
    }
    if (ts.isArrayLiteralExpression(expr)) {
      for (const e of expr.elements) collectLeaves(ctx, file, e, out, depth + 1);
      return;
    }
    // An identifier holding the filter object (`const where = { … }`): its values.
    if (isIdentifier(expr)) {
      const binding = ctx.sem.project.lookup(file, expr.text, expr);
      if (binding?.kind === "var" && binding.path.length === 0 && binding.init && isObjectLiteralExpression(skipOuterExpressions(binding.init))) {
        collectLeaves(ctx, file, binding.init, out, depth + 1);
        return;
      }
    }
    out.push(...sourcesOf(ctx, file, expr));
    return;
  }
  ts.forEachChild(node, (child) => collectLeaves(ctx, file, child, out, depth + 1));
}

/** Whether a value is the caller, by trace or, where the trace ended, by how it reads. */
function isPrincipal(s: Source): boolean {
  return s.kind === "principal" || (s.kind === "unknown" && PRINCIPAL_TEXT.test(s.expr.getText()));
}

function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

// ---- tables that hold per-user records ---------------------------------------------------------

const OWNER_COLUMN = /^(user_?id|owner_?id|author_?id|created_?by(_?id)?|creator_?id|account_?id)$/i;
const OWNER_COLUMN_IN_TEXT = /\b(user_?id|owner_?id|author_?id|created_?by(?:_?id)?|creator_?id)\b/i;
const TABLE_BUILDERS = /^(pgTable|mysqlTable|sqliteTable|table)$/;

export function normTable(name: string): string {
  return name.replace(/^.*\./, "").replace(/["'`]/g, "").replace(/[_-]/g, "").toLowerCase().replace(/s$/, "");
}

export interface OwnedTable {
  /** Queried filtered by the caller somewhere in the code read: the app treats its rows as the caller's. */
  private: boolean;
  /** The owner column, as a caller filter or the schema names it (`userId`). */
  column?: string;
  /** A caller filter on it as written (`eq(notifications.userId, session.user.id)`, `userId: session.user.id`), for fixes. */
  snippet?: string;
}

const ownedCache = new WeakMap<Semantics, Map<string, OwnedTable>>();

/** Tables with an owner column (schema, DDL, a create that sets it from the caller) or filtered by the caller, by normalised name. */
export function ownedTables(sem: Semantics): Map<string, OwnedTable> {
  let tables = ownedCache.get(sem);
  if (tables) return tables;
  tables = new Map();
  ownedCache.set(sem, tables);
  const mark = (table: string, entry: OwnedTable) => {
    const key = normTable(table);
    const old = tables!.get(key);
    tables!.set(key, { private: entry.private || (old?.private ?? false), column: old?.column ?? entry.column, snippet: old?.snippet ?? entry.snippet });
  };
  for (const file of sem.project.files) {
    if (file.language === "prisma") {
      for (const m of file.text.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)) {
        const column = /^\s*(\w+)\s/m.exec((m[2] ?? "").split("\n").find((line) => OWNER_COLUMN.test(line.trim().split(/\s+/)[0] ?? "")) ?? "")?.[1];
        if (column) mark(m[1]!, { private: false, column });
      }
    }
    if (file.language === "sql") {
      for (const m of file.text.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?([\w."]+)\s*\(([\s\S]*?)\);/gi)) {
        const column = OWNER_COLUMN_IN_TEXT.exec(m[2] ?? "")?.[1];
        if (column) mark(m[1]!, { private: false, column });
      }
    }
    for (const call of file.facts?.calls ?? []) {
      if (TABLE_BUILDERS.test(call.name) && call.args.length >= 2) {
        const column = OWNER_COLUMN_IN_TEXT.exec(call.args[1]!.getText())?.[1];
        const parent = call.node.parent;
        if (column && isVariableDeclaration(parent)) mark(parent.name.getText(), { private: false, column });
        if (column && isStringLiteralLike(call.args[0]!)) mark(call.args[0].text, { private: false, column });
        continue;
      }
      const op = sem.dbOperation(file, call);
      const table = op ? tableName(op) : undefined;
      if (!op || !table) continue;
      if (/^(create|insert|createMany|insertOne|insertMany)$/.test(op.method)) {
        const set = ownerAssignment(op.values);
        if (set) mark(table, { private: false, column: set });
        continue;
      }
      const reached: ReachedDbOperation = { file, call, op };
      if (!filtersByCaller(sem, reached)) continue;
      // Private only where the caller is compared on an owner column (`userId: session.user.id`), not merely mentioned.
      const snippet = callerFilterSnippet(reached);
      if (snippet) mark(table, { private: true, column: snippet.column, snippet: snippet.text });
    }
  }
  return tables;
}

/** A table whose rows the code treats as one user's: filtered by the caller somewhere, and with no tenant column in its filters. */
export function isPerUserTable(sem: Semantics, table: string): boolean {
  return ownedTables(sem).get(normTable(table))?.private === true;
}

/** The owner key a create sets from the caller (`data: { …, userId: session.user.id }`). */
function ownerAssignment(values: ts.Expression | undefined): string | undefined {
  const inner = values ? skipOuterExpressions(values) : undefined;
  if (!inner || !isObjectLiteralExpression(inner)) return undefined;
  for (const property of inner.properties) {
    if (!isPropertyAssignment(property) && !isShorthandPropertyAssignment(property)) continue;
    const key = property.name.getText();
    const value = isPropertyAssignment(property) ? property.initializer.getText() : key;
    if (OWNER_COLUMN.test(key) && PRINCIPAL_TEXT.test(value)) return key;
  }
  return undefined;
}

/** Prisma's relation filters: what they hold constrains related rows. */
const RELATION_QUANTIFIER = /^(some|every|none|is|isNot)$/;

/** The caller comparison inside a filter: `userId: session.user.id` (Prisma) or `eq(t.userId, session.user.id)` (Drizzle). */
function callerFilterSnippet(reached: ReachedDbOperation): { column: string; text: string } | undefined {
  let found: { column: string; text: string } | undefined;
  for (const root of filterNodes(reached.call)) {
    walk(root, (node) => {
      // `users: { some: { userId } }` names a member of a related table, not this table's owner: a team
      // its members share is not a per-user table.
      if (isPropertyAssignment(node) && RELATION_QUANTIFIER.test(node.name.getText())) return "skip";
      if (isPropertyAssignment(node) && OWNER_COLUMN.test(node.name.getText()) && PRINCIPAL_TEXT.test(node.initializer.getText())) {
        found = { column: node.name.getText(), text: node.getText() };
      } else if (isCallExpression(node) && node.arguments.length === 2 && isPropertyAccessExpression(node.arguments[0]!) && PRINCIPAL_TEXT.test(node.arguments[1]!.getText())) {
        const column = (node.arguments[0] as ts.PropertyAccessExpression).name.text;
        if (OWNER_COLUMN.test(column)) found = { column, text: node.getText() };
      }
      return found ? "stop" : undefined;
    });
    if (found) break;
  }
  return found;
}

// ---- routes ------------------------------------------------------------------------------------

export interface OwnershipGap {
  op: ReachedDbOperation;
  /** `unowned`: nothing ties the record to the caller; `child`: a parent was checked, this record by a second id was not. */
  shape: "unowned" | "child";
  /** The request value the record is found by, as written in the query (`id`, `input.id`). */
  idText: string;
  /** The checked parent: its table and the variable holding it, when the route keeps one. */
  parent?: { table?: string; variable?: string; idText: string };
}

/**
 * Drizzle writes through a client hung on the request context (`ctx.db.update(items).set(…).where(…)`),
 * which the shared catalogue reads as Drizzle only on a bare client (`db.update(t)`): this rule's own reading.
 */
function contextClientWrites(sem: Semantics, profile: RouteProfile): ReachedDbOperation[] {
  const out: ReachedDbOperation[] = [];
  for (const r of profile.reached) {
    const chain = r.call.chain;
    if (chain.length !== 3 || !/^(ctx|context|opts)$/.test(chain[0]!) || !/^(db|database|drizzle|tx)$/.test(chain[1]!)) continue;
    if ((r.call.name !== "update" && r.call.name !== "delete") || r.call.args.length !== 1 || !isIdentifier(skipOuterExpressions(r.call.args[0]!))) continue;
    if (sem.dbOperation(r.file, r.call)) continue;
    out.push({ ...r, op: { op: "write", library: "drizzle", method: r.call.name, table: r.call.args[0]!.getText(), call: r.call } });
  }
  return out;
}

interface ResultVariable {
  name: string;
  scope: ts.Node;
  file: AnalysedFile;
  /** Where its declaration ends. */
  at: number;
}

/** Where a record a query returns is kept: `const invoice = await prisma.invoice.findFirst(…)` → `invoice`; for a query in a helper, the handler's variable for the helper's result. */
function resultVariable(ctx: TraceContext, reached: ReachedCall): ResultVariable | undefined {
  let call: ReachedCall | undefined = reached;
  for (let i = 0; i < 3 && call; i++) {
    let node: ts.Node = call.call.node;
    for (let j = 0; j < 12 && node.parent; j++) {
      const parent: ts.Node = node.parent;
      if (isVariableDeclaration(parent)) {
        const scope = call.call.fn?.node ?? parent.getSourceFile();
        if (isIdentifier(parent.name)) return { name: parent.name.text, scope, file: call.file, at: parent.getEnd() };
        // `const [invoice] = await db.select()…`: the first element.
        if (ts.isArrayBindingPattern(parent.name) && parent.name.elements[0] && ts.isBindingElement(parent.name.elements[0]) && isIdentifier(parent.name.elements[0].name)) return { name: parent.name.elements[0].name.text, scope, file: call.file, at: parent.getEnd() };
        return undefined;
      }
      if (ts.isStatement(parent) || isArrowFunction(parent) || isFunctionExpression(parent)) break;
      node = parent;
    }
    // A query in a helper: the handler's call of that helper.
    const fn: FunctionFact | undefined = call.call.fn;
    const sites: ReachedCall[] | undefined = fn ? ctx.callSites.get(fn) : undefined;
    call = sites?.[0];
  }
  return undefined;
}

/** Prisma's relation lists a query loads with a filter of their own (`include: { users: { where: { userId } } }`), by their path through nested `include`/`select`. */
function nestedRelations(call: CallFact): Array<{ path: string[]; where: ts.Expression }> {
  const out: Array<{ path: string[]; where: ts.Expression }> = [];
  const visit = (args: ts.ObjectLiteralExpression, path: string[]) => {
    if (path.length > 3) return;
    for (const p of args.properties) {
      if (!isPropertyAssignment(p) || !/^(include|select)$/.test(p.name.getText())) continue;
      const relations = skipOuterExpressions(p.initializer);
      if (!isObjectLiteralExpression(relations)) continue;
      for (const relation of relations.properties) {
        if (!isPropertyAssignment(relation) || !(isIdentifier(relation.name) || isStringLiteralLike(relation.name))) continue;
        const value = skipOuterExpressions(relation.initializer);
        if (!isObjectLiteralExpression(value)) continue;
        const at = [...path, relation.name.text];
        const where = value.properties.find((q): q is ts.PropertyAssignment => isPropertyAssignment(q) && q.name.getText() === "where");
        if (where) out.push({ path: at, where: where.initializer });
        visit(value, at);
      }
    }
  };
  const first = call.args[0] ? skipOuterExpressions(call.args[0]) : undefined;
  if (first && isObjectLiteralExpression(first)) visit(first, []);
  return out;
}

/** An answer that ends the request refused: a throw, or a return with a 401/403/404, a redirect or an error. */
function refuses(statement: ts.Statement): boolean {
  const text = statement.getText();
  return /\bthrow\b|\bnotFound\(|\bredirect\(/.test(text) || (/\breturn\b/.test(text) && /\b40[134]\b|forbidden|unauthori[sz]ed|denied|not allowed|not found|error/i.test(text));
}

/** A list tested for emptiness (`x.length === 0`, `!x.length`, `x.length < 1`): the list's text, without optional chaining. */
function emptinessTarget(expression: ts.Expression): string | undefined {
  const expr = skipOuterExpressions(expression);
  const lengthOf = (side: ts.Expression) => {
    const e = skipOuterExpressions(side);
    return isPropertyAccessExpression(e) && e.name.text === "length" ? plainPath(e.expression) : undefined;
  };
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === SyntaxKind.ExclamationToken) return lengthOf(expr.operand);
  if (!isBinaryExpression(expr)) return undefined;
  const op = expr.operatorToken.kind;
  const zero = (e: ts.Expression) => skipOuterExpressions(e).getText() === "0";
  const one = (e: ts.Expression) => skipOuterExpressions(e).getText() === "1";
  if ((op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken || op === SyntaxKind.LessThanEqualsToken) && zero(expr.right)) return lengthOf(expr.left);
  if ((op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken) && zero(expr.left)) return lengthOf(expr.right);
  if (op === SyntaxKind.LessThanToken && one(expr.right)) return lengthOf(expr.left);
  return undefined;
}

function plainPath(expr: ts.Expression): string {
  return expr.getText().replace(/\s+/g, "").replace(/\?\./g, ".").replace(/!\./g, ".");
}

/**
 * Relation lists loaded with a record (see {@link nestedRelations}) that the route refuses on when
 * they come back empty, in an `if` after the record is loaded (`if (!team || team.users.length === 0)
 * return 403`): each with where its test ends.
 */
function testedNestedLists(reached: ReachedDbOperation, variable: ResultVariable): Array<{ path: string[]; where: ts.Expression; testedAt: number }> {
  const relations = nestedRelations(reached.call);
  if (relations.length === 0) return [];
  const out: Array<{ path: string[]; where: ts.Expression; testedAt: number }> = [];
  walk(variable.scope, (node) => {
    // A test inside a callback runs when (and if) the callback does.
    if (node !== variable.scope && isFunctionNode(node)) return "skip";
    if (!ts.isIfStatement(node) || node.pos < variable.at || !refuses(node.thenStatement)) return undefined;
    // Any of `a || b || c` refuses by itself.
    for (const d of orTerms(node.expression)) {
      const target = emptinessTarget(d);
      if (!target) continue;
      for (const relation of relations) if (target === `${variable.name}.${relation.path.join(".")}` && !out.some((o) => o.where === relation.where)) out.push({ ...relation, testedAt: node.getEnd() });
    }
    return undefined;
  });
  return out;
}

/** Whether the route compares a record it loaded with the caller, or hands it to a permission helper. */
function recordChecked(ctx: TraceContext, variable: { name: string; scope: ts.Node }, file: AnalysedFile, isChecked: (origin: string) => boolean = () => false): boolean {
  // The record and the values read from it (`const members = team?.users`), two steps deep.
  const names = new Set([variable.name]);
  for (let round = 0; round < 2; round++) {
    walk(variable.scope, (node) => {
      if (isVariableDeclaration(node) && isIdentifier(node.name) && node.initializer && !names.has(node.name.text)) {
        const init = node.initializer.getText();
        if ([...names].some((n) => new RegExp(`\\b${n.replace(/\$/g, "\\$")}\\b`).test(init))) names.add(node.name.text);
      }
    });
  }
  const mentions = new RegExp(`\\b(${[...names].map((n) => n.replace(/\$/g, "\\$")).join("|")})\\b`);
  let checked = false;
  walk(variable.scope, (node) => {
    if (checked) return "stop";
    if (isBinaryExpression(node) && /^(===|!==|==|!=)$/.test(node.operatorToken.getText())) {
      const statement = statementOf(node) ?? node;
      if (!mentions.test(statement.getText())) return undefined;
      const sides = [...sourcesOf(ctx, file, node.left), ...sourcesOf(ctx, file, node.right)];
      // Compared with the caller, or with an id already tied to the caller (`dataroom.teamId !== teamId`).
      if (sides.some((x) => isPrincipal(x) || (x.kind === "request" && x.origin !== undefined && isChecked(x.origin)))) checked = true;
      return undefined;
    }
    if (isCallExpression(node)) {
      const name = calleeName(node);
      if (ACCESS_HELPER.test(name) && !NOT_ACCESS.test(name) && node.arguments.some((a) => mentions.test(a.getText()))) checked = true;
      // `ability.can("update", subject("Project", project))`, `assertOwnership(project, user)`.
      if (/^(can|cannot|authorize|throwUnlessCan)$/.test(name) && node.arguments.some((a) => mentions.test(a.getText()))) checked = true;
    }
    return undefined;
  });
  return checked;
}

function calleeName(call: ts.CallExpression): string {
  const callee = skipOuterExpressions(call.expression);
  return isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : "";
}

/** The key a value is compared on in a filter (`{ slug: domain }` → `slug`, `eq(t.token, x)` → `token`), or "". */
function filterKeyOf(expr: ts.Expression): string {
  let node: ts.Node = expr;
  for (let i = 0; i < 4 && node.parent; i++, node = node.parent) {
    const parent: ts.Node = node.parent;
    if (isPropertyAssignment(parent) && parent.initializer === node) return parent.name.getText();
    if (isShorthandPropertyAssignment(parent)) return parent.name.text;
    if (isCallExpression(parent) && parent.arguments.length === 2 && parent.arguments[1] === node && isPropertyAccessExpression(parent.arguments[0]!)) return (parent.arguments[0] as ts.PropertyAccessExpression).name.text;
    if (!isPropertyAccessExpression(parent) && !ts.isAsExpression(parent) && !ts.isNonNullExpression(parent)) break;
  }
  return "";
}

const ID_NAME = /^(id|ids|uuid|_id|pk|key)$|Id$|Ids$|_id$|_ids$|ID$/;

function idLike(source: Source): boolean {
  const key = filterKeyOf(source.expr);
  if (key) return ID_NAME.test(key.replace(/['"`]/g, ""));
  const name = source.origin!.split(".").at(-1)!.replace(/^get\((.*)\)$/, "$1");
  return ID_NAME.test(name) || ID_NAME.test(source.expr.getText().split(".").at(-1) ?? "");
}

const ORG_ORIGIN = /org|tenant|workspace|team|company/i;
const TENANT_TABLE = /^(orgs?|organi[sz]ations?|teams?|workspaces?|tenants?|companies|company)$/i;
const CAPABILITY_KEY = /token|secret|hash|nonce|otp|code|invite|share|slug|handle|username|email/i;
const CREATE_METHOD = /^(create|insert|createMany|createManyAndReturn|insertOne|insertMany|bulkCreate|save|upsert)$/;

const traceContexts = new WeakMap<RouteProfile, TraceContext | null>();

/** How values flow on one route: the handler and the calls into the PR's functions it reaches. Worked out once per profile. */
export function traceContext(sem: Semantics, profile: RouteProfile): TraceContext | undefined {
  const memo = traceContexts.get(profile);
  if (memo !== undefined) return memo ?? undefined;
  const handler = profile.route.handler;
  let ctx: TraceContext | null = null;
  if (handler) {
    const callSites = new Map<FunctionFact, ReachedCall[]>();
    for (const r of profile.reached) {
      const callee = sem.callee(r.file, r.call);
      // A function of the PR, or the method of a service the constructor is given (`this.notes.rename(ref)`), as reachability reads it.
      const fn = callee.kind === "function" && callee.path.length === 0 ? callee.fn : sem.injectedMethod(r.file, r.call)?.fn;
      if (fn) {
        const list = callSites.get(fn);
        if (list) list.push(r);
        else callSites.set(fn, [r]);
      }
    }
    ctx = { sem, route: profile.route, handler, callSites, scopedFunctions: new Map() };
  }
  traceContexts.set(profile, ctx);
  return ctx ?? undefined;
}

/** A call that authenticates the caller and yields them (`requireUserId(request)`, a project's `getAuthedUser()`): not a webhook check. */
function isPrincipalGuard(sem: Semantics, file: AnalysedFile, call: CallFact): boolean {
  const kinds = sem.guardKinds(file, call.node);
  return kinds.has("auth") || kinds.has("role");
}

/** Filter text that scopes rows to the caller's organisation or memberships (`orgId`, `members: { some: { userId } }`). */
export const ORG_FILTER = /org|tenant|workspace/i;
const MEMBERSHIP_FILTER = /\b\w*members(?:hips)?\s*:\s*\{\s*(?:some|every)\s*:\s*\{[^}]*\b(?:userId|user_id|user)\b/i;

/** Filter text that names the org or the caller's membership. */
export function namesOrgScope(text: string): boolean {
  return ORG_FILTER.test(text) || MEMBERSHIP_FILTER.test(text);
}

/**
 * Whether a value a filter compares with is scoped to the caller: the caller themself, or read from
 * a record that was itself found by a scoped filter (`project.id` of a project found with
 * `organization: { members: { some: { userId } } }`; a row found with `organizationId` and then
 * changed by its id), directly or as what a helper of the PR returns.
 */
export function scopedSource(ctx: TraceContext, source: Source, depth = 0): boolean {
  if (isPrincipal(source)) return true;
  if (source.kind !== "record" || depth > 3) return false;
  const read = recordCall(ctx, source);
  if (!read) return false;
  const { fact, file, op } = read;
  // A row this request just created is the caller's own new record.
  if (op && CREATE_METHOD.test(op.method)) return true;
  if (op) return scopedQuery(ctx, { file, call: fact, op }, depth + 1);
  // A query on a client the catalogue does not know (`$replica.project.findFirst({ where })`): read by its filter all the same.
  if ((PRISMA_READS.has(fact.name) || TYPEORM_READS.has(fact.name)) && fact.chain.length >= 3) {
    const text = filterText(fact);
    if (namesOrgScope(text)) return true;
  }
  const callee = ctx.sem.callee(file, fact);
  if (callee.kind !== "function" || !callee.fn || callee.path.length > 0) return false;
  return returnsScoped(ctx, callee.fn, depth + 1);
}

/** The call a record was read by (`await db.project.findFirst(…)`, a helper's call), its file, and its database operation when it is one. */
export function recordCall(ctx: TraceContext, source: Source): { call: ts.CallExpression; fact: CallFact; file: AnalysedFile; op: DbOperation | undefined } | undefined {
  const call = skipOuterExpressions(source.expr);
  if (!isCallExpression(call)) return undefined;
  const fact = ctx.sem.project.callOf(call);
  const file = fact && ctx.sem.project.fileOf(call);
  if (!fact || !file) return undefined;
  return { call, fact, file, op: ctx.sem.dbOperation(file, fact) };
}

/** A query whose filter scopes it to the caller's organisation, memberships or self, by text or by where its values come from. */
export function scopedQuery(ctx: TraceContext, reached: ReachedDbOperation, depth = 0): boolean {
  const table = tableName(reached.op);
  const text = `${filterText(reached.call, table)} ${heldConditionsText(ctx, reached)}`;
  if (namesOrgScope(text)) return true;
  return filterSources(ctx, reached).some((s) => scopedSource(ctx, s, depth));
}

/**
 * Conditions a filter takes from a variable (`and(...conditions)`, `where: filter`): the variable's
 * initial value and what the function pushes onto it (`conditions.push(eq(t.orgId, orgId))`).
 */
function heldConditionsText(ctx: TraceContext, reached: ReachedDbOperation): string {
  const parts: string[] = [];
  const scope = reached.call.fn?.node ?? reached.call.node.getSourceFile();
  const seen = new Set<string>();
  const visit = (root: ts.Node, depth: number) => {
    walk(root, (node) => {
      if (!isIdentifier(node) || parts.length > 8 || seen.has(node.text)) return undefined;
      const binding = ctx.sem.project.lookup(reached.file, node.text, node);
      if (binding?.kind !== "var" || !binding.init || binding.path.length > 0) return undefined;
      const init = skipOuterExpressions(binding.init);
      // A variable built from held conditions (`const where = and(...conditions)`): what it is built from.
      if (isCallExpression(init) && depth < 2 && /^(and|or|not)$/.test(calleeName(init))) {
        seen.add(node.text);
        visit(init, depth + 1);
        return undefined;
      }
      if (!ts.isArrayLiteralExpression(init) && !isObjectLiteralExpression(init)) return undefined;
      // One of several filters picked by a value (`where[input.kind]`): scoped only when every one of them is.
      const picked = pickedFilters(node, init);
      if (picked) {
        if (picked.length > 0 && picked.every((p) => namesOrgScope(p.getText()))) parts.push(picked.map((p) => p.getText()).join(" "));
        return undefined;
      }
      seen.add(node.text);
      parts.push(init.getText());
      walk(scope, (inner) => {
        if (isCallExpression(inner) && isPropertyAccessExpression(inner.expression) && inner.expression.name.text === "push" && isIdentifier(inner.expression.expression) && inner.expression.expression.text === node.text) {
          parts.push(inner.arguments.map((a) => a.getText()).join(" "));
        }
      });
      return undefined;
    });
  };
  for (const root of filterNodes(reached.call)) visit(root, 0);
  return parts.join(" ");
}

/** The route compares the record a query returned with the caller (`if (app.organizationId !== ctx.session.activeOrganizationId) throw …`) or gives it to an access helper. */
export function checkedAfterFetch(ctx: TraceContext, reached: ReachedDbOperation): boolean {
  const variable = resultVariable(ctx, reached);
  return variable !== undefined && recordChecked(ctx, variable, variable.file);
}

/** Where an org check after a fetch stands: the `if` that denies, in the file it is written in. */
export interface OrgCheck {
  file: AnalysedFile;
  /** The denying `if` statement. */
  statement: ts.Statement;
  /**
   * Where, in the route's handler, the check has run: the `if` itself when the handler holds it, or
   * the handler's call of the helper that checks (`await findProviderInOrganization(id, orgId)`).
   */
  passed?: ts.Node;
}

/** Whether a node of the handler runs after an org check (past its `if`, or past the handler's call of the helper that holds it). */
function runsPastCheck(check: OrgCheck, at: ts.Node): boolean {
  const point = check.passed ?? check.statement;
  return point.getSourceFile() === at.getSourceFile() && point.end <= at.pos;
}

/**
 * The record a query returned is compared with the caller (`if (app.environment.project.organizationId
 * !== ctx.session.activeOrganizationId) throw …`) by an `if` that denies (throws or returns) and that
 * runs whenever the record was fetched, before anything else uses it. The record is followed out of
 * the helpers that return it (`const app = await findAppById(input.id)` with the query in `findAppById`).
 * Only the record itself counts, read through member paths, and its parent: a second record looked up
 * by the first's id-like reference to it (`findProjectById(environment.projectId)`) and checked vouches
 * for the first (the record belongs to it); one looked up by any other field (a name) does not.
 */
export function orgCheckAfterFetch(ctx: TraceContext, reached: ReachedDbOperation): OrgCheck | undefined {
  const sources = filterSources(ctx, reached);
  if (!sources.some((s) => s.kind === "request" || s.kind === "record")) return undefined;
  return checkedRecord(ctx, reached, 0);
}

function checkedRecord(ctx: TraceContext, call: ReachedCall, depth: number): OrgCheck | undefined {
  if (depth > 3) return undefined;
  const held = heldBy(call.call.node);
  if (held === "returned") return checkedAtCallers(ctx, call, depth);
  if (!held) return undefined;
  const check = denyingComparison(ctx, call.file, held);
  if (check) {
    const handler = ctx.handler.node;
    const inHandler = check.statement.getSourceFile() === handler.getSourceFile() && check.statement.pos >= handler.pos && check.statement.end <= handler.end;
    const passed = inHandler ? undefined : handlerCallOf(ctx, call);
    return passed ? { ...check, passed } : check;
  }
  // A helper that hands the record back (`return app`): its callers' variables.
  const fn = call.call.fn;
  if (!fn || fn === ctx.handler || !fn.node.body) return undefined;
  const returned = returnedExpressions(fn.node.body);
  if (returned.length === 0 || !returned.every((r) => {
    const e = skipOuterExpressions(r);
    return (isIdentifier(e) && e.text === held.name) || e.kind === SyntaxKind.NullKeyword || (isIdentifier(e) && e.text === "undefined");
  })) return undefined;
  return checkedAtCallers(ctx, call, depth);
}

function checkedAtCallers(ctx: TraceContext, call: ReachedCall, depth: number): OrgCheck | undefined {
  const fn = call.call.fn;
  const sites = fn && fn !== ctx.handler ? ctx.callSites.get(fn) : undefined;
  if (!sites || sites.length === 0) return undefined;
  const checked: Array<{ site: ReachedCall; check: OrgCheck }> = [];
  const unchecked: ReachedCall[] = [];
  for (const site of sites) {
    const check = checkedRecord(ctx, site, depth + 1);
    if (check) checked.push({ site, check });
    else unchecked.push(site);
  }
  if (checked.length === 0) return undefined;
  // Every call of the helper on the route checks what it returns, or looks the same record up again
  // (by the same request id) after a call that did.
  if (!unchecked.every((site) => checked.some((c) => sameLookupAfter(ctx, site, c.site, c.check)))) return undefined;
  return checked[0]!.check;
}

/**
 * The request values a call is given: undefined when any argument is something else (the caller, a
 * computed value, a record's field). A record's field counts as the request values the record was
 * looked up by when it is the record's own key: the record comes from the same helper, and the field
 * is the column that helper finds the row by (`findServerById(server.serverId)` with `server` found
 * by `findServerById(input.serverId)`).
 */
function requestKeys(ctx: TraceContext, site: ReachedCall, depth = 0): string[] | undefined {
  const node = site.call.node;
  if (!isCallExpression(node) || node.arguments.length === 0 || depth > 2) return undefined;
  const helper = ctx.sem.callee(site.file, site.call);
  const keys: string[] = [];
  for (const arg of node.arguments) {
    for (const source of sourcesOf(ctx, site.file, arg)) {
      if (source.kind === "constant") continue;
      if (source.kind === "record" && source.field && helper.kind === "function" && helper.fn) {
        const read = recordCall(ctx, source);
        const readHelper = read && !read.op ? ctx.sem.callee(read.file, read.fact) : undefined;
        if (!read || readHelper?.fn !== helper.fn || !lookupColumns(helper.fn).has(source.field)) return undefined;
        const inner = requestKeys(ctx, { file: read.file, call: read.fact }, depth + 1);
        if (!inner) return undefined;
        keys.push(...inner);
        continue;
      }
      if (source.kind !== "request" || !source.origin) return undefined;
      keys.push(source.origin);
    }
  }
  return keys.length > 0 ? keys : undefined;
}

/** The columns a helper's queries compare its parameters with (`eq(server.serverId, serverId)` → `serverId`). */
function lookupColumns(fn: FunctionFact): Set<string> {
  const params = new Set(fn.node.parameters.flatMap((p) => (isIdentifier(p.name) ? [p.name.text] : [])));
  const columns = new Set<string>();
  if (!fn.node.body) return columns;
  walk(fn.node.body, (node) => {
    if (isIdentifier(node) && params.has(node.text) && !(isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const key = filterKeyOf(node);
      if (key) columns.add(key.replace(/^["']|["']$/g, ""));
    }
    return undefined;
  });
  return columns;
}

/**
 * A call of a record helper that looks up again, by the same request values, the record another
 * call of it returned and the route compared with the caller's org (`findServerById(input.serverId)`
 * checked, then `updateServer(input.serverId, …)` finding it again), running after that check.
 */
function sameLookupAfter(ctx: TraceContext, site: ReachedCall, checkedSite: ReachedCall, check: OrgCheck): boolean {
  const keys = requestKeys(ctx, site);
  const checkedKeys = requestKeys(ctx, checkedSite);
  if (!keys || !checkedKeys || !keys.every((key) => checkedKeys.some((other) => related(key, other)))) return false;
  const at = handlerCallOf(ctx, site);
  return at !== undefined && runsPastCheck(check, at);
}

/** The variable a call's result is kept in (`const x = await call(…)`), or "returned" when its function returns it directly. */
function heldBy(node: ts.Node): { name: string; declaration: ts.VariableDeclaration } | "returned" | undefined {
  let at: ts.Node = node;
  for (let j = 0; j < 12 && at.parent; j++) {
    const parent: ts.Node = at.parent;
    if (isVariableDeclaration(parent)) {
      if (isIdentifier(parent.name)) return { name: parent.name.text, declaration: parent };
      // `const [row] = await db.select()…limit(1)`: the one row.
      const first = ts.isArrayBindingPattern(parent.name) && parent.name.elements.length === 1 ? parent.name.elements[0] : undefined;
      return first && ts.isBindingElement(first) && !first.dotDotDotToken && isIdentifier(first.name) ? { name: first.name.text, declaration: parent } : undefined;
    }
    if (ts.isReturnStatement(parent) || (isArrowFunction(parent) && parent.body === at)) return "returned";
    if (ts.isStatement(parent) || isArrowFunction(parent) || isFunctionExpression(parent)) return undefined;
    at = parent;
  }
  return undefined;
}

/**
 * A denying `if` after the variable's declaration, in the same block, whose condition compares the
 * record (or a member path of it) with the caller; the statements between may only test the record
 * in denying `if`s (`if (!app) throw NOT_FOUND`).
 */
function denyingComparison(ctx: TraceContext, file: AnalysedFile, held: { name: string; declaration: ts.VariableDeclaration }, depth = 0): OrgCheck | undefined {
  const statement = held.declaration.parent?.parent;
  const block = statement?.parent;
  if (!statement || !ts.isVariableStatement(statement) || !block || !(ts.isBlock(block) || ts.isSourceFile(block))) return undefined;
  const names = new Set([held.name]);
  const statements = block.statements;
  for (let i = statements.indexOf(statement) + 1; i < statements.length; i++) {
    const next = statements[i]!;
    if (ts.isIfStatement(next) && endsInExit(next.thenStatement)) {
      if (comparesWithCaller(ctx, file, next.expression, names)) return { file, statement: next };
      continue;
    }
    // An alias of a member path (`const project = app.environment.project`) is the record too.
    if (ts.isVariableStatement(next) && next.declarationList.declarations.every((d) => d.initializer && memberOf(d.initializer, names))) {
      for (const d of next.declarationList.declarations) if (isIdentifier(d.name)) names.add(d.name.text);
      continue;
    }
    // The record's parent looked up by the record's reference to it (`const project = await
    // findProjectById(environment.projectId)`) and compared with the caller's org: the record belongs
    // to that parent, so the parent's check ties it too.
    const parent = depth < 2 ? parentLookup(next, names) : undefined;
    if (parent) return denyingComparison(ctx, file, parent, depth + 1);
    // An access helper given the record's id (`await checkServiceAccess(ctx, project.projectId, "create")`) decides, it does not use the record.
    if (accessHelperStatement(next)) continue;
    if (mentionsName(next, names)) return undefined;
  }
  return undefined;
}

/** `const parent = await find…(record.parentId)`: a lookup given only id-like member paths of the record (and constants). */
function parentLookup(statement: ts.Statement, names: ReadonlySet<string>): { name: string; declaration: ts.VariableDeclaration } | undefined {
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return undefined;
  const declaration = statement.declarationList.declarations[0]!;
  if (!isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  let init = skipOuterExpressions(declaration.initializer);
  if (ts.isAwaitExpression(init)) init = skipOuterExpressions(init.expression);
  if (!isCallExpression(init) || init.arguments.length === 0) return undefined;
  let keyed = false;
  for (const arg of init.arguments) {
    const value = skipOuterExpressions(arg);
    if (ts.isStringLiteralLike(value) || ts.isNumericLiteral(value)) continue;
    if (!isPropertyAccessExpression(value) || !memberOf(value, names) || !ID_NAME.test(value.name.text) || /^(id|_id|uuid|pk|key)$/i.test(value.name.text)) return undefined;
    keyed = true;
  }
  return keyed ? { name: declaration.name.text, declaration } : undefined;
}

/** `await checkProjectAccess(ctx, project.projectId, "create")`: a statement that only calls an access helper. */
function accessHelperStatement(statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  let e = skipOuterExpressions(statement.expression);
  if (ts.isAwaitExpression(e)) e = skipOuterExpressions(e.expression);
  return isCallExpression(e) && ACCESS_HELPER.test(calleeName(e)) && !NOT_ACCESS.test(calleeName(e));
}

/** A member path rooted at one of the names (`app.environment?.project!.organizationId`). */
function memberOf(expression: ts.Expression, names: ReadonlySet<string>): boolean {
  let e = skipOuterExpressions(expression);
  for (let i = 0; i < 8 && isPropertyAccessExpression(e); i++) e = skipOuterExpressions(e.expression);
  return isIdentifier(e) && names.has(e.text) && e !== skipOuterExpressions(expression);
}

/** A condition that is, or has as an `||` operand, `record.path !== caller` (either side). */
function comparesWithCaller(ctx: TraceContext, file: AnalysedFile, condition: ts.Expression, names: ReadonlySet<string>): boolean {
  const e = skipOuterExpressions(condition);
  if (isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.BarBarToken) return comparesWithCaller(ctx, file, e.left, names) || comparesWithCaller(ctx, file, e.right, names);
  if (!isBinaryExpression(e) || (e.operatorToken.kind !== SyntaxKind.ExclamationEqualsEqualsToken && e.operatorToken.kind !== SyntaxKind.ExclamationEqualsToken)) return false;
  const callerSide = (side: ts.Expression) => sourcesOf(ctx, file, side).some(isPrincipal);
  return (memberOf(e.left, names) && callerSide(e.right)) || (memberOf(e.right, names) && callerSide(e.left));
}

/** Request values of the route's queries whose records are org-checked after the fetch, with the check that ties them. */
export function orgCheckedOrigins(ctx: TraceContext, profile: RouteProfile): Array<{ origin: string; check: OrgCheck }> {
  const out: Array<{ origin: string; check: OrgCheck }> = [];
  for (const d of profile.db) {
    const check = orgCheckAfterFetch(ctx, d);
    if (!check) continue;
    for (const s of filterSources(ctx, d)) if (s.kind === "request" && s.origin) out.push({ origin: s.origin, check });
  }
  // A record a call the review could not read returns for a request id (`const app = await findAppById(input.id)`), then compared with the caller's org.
  for (const r of profile.reached) {
    if (ctx.sem.dbOperation(r.file, r.call) || r.call.fn !== ctx.handler || !isCallExpression(r.call.node)) continue;
    const callee = ctx.sem.callee(r.file, r.call);
    if (callee.kind === "function" && callee.fn) continue;
    const held = heldBy(r.call.node);
    if (!held || held === "returned") continue;
    const sources = r.call.node.arguments.flatMap((a) => sourcesOf(ctx, r.file, a));
    if (sources.some((s) => s.kind === "record")) continue;
    const check = denyingComparison(ctx, r.file, held);
    if (!check) continue;
    for (const s of sources) if (s.kind === "request" && s.origin) out.push({ origin: s.origin, check });
  }
  // A request id refused unless it is among the ids a helper lists for the caller alone
  // (`if (!(await getAccessibleServerIds(ctx.session)).has(input.serverId)) throw …`).
  walk(ctx.handler.node, (node) => {
    if (!ts.isIfStatement(node) || !endsInExit(node.thenStatement)) return undefined;
    for (const term of orTerms(node.expression)) {
      const e = skipOuterExpressions(term);
      if (!ts.isPrefixUnaryExpression(e) || e.operator !== SyntaxKind.ExclamationToken) continue;
      const test = skipOuterExpressions(e.operand);
      if (!isCallExpression(test) || !isPropertyAccessExpression(test.expression) || !/^(has|includes)$/.test(test.expression.name.text) || test.arguments.length !== 1) continue;
      const file = ctx.sem.project.fileOf(node);
      if (!file || !callerList(ctx, file, test.expression.expression)) continue;
      for (const s of sourcesOf(ctx, file, test.arguments[0]!)) if (s.kind === "request" && s.origin) out.push({ origin: s.origin, check: { file, statement: node } });
    }
    return undefined;
  });
  return out;
}

/** A list made for the caller alone: a helper's result given only the caller (`await getAccessibleServerIds(ctx.session)`), directly or through a variable. */
function callerList(ctx: TraceContext, file: AnalysedFile | undefined, expression: ts.Expression): boolean {
  if (!file) return false;
  let e = skipOuterExpressions(expression);
  if (isIdentifier(e)) {
    const binding = ctx.sem.project.lookup(file, e.text, e);
    if (binding?.kind !== "var" || !binding.isConst || !binding.init || binding.path.length > 0) return false;
    e = skipOuterExpressions(binding.init);
  }
  if (ts.isAwaitExpression(e)) e = skipOuterExpressions(e.expression);
  if (!isCallExpression(e) || e.arguments.length === 0) return false;
  return e.arguments.every((arg) => {
    const sources = sourcesOf(ctx, file, arg).filter((s) => s.kind !== "constant");
    return sources.length > 0 && sources.every(isPrincipal);
  });
}

/**
 * A query by a request id whose record the route already compared with the caller's org, run after
 * that check (`delete(invitation).where(eq(invitation.id, input.invitationId))` once the invitation
 * fetched by that id was found to be the caller's org's).
 */
export function afterOrgCheck(ctx: TraceContext, reached: ReachedDbOperation, checked: ReadonlyArray<{ origin: string; check: OrgCheck }>): boolean {
  if (checked.length === 0) return false;
  const at = handlerCallOf(ctx, reached);
  if (!at) return false;
  return filterSources(ctx, reached).some((s) => {
    if (s.kind !== "request" || !s.origin) return false;
    return checked.some(({ origin, check }) => related(origin, s.origin!) && runsPastCheck(check, at));
  });
}

/** The route-level call a reached call runs under: itself in the handler, or the handler's call of the helper it is in. */
export function handlerCallOf(ctx: TraceContext, reached: ReachedCall): ts.Node | undefined {
  let call: ReachedCall | undefined = reached;
  const handler = ctx.handler.node;
  for (let i = 0; i < 5 && call; i++) {
    const node = call.call.node;
    if (node.getSourceFile() === handler.getSourceFile() && node.pos >= handler.pos && node.end <= handler.end) return node;
    const fn: FunctionFact | undefined = call.call.fn;
    call = fn ? ctx.callSites.get(fn)?.[0] : undefined;
  }
  return undefined;
}

/**
 * A lookup whose result only answers a yes/no question (`if (existing) throw conflict`; a scan of
 * every row's domain for a clash; a permission test on each row's type): a probe that hands the
 * caller no row. The rows, the loop variables that walk them and the values computed from them may
 * only be read in the condition of an `if` or `?:`; any other use (returned, passed on, sent) is a read.
 */
export function existenceProbe(ctx: TraceContext, reached: ReachedDbOperation): boolean {
  if (reached.op.op !== "read") return false;
  const variable = resultVariable(ctx, reached);
  if (!variable) return false;
  const names = new Set([variable.name]);
  let uses = 0;
  let onlyTested = true;
  // Two passes: a name derived later in the text than a use of it is rare, but a loop body can read a name the loop introduces.
  for (let pass = 0; pass < 2 && onlyTested; pass++) {
    uses = 0;
    walk(variable.scope, (node) => {
      if (!onlyTested) return "stop";
      if (!isIdentifier(node) || !names.has(node.text)) return undefined;
      const parent = node.parent;
      if ((isVariableDeclaration(parent) || ts.isBindingElement(parent)) && parent.name === node) return undefined;
      if (isPropertyAccessExpression(parent) && parent.name === node) return undefined;
      uses++;
      let at: ts.Node = node;
      for (let i = 0; i < 12 && at.parent; i++) {
        const holder: ts.Node = at.parent;
        // Tested: in the condition of an `if` or a `?:`.
        if ((ts.isIfStatement(holder) && holder.expression === at) || (isConditionalExpression(holder) && holder.condition === at)) return undefined;
        // Walked (`for (const row of rows)`) or computed from (`const taken = rows.some(…)`): the new names are held to the same rule.
        if (ts.isForOfStatement(holder) && holder.expression === at) {
          bindingNames(holder.initializer).forEach((n) => names.add(n));
          return undefined;
        }
        if (isVariableDeclaration(holder) && holder.initializer === at) {
          bindingNames(holder.name).forEach((n) => names.add(n));
          return undefined;
        }
        // A callback in a condition (`if (names.some((n) => taken.includes(n)))`) is read through; a statement is not.
        if (ts.isStatement(holder)) break;
        at = holder;
      }
      onlyTested = false;
      return undefined;
    });
  }
  return uses > 0 && onlyTested;
}

/** The names a declaration or a binding pattern introduces. */
function bindingNames(node: ts.Node): string[] {
  const out: string[] = [];
  walk(node, (n) => {
    if ((ts.isBindingElement(n) || isVariableDeclaration(n)) && isIdentifier(n.name)) out.push(n.name.text);
    return undefined;
  });
  if (isIdentifier(node)) out.push(node.text);
  return out;
}

/** A query whose filter compares with the caller, traced through helpers and the variables that hold them (`where: { id: userId }` with `userId = await requireUserId(request)`). */
export function filtersByPrincipal(sem: Semantics, profile: RouteProfile, reached: ReachedDbOperation): boolean {
  const ctx = traceContext(sem, profile);
  return ctx !== undefined && filterSources(ctx, reached).some(isPrincipal);
}

/** Request values a scoped query of the route compares with: ids the route has tied to the caller's org. */
export function scopedOrigins(ctx: TraceContext, profile: RouteProfile): string[] {
  const origins: string[] = [];
  for (const d of profile.db) {
    const keys = filterSources(ctx, d).map(originKey).filter((k): k is string => k !== undefined);
    if (keys.length === 0 || !scopedQuery(ctx, d)) continue;
    origins.push(...keys);
  }
  return origins;
}

/** Whether a query compares with a request value the route already tied to the caller's org. */
export function usesScopedOrigin(ctx: TraceContext, reached: ReachedDbOperation, origins: readonly string[]): boolean {
  if (origins.length === 0) return false;
  return filterSources(ctx, reached).some((s) => {
    const key = originKey(s);
    return key !== undefined && origins.some((o) => related(o, key));
  });
}

/** A value's identity across queries: a request value by where it is read, an untraced one by how it is written (`id`). */
function originKey(s: Source): string | undefined {
  if (s.kind === "request") return s.origin;
  if (s.kind === "unknown") return `=${s.expr.getText()}`;
  return undefined;
}

/** Every value a function returns is scoped (constants and `null` aside), and it returns something. */
function returnsScoped(ctx: TraceContext, fn: FunctionFact, depth: number): boolean {
  const memo = ctx.scopedFunctions.get(fn);
  if (memo !== undefined) return memo;
  ctx.scopedFunctions.set(fn, false);
  const file = ctx.sem.project.fileOf(fn.node);
  const returned = fn.node.body ? returnedExpressions(fn.node.body) : [];
  let scoped = false;
  if (file && returned.length > 0) {
    scoped = true;
    let any = false;
    for (const expr of returned) {
      // A retry that returns the function's own call (`return createProject(…, attempt + 1)`) yields what its other returns yield.
      const inner = skipOuterExpressions(expr);
      if (isCallExpression(inner)) {
        const fact = ctx.sem.project.callOf(inner);
        const callee = fact ? ctx.sem.callee(file, fact) : undefined;
        if (callee?.kind === "function" && callee.fn === fn && callee.path.length === 0) continue;
      }
      const sources = sourcesOf(ctx, file, expr).filter((s) => s.kind !== "constant");
      if (sources.length === 0) continue;
      any = true;
      if (!sources.every((s) => scopedSource(ctx, s, depth))) {
        scoped = false;
        break;
      }
    }
    scoped &&= any;
  }
  ctx.scopedFunctions.set(fn, scoped);
  return scoped;
}

/**
 * The first record a user-caller route reads or changes by a request id that nothing ties to the
 * caller, or undefined. Writes come before reads (a write is the graver gap).
 */
export function ownershipGap(sem: Semantics, profile: RouteProfile, skipTable: (table: string) => boolean): OwnershipGap | undefined {
  const base = traceContext(sem, profile);
  if (!base) return undefined;
  // This rule also reads a tRPC handler's `ctx.<key>` through the procedure's middleware.
  const ctx: TraceContext = { ...base, scopedFunctions: new Map(), middlewareContext: new Map() };

  // Request ids the route ties to the caller: in a query filtered by the caller, by a record it loaded
  // and then compared with the caller or gave to a permission helper, or given to a permission helper.
  // An id tied by a test that refuses the request (`if (team.datarooms.length === 0) return 403`)
  // counts for the queries after that test.
  const checked: Array<{ origin: string; op?: ReachedDbOperation; idText: string; after?: { file: AnalysedFile; pos: number } }> = [];
  const analysed = [...profile.db, ...contextClientWrites(sem, profile)].map((d) => {
    const sources = filterSources(ctx, d);
    const variable = sources.some((s) => s.kind === "request") ? resultVariable(ctx, d) : undefined;
    // Relation lists loaded with the record and refused on when empty: the caller's membership among
    // them makes the record the caller's; a child among them (`datarooms: { where: { id } }`) is tied to it.
    const nested = variable ? testedNestedLists(d, variable) : [];
    const nestedSources = nested.map((list) => {
      const out: Source[] = [];
      collectLeaves(ctx, d.file, list.where, out, 0);
      return { sources: out, pos: list.testedAt };
    });
    const member = nestedSources.some((n) => n.sources.some(isPrincipal));
    return { d, sources, variable, nestedSources, recordChecked: member || (variable !== undefined && recordChecked(ctx, variable, variable.file)) };
  });
  const isChecked = (origin: string, at?: ReachedDbOperation) =>
    checked.some((c) => related(c.origin, origin) && (!c.after || !at || at.file !== c.after.file || at.call.node.pos > c.after.pos));
  const addOrigins = (d: ReachedDbOperation, sources: Source[], after?: { file: AnalysedFile; pos: number }) => {
    for (const s of sources) if (s.kind === "request" && s.origin && !checked.some((c) => c.origin === s.origin)) checked.push({ origin: s.origin, op: d, idText: s.expr.getText(), ...(after ? { after } : {}) });
  };
  for (const r of profile.reached) {
    if (sem.dbOperation(r.file, r.call)) continue;
    const name = r.call.name;
    if (!ACCESS_HELPER.test(name) || NOT_ACCESS.test(name)) continue;
    // Its arguments' values, through filter builders (`throwIfForbidden(ctx, eq(boards.id, input.id))`).
    const given: Source[] = [];
    for (const arg of r.call.args) collectLeaves(ctx, r.file, arg, given, 0);
    for (const s of given) if (s.kind === "request" && s.origin) checked.push({ origin: s.origin, idText: s.expr.getText() });
  }
  // A query scoped by an id already tied to the caller ties its other ids too (`tag` found by `{ id, teamId }`
  // after the team's membership was checked): to a fixed point, a few rounds deep.
  for (let round = 0; round < 4; round++) {
    const before = checked.length;
    for (const entry of analysed) {
      const { d, sources, variable } = entry;
      if (!entry.recordChecked && variable && round < 3) entry.recordChecked = recordChecked(ctx, variable, variable.file, isChecked);
      if (entry.recordChecked || sources.some(isPrincipal) || sources.some((s) => s.kind === "request" && s.origin && isChecked(s.origin, d))) {
        addOrigins(d, sources);
        for (const n of entry.nestedSources) addOrigins(d, n.sources, { file: variable!.file, pos: n.pos });
      }
    }
    if (checked.length === before) break;
  }

  const gaps: OwnershipGap[] = [];
  const owned = ownedTables(sem);
  for (const { d, sources, recordChecked: checkedAfter } of analysed) {
    const table = tableName(d.op);
    if (!table || CREATE_METHOD.test(d.op.method) || skipTable(table)) continue;
    if (USER_TABLE_PATTERN.test(table)) continue;
    if (unfilteredWrite(sem, d.file, d.call)) continue;
    if (sources.some(isPrincipal) || sources.some((s) => s.kind === "record")) continue;
    // By an id: compared on an id column, or a value named like one (a search term or a name is not an id).
    const requested = sources.filter((s) => s.kind === "request" && s.origin && idLike(s));
    if (requested.length === 0) continue;
    // Looked up by a secret or a public handle (a share token, an invitation code, a slug): a capability, not an owned id.
    if (requested.some((s) => CAPABILITY_KEY.test(s.origin!) || CAPABILITY_KEY.test(filterKeyOf(s.expr)))) continue;
    // Any id of the filter tied to the caller scopes the query (`{ id, teamId }` with `teamId` checked).
    if (requested.some((s) => isChecked(s.origin!, d))) continue;
    const unchecked = requested;
    // An org, team or workspace id trusted from the request is the tenant rule's question.
    if (unchecked.some((s) => ORG_ORIGIN.test(s.origin!.split(".").at(-1) ?? "")) || TENANT_TABLE.test(table)) continue;
    if (checkedAfter) continue;
    const idText = unchecked[0]!.expr.getText();
    const parentCheck = checked.find((c) => c.op && !requested.some((s) => related(c.origin, s.origin!)));
    if (parentCheck?.op) {
      const parentVar = resultVariable(ctx, parentCheck.op);
      gaps.push({ op: d, shape: "child", idText, parent: { table: tableName(parentCheck.op.op), variable: parentVar?.name, idText: parentCheck.idText } });
      continue;
    }
    const ownership = owned.get(normTable(table));
    // Reads need evidence that the rows are per-user; a write by a request id needs none when nothing on
    // the route ties anything to the caller (no scoped query, no access helper, no check after a fetch).
    const nothingChecked = checked.length === 0;
    if (d.op.op === "read" ? !ownership?.private : !ownership && !nothingChecked) continue;
    gaps.push({ op: d, shape: "unowned", idText });
  }
  return gaps.find((g) => g.op.op.op === "write") ?? gaps[0];
}

/** The caller's id as the route's code spells it (`session.user.id`, `ctx.session.user.id`, `req.user.id`), for fixes. */
export function principalText(profile: RouteProfile): string {
  const text = profile.route.handler?.node.getText() ?? "";
  const known = /\b((?:ctx|context)\.session\.user\.id|(?:ctx|context)\.user\.id|(?:req|request)\.user\.id|locals\.user\.id|session\.user\.id|session\.userId|user\.id|userId)\b/.exec(text)?.[1];
  if (known) return known;
  if (profile.route.kind === "trpc") return "ctx.session.user.id";
  if (profile.route.kind === "express" || profile.route.kind === "fastify") return "req.user.id";
  return "session.user.id";
}

/** A line replacement that adds `extra` to a one-line Prisma `where: { … }` or wraps a one-line Drizzle `.where(cond)` in `and(cond, extra)`. */
export function addToFilter(file: AnalysedFile, op: ReachedDbOperation, prismaExtra: string, drizzleExtra: string | undefined): { startLine: number; endLine: number; text: string } | undefined {
  if (op.file !== file) return undefined;
  const line = op.call.line;
  if (op.op.library === "prisma") {
    for (let l = line; l < line + 4 && l <= file.lines.length; l++) {
      const text = file.lines[l - 1] ?? "";
      const m = /where:\s*\{([^{}]*)\}/.exec(text);
      if (m) return { startLine: l, endLine: l, text: text.replace(m[0], `where: {${m[1]!.trimEnd()}, ${prismaExtra} }`) };
    }
    return undefined;
  }
  if (op.op.library === "drizzle" && drizzleExtra && file.facts?.imports.has("and")) {
    for (let l = line; l < line + 4 && l <= file.lines.length; l++) {
      const text = file.lines[l - 1] ?? "";
      const m = /\.where\((eq\([^()]*\))\)/.exec(text);
      if (m) return { startLine: l, endLine: l, text: text.replace(m[0], `.where(and(${m[1]}, ${drizzleExtra}))`) };
    }
  }
  return undefined;
}
