import { ts } from "ts-morph";
import type { CallFact, FileFacts, FunctionFact } from "./facts.js";
import { chainOf, isFunctionNode, skipOuterExpressions } from "./facts.js";
import {
  ADMIN_FUNCTIONS,
  AUDIT_NAME_PATTERN,
  AUTH_FUNCTIONS,
  AUTH_NAME_PATTERN,
  DECRYPT_FUNCTIONS,
  ENCRYPT_FUNCTIONS,
  MESSAGE_PACKAGES,
  MODEL_PACKAGES,
  ORG_CONTEXT_FUNCTIONS,
  RATE_LIMIT_NAME_PATTERN,
  ROLE_FUNCTIONS,
  ROLE_NAME_PATTERN,
} from "./names.js";
import { type AnalysedFile, type AnalysedProject, type Resolved } from "./project.js";
import { isKnownPackage } from "../catalogue/packages.js";
import { CALLABLE_LOGGER_PACKAGES, FORMATTING_CALLS, LOG_HELPER_NAME, LOG_METHODS, LOGGER_FACTORY_PATTERN, LOGGER_MODULE_PATTERN, LOGGER_PACKAGES, LOGGER_RECEIVER_PATTERN } from "../catalogue/loggers.js";
import { endsInExit, propertyValue, returnedExpressions, returnsOrThrows, walk } from "./nodes.js";
import { globalNestGuards, nestGuardVerdict, nestRoutes, type GraphqlOperation } from "../frameworks/nestjs.js";
import { honoOpenApiRoutes } from "../frameworks/hono-openapi.js";
import { orpcRoutes } from "../frameworks/orpc.js";
import { socketIoRoutes } from "../frameworks/socketio.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isArrayLiteralExpression, isAsExpression, isAwaitExpression, isBinaryExpression, isBindingElement, isBlock, isCallExpression, isConditionalExpression, isIfStatement, isPrefixUnaryExpression, isClassDeclaration, isElementAccessExpression, isExpressionStatement, isFunctionDeclaration, isIdentifier, isMethodDeclaration, isNewExpression, isNonNullExpression, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isShorthandPropertyAssignment, isSpreadElement, isStringLiteralLike, isTaggedTemplateExpression, isTemplateExpression, isVariableDeclaration } = ts;

/** Syntax that can refuse a request or hand the decision to other code: a body without any of it checks nothing. */
const STUB_DENIED: ReadonlySet<ts.SyntaxKind> = new Set([
  SyntaxKind.ThrowStatement,
  SyntaxKind.CallExpression,
  SyntaxKind.NewExpression,
  SyntaxKind.AwaitExpression,
  SyntaxKind.YieldExpression,
  SyntaxKind.IfStatement,
  SyntaxKind.ConditionalExpression,
  SyntaxKind.SwitchStatement,
  SyntaxKind.TryStatement,
  SyntaxKind.TaggedTemplateExpression,
  SyntaxKind.ForStatement,
  SyntaxKind.ForOfStatement,
  SyntaxKind.ForInStatement,
  SyntaxKind.WhileStatement,
  SyntaxKind.DoStatement,
  SyntaxKind.Decorator,
]);
const LOGICAL_OPERATORS: ReadonlySet<ts.SyntaxKind> = new Set([SyntaxKind.AmpersandAmpersandToken, SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken]);

/**
 * What calls mean: auth, role and admin checks, DB reads and writes, loggers, JWT calls, admin
 * clients, and the PR's route handlers. Computed on demand and cached per node, so every check asks
 * the same questions without walking a tree again.
 */

/**
 * `interaction`: the request must belong to a sign-in interaction the identity provider keeps for
 * the browser (oidc-provider's `interactionDetails(req, res)` refuses one without it). It
 * authenticates no one: the route is a step of signing in, open by design.
 */
export type GuardKind = "auth" | "role" | "admin" | "webhook" | "interaction";

/** A call into code the review did not read, which may be a guard (see `Semantics.unreadGuardCalls`). */
export interface UnreadCall {
  name: string;
  /** The import specifier it comes from. */
  module: string;
  /** Why its code was not read. */
  reason: string;
  line: number;
  /**
   * What it may settle, by its name: `auth` (who the caller is: `requireAuth`), `access` (a role,
   * permission, membership or ownership check: `requireMember`, `canEditProject`), or `unknown` (a
   * call given the request whose name says neither: it may do either).
   */
  settles: "auth" | "access" | "unknown";
}

/** Names that read as a guard beyond the auth and role patterns: access, membership and permission checks, caller resolution. */
const UNREAD_GUARD_NAME = /^(require|ensure|assert|check|verify|validate|authori[sz]e|authenticate|protect|guard|with|resolve|get|load|can|has|is)\w*(Auth|User|Session|Member|Caller|Principal|Permission|Access|Account|Token|Owner|Org|Team|Workspace|Tenant|Role|Admin|Request)\w*$|^(can|has)[A-Z]\w*$/;

/** A function handed to a helper that would authenticate or authorise if called: a deciding verb and what it decides about (not `hasOwnProperty`). */
const INJECTED_GUARD_NAME = /^(authenticate|authori[sz]e|verify|require|ensure|assert|check|validate)[A-Z]?\w*(Auth|User|Session|Request|Token|Key|Caller|Principal|Permission|Access|Role|Member|Account)\w*$/;

/** Verbs of calls that do work rather than decide who may: logging, auditing, sending, formatting, parsing. */
const NOT_A_GUARD_NAME = /^(log|audit|track|record|report|capture|send|notify|emit|publish|enqueue|format|parse|render|serialize|json|respond|redirect|revalidate|create|insert|update|delete|upsert|save|set)/i;

/** A name that reads as an access check rather than sign-in alone (roles, permissions, membership, ownership). */
const ACCESS_NAME = /Role|Admin|Permission|Access|Owner|Member|Org|Team|Workspace|Tenant|Scope|^(can|has)[A-Z]/;

/**
 * An argument that hands the callee the request, its context or the session (`req`, `{ req }`,
 * `request.headers`, `cookies()`), not a value read from it (`req.params.id`, `body.email`).
 */
function givenInput(arg: ts.Expression, inputs: ReadonlySet<string>, nested = false): boolean {
  const expr = skipOuterExpressions(arg);
  if (isIdentifier(expr)) return inputs.has(expr.text);
  if (ts.isPropertyAccessExpression(expr)) return isIdentifier(expr.expression) && inputs.has(expr.expression.text) && /^(headers|cookies|session|user|auth|locals|context)$/.test(expr.name.text);
  if (isCallExpression(expr)) return isIdentifier(expr.expression) && /^(headers|cookies)$/.test(expr.expression.text) && expr.arguments.length === 0;
  if (!nested && ts.isObjectLiteralExpression(expr)) return expr.properties.some((p) => (ts.isShorthandPropertyAssignment(p) ? inputs.has(p.name.text) : ts.isPropertyAssignment(p) && givenInput(p.initializer, inputs, true)));
  return false;
}

export interface DbOperation {
  op: "write" | "read";
  /** `prisma`, `supabase`, `supabase-auth-admin`, `drizzle`, `knex`, `sql`, `mongo`. */
  library: string;
  method: string;
  /** Model or table, when written literally. */
  table?: string;
  /** The object literal or expression of the values written (`data`, `.insert(x)`, `.set(x)`). */
  values?: ts.Expression;
  /** The filter (`where`, `.eq()` chain) as source text, for org/tenant checks. */
  call: CallFact;
}

export interface Egress {
  kind: "email" | "sms" | "model" | "http";
  /** The provider's name (`Twilio`, `Resend`, `OpenAI`) or the HTTP client. */
  provider: string;
  call: CallFact;
}

export type RouteKind = "next-app" | "next-pages" | "server-action" | "sveltekit" | "remix" | "nuxt" | "express" | "hono" | "fastify" | "trpc" | "nest" | "socketio";

export interface RouteFact {
  file: AnalysedFile;
  kind: RouteKind;
  /** HTTP method (upper case), `ACTION` for server actions, `ANY` when unknown. */
  method: string;
  /** URL path when known (`/api/patients/[id]`, `/login`), else a readable name. */
  urlPath: string;
  /** Where route-level findings go: the declaration or registration line. */
  line: number;
  column: number;
  /** The handler function: in the route's file, or in a PR file it is imported from (a controller). */
  handler?: FunctionFact;
  /** Middleware and options passed before the handler at registration (`requireAuth`, `loginLimiter`). */
  middleware: ts.Expression[];
  /** Calls wrapping the handler (`withAuth(…)`, `withAdmin(…)`). */
  wrappers: CallFact[];
  /** tRPC: the procedure builder root (`publicProcedure`, `protectedProcedure`). */
  procedure?: string;
  /** The registration call (Express/Hono/Fastify/tRPC). */
  registration?: CallFact;
  /** Socket.IO: the event's name as the client emits it (`testChrome`). */
  event?: string;
  /** NestJS GraphQL: the kind of operation a resolver method serves (its name is in `urlPath`). */
  graphql?: GraphqlOperation;
  /**
   * What runs in front of the route that the review did not read (a Socket.IO handler module whose
   * connection callback, and so the server's `use` middleware, is outside the review): asked about
   * as an unread guard, never taken for one.
   */
  unreadFront?: { name: string; module: string; reason: string };
}

const HTTP_VERBS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const ROUTER_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "options", "head"]);
const ROUTER_RECEIVER = /^(app|router|api|server|routes|route|r|v1|v2|admin|[a-z]+Router|[a-z]+Routes|[a-z]+App|[a-z]+Api|fastify|instance|hono)$/;
const PRISMA_WRITES = new Set(["create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany", "$executeRaw", "$executeRawUnsafe"]);
export const PRISMA_READS: ReadonlySet<string> = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy", "$queryRaw", "$queryRawUnsafe"]);
const SUPABASE_WRITES = new Set(["insert", "update", "upsert", "delete"]);
const SUPABASE_AUTH_ADMIN_WRITES = new Set(["updateUserById", "deleteUser", "createUser", "inviteUserByEmail", "generateLink", "deleteFactor"]);
const MONGO_WRITES = new Set(["insertOne", "insertMany", "updateOne", "updateMany", "deleteOne", "deleteMany", "replaceOne", "findOneAndUpdate", "findOneAndDelete", "findOneAndReplace", "findByIdAndUpdate", "findByIdAndDelete", "bulkWrite"]);
const MONGO_READS = new Set(["find", "findOne", "findById", "countDocuments", "aggregate"]);
/** Receivers named for a layer of the project's own code: services, controllers, resolvers, presenters. */
const SERVICE_RECEIVER = /(Service|Controller|Resolver|Presenter|Provider|Helper)$/;
/** The database client as a member of a request context or container: `ctx.db`, `context.database`, `locals.drizzle`. */
const CONTEXT_DB = /^(db|database|drizzle|tx|trx)$/i;
const DB_RECEIVER = /^(prisma|db|database|tx|trx|client|prismaClient|ctx\.db|conn|connection|pool|sql|knex|drizzle|orm|store|repo|supabase|admin|supabaseAdmin|sb|dbClient)$/i;
// A stored procedure (`CALL update_user($1, $2)`, `EXEC`) may change anything: it counts as a write.
const SQL_WRITE = /^\s*(insert|update|delete|merge|upsert|replace|create|alter|drop|truncate|grant|revoke|call|exec|execute)\b/i;
const SQL_READ = /^\s*(select|with)\b/i;
/** A whole statement that names no table (`SELECT 1`, `SELECT now()`): a liveness probe, not a read of stored data. An interpolated part may hold the table, so it counts. */
const tablelessSelect = (text: string): boolean => /^\s*select\b/i.test(text) && !/\bfrom\b/i.test(text) && !text.includes("${}");
/**
 * The verb of an SQL statement (`insert`, `update`, `select`), lower case: the operation's method,
 * as Prisma's `create` or Drizzle's `insert` is, so the checks that tell an insert from a change to
 * an existing row read raw SQL alike.
 */
function sqlVerb(text: string): string {
  return (/^\s*([a-z]+)/i.exec(text)?.[1] ?? "query").toLowerCase();
}
/**
 * An early exit when the request carries no principal; see `hasInlineAuthCheck`. The principal may be
 * its id (`if (!socket.userID) throw new Error("You are not logged in.")`, a Socket.IO login check).
 */
const INLINE_AUTH_CHECK =
  /\bif\s*\(\s*!\s*(?:await\s+)?(?![^)]{0,80}\b(?:body|query|params|headers|searchParams|cookies)\b)(?:[\w$]+\??\.){0,3}(?:user(?:Id|ID|_id)?|session|auth|currentUser|principal|claims)\b[^)]{0,80}\)[^;]{0,160}?(?:\b401\b|\b403\b|unauthori[sz]ed|forbidden|unauthenticated|log-?in\b|sign-?in\b|(?:logged|signed)[- ]?in\b)/i;
/**
 * `if (!ctx.user.permissions.includes(permission)) throw new TRPCError({ code: "FORBIDDEN" })`: a
 * permission, role or scope the caller must hold, its absence answered with 403.
 */
const INLINE_PERMISSION_CHECK =
  /\bif\s*\(\s*!\s*(?:[\w$]+\??\.){0,4}(?:permissions|roles|scopes|grants)\??\.(?:includes|has|some)\([^)]{0,80}\)\s*\)[^;]{0,160}?(?:\b403\b|forbidden)/i;
/** What a limiter is asked when a request comes in: may it pass, take a token, count a hit. */
const RATE_LIMIT_DECISION = /^(pass|check|allow|allowed|isAllowed|take|tryTake|hit|attempt|tryRemoveTokens|removeTokens|increment)$/;
/** Package functions that combine middleware or make one from a function: all of what they are given runs. */
const MIDDLEWARE_COMPOSERS = /^(every|compose|combine|chain|series|createMiddleware|middleware|defineMiddleware)$/;

/** `bearerAuth({ token: process.env.CRON_SECRET })`: a fixed secret from the environment, not per-user credentials. */
function sharedSecretOption(call: ts.CallExpression): boolean {
  const options = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!options || !isObjectLiteralExpression(options)) return false;
  return options.properties.some((p) => isPropertyAssignment(p) && /^(token|password)$/.test(p.name.getText()) && /\b(process\.env|env)\b|\bimport\.meta\.env\b/.test(p.initializer.getText()));
}

/** Whether a `use(prefix, …)` covers a path (`/admin/*` covers `/admin/users`; `*` and `/` cover all). */
function pathUnder(path: string | undefined, prefix: string): boolean {
  const base = prefix.replace(/\/?\*$/, "").replace(/\/$/, "");
  if (base === "") return true;
  if (path === undefined) return false;
  return path === base || path.startsWith(`${base}/`) || path.startsWith(`${base}*`);
}

/**
 * Middleware (it calls `next()`) that answers 401 on its failing path — `throw new
 * RequestError({ code: "auth.unauthorized", status: 401 })`, `ctx.throw(401)`, `res.status(401)` —
 * authenticates: 401 is the answer to a caller who is not signed in.
 */
const MIDDLEWARE_401 = /(?:\bthrow\b|\breturn\b|\bassert\w*\()[^;]{0,160}?(?:status\s*:\s*401\b|\(\s*401\b|,\s*401\s*\)|\bUnauthorized(?:Error|Exception)?\s*\(|code\s*:\s*['"`]UNAUTHORIZED['"`])/;

/** Request input by name: a refusal when one is missing answers a malformed request, not an anonymous caller. */
const REQUEST_INPUT_NAME = /^(body|query|params|searchParams|formData|input)$/;
/** A 401 answer or the names for it. */
const ANSWERS_401 = /\b401\b|\bunauthori[sz]ed\b|\bunauthenticated\b/i;

/**
 * `const key = await authenticateApiRequest(request); if (!key) return json({ … }, { status: 401 })`:
 * whatever the value is, a request refused with 401 when it is missing was refused for not being
 * authenticated (403 or a redirect alone say less: they need the principal named, see
 * `INLINE_AUTH_CHECK`). The refusal may log or record first (`if (!key) { logger.info(…); return
 * json(…, { status: 401 }) }`): its block is calls, then the exit that answers 401.
 */
function refusesMissingWith401(body: ts.Node): boolean {
  let found = false;
  walk(body, (node) => {
    if (found) return "stop";
    if (!isIfStatement(node)) return undefined;
    const condition = skipOuterExpressions(node.expression);
    if (!isPrefixUnaryExpression(condition) || condition.operator !== SyntaxKind.ExclamationToken) return undefined;
    let value = skipOuterExpressions(condition.operand);
    const names: string[] = [];
    while (isPropertyAccessExpression(value) && names.length < 4) {
      names.push(value.name.text);
      value = skipOuterExpressions(value.expression);
    }
    if (!isIdentifier(value) || [value.text, ...names].some((name) => REQUEST_INPUT_NAME.test(name))) return undefined;
    const then = node.thenStatement;
    const statements = isBlock(then) ? then.statements : [then];
    const exit = statements.at(-1);
    found = exit !== undefined && returnsOrThrows(exit) && statements.slice(0, -1).every(isExpressionStatement) && ANSWERS_401.test(exit.getText());
    return undefined;
  });
  return found;
}

/** `if (!user.admin) throw redirect("/")`, `if (!ctx.user.isAdmin) return res.status(403)…`: the principal's admin flag, the request turned away without it. */
/** How deep guard reading follows calls: each helper a guard is read through costs two (the call, then the function), so an auth call two helpers below a handler is read. Deeper, names of unrelated helpers start to pass for guards (a wrapper's logging helpers reached a session lookup and hid a webhook that skips its token check). */
const GUARD_DEPTH = 5;

/** A route-builder option holding the permission a caller needs as an object (`authorization: { action, resource }`). */
const ROLE_OBJECT_OPTION = /^(authorization|authorize|permission|permissions|access|rbac|ability|abilities|requires)$/;
/** Methods of an RBAC ability or policy object (CASL's `ability.can`, a project's `rbac.canSuper()`). */
const ABILITY_METHOD = /^(can|cannot|canSuper|isAllowed|allows|hasAbility)$/;

/** A call whose result decides a branch: an `if` / ternary condition, through `!`, parentheses, `&&` and `||`. */
function inCondition(call: ts.Node): boolean {
  let node = call;
  for (let i = 0; i < 6 && node.parent; i++) {
    const parent: ts.Node = node.parent;
    if ((ts.isIfStatement(parent) && parent.expression === node) || (ts.isConditionalExpression(parent) && parent.condition === node)) return true;
    if (ts.isParenthesizedExpression(parent) || isAwaitExpression(parent) || (ts.isPrefixUnaryExpression(parent) && parent.operator === SyntaxKind.ExclamationToken)) node = parent;
    else if (ts.isBinaryExpression(parent) && (parent.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken || parent.operatorToken.kind === SyntaxKind.BarBarToken)) node = parent;
    else return false;
  }
  return false;
}

/**
 * Whether a call runs on every path through a function body before what follows it, and a throw
 * from it (or the refusal its result decides) stops the function: see `Semantics.guardsOnEveryPath`.
 */
function onEveryPath(call: ts.Node, body: ts.Node): "statement" | "condition" | false {
  let node = call;
  let decides = false;
  for (let i = 0; i < 64 && node !== body; i++) {
    const parent: ts.Node | undefined = node.parent;
    if (!parent) return false;
    if (isAwaitExpression(parent) || isParenthesizedExpression(parent) || isExpressionStatement(parent) || ts.isVariableDeclarationList(parent) || ts.isVariableStatement(parent)) node = parent;
    else if (isVariableDeclaration(parent) && parent.initializer === node) node = parent;
    else if (ts.isPrefixUnaryExpression(parent) && parent.operator === SyntaxKind.ExclamationToken && inCondition(parent)) node = parent;
    // `if (!a(x) || !b(x)) return …` refuses when either fails; under `&&` a failing check alone refuses nothing.
    else if (isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.BarBarToken && inCondition(parent)) node = parent;
    else if (isIfStatement(parent) && parent.expression === node) {
      // The call's result decides a refusal: the `if` leaves on its failing branch.
      if (!returnsOrThrows(parent.thenStatement)) return false;
      decides = true;
      node = parent;
    } else if (isBlock(parent)) {
      if (parent === body) return decides ? "condition" : "statement";
      const owner = parent.parent;
      if (ts.isTryStatement(owner) && owner.tryBlock === parent) {
        // A throw leaves the `try` for its `catch`: it stops the work when the catch leaves too, or nothing follows the `try`.
        const rest = isBlock(owner.parent) ? owner.parent.statements.slice(owner.parent.statements.indexOf(owner) + 1) : [];
        if (owner.catchClause && rest.length > 0 && !endsInExit(owner.catchClause.block)) return false;
        node = owner;
      } else if (isBlock(owner)) node = parent;
      else return false;
    } else return false;
  }
  return node === body ? (decides ? "condition" : "statement") : false;
}

/** A test of the caller's principal, by its property (`socket.userID`, `ctx.session`, `req.user`). */
const PRINCIPAL_PROPERTY = /\.(?:user|userId|userID|user_id|session|principal|isAuthenticated|authenticated|loggedIn|isLoggedIn)\b/;

/** A route-builder option that asks for a platform admin (`requireSuper: true`, `adminOnly: true`). */
const ADMIN_OPTION = /^(require|is)?(super|superuser|super_?admin|platform_?admin|admin|staff)(Only|Required|User)?$|^adminOnly$/i;
/** A route-builder option naming the roles or permissions a caller needs (`roles: ["admin"]`, `permission: "billing:write"`). */
const ROLE_OPTION = /^(role|roles|requiredRoles?|requireRoles?|allowedRoles|minRole|minimumRole|permission|permissions|requiredPermissions?|requirePermissions?)$/;
const INLINE_ADMIN_FLAG =
  /\bif\s*\(\s*!\s*(?:[\w$]+\??\.){1,3}(?:admin|isAdmin|is_admin|isSuperAdmin|superAdmin|isSuperuser|is_superuser|isStaff|is_staff)\s*\)\s*(?:\{\s*)?(?:return|throw)\b[^;]{0,160}?(?:\b40[13]\b|forbidden|unauthori[sz]ed|redirect|notFound|error\()/i;

const TYPEORM_WRITES = new Set(["save", "insert", "update", "delete", "remove", "softDelete", "softRemove", "upsert", "increment", "decrement", "restore"]);
export const TYPEORM_READS: ReadonlySet<string> = new Set(["find", "findOne", "findBy", "findOneBy", "findAndCount", "findOneOrFail", "findOneByOrFail", "count", "exist", "exists"]);
const MODEL_WRITES = new Set(["create", "bulkCreate", "destroy", "upsert", "update", "findOrCreate"]);
const MODEL_READS = new Set(["findAll", "findByPk", "findAndCountAll"]);
const ORM_PACKAGES = /^(mongoose|sequelize|@sequelize\/core|sequelize-typescript|typeorm|objection|@typegoose\/typegoose)$/;
const SQL_METHODS = new Set(["query", "execute", "exec", "run", "none", "one", "oneOrNone", "many", "manyOrNone", "any", "raw", "unsafe", "$executeRaw", "$executeRawUnsafe", "$queryRaw", "$queryRawUnsafe"]);

export const AUTH_ENDPOINT_PATTERN =
  /(^|[/_.\-\s[(])(log-?in|sign-?in|sign-?up|register|log-?out|sign-?out|forgot|reset|password|otp|one-time|magic-?link|verify-?email|callback|oauth|mfa|2fa|totp|passkey|webauthn|(?:refresh-?)?tokens?|session|auth)([/_.\-\s\])]|$)/i;

function lower(names: readonly string[]): Set<string> {
  return new Set(names.map((n) => n.toLowerCase()));
}

function literalText(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const inner = skipOuterExpressions(expr);
  if (isStringLiteralLike(inner)) return inner.text;
  if (isTemplateExpression(inner)) return inner.head.text + inner.templateSpans.map((s) => `\${}${s.literal.text}`).join("");
  // `db.execute(sql\`…\`)`: the statement a query helper's template holds.
  if (isTaggedTemplateExpression(inner)) return literalText(inner.template);
  return undefined;
}

/**
 * Per-call answers, stored on the call itself (a field read instead of a map lookup keyed by node):
 * each is computed at most once per review however many checks ask. `null` records "computed, none".
 */
/** What a log call writes: its arguments, or those a project helper forwards to a logger. */
export interface LoggedCall {
  args: readonly ts.Expression[];
  /** A logger itself, or a project function that forwards to one. */
  via: "logger" | "helper";
  /** The helper's name, for messages. */
  helper?: string;
  /** Every argument of the call is logged (a replacement may rewrite them all). */
  all?: boolean;
}

/** Globals a pure logging helper may call while it formats (`JSON.stringify`, `new Date().toISOString()`). */
const FORMATTING_GLOBALS: ReadonlySet<string> = new Set(["JSON", "Date", "String", "Number", "Boolean", "Object", "Array", "Math", "Intl", "process", "console", "Error"]);

/** Parameters of a project function that reach a logger: by index, and every one from `rest` on. */
interface LogForward {
  params: Set<number>;
  rest?: number;
}

interface CallMemo {
  owner: Semantics;
  callee?: Resolved;
  egress?: Egress | null;
  db?: DbOperation | null;
  logged?: LoggedCall | null;
  audit?: boolean;
  adminClient?: boolean;
}

export class Semantics {
  private readonly guardCache = new Map<ts.Node, Set<GuardKind>>();
  private readonly routeCache = new Map<AnalysedFile, RouteFact[]>();
  private readonly routeGuardCache = new Map<RouteFact, Set<GuardKind>>();
  private readonly unreadCache = new Map<RouteFact, UnreadCall[]>();
  private nestGlobalGuardList: Array<{ file: AnalysedFile; guard: ts.Expression }> | undefined;
  /** The project's own guard functions named in the config: what they do is settled there. */
  private readonly configuredGuards: Set<string>;
  private routesByHandler: Map<FunctionFact, RouteFact[]> | undefined;
  private readonly authNames: Set<string>;
  private readonly roleNames: Set<string>;
  private readonly adminNames: Set<string>;
  private readonly orgNames: Set<string>;
  private readonly auditNames: Set<string>;
  private readonly encryptNames: Set<string>;
  private readonly decryptNames: Set<string>;
  private readonly baaNames: Set<string>;
  private readonly rateLimitNames: Set<string>;

  constructor(readonly project: AnalysedProject) {
    const fns = project.config.functions;
    this.authNames = lower([...AUTH_FUNCTIONS, ...fns.auth]);
    this.roleNames = lower([...ROLE_FUNCTIONS, ...fns.role]);
    this.adminNames = lower([...ADMIN_FUNCTIONS, ...fns.admin]);
    this.orgNames = lower([...ORG_CONTEXT_FUNCTIONS, ...fns.orgContext]);
    this.auditNames = lower(fns.audit);
    this.encryptNames = lower([...ENCRYPT_FUNCTIONS, ...fns.encrypt]);
    this.decryptNames = lower([...DECRYPT_FUNCTIONS, ...fns.decrypt]);
    this.baaNames = lower(fns.baa);
    this.rateLimitNames = lower(fns.rateLimit);
    this.configuredGuards = lower([...fns.auth, ...fns.role, ...fns.admin, ...fns.orgContext]);
  }

  private memoOf(call: CallFact): CallMemo {
    let memo = call.memo as CallMemo | undefined;
    if (memo?.owner !== this) {
      memo = { owner: this };
      call.memo = memo;
    }
    return memo;
  }

  /** What a call's callee stands for (cached). */
  callee(file: AnalysedFile, call: CallFact): Resolved {
    const memo = this.memoOf(call);
    return (memo.callee ??= this.project.resolve(file, call.callee));
  }

  /** A call resolves to `module` (exact package name) with the given member path suffix. */
  calls(file: AnalysedFile, call: CallFact, module: string | RegExp, ...path: string[]): boolean {
    const r = this.callee(file, call);
    if (r.kind !== "module" || !r.module) return false;
    if (typeof module === "string" ? r.module !== module : !module.test(r.module)) return false;
    if (path.length === 0) return true;
    const tail = r.path.filter((p) => p !== "()");
    return path.every((p, i) => tail[tail.length - path.length + i] === p);
  }

  // ---- guards -------------------------------------------------------------------------------

  /**
   * What kind of guard an expression is: a call (`requireAuth()`, `requireRole("admin")`), a
   * reference passed as middleware (`requireAuth`), or a wrapper (`withAdmin(fn)`).
   */
  guardKinds(file: AnalysedFile, expression: ts.Expression, depth = 0): Set<GuardKind> {
    const expr = skipOuterExpressions(expression);
    const cached = this.guardCache.get(expr);
    if (cached) return cached;
    // Past the depth limit nothing is read, and nothing is cached: the same call asked about from
    // nearer a handler must still be read (a cached empty answer hid guards three helpers deep).
    if (depth > GUARD_DEPTH) return new Set<GuardKind>();
    const kinds = new Set<GuardKind>();
    // Set before it is filled: a call that reaches itself again sees what is known so far.
    this.guardCache.set(expr, kinds);

    if (isArrayLiteralExpression(expr)) {
      for (const element of expr.elements) for (const k of this.guardKinds(file, element, depth + 1)) kinds.add(k);
      return kinds;
    }
    if (isObjectLiteralExpression(expr)) {
      // Fastify route options: `{ preHandler: [app.authenticate], onRequest: … }`.
      for (const property of expr.properties) {
        if (isPropertyAssignment(property) && /^(preHandler|onRequest|preValidation|preParsing|beforeHandle|use|middleware|middlewares)$/.test(property.name.getText())) {
          for (const k of this.guardKinds(file, property.initializer, depth + 1)) kinds.add(k);
        }
      }
      return kinds;
    }

    const target = isCallExpression(expr) || isNewExpression(expr) ? expr.expression : expr;
    const chain = chainOf(target);
    const name = chain[chain.length - 1] ?? "";
    const lname = name.toLowerCase();
    const joined = chain.join(".");

    // A guard's name is taken at its word only when its body is not read as a stub that checks nothing.
    const named = this.namedGuardKinds(name);
    if (named.length > 0 && (this.configuredGuards.has(lname) || this.stubGuard(file, target) === undefined)) named.forEach((k) => kinds.add(k));
    // An RBAC ability asked in a condition (`if (!ability.can("manage", "members")) throw …`): a permission check.
    if (chain.length >= 2 && ABILITY_METHOD.test(name) && isCallExpression(expr) && inCondition(expr)) kinds.add("role").add("auth");
    if (/admin/i.test(name) && kinds.has("role")) kinds.add("admin");
    // `auth()` of NextAuth/Auth.js/Clerk, `auth.protect()`, `supabase.auth.getUser()`, `passport.authenticate()`.
    if ((chain.length === 1 && name === "auth") || joined.endsWith("auth.protect") || joined.endsWith("auth.()") || /(^|\.)auth\.getUser$/.test(joined) || /(^|\.)auth\.getClaims$/.test(joined)) kinds.add("auth");
    if (/(^|\.)(request|req)\.jwtVerify$/.test(joined) || name === "authenticate") kinds.add("auth");
    // Verified webhook signatures authenticate the provider.
    if (/webhooks?\.constructEvent(Async)?$/.test(joined) || /^(verifyWebhook|verifyWebhookSignature|verifySignature|verifyRequestSignature|validateWebhook|validateRequest|verifyAndReceive|unwrap)$/.test(name)) {
      kinds.add("webhook");
    }
    if (name === "interactionDetails" && chain.length >= 2 && isCallExpression(expr) && expr.arguments.length >= 2) kinds.add("interaction");
    if (name === "verify" && chain.length >= 2) {
      const resolved = this.project.resolve(file, target);
      if (resolved.kind === "module" && /^(svix|standardwebhooks|@octokit\/webhooks(-methods)?|@slack\/.*|@upstash\/qstash)$/.test(resolved.module ?? "")) kinds.add("webhook");
      if (resolved.kind === "module" && resolved.module === "jsonwebtoken") kinds.add("auth");
      if (/webhook|wh|svix|signature/i.test(chain[chain.length - 2] ?? "")) kinds.add("webhook");
    }
    if (name === "jwt" || name === "expressjwt" || name === "bearerAuth" || name === "basicAuth") {
      const resolved = this.project.resolve(file, target);
      if (resolved.kind === "module" && /^(express-jwt|hono\/jwt|hono\/bearer-auth|hono\/basic-auth|koa-jwt)$/.test(resolved.module ?? "")) {
        // One shared secret from the environment (`bearerAuth({ token: process.env.CRON_SECRET })`)
        // admits a machine caller (a cron job, another service), not a user.
        kinds.add(isCallExpression(expr) && sharedSecretOption(expr) ? "webhook" : "auth");
      }
    }
    // A guard factory given a permission in the route's middleware list (`isAuthenticated(Permission.MANAGE_USERS)`): a permission check too.
    if (kinds.has("auth") && !kinds.has("role") && isCallExpression(expr) && this.factoryChecksPermission(file, expr, depth)) kinds.add("role");
    if (kinds.size > 0) return kinds;

    // A project helper in the PR counts as a guard when its own code calls one.
    const resolved = this.project.resolve(file, target);
    if (resolved.kind === "function" && resolved.fn) {
      for (const k of this.guardsInFunction(resolved.file, resolved.fn, depth + 1)) kinds.add(k);
    } else if (isIdentifier(expr) && resolved.binding?.kind === "class") {
      // A guard class (NestJS `@UseGuards(JwtAuthGuard)`): Passport's `AuthGuard(…)` it extends, or its own `canActivate`.
      this.guardClassKinds(resolved.file, resolved.binding.node, depth).forEach((k) => kinds.add(k));
    } else if (isIdentifier(expr)) {
      // Middleware defined elsewhere (`const requireKey = every(verifyKey, requirePro)` in the file
      // the route imports it from): what its definition is.
      const definition = this.definitionOf(file, expr);
      if (definition) for (const k of this.guardKinds(definition.file, definition.expr, depth + 1)) kinds.add(k);
    } else if (isCallExpression(expr) && resolved.kind === "module" && MIDDLEWARE_COMPOSERS.test(name)) {
      // A package's combinator or factory of middleware (`every(a, b)`, `compose([a, b])`,
      // `createMiddleware(async (c, next) => …)`, `t.middleware(fn)`): the guards of what it is given.
      for (const arg of expr.arguments) {
        const value = skipOuterExpressions(arg);
        const fn = isFunctionNode(value) ? this.project.functionOf(value) : undefined;
        const found = fn ? this.guardsInFunction(file, fn, depth + 1) : this.guardKinds(file, value, depth + 1);
        for (const k of found) kinds.add(k);
      }
    }
    return kinds;
  }

  /**
   * A guard factory called with a permission (`isAuthenticated(Permission.MANAGE_USERS)`,
   * `requireAuth("admin")`): when the factory's body was read, it checks a role or permission and
   * uses the parameter the permission is given for (a factory whose argument is a redirect path or
   * an option does not qualify); when it was not read, the argument itself names a role or
   * permission (an enum-like member of `Permission`, `Role`, `Scope`…, or a role word).
   */
  private factoryChecksPermission(file: AnalysedFile, call: ts.CallExpression, depth: number): boolean {
    const index = call.arguments.findIndex((arg) => namesPermission(arg));
    if (index < 0) return false;
    const resolved = this.project.resolve(file, call.expression);
    if (resolved.kind !== "function" || !resolved.fn || resolved.path.length > 0) return resolved.kind === "module" || resolved.kind === "unknown";
    const param = resolved.fn.node.parameters[index];
    if (!param || !isIdentifier(param.name) || !resolved.fn.node.body) return false;
    const name = param.name.text;
    let used = false;
    walk(resolved.fn.node.body, (node) => {
      if (isIdentifier(node) && node.text === name) used = true;
      return used ? "stop" : undefined;
    });
    return used && this.guardsInFunction(resolved.file, resolved.fn, depth + 1).has("role");
  }

  /** Guards a function performs directly or through the PR's helpers it calls. */
  guardsInFunction(file: AnalysedFile, fn: FunctionFact, depth = 0): Set<GuardKind> {
    const kinds = new Set<GuardKind>();
    for (const call of this.callsWithin(fn)) {
      const found = this.guardKinds(file, call.node, depth + 1);
      if (this.isUncheckedSession(call, found)) continue;
      for (const k of found) kinds.add(k);
    }
    if (this.hasInlineRoleCheck(fn)) kinds.add("role").add("auth");
    // `if (!session) return 401` tests nothing when `session` is a Promise that was never awaited.
    // A refusal after a verified signature (`if (!isValid) return 401`) turns away a forged machine call, not a signed-out user.
    else if (!kinds.has("auth") && !kinds.has("webhook") && this.hasInlineAuthCheck(file, fn) && !this.callsWithin(fn).some((call) => SESSION_GETTER.test(call.name) && promiseOnlyTested(call))) kinds.add("auth");
    return kinds;
  }

  /**
   * The function a call named like a guard (`requireAuth()`, `checkPermission(…)`) reaches when the
   * review read its body and that body checks nothing: no throw, no call, no await, no branch, no
   * loop, no logical operator — it can only return what it was given or a constant (a placeholder
   * left in generated code). Names set in the config (`functions.auth`…) are taken as given by the caller.
   */
  stubGuard(file: AnalysedFile, target: ts.Expression): FunctionFact | undefined {
    const resolved = this.project.resolve(file, target);
    const fn = resolved.kind === "function" && resolved.path.length === 0 ? resolved.fn : undefined;
    const body = fn?.node.body;
    if (!fn || !body) return undefined;
    let checks = false;
    walk(body, (node) => {
      if (!STUB_DENIED.has(node.kind) && !(isBinaryExpression(node) && LOGICAL_OPERATORS.has(node.operatorToken.kind))) return undefined;
      checks = true;
      return "stop";
    });
    return checks ? undefined : fn;
  }

  /** A call name that reads as an auth, role or admin guard (known names and the guard-name patterns), not one the config settles. */
  namesGuard(name: string): boolean {
    return !this.configuredGuards.has(name.toLowerCase()) && this.namedGuardKinds(name).length > 0;
  }

  /** The guard kinds a call's name alone claims (configured and conventional names): a role check, an admin check, sign-in. */
  private namedGuardKinds(name: string): GuardKind[] {
    const lname = name.toLowerCase();
    const kinds: GuardKind[] = [];
    if (this.roleNames.has(lname) || ROLE_NAME_PATTERN.test(name)) kinds.push("role", "auth");
    if (this.adminNames.has(lname)) kinds.push("admin", "role", "auth");
    if (this.authNames.has(lname) || AUTH_NAME_PATTERN.test(name)) kinds.push("auth");
    return kinds;
  }

  /** A session getter whose result nothing checks (see {@link sessionUnchecked}): it authenticates no one. */
  isUncheckedSession(call: CallFact, kinds?: Set<GuardKind>): boolean {
    if (!SESSION_GETTER.test(call.name)) return false;
    const found = kinds ?? this.guardKinds(this.project.fileOf(call.node)!, call.node);
    return found.size === 1 && found.has("auth") && sessionUnchecked(call);
  }

  /** Calls inside a function, including those in nested callbacks. */
  callsWithin(fn: FunctionFact): CallFact[] {
    return this.project.callsWithin(fn);
  }

  /** `if (session.role !== "admin") throw …`, `if (!allowed.includes(user.role)) redirect(…)` and the like. */
  hasInlineRoleCheck(fn: FunctionFact): boolean {
    const text = fn.node.getText();
    return /\.(role|roles|isAdmin|is_admin|permissions)\b[^;\n]{0,40}(!==?|===?|includes|has)\s*\(?\s*['"`]?(admin|owner|superadmin|super_admin|staff)/i.test(text) ||
      /(!==?|===?)\s*['"`](admin|owner|superadmin|super_admin)['"`][^;\n]{0,10}/.test(text) && /\.role\b/.test(text) ||
      // A negated allowed-roles test (`!allowed.includes(user.role)`); the cheap `.role)` test first spares most functions the pattern.
      (/\.(role|userRole|roleName)\s*\)/.test(text) && /!\s*[\w$.\]['"`, ]{1,120}\.(includes|has)\(\s*[\w$.?!]{1,60}\.(role|userRole|roleName)\s*\)/.test(text)) ||
      INLINE_PERMISSION_CHECK.test(text) ||
      INLINE_ADMIN_FLAG.test(text);
  }

  /**
   * `if (!req.user) return res.status(401)…`, `if (!locals.session) throw error(401)`, `if (!session?.user)
   * redirect("/login")`: the caller's principal (a user, session, auth or claims object put there by
   * earlier middleware) checked, and its absence answered with 401/403 or a sign-in redirect. A token
   * or header merely present is not a principal, nor are claims the function decoded without
   * verifying them (`jwt.decode`).
   */
  hasInlineAuthCheck(file: AnalysedFile, fn: FunctionFact): boolean {
    const text = fn.node.getText();
    const checks = (text.includes("if") && (INLINE_AUTH_CHECK.test(text) || (ANSWERS_401.test(text) && fn.node.body !== undefined && refusesMissingWith401(fn.node.body)))) || (/\bnext\s*\(/.test(text) && MIDDLEWARE_401.test(text));
    if (!checks) return false;
    return !this.callsWithin(fn).some((call) => this.jwtCall(file, call) === "decode");
  }

  isAuthCall(file: AnalysedFile, call: CallFact): boolean {
    const kinds = this.guardKinds(file, call.node);
    return kinds.has("auth") || kinds.has("role") || kinds.has("webhook");
  }

  isRoleCall(file: AnalysedFile, call: CallFact): boolean {
    return this.guardKinds(file, call.node).has("role");
  }

  isAdminCheckCall(file: AnalysedFile, call: CallFact): boolean {
    const kinds = this.guardKinds(file, call.node);
    return kinds.has("admin") || kinds.has("role");
  }

  isAuditCall(_file: AnalysedFile, call: CallFact): boolean {
    const memo = this.memoOf(call);
    return (memo.audit ??= this.computeIsAuditCall(call));
  }

  private computeIsAuditCall(call: CallFact): boolean {
    const name = call.name;
    if (this.auditNames.has(name.toLowerCase())) return true;
    if (AUDIT_NAME_PATTERN.test(name)) return true;
    // `prisma.auditLog.create(…)`, `supabase.from("audit_log").insert(…)`.
    const joined = call.chain.join(".");
    if (/audit/i.test(joined)) return true;
    const from = this.supabaseTable(call);
    return from !== undefined && /audit/i.test(from);
  }

  isOrgContextCall(_file: AnalysedFile, call: CallFact): boolean {
    return this.orgNames.has(call.name.toLowerCase());
  }

  isEncryptCall(file: AnalysedFile, call: CallFact): boolean {
    if (this.encryptNames.has(call.name.toLowerCase())) return true;
    if (call.isNew && call.name === "EncryptCommand") return true;
    if (call.name === "encrypt" && this.calls(file, call, /^@aws-sdk\/client-kms|aws-sdk$/)) return true;
    return /^(encrypt|seal)[A-Z]/.test(call.name) && !/^encrypt(ion)?(Key|Context)/.test(call.name);
  }

  isDecryptCall(file: AnalysedFile, call: CallFact): boolean {
    if (this.decryptNames.has(call.name.toLowerCase())) return true;
    if (call.isNew && call.name === "DecryptCommand") return true;
    if (call.name === "decrypt" && this.calls(file, call, /^@aws-sdk\/client-kms|aws-sdk$/)) return true;
    return /^(decrypt|unseal)[A-Z]/.test(call.name);
  }

  isBaaAssertion(_file: AnalysedFile, call: CallFact): boolean {
    return this.baaNames.has(call.name.toLowerCase()) || /baa/i.test(call.name);
  }

  isRateLimitCall(_file: AnalysedFile, call: CallFact): boolean {
    if (this.rateLimitNames.has(call.name.toLowerCase())) return true;
    const joined = call.chain.join(".");
    if (call.name === "limit" || call.name === "consume" || call.name === "blockEffectively" || call.name === "penalty") {
      return RATE_LIMIT_NAME_PATTERN.test(joined) || /^(otp|login|signup|ip|per|api|auth|global|email|phone|sms)/i.test(call.chain[call.chain.length - 2] ?? "");
    }
    // A limiter object asked whether this request may pass (`loginRateLimiter.pass(callback)`, `limiter.tryRemoveTokens(1)`).
    if (RATE_LIMIT_DECISION.test(call.name) && RATE_LIMIT_NAME_PATTERN.test(call.chain[call.chain.length - 2] ?? "")) return true;
    return RATE_LIMIT_NAME_PATTERN.test(call.name) || /^(check|enforce|apply)(Rate|Limit)/.test(call.name);
  }

  // ---- data access ---------------------------------------------------------------------------

  private supabaseTable(call: CallFact): string | undefined {
    let expr: ts.Expression = call.callee;
    for (let i = 0; i < 16; i++) {
      expr = skipOuterExpressions(expr);
      if (isPropertyAccessExpression(expr)) expr = expr.expression;
      else if (isCallExpression(expr)) {
        const callee = skipOuterExpressions(expr.expression);
        if (isPropertyAccessExpression(callee) && callee.name.text === "from") return literalText(expr.arguments[0]);
        expr = callee;
      } else return undefined;
    }
    return undefined;
  }

  private objectProperty(obj: ts.Expression | undefined, key: string): ts.Expression | undefined {
    if (!obj) return undefined;
    const inner = skipOuterExpressions(obj);
    if (!isObjectLiteralExpression(inner)) return undefined;
    for (const property of inner.properties) {
      if (isPropertyAssignment(property) && property.name.getText().replace(/['"]/g, "") === key) return property.initializer;
      if (isShorthandPropertyAssignment(property) && property.name.text === key) return property.name;
    }
    return undefined;
  }

  /** A database read or write, or undefined. */
  dbOperation(file: AnalysedFile, call: CallFact): DbOperation | undefined {
    const memo = this.memoOf(call);
    if (memo.db === undefined) memo.db = this.computeDbOperation(file, call) ?? null;
    return memo.db ?? undefined;
  }

  private computeDbOperation(file: AnalysedFile, call: CallFact): DbOperation | undefined {
    const chain = call.chain;
    const name = call.name;
    const n = chain.length;
    // SQL in a tagged template: the statement's verb decides (a fragment such as `sql\`lower(${x})\`` is neither).
    if (call.node.kind === SyntaxKind.TaggedTemplateExpression) {
      // Handed to a query method (`db.execute(sql\`…\`)`, `prisma.$queryRaw(Prisma.sql\`…\`)`): that call is the operation.
      const parent = call.node.parent;
      if (isCallExpression(parent) && parent.arguments.includes(call.node) && (SQL_METHODS.has(this.project.callOf(parent)?.name ?? ""))) return undefined;
      const text = literalText(call.args[0]) ?? "";
      if (SQL_WRITE.test(text)) return { op: "write", library: name.startsWith("$") ? "prisma" : "sql", method: sqlVerb(text), table: /\b(?:into|update|from|table)\s+([\w."]+)/i.exec(text)?.[1], call };
      if (SQL_READ.test(text) && !tablelessSelect(text)) return { op: "read", library: name.startsWith("$") ? "prisma" : "sql", method: sqlVerb(text), table: /\bfrom\s+([\w."]+)/i.exec(text)?.[1], call };
      return undefined;
    }
    if (n < 2 || call.isNew) return undefined;
    const receiver = chain[n - 2] ?? "";

    // Supabase / PostgREST: `.from("t").insert(…)`, `.from("t").select(…)`.
    const fromIndex = chain.lastIndexOf("from");
    if (fromIndex >= 0 && fromIndex < n - 1 && chain[fromIndex + 1] === "()") {
      const table = this.supabaseTable(call);
      if (SUPABASE_WRITES.has(name) && chain.slice(fromIndex + 2).every((p) => p === "()" || p === name)) {
        return { op: "write", library: "supabase", method: name, table, values: call.args[0], call };
      }
      if (name === "select" && chain[fromIndex + 2] === "select") return { op: "read", library: "supabase", method: name, table, call };
      // Drizzle: `db.select(…).from(table)` is a read.
      if (name === "from" && chain.includes("select")) return { op: "read", library: "drizzle", method: "select", table: call.args[0]?.getText(), call };
    }
    if (name === "from" && chain.includes("select") && chain[n - 2] === "()") {
      return { op: "read", library: "drizzle", method: "select", table: call.args[0]?.getText(), call };
    }
    if (chain.includes("auth") && chain.includes("admin") && SUPABASE_AUTH_ADMIN_WRITES.has(name)) {
      return { op: "write", library: "supabase-auth-admin", method: name, call };
    }

    // Prisma: `prisma.patient.create({ data })`, `tx.user.update(…)`, `ctx.db.task.delete(…)`.
    if ((PRISMA_WRITES.has(name) || PRISMA_READS.has(name)) && n >= 3 && chain[n - 3] !== "()" && receiver !== "()") {
      const root = chain[n - 3] ?? "";
      const rootResolved = this.project.resolve(file, (call.callee as ts.PropertyAccessExpression).expression);
      // A client built by another package (`twilio(...).messages.create`, `new OpenAI().chat…`) is not Prisma.
      const foreignPackage = rootResolved.kind === "module" && !/prisma|db|database|^@\/|^~\/|^#|^\.|^src\//.test(rootResolved.module ?? "");
      const prismaish =
        !foreignPackage && /prisma|^db$|^tx$|^trx$|^client$|^database$/i.test(root) ||
        (rootResolved.kind === "module" && /prisma/.test(rootResolved.module ?? "")) ||
        rootResolved.origins.some((o) => /PrismaClient/.test(o.expression.getText()));
      if (prismaish && !/^\$/.test(receiver)) {
        const arg = call.args[0];
        const values = this.objectProperty(arg, "data") ?? this.objectProperty(arg, "create") ?? this.objectProperty(arg, "update");
        return { op: PRISMA_WRITES.has(name) ? "write" : "read", library: "prisma", method: name, table: receiver, values, call };
      }
    }
    if (name.startsWith("$executeRaw") || name.startsWith("$queryRaw")) {
      if (tablelessSelect(literalText(call.args[0]) ?? "-")) return undefined;
      return { op: name.startsWith("$execute") ? "write" : "read", library: "prisma", method: name, call };
    }

    // Drizzle: `db.insert(t).values(…)`, `db.update(t).set(…)`, `db.delete(t)`, and the client a request context carries (`ctx.db.update(t)`).
    if ((n === 2 || (n === 3 && CONTEXT_DB.test(receiver) && chain[0] !== "this" && chain[0] !== "()")) && (name === "insert" || name === "update" || name === "delete") && DB_RECEIVER.test(receiver) && call.args.length === 1 && isIdentifier(skipOuterExpressions(call.args[0]!)) && this.followingCallArg(call, "into") === undefined) {
      const values = this.followingCallArg(call, name === "insert" ? "values" : "set");
      return { op: "write", library: "drizzle", method: name, table: call.args[0]!.getText(), values, call };
    }
    // Drizzle relational queries: `db.query.users.findMany()`.
    if (chain.includes("query") && (name === "findMany" || name === "findFirst")) return { op: "read", library: "drizzle", method: name, table: receiver, call };

    // Knex: `knex("users").insert(…)`, `db("users").where(…).del()`.
    if (chain[1] === "()" && DB_RECEIVER.test(chain[0] ?? "") && ["insert", "update", "del", "delete", "upsert", "merge"].includes(name)) {
      const table = literalText((call.callee as ts.PropertyAccessExpression).expression && chainRootCallArg(call.callee));
      return { op: "write", library: "knex", method: name, table, values: call.args[0], call };
    }

    // Raw SQL: `pool.query("update …")`, `client.execute(sql)`.
    if (SQL_METHODS.has(name)) {
      const text = literalText(call.args[0]);
      if (text !== undefined) {
        if (SQL_WRITE.test(text)) return { op: "write", library: "sql", method: sqlVerb(text), table: /\b(?:into|update|from|table)\s+([\w."]+)/i.exec(text)?.[1], call };
        if (SQL_READ.test(text)) return tablelessSelect(text) ? undefined : { op: "read", library: "sql", method: sqlVerb(text), table: /\bfrom\s+([\w."]+)/i.exec(text)?.[1], call };
      }
    }

    // Knex's `insert(…).into("t")` and `into("t").insert(…)`.
    if (DB_RECEIVER.test(chain[0] ?? "") && ((name === "into" && chain.includes("insert")) || (name === "insert" && chain.includes("into")))) {
      const intoCall = name === "into" ? call.node : chainCall(call.callee, "into");
      const insertCall = name === "insert" ? call.node : chainCall(call.callee, "insert");
      const table = intoCall && isCallExpression(intoCall) ? literalText(intoCall.arguments[0]) : undefined;
      return { op: "write", library: "knex", method: "insert", table, values: insertCall && isCallExpression(insertCall) ? insertCall.arguments[0] : undefined, call };
    }

    // TypeORM repositories and entity managers: `getRepository(User).save(x)`, `this.users.delete(id)`, `manager.save(User, x)`.
    const typeormWrite = TYPEORM_WRITES.has(name);
    if ((typeormWrite || TYPEORM_READS.has(name)) && n >= 2 && !call.isNew) {
      const viaGetter = chain.some((part) => /^get(Custom|Tree|Mongo)?Repository$/.test(part));
      const manager = receiver === "manager" || receiver === "entityManager" || receiver === "em";
      if (viaGetter || manager || /(^repo|Repo|Repository)$/.test(receiver)) {
        const entityArg = manager && call.args[0] && isIdentifier(skipOuterExpressions(call.args[0])) && /^[A-Z]/.test(call.args[0].getText()) ? call.args[0] : undefined;
        const table = viaGetter ? chainRootCallArg(call.callee)?.getText() : entityArg ? entityArg.getText() : receiver.replace(/Repo(sitory)?$/, "") || receiver;
        const rest = entityArg ? call.args.slice(1) : call.args;
        const values = name === "update" ? rest[1] : name === "save" || name === "insert" || name === "upsert" ? rest[0] : undefined;
        return { op: typeormWrite ? "write" : "read", library: "typeorm", method: name, table, values, call };
      }
    }

    // Mongoose and Sequelize models: `Patient.create(…)`, `User.bulkCreate(…)`, `User.destroy(…)`, `Note.findAll(…)`.
    if (n === 2 && /^[A-Z]/.test(receiver) && (MODEL_WRITES.has(name) || MODEL_READS.has(name)) && this.isModel(file, call)) {
      const write = MODEL_WRITES.has(name);
      return { op: write ? "write" : "read", library: "model", method: name, table: receiver, values: write && name !== "destroy" ? call.args[0] : undefined, call };
    }

    // MongoDB / Mongoose. A receiver named for a layer of the project's own code (`collectionService.findOne`) is no collection.
    if (SERVICE_RECEIVER.test(receiver)) return undefined;
    if (MONGO_WRITES.has(name) && n >= 2) return { op: "write", library: "mongo", method: name, table: receiver, values: call.args[1] ?? call.args[0], call };
    if (MONGO_READS.has(name) && n >= 2 && /^[A-Z]|collection|\(\)/.test(receiver) && receiver !== "Object" && receiver !== "Array") {
      return { op: "read", library: "mongo", method: name, table: receiver, call };
    }
    return undefined;
  }

  /**
   * Whether `Model.method(…)`'s receiver is an ORM model: a class that extends another (Sequelize's
   * `Model`, TypeORM's `BaseEntity`), a value built by mongoose or Sequelize (`mongoose.model(…)`,
   * `sequelize.define(…)`), or a project module outside the PR. A global (`Object`, `Promise`) or
   * another package's export is not.
   */
  private isModel(file: AnalysedFile, call: CallFact): boolean {
    const callee = skipOuterExpressions(call.callee);
    if (!isPropertyAccessExpression(callee)) return false;
    const r = this.project.resolve(file, callee.expression);
    if (r.kind === "module") return this.project.isProjectModule(r.file, r.module ?? "") || ORM_PACKAGES.test(r.module ?? "");
    return r.kind === "local" && r.binding?.kind === "class" && (r.binding.node.heritageClauses?.length ?? 0) > 0;
  }

  /** For `db.insert(t).values(x)`: the `x` of the call chained right after this one. */
  private followingCallArg(call: CallFact, method: string): ts.Expression | undefined {
    const access = call.node.parent;
    if (access && isPropertyAccessExpression(access) && access.name.text === method && isCallExpression(access.parent)) return access.parent.arguments[0];
    return undefined;
  }

  // ---- loggers, JWT, admin clients -----------------------------------------------------------

  isLoggerCall(file: AnalysedFile, call: CallFact): boolean {
    return this.loggedCall(file, call) !== undefined;
  }

  /**
   * What a call writes to the logs: every argument of a logger call, or the arguments a project
   * helper forwards to one (`logError(message, meta)` whose body calls `logger.error(message, meta)`).
   * Undefined when the call does not log.
   */
  loggedCall(file: AnalysedFile, call: CallFact): LoggedCall | undefined {
    const memo = this.memoOf(call);
    if (memo.logged === undefined) memo.logged = this.computeLoggedCall(file, call, 0) ?? null;
    return memo.logged ?? undefined;
  }

  private computeLoggedCall(file: AnalysedFile, call: CallFact, depth: number): LoggedCall | undefined {
    if (call.isNew || call.node.kind === SyntaxKind.TaggedTemplateExpression) return undefined;
    if (this.isLoggerMethodCall(file, call)) return { args: call.args, via: "logger" };
    const r = this.callee(file, call);
    const tail = r.path.filter((p) => p !== "()");
    // `const log = debug("app:auth"); log(…)`, `log.extend("db")(…)`: a callable logger instance.
    if (r.kind === "module" && CALLABLE_LOGGER_PACKAGES.has(r.module ?? "") && r.path[r.path.length - 1] === "()" && r.path.length >= 1) return { args: call.args, via: "logger" };
    // `const log = console.log; log(…)`, `const { info } = logger; info(…)`.
    if (call.chain.length === 1 && LOG_METHODS.has(tail[tail.length - 1] ?? "") && r.path[r.path.length - 1] !== "()") {
      if (r.kind === "global" && r.name === "console") return { args: call.args, via: "logger" };
      if (r.kind === "module" && LOGGER_PACKAGES.has(r.module ?? "")) return { args: call.args, via: "logger" };
    }
    // A project function that forwards its arguments to a logger.
    if (r.kind === "function" && r.fn && r.path.length === 0) {
      const forward = this.forwardedToLogger(r.file, r.fn, depth + 1);
      if (!forward) return undefined;
      const args = call.args.filter((arg, i) => {
        if (forward.rest !== undefined && i >= forward.rest) return true;
        if (forward.params.has(i)) return true;
        // A spread argument may fill any forwarded parameter.
        return isSpreadElement(arg);
      });
      return args.length > 0 ? { args, via: "helper", helper: r.fn.name ?? call.name, all: args.length === call.args.length } : undefined;
    }
    return undefined;
  }

  /** A log method (`info`, `error`…) of console, a logger package's instance, or a receiver named as a logger. */
  private isLoggerMethodCall(file: AnalysedFile, call: CallFact): boolean {
    if (!LOG_METHODS.has(call.name) || call.chain.length < 2) return false;
    const receiver = call.chain[call.chain.length - 2] ?? "";
    if (receiver === "console") return true;
    if (LOGGER_RECEIVER_PATTERN.test(receiver)) return true;
    const r = this.callee(file, call);
    if (receiver === "()") return r.kind === "module" && LOGGER_PACKAGES.has(r.module ?? "");
    if (r.kind === "module" && (LOGGER_PACKAGES.has(r.module ?? "") || LOGGER_MODULE_PATTERN.test(r.module ?? ""))) return true;
    return r.origins.some((o) => {
      const chain = chainOf(o.expression);
      return LOGGER_FACTORY_PATTERN.test(chain[chain.length - 1] ?? "");
    });
  }

  private readonly forwardCache = new Map<FunctionFact, LogForward | null>();

  /**
   * Which parameters a project function passes to a logger: a helper named for logging
   * (`logError`, `auditLog`) that logs its arguments, or any function whose body does nothing
   * but log them (and format). A function that does other work and logs on the side
   * (`sendEmail(to, body)`) is not a logger: its caller's arguments are not all log lines.
   */
  private forwardedToLogger(file: AnalysedFile, fn: FunctionFact, depth: number): LogForward | undefined {
    const cached = this.forwardCache.get(fn);
    if (cached !== undefined) return cached ?? undefined;
    if (depth > 3) return undefined;
    this.forwardCache.set(fn, null);
    const parameters = fn.node.parameters;
    const params = new Set<number>();
    let rest: number | undefined;
    let logs = 0;
    let otherWork = false;
    const loggedRanges: Array<[number, number]> = [];
    const loggers = new Set<CallFact>();
    const calls = this.callsWithin(fn);
    for (const call of calls) {
      const memo = this.memoOf(call);
      const logged = memo.logged !== undefined ? (memo.logged ?? undefined) : this.computeLoggedCall(file, call, depth);
      if (!logged) continue;
      loggers.add(call);
      logs++;
      for (const arg of logged.args) {
        loggedRanges.push([arg.getStart(), arg.getEnd()]);
        walk(arg, (node) => {
          if (!isIdentifier(node)) return undefined;
          const binding = this.project.lookup(file, node.text, node);
          if (binding?.kind !== "param" || binding.fn !== fn) return undefined;
          const index = parameters.indexOf(binding.node);
          if (index < 0) return undefined;
          if (binding.node.dotDotDotToken) rest = rest === undefined ? index : Math.min(rest, index);
          else params.add(index);
          return undefined;
        });
      }
    }
    if (logs === 0 || (params.size === 0 && rest === undefined)) return undefined;
    if (!LOG_HELPER_NAME.test(fn.name ?? "")) {
      for (const call of calls) {
        if (loggers.has(call)) continue;
        const start = call.node.getStart();
        if (loggedRanges.some(([from, to]) => start >= from && start < to)) continue;
        const r = this.callee(file, call);
        if ((r.kind === "global" && FORMATTING_GLOBALS.has(r.name ?? "")) || FORMATTING_CALLS.has(call.name) || (r.kind === "module" && /^(util|node:util)$/.test(r.module ?? ""))) continue;
        otherWork = true;
        break;
      }
      if (otherWork) return undefined;
    }
    const forward: LogForward = { params, ...(rest !== undefined ? { rest } : {}) };
    this.forwardCache.set(fn, forward);
    return forward;
  }

  /** `decode` for an unverified JWT read, `verify` for a verification, `header` for a header-only read. */
  jwtCall(file: AnalysedFile, call: CallFact): "decode" | "verify" | "header" | undefined {
    const r = this.callee(file, call);
    const tail = r.path.filter((p) => p !== "()");
    const last = tail[tail.length - 1];
    if (r.kind === "module") {
      if (r.module === "jsonwebtoken") return last === "decode" ? "decode" : last === "verify" ? "verify" : undefined;
      if (r.module === "jose") return last === "decodeJwt" ? "decode" : last === "jwtVerify" ? "verify" : last === "decodeProtectedHeader" ? "header" : undefined;
      if (r.module === "jwt-decode") return "decode";
      if (r.module === "jws" || r.module === "njwt") return last === "decode" ? "decode" : last === "verify" ? "verify" : undefined;
    }
    const chain = call.chain;
    if (call.name === "decode" && /^(jwt|jsonwebtoken|jws|JWT)$/.test(chain[chain.length - 2] ?? "")) return "decode";
    if (/^(jwtDecode|jwt_decode|decodeJwt|decodeJWT)$/.test(call.name)) return "decode";
    if (/^(jwtVerify|verifyJwt|verifyJWT)$/.test(call.name) || (call.name === "verify" && /^(jwt|jsonwebtoken|JWT)$/.test(chain[chain.length - 2] ?? ""))) return "verify";
    return undefined;
  }

  /** A call that creates a client with service-role / admin privileges. */
  isAdminClientCreation(file: AnalysedFile, call: CallFact): boolean {
    const memo = this.memoOf(call);
    return (memo.adminClient ??= this.computeIsAdminClientCreation(file, call));
  }

  private computeIsAdminClientCreation(file: AnalysedFile, call: CallFact): boolean {
    const name = call.name;
    if (/^(createClient|createServerClient|createBrowserClient|SupabaseClient)$/.test(name)) {
      // `createClient` of another package (redis, libsql, sanity) is not a Supabase client.
      const from = this.callee(file, call);
      if (from.kind === "module" && !/supabase/i.test(from.module ?? "") && !/^(\.|@\/|~\/|#|src\/)/.test(from.module ?? "")) return false;
      const args = call.args.map((a) => a.getText()).join(" ");
      if (/service_?role|serviceRole|SERVICE_ROLE|service_?key|SECRET_KEY|secretKey|ADMIN_KEY|adminKey/i.test(args)) return true;
      // A key variable defined from a service-role env var.
      for (const arg of call.args) {
        const inner = skipOuterExpressions(arg);
        if (isIdentifier(inner)) {
          const binding = this.project.lookup(file, inner.text, inner);
          if (binding?.kind === "var" && binding.init && /service_?role|SERVICE_ROLE|service_?key|SECRET_KEY/i.test(binding.init.getText())) return true;
        }
      }
      return false;
    }
    // Calls to factories outside the PR (`createAdminClient()`, `getServiceRoleClient()`).
    if (/^(create|get|make|new|init)(Supabase)?(Admin|ServiceRole|Service|Privileged)(Supabase|Db|Database)?Client$/i.test(name)) {
      const r = this.callee(file, call);
      if (r.kind === "function" && r.fn) return this.returnsAdminClient(r.file, r.fn);
      return true;
    }
    const r = this.callee(file, call);
    if (r.kind === "function" && r.fn && r.path.length === 1) return this.returnsAdminClient(r.file, r.fn);
    return false;
  }

  /** A function whose job is to build and return an admin client (a factory): its callers are checked, not it. */
  returnsAdminClient(file: AnalysedFile, fn: FunctionFact): boolean {
    const creations = fn.calls.filter((c) => c.fn === fn && /^(createClient|createServerClient|SupabaseClient)$/.test(c.name) && this.isAdminClientCreation(file, c));
    if (creations.length === 0) return false;
    const body = fn.node.body;
    if (!body) return false;
    if (!isBlock(body)) return creations.some((c) => skipOuterExpressions(body) === c.node);
    return returnedExpressions(body).some((returned) => {
      const expr = skipOuterExpressions(returned);
      if (creations.some((c) => c.node === expr)) return true;
      if (!isIdentifier(expr)) return false;
      const binding = fn.bindings.get(expr.text);
      return binding?.kind === "var" && binding.init !== undefined && creations.some((c) => c.node === skipOuterExpressions(binding.init!));
    });
  }

  /** Data leaving the service: an email or SMS provider, a model provider, or an outbound HTTP call. */
  egressOf(file: AnalysedFile, call: CallFact): Egress | undefined {
    const memo = this.memoOf(call);
    if (memo.egress === undefined) memo.egress = this.computeEgressOf(file, call) ?? null;
    return memo.egress ?? undefined;
  }

  private computeEgressOf(file: AnalysedFile, call: CallFact): Egress | undefined {
    const r = this.callee(file, call);
    if (r.kind === "global") return r.name === "fetch" && r.path.length === 0 ? { kind: "http", provider: "fetch", call } : undefined;
    if (r.kind !== "module" || !r.module) return undefined;
    const tail = r.path.filter((p) => p !== "()");
    const last = tail[tail.length - 1] ?? call.name;
    const messaging = MESSAGE_PACKAGES.get(r.module);
    if (messaging && (/^(send|sendMail|sendEmail|sendBatch|sendEmailBatch|sendEmailWithTemplate|sendMultiple|publish)$/.test(last) || (last === "create" && tail.includes("messages")) || (call.isNew && /Send.*Command|Publish.*Command/.test(last)))) {
      return { kind: /twilio|sns|vonage|plivo|messagebird/i.test(r.module) ? "sms" : "email", provider: messaging, call };
    }
    const model = MODEL_PACKAGES.get(r.module);
    if (model && /^(create|stream|generateText|streamText|generateObject|streamObject|generateContent|generateContentStream|chat|complete|invoke|parse)$/.test(last)) {
      return { kind: "model", provider: model, call };
    }
    if ((r.module === "axios" || r.module === "got" || r.module === "ky" || r.module === "node-fetch" || r.module === "undici") && /^(get|post|put|patch|delete|request|fetch|default)?$/.test(last)) {
      return { kind: "http", provider: r.module, call };
    }
    return undefined;
  }

  // ---- routes --------------------------------------------------------------------------------

  routes(file: AnalysedFile): RouteFact[] {
    let routes = this.routeCache.get(file);
    if (!routes) {
      routes = file.facts ? findRoutes(this, file) : [];
      this.routeCache.set(file, routes);
    }
    return routes;
  }

  /** The file a route's handler is declared in: the route's own, or the controller's it imports. */
  handlerFileOf(route: RouteFact): AnalysedFile {
    return (route.handler && this.project.fileOf(route.handler.node)) || route.file;
  }

  /** The PR's routes whose handler is `fn`, wherever they are registered (built once per review). */
  routesHandledBy(fn: FunctionFact): readonly RouteFact[] {
    if (!this.routesByHandler) {
      this.routesByHandler = new Map();
      for (const route of this.allRoutes()) {
        if (!route.handler) continue;
        const list = this.routesByHandler.get(route.handler);
        if (list) list.push(route);
        else this.routesByHandler.set(route.handler, [route]);
      }
    }
    return this.routesByHandler.get(fn) ?? [];
  }

  /**
   * Calls on a route's path into code the review did not read (a package it does not know, a
   * module of the repository outside its limits) that could be its guard: named like one, or
   * given the request, its context or the session. The engine asks about them rather than claim
   * the route unguarded. Computed once per route.
   */
  unreadGuardCalls(route: RouteFact): UnreadCall[] {
    let found = this.unreadCache.get(route);
    if (found) return found;
    found = [];
    this.unreadCache.set(route, found);
    const handlerFile = route.handler ? this.handlerFileOf(route) : route.file;
    const inputs = new Set(["req", "request", "ctx", "context", "event", "c", "session", "headers", "cookies"]);
    for (const parameter of route.handler?.node.parameters ?? []) if (isIdentifier(parameter.name)) inputs.add(parameter.name.text);
    const calls: { file: AnalysedFile; call: CallFact }[] = [
      ...route.wrappers.map((call) => ({ file: this.project.fileOf(call.node) ?? route.file, call })),
      ...(route.handler ? this.callsWithin(route.handler).map((call) => ({ file: handlerFile, call })) : []),
    ];
    if (route.unreadFront) found.push({ ...route.unreadFront, line: route.line, settles: "auth" });
    const seen = new Set<string>();
    for (const { file, call } of calls) {
      const callee = this.callee(file, call);
      if (callee.kind !== "module" || !callee.module || isKnownPackage(callee.module) || this.configuredGuards.has(call.name.toLowerCase())) continue;
      // A session getter's meaning is catalogued (it returns a session that must be checked), and so is a query or a send.
      if (SESSION_GETTER.test(call.name) || this.dbOperation(file, call) || this.egressOf(file, call)) continue;
      const namedGuard = AUTH_NAME_PATTERN.test(call.name) || ROLE_NAME_PATTERN.test(call.name) || UNREAD_GUARD_NAME.test(call.name);
      // A call whose job the catalogue already names (an audit record, a log line, a query, a send) is not a guard, whatever it is given.
      const guardLike = namedGuard || (!NOT_A_GUARD_NAME.test(call.name) && !this.isAuditCall(file, call) && !this.isLoggerCall(file, call) && call.args.some((arg) => givenInput(arg, inputs)));
      const key = `${callee.module}\0${call.name}`;
      if (!guardLike || seen.has(key)) continue;
      seen.add(key);
      const settles = ROLE_NAME_PATTERN.test(call.name) || ACCESS_NAME.test(call.name) ? "access" : AUTH_NAME_PATTERN.test(call.name) || UNREAD_GUARD_NAME.test(call.name) ? "auth" : "unknown";
      found.push({ name: call.name, module: callee.module, reason: this.project.unreadReason(file, callee.module), line: call.line, settles });
    }
    // A helper the handler calls, read but guarding nothing by what it was given, may authenticate
    // through a function handed to it (`deps.authenticateRequest(request)`, injected for tests):
    // that call is not read, so the route is asked about, not claimed.
    for (const { file, call } of calls) {
      const callee = this.callee(file, call);
      if (callee.kind !== "function" || !callee.fn || this.guardsInFunction(callee.file, callee.fn).size > 0) continue;
      for (const inner of this.callsWithin(callee.fn)) {
        if (inner.args.length === 0 || !(AUTH_NAME_PATTERN.test(inner.name) || INJECTED_GUARD_NAME.test(inner.name)) || this.callee(callee.file, inner).kind !== "param") continue;
        const key = `${callee.file.path}\0${inner.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ name: inner.name, module: callee.file.path, reason: `called through a parameter of \`${callee.fn.name ?? "a helper"}\`, whose value the review does not follow`, line: call.line, settles: ROLE_NAME_PATTERN.test(inner.name) || ACCESS_NAME.test(inner.name) ? "access" : "auth" });
      }
    }
    return found;
  }

  /**
   * Whether a call is recognised by its names alone: its receiver comes from a module of the
   * repository the review did not read (`db.project.delete` with `db` from an unread `@/lib/db`).
   */
  restsOnNamesAlone(file: AnalysedFile, call: CallFact): boolean {
    const callee = this.callee(file, call);
    return callee.kind === "unknown" || (callee.kind === "module" && callee.module !== undefined && this.project.isProjectModule(callee.file, callee.module));
  }

  /**
   * Whether something in front of the route (a procedure's middleware, a wrapper) refuses the request
   * with 401/403 on a condition the review does not read as sign-in (a first-run setup step, a feature
   * switch, a maintenance gate): the route is gated by a rule the review cannot judge, so its
   * openness is asked about, not claimed.
   */
  chainGated(route: RouteFact): boolean {
    const gates = { found: false, ...(route.handler ? { handler: route.handler.node } : {}) };
    try {
      for (const w of route.wrappers) this.builderGuards(this.project.fileOf(w.node) ?? route.file, w.node, 0, undefined, gates);
      const callee = route.procedure && route.registration ? skipOuterExpressions(route.registration.callee) : undefined;
      if (callee && isPropertyAccessExpression(callee)) this.builderGuards(route.file, callee.expression, 0, undefined, gates);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
    return gates.found;
  }

  allRoutes(): RouteFact[] {
    return this.project.files.flatMap((f) => this.routes(f));
  }

  /** Guards that protect a route: middleware, wrappers, router-level `use`, procedure, and the handler body. */
  /** The guards in front of a route (a fresh set each call: callers add what they find). Computed once per route. */
  routeGuards(route: RouteFact): Set<GuardKind> {
    let kinds = this.routeGuardCache.get(route);
    if (!kinds) {
      kinds = this.computeRouteGuards(route);
      this.routeGuardCache.set(route, kinds);
    }
    return new Set(kinds);
  }

  /** `{ provide: APP_GUARD, useClass: … }` guards of the modules the review read, found once. */
  nestGlobalGuards(): Array<{ file: AnalysedFile; guard: ts.Expression }> {
    return (this.nestGlobalGuardList ??= globalNestGuards(this));
  }

  /**
   * What one guard in a route's chain enforces on that route. A NestJS guard may read the route's
   * metadata decorators: it enforces nothing on a route it lets through by them (no `@Roles`, a
   * `@Public()`), and a role or permission on a route whose required permissions it refuses without.
   */
  private routeGuardKinds(route: RouteFact, file: AnalysedFile, guard: ts.Expression): Set<GuardKind> {
    const verdict = route.kind === "nest" ? nestGuardVerdict(this, route, file, guard) : "checks";
    if (verdict === "passes" || verdict === "public") return new Set();
    const kinds = this.guardKinds(file, guard);
    if (verdict === "role") kinds.add("role").add("auth");
    return kinds;
  }

  private computeRouteGuards(route: RouteFact): Set<GuardKind> {
    const kinds = new Set<GuardKind>();
    const add = (set: Set<GuardKind>) => set.forEach((k) => kinds.add(k));
    // Middleware is read where it is written: a Socket.IO server's `use` lives in the file that accepts connections.
    for (const m of route.middleware) add(this.routeGuardKinds(route, this.project.fileOf(m) ?? route.file, m));
    // A wrapper around an imported handler lives in the handler's file.
    for (const w of route.wrappers) {
      const file = this.project.fileOf(w.node) ?? route.file;
      add(this.guardKinds(file, w.node));
      add(this.builderGuards(file, w.node, 0));
      add(this.optionGuards(file, w));
    }
    if (route.procedure) {
      // The procedure's builder chain, read down to its definition (`spaceProcedure =
      // privateProcedure.use(…)` in the file that defines the procedures); its name only when that
      // definition was not read.
      const callee = route.registration ? skipOuterExpressions(route.registration.callee) : undefined;
      const trace = { unread: callee === undefined || !isPropertyAccessExpression(callee) };
      if (callee && isPropertyAccessExpression(callee)) add(this.builderGuards(route.file, callee.expression, 0, trace));
      if (trace.unread) {
        if (/admin/i.test(route.procedure)) kinds.add("admin").add("role").add("auth");
        else if (/protected|authed|auth|private|user|member|org|team|session|logged/i.test(route.procedure)) kinds.add("auth");
      }
    }
    if (route.registration) add(this.routerLevelGuardsAt(route.file, route.registration));
    if (route.kind === "nest") for (const global of this.nestGlobalGuards()) add(this.routeGuardKinds(route, global.file, global.guard));
    // A Socket.IO handler has no middleware of its own: its check is a call in its body, which counts only on every path to its work.
    if (route.handler) add(route.kind === "socketio" ? this.guardsOnEveryPath(this.handlerFileOf(route), route.handler) : this.guardsInFunction(this.handlerFileOf(route), route.handler));
    return kinds;
  }

  /**
   * The guards a handler enforces on every path through it: calls in statement position of its body
   * (an `await requireX()`, a `checkLogin(socket)` that throws), a call whose result decides a
   * refusal (`if (!(await isMember(x))) return …`), and a call inside a `try` whose `catch` leaves
   * the handler or has nothing after it (`try { checkLogin(socket); … } catch (e) { callback({ ok:
   * false }) }` stops the work). A call on one branch (`if (data.admin) checkLogin(socket)`), in a
   * callback, or in a `try` whose `catch` swallows the throw and goes on, guards nothing.
   */
  private testsPrincipal(file: AnalysedFile, call: CallFact): boolean {
    const callee = this.callee(file, call);
    const body = callee.kind === "function" && callee.path.length === 0 ? callee.fn?.node.body : undefined;
    return body !== undefined && call.args.length > 0 && returnedExpressions(body).some((e) => PRINCIPAL_PROPERTY.test(e.getText()));
  }

  guardsOnEveryPath(file: AnalysedFile, fn: FunctionFact): Set<GuardKind> {
    const kinds = new Set<GuardKind>();
    const body = fn.node.body;
    for (const call of this.callsWithin(fn)) {
      const path = body ? onEveryPath(call.node, body) : false;
      if (!path) continue;
      const found = this.guardKinds(file, call.node, 1);
      // A predicate of the project that answers from the caller's principal (`return socket.userID !== undefined`), its answer refusing the work.
      if (found.size === 0 && path === "condition" && this.testsPrincipal(file, call)) found.add("auth");
      if (this.isUncheckedSession(call, found)) continue;
      for (const k of found) kinds.add(k);
    }
    if (this.hasInlineRoleCheck(fn)) kinds.add("role").add("auth");
    else if (!kinds.has("auth") && !kinds.has("webhook") && this.hasInlineAuthCheck(file, fn)) kinds.add("auth");
    return kinds;
  }

  /**
   * Guards a route asks of the wrapper that builds it through an option (`dashboardLoader({
   * authorization: { requireSuper: true } }, fn)`, `withAuth(fn, { roles: ["admin"] })`): credited
   * when the wrapper is a package's, or its definition was read and names the option (so the option
   * is one the wrapper looks at, not a stray key).
   */
  private optionGuards(file: AnalysedFile, wrapper: CallFact): Set<GuardKind> {
    const kinds = new Set<GuardKind>();
    const found: Array<{ key: string; admin: boolean }> = [];
    const visit = (expr: ts.Expression, depth: number) => {
      const obj = skipOuterExpressions(expr);
      if (!isObjectLiteralExpression(obj) || depth > 2) return;
      for (const p of obj.properties) {
        if (!isPropertyAssignment(p) || !(isIdentifier(p.name) || isStringLiteralLike(p.name))) continue;
        const key = p.name.text;
        const value = skipOuterExpressions(p.initializer);
        if (ADMIN_OPTION.test(key) && value.kind === SyntaxKind.TrueKeyword) found.push({ key, admin: true });
        else if (ROLE_OPTION.test(key) && (isStringLiteralLike(value) || (isArrayLiteralExpression(value) && value.elements.length > 0 && value.elements.every(isStringLiteralLike)))) {
          found.push({ key, admin: /admin|owner|super/i.test(value.getText()) });
        } else {
          const before = found.length;
          visit(value, depth + 1);
          // `authorization: { action: "manage", resource: "members" }`: a permission the builder checks.
          if (found.length === before && ROLE_OBJECT_OPTION.test(key) && isObjectLiteralExpression(value) && value.properties.length > 0) found.push({ key, admin: /admin|owner|super/i.test(value.getText()) });
        }
      }
    };
    for (const arg of wrapper.args) visit(arg, 0);
    if (found.length === 0) return kinds;
    const callee = this.callee(file, wrapper);
    const definition = callee.kind === "function" && callee.fn ? this.project.fileOf(callee.fn.node) : callee.kind === "local" ? callee.file : undefined;
    for (const { key, admin } of found) {
      // Read as an option: `options.requireSuper`, `"requireSuper" in authorization`, `{ requireSuper }`.
      const read = new RegExp(`\\??\\.${key}\\b|['"\`]${key}['"\`]|[{,]\\s*${key}\\s*[,}:=]`);
      if (callee.kind !== "module" && !(definition && read.test(definition.text))) continue;
      kinds.add("auth").add("role");
      if (admin) kinds.add("admin");
    }
    return kinds;
  }

  /**
   * Guards of an action built on a client or procedure (next-safe-action's
   * `authActionClient.schema(s).action(fn)` with `authActionClient = actionClient.use(async ({ next
   * }) => { … })`, zsa's `authenticatedAction.createServerAction().handler(fn)` with
   * `authenticatedAction = createServerActionProcedure().handler(async () => assertAuthenticated())`):
   * the functions passed along the builder chain, down to its root and the chain that defined it
   * (in this file or the one it is imported from), a few definitions deep.
   */
  private builderGuards(file: AnalysedFile, expression: ts.Expression, depth: number, trace?: { unread: boolean }, gates?: { found: boolean; handler?: ts.Node }): Set<GuardKind> {
    const kinds = new Set<GuardKind>();
    this.walkBuilderChain(file, expression, depth, {
      fn: (at, fn, level) => {
        this.guardsInFunction(at, fn, level + 1).forEach((k) => kinds.add(k));
        // The handler passed to its wrapper is not in front of itself.
        if (gates && fn.node !== gates.handler && refusesAccess(fn)) gates.found = true;
      },
      unreadRoot: trace ? (at, root) => {
        if (this.isUnreadProjectName(at, root)) trace.unread = true;
      } : undefined,
    });
    return kinds;
  }

  /**
   * Walks a builder chain (`authed.input(s).mutation(fn)`, `os.use(mw).handler(fn)`) from its last
   * call to its root, giving `visit.fn` each function passed along it, and following what names it:
   * builders and middleware given by name or call (`.use(isAuthed)`, zsa's parent procedure), the
   * chain a root variable was defined by (here or in the module it is imported from), and, unless
   * `factories` is off, a procedure factory's returned chain (`createProcedure("admin")`). A root with
   * no definition the review read goes to `visit.unreadRoot` (not for the names given as arguments).
   * Bounded: a few definitions deep, 16 links a chain.
   */
  walkBuilderChain(
    file: AnalysedFile,
    expression: ts.Expression,
    depth: number,
    visit: { fn: (file: AnalysedFile, fn: FunctionFact, depth: number) => void; unreadRoot?: (file: AnalysedFile, root: ts.Identifier) => void },
    factories = true,
  ): void {
    if (depth > 6) return;
    let current = skipOuterExpressions(expression);
    for (let i = 0; i < 16; i++) {
      if (isCallExpression(current)) {
        for (const arg of current.arguments) {
          const value = skipOuterExpressions(arg);
          const fn = isFunctionNode(value) ? this.project.functionOf(value) : undefined;
          if (fn) visit.fn(file, fn, depth);
          // zsa: `createServerActionProcedure(authedProcedure)` builds on a parent procedure;
          // tRPC: `.use(isAuthed)` with `isAuthed = t.middleware(…)`.
          else if (isIdentifier(value) || isCallExpression(value)) this.walkBuilderChain(file, value, depth + 1, { fn: visit.fn }, factories);
        }
        // A procedure factory: `permissionRequiredProcedure.requiresPermission("admin")` or
        // `createProcedure("admin")`, whose body returns the builder chain.
        const factory = factories ? this.factoryFunction(file, skipOuterExpressions(current.expression)) : undefined;
        if (factory) {
          for (const returned of factory.fn.node.body ? returnedExpressions(factory.fn.node.body) : []) this.walkBuilderChain(factory.file, returned, depth + 1, visit, factories);
          return;
        }
        current = skipOuterExpressions(current.expression);
      } else if (isPropertyAccessExpression(current)) current = skipOuterExpressions(current.expression);
      else break;
    }
    if (!isIdentifier(current)) return;
    const definition = this.definitionOf(file, current);
    if (definition) this.walkBuilderChain(definition.file, definition.expr, depth + 1, visit, factories);
    else visit.unreadRoot?.(file, current);
  }

  /**
   * The method a call reaches through a constructor-injected dependency (NestJS and other DI
   * containers): `this.<property>.<method>(…)`, the property a constructor parameter typed with a
   * class the review read.
   */
  injectedMethod(file: AnalysedFile, call: CallFact): { file: AnalysedFile; fn: FunctionFact } | undefined {
    const callee = skipOuterExpressions(call.callee);
    if (!isPropertyAccessExpression(callee)) return undefined;
    const owner = skipOuterExpressions(callee.expression);
    if (!isPropertyAccessExpression(owner) || owner.expression.kind !== SyntaxKind.ThisKeyword) return undefined;
    let node: ts.Node | undefined = call.node;
    while (node && !isClassDeclaration(node)) node = node.parent;
    if (!node) return undefined;
    const ctor = node.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m));
    const param = ctor?.parameters.find((p) => isIdentifier(p.name) && p.name.text === owner.name.text && p.type !== undefined && ts.isTypeReferenceNode(p.type));
    const typeName = param?.type && ts.isTypeReferenceNode(param.type) && isIdentifier(param.type.typeName) ? param.type.typeName : undefined;
    if (!typeName) return undefined;
    const resolved = this.project.resolve(file, typeName);
    if (resolved.binding?.kind !== "class") return undefined;
    const method = resolved.binding.node.members.find((m) => isMethodDeclaration(m) && m.name.getText() === callee.name.text);
    const fn = method ? this.project.functionOf(method) : undefined;
    return fn ? { file: resolved.file, fn } : undefined;
  }

  private guardClassKinds(file: AnalysedFile, cls: ts.ClassDeclaration, depth: number): Set<GuardKind> {
    const kinds = new Set<GuardKind>();
    for (const clause of cls.heritageClauses ?? []) {
      for (const type of clause.types) {
        const base = skipOuterExpressions(type.expression);
        const callee = isCallExpression(base) ? base.expression : base;
        const resolved = this.project.resolve(file, callee);
        if (resolved.kind === "module" && /passport/.test(resolved.module ?? "") && chainOf(callee).at(-1) === "AuthGuard") kinds.add("auth");
        else if (isIdentifier(callee) && resolved.binding?.kind === "class") this.guardClassKinds(resolved.file, resolved.binding.node, depth + 1).forEach((k) => kinds.add(k));
      }
    }
    const canActivate = cls.members.find((m) => isMethodDeclaration(m) && m.name.getText() === "canActivate");
    const fn = canActivate ? this.project.functionOf(canActivate) : undefined;
    if (fn) this.guardsInFunction(file, fn, depth + 1).forEach((k) => kinds.add(k));
    return kinds;
  }

  /**
   * The function a builder step calls when the review has its code: a member of an object literal
   * (`{ requiresPermission: (p) => protectedProcedure.use(…) }`) or a function of the repository.
   */
  private factoryFunction(file: AnalysedFile, callee: ts.Expression): { file: AnalysedFile; fn: FunctionFact } | undefined {
    if (isPropertyAccessExpression(callee)) {
      const owner = skipOuterExpressions(callee.expression);
      if (!isIdentifier(owner)) return undefined;
      const definition = this.definitionOf(file, owner);
      const literal = definition && skipOuterExpressions(definition.expr);
      if (!definition || !literal || !isObjectLiteralExpression(literal)) return undefined;
      for (const property of literal.properties) {
        if (property.name?.getText() !== callee.name.text) continue;
        const value = isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : property;
        const fn = isFunctionNode(value) ? this.project.functionOf(value) : undefined;
        return fn ? { file: definition.file, fn } : undefined;
      }
      return undefined;
    }
    return isIdentifier(callee) ? this.project.declaredFunction(file, callee) : undefined;
  }

  /** A name imported from a module of the repository that the review did not read. */
  private isUnreadProjectName(file: AnalysedFile, name: ts.Identifier): boolean {
    const binding = this.project.lookup(file, name.text, name);
    if (binding?.kind !== "import") return false;
    return this.project.isProjectModule(file, binding.imp.module) && this.project.resolveModule(file, binding.imp.module) === undefined;
  }

  /**
   * The expression a name is defined by: a `const` here, or the export (named or default) it is
   * imported from in another PR file.
   */
  definitionOf(file: AnalysedFile, name: ts.Identifier): { file: AnalysedFile; expr: ts.Expression } | undefined {
    const binding = this.project.lookup(file, name.text, name);
    if (binding?.kind === "var") return binding.path.length === 0 && binding.init ? { file, expr: binding.init } : undefined;
    if (binding?.kind !== "import" || binding.imp.imported.length > 1) return undefined;
    const module = this.project.resolveModule(file, binding.imp.module);
    const origin = module ? this.project.exportOf(module, binding.imp.imported[0] ?? "default") : undefined;
    if (origin?.kind !== "own") return undefined;
    const { file: target, exported } = origin;
    if (exported.kind === "expression") return { file: target, expr: exported.expr };
    return exported.kind === "var" && exported.path.length === 0 && exported.init ? { file: target, expr: exported.init } : undefined;
  }

  /**
   * `use` calls on a router (the call's own receiver, or the one named) before a call in the same
   * file: the middleware every later registration or mount on it runs behind (`router.use(requireAuth)`,
   * `app.use("/admin/*", requireAdmin)` for the paths under its prefix).
   */
  routerLevelGuardsAt(file: AnalysedFile, registration: CallFact, receiverName?: string): Set<GuardKind> {
    const kinds = new Set<GuardKind>();
    const receiver = receiverName ?? registration.chain.slice(0, -1).join(".");
    // The registration's (or mount's) own path: a `use` under another path prefix is not in front of it.
    const target = receiverName === undefined ? literalText(registration.args[0]) : undefined;
    for (const call of file.facts?.calls ?? []) {
      if (call.node.pos >= registration.node.pos) break;
      if (call.name !== "use" && call.name !== "addHook" && call.name !== "register") continue;
      if (call.chain.slice(0, -1).join(".") !== receiver) continue;
      const prefix = literalText(call.args[0]);
      if (prefix !== undefined && !pathUnder(target, prefix)) continue;
      for (const arg of call.args) this.guardKinds(file, arg).forEach((k) => kinds.add(k));
    }
    return kinds;
  }

  /** Calls reachable from a handler: its own (with callbacks) and, one level, those of the PR's functions it calls. */
  reachableCalls(file: AnalysedFile, fn: FunctionFact, depth = 1): Array<{ file: AnalysedFile; call: CallFact }> {
    const out: Array<{ file: AnalysedFile; call: CallFact }> = [];
    const seen = new Set<FunctionFact>([fn]);
    const visit = (f: AnalysedFile, target: FunctionFact, level: number) => {
      for (const call of this.callsWithin(target)) {
        out.push({ file: f, call });
        if (level >= depth) continue;
        const r = this.callee(f, call);
        if (r.kind === "function" && r.fn && !seen.has(r.fn) && r.path.length === 0) {
          seen.add(r.fn);
          visit(r.file, r.fn, level + 1);
        } else {
          // `this.notes.remove(id)` on a service the constructor is given (`private readonly notes: NotesService`).
          const injected = this.injectedMethod(f, call);
          if (injected && !seen.has(injected.fn)) {
            seen.add(injected.fn);
            visit(injected.file, injected.fn, level + 1);
          }
        }
      }
    };
    visit(file, fn, 0);
    return out;
  }
}

/** Calls that return the caller's session or user, or nothing: they protect only where their result is checked. */
const SESSION_GETTER = /^(auth|getServerSession|getServerAuthSession|getSession|currentUser|getCurrentUser|getUser|getAuth|validateRequest)$/;

/**
 * A session getter's result that nothing checks: kept in a variable whose every use is an optional
 * read placed in an object (`where: { authorId: session?.user.id }`, which an ORM drops when it is
 * undefined), or never used. Any other use (a condition, a plain dereference, an argument, a
 * return) counts as a check, and so does a result used in place (`if (!(await auth()))`).
 */
/** A refusal of access in a branch: 401/403 or the frameworks' names for them. */
const ACCESS_REFUSAL = /\b(401|403)\b|["'`](FORBIDDEN|UNAUTHORIZED)["'`]|\b(Forbidden|Unauthori[sz]ed)(Error|Exception)?\b/;

/** A function (a middleware) with an `if` whose branch refuses access: throws or returns 401/403. */
/** Enum-like holders of roles and permissions (`Permission.MANAGE_USERS`, `Roles.ADMIN`, `Scopes.WRITE`). */
const PERMISSION_HOLDER = /(permission|role|scope|right|grant|abilit|access|privilege)s?$/i;
const ROLE_WORD = /^(admin|administrator|owner|superadmin|super_admin|staff|moderator|manager|editor|member|viewer)$|:/i;

/** An argument that names a role or permission: `Permission.X`, `"admin"`, `"users:write"`, or a list of them. */
function namesPermission(expression: ts.Expression): boolean {
  const expr = skipOuterExpressions(expression);
  if (isPropertyAccessExpression(expr)) return isIdentifier(expr.expression) && PERMISSION_HOLDER.test(expr.expression.text);
  if (isStringLiteralLike(expr)) return ROLE_WORD.test(expr.text);
  if (isArrayLiteralExpression(expr)) return expr.elements.length > 0 && expr.elements.every((e) => namesPermission(e));
  return false;
}

function refusesAccess(fn: FunctionFact): boolean {
  const body = fn.node.body;
  if (!body || !ACCESS_REFUSAL.test(body.getText())) return false;
  let found = false;
  walk(body, (node) => {
    if (found) return "stop";
    if (isIfStatement(node) && ACCESS_REFUSAL.test(node.thenStatement.getText()) && /\b(throw|return)\b/.test(node.thenStatement.getText())) found = true;
    return found ? "stop" : undefined;
  });
  return found;
}

/** Callees that may test what they are given: guards, assertions, predicates. */
const GUARD_LIKE_CALLEE = /auth|require|assert|ensure|check|verify|guard|protect|valid|^(can|has|is|must|should)[A-Z]|^(can|has|is)$|invariant|throw|deny|forbid/i;

function sessionUnchecked(call: CallFact): boolean {
  let node: ts.Node = call.node.parent;
  while (isAwaitExpression(node) || isParenthesizedExpression(node) || isAsExpression(node) || isNonNullExpression(node)) node = node.parent;
  if (!isVariableDeclaration(node)) return false;
  const declaration = node;
  const names = new Set<string>();
  walk(declaration.name, (part) => {
    // The names it binds (`session`, the `user` of `{ data: { user } }`), not the properties it reads.
    if (isIdentifier(part) && (part.parent === declaration || (isBindingElement(part.parent) && part.parent.name === part))) names.add(part.text);
  });
  const scope = call.fn?.node.body ?? declaration.getSourceFile();
  let checked = false;
  walk(scope, (ref) => {
    if (!isIdentifier(ref) || !names.has(ref.text) || ref.parent === declaration || (isBindingElement(ref.parent) && ref.parent.name === ref)) return undefined;
    const parent = ref.parent;
    // Only handed on to a call that does not test it (a cookie store's `commitSession(session)`, a
    // flash message's `setErrorMessage(session, …)`), or a method of it called for its effect
    // (`session.flash("message", text)`): the session is used, never tested.
    let used: ts.Node = ref;
    for (let steps = 0; steps < 16; steps++) {
      while ((isPropertyAccessExpression(used.parent) || isElementAccessExpression(used.parent)) && used.parent.expression === used) used = used.parent;
      if (isCallExpression(used.parent) && used.parent.expression === used) used = used.parent;
      else break;
    }
    while (isAwaitExpression(used.parent)) used = used.parent;
    if (used !== ref && isExpressionStatement(used.parent)) return undefined;
    if (isCallExpression(used.parent) && used.parent.arguments.includes(used as ts.Expression) && !GUARD_LIKE_CALLEE.test(chainOf(used.parent.expression).at(-1) ?? "")) return undefined;
    let top: ts.Node = ref;
    while ((isPropertyAccessExpression(top.parent) || isElementAccessExpression(top.parent)) && top.parent.expression === top) top = top.parent;
    if (!(isPropertyAccessExpression(parent) && parent.expression === ref && parent.questionDotToken)) checked = true;
    else if (!isPropertyAssignment(top.parent) || top.parent.initializer !== top) checked = true;
    return checked ? "stop" : undefined;
  });
  if (promiseOnlyTested(call)) return true;
  return !checked;
}

/**
 * A session getter's result never awaited and only ever tested for truthiness (`const session =
 * getServerSession(…); if (!session) …`): the variable holds a Promise, always truthy, so the test
 * refuses no one. (A getter that is synchronous is used by its properties, which this is not.)
 */
function promiseOnlyTested(call: CallFact): boolean {
  let node: ts.Node = call.node.parent;
  while (isParenthesizedExpression(node) || isAsExpression(node) || isNonNullExpression(node)) node = node.parent;
  if (!isVariableDeclaration(node) || !isIdentifier(node.name)) return false;
  return onlyTestedBare(call.fn?.node.body ?? node.getSourceFile(), new Set([node.name.text]), node);
}

/** Every reference to one of `names` (other than its declaration) is a bare truthiness test, and there is one. */
function onlyTestedBare(scope: ts.Node, names: ReadonlySet<string>, declaration: ts.VariableDeclaration): boolean {
  let tested = false;
  let other = false;
  walk(scope, (ref) => {
    if (!isIdentifier(ref) || !names.has(ref.text) || ref.parent === declaration) return undefined;
    let node: ts.Node = ref;
    while (isParenthesizedExpression(node.parent)) node = node.parent;
    const parent = node.parent;
    const bare =
      (isPrefixUnaryExpression(parent) && parent.operator === SyntaxKind.ExclamationToken) ||
      (isIfStatement(parent) && parent.expression === node) ||
      (isConditionalExpression(parent) && parent.condition === node) ||
      (isBinaryExpression(parent) && [SyntaxKind.AmpersandAmpersandToken, SyntaxKind.BarBarToken].includes(parent.operatorToken.kind));
    if (bare) tested = true;
    else other = true;
    return other ? "stop" : undefined;
  });
  return tested && !other;
}

/** The first call inside a callee chain, from the outside in, whose own callee `matches`. */
function chainCallWhere(expr: ts.Expression, matches: (callee: ts.Expression) => boolean): ts.CallExpression | undefined {
  let current = skipOuterExpressions(expr);
  for (let i = 0; i < 16; i++) {
    if (isPropertyAccessExpression(current)) current = skipOuterExpressions(current.expression);
    else if (isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      if (matches(callee)) return current;
      current = callee;
    } else return undefined;
  }
  return undefined;
}

/** The call to `method` inside a callee chain (`knex.insert(x).into` → `knex.insert(x)`). */
function chainCall(expr: ts.Expression, method: string): ts.CallExpression | undefined {
  return chainCallWhere(expr, (callee) => isPropertyAccessExpression(callee) && callee.name.text === method);
}

/** The first argument of the chain's root call (`knex("users").insert` → `"users"`). */
function chainRootCallArg(expr: ts.Expression): ts.Expression | undefined {
  return chainCallWhere(expr, isIdentifier)?.arguments[0];
}

function appRouterPath(path: string): string | undefined {
  const match = /(?:^|\/)app\/(.*?)\/?route\.(?:ts|tsx|js|jsx|mjs)$/.exec(path) ?? /(?:^|\/)app\/()route\.(?:ts|tsx|js|jsx|mjs)$/.exec(path);
  if (!match) return undefined;
  const segments = (match[1] ?? "").split("/").filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
  return `/${segments.join("/")}`;
}

const SVELTEKIT_MODULE = /(?:^|\/)src\/routes((?:\/[^/]+)*?)\/\+(server|page\.server|layout\.server)\.(?:ts|js)$/;

/** The URL of a SvelteKit `+server`, `+page.server` or `+layout.server` module under `src/routes/` (groups left out, params kept). */
function svelteKitPath(path: string, module: "server" | "page.server" | "layout.server"): string | undefined {
  const match = SVELTEKIT_MODULE.exec(path);
  if (!match || match[2] !== module) return undefined;
  const segments = (match[1] ?? "").split("/").filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

const NUXT_ROUTE = /(?:^|\/)server\/(api|routes)\/(.+?)(?:\.(get|post|put|patch|delete|head|options))?\.(?:ts|js|mjs)$/;

/** A Nuxt / Nitro server route's method (from a `.get.ts`-style suffix, else any) and URL (`server/api/…` → `/api/…`). */
function nuxtRoute(path: string): { method: string; urlPath: string } | undefined {
  const match = NUXT_ROUTE.exec(path);
  if (!match) return undefined;
  const segments = match[2]!.split("/").filter((s) => s && s !== "index");
  const urlPath = `/${match[1] === "api" ? ["api", ...segments].join("/") : segments.join("/")}`;
  return { method: match[3]?.toUpperCase() ?? "ANY", urlPath };
}

const REMIX_ROUTE = /(?:^|\/)app\/routes\/(.+)\.(?:ts|tsx|js|jsx)$/;

/**
 * The URL of a Remix / React Router route module under `app/routes/`, flat (`notes.$id.tsx`) or
 * nested (`notes/$id.tsx`, `notes/$id/route.tsx`): `$param` → `:param`, pathless `_layout` and
 * `_index` segments left out.
 */
function remixRoutePath(path: string): string | undefined {
  const match = REMIX_ROUTE.exec(path);
  if (!match) return undefined;
  const segments = match[1]!
    .replace(/\/route$/, "")
    .split(/[/.]/)
    .filter((s) => s && !s.startsWith("_"))
    .map((s) => s.replace(/_$/, "").replace(/^\$(.+)/, ":$1").replace(/^\$$/, "*"));
  return `/${segments.join("/")}`;
}

function pagesApiPath(path: string): string | undefined {
  const match = /(?:^|\/)pages\/(api\/.*)\.(?:ts|tsx|js|jsx|mjs)$/.exec(path);
  if (!match) return undefined;
  return `/${match[1]!.replace(/\/index$/, "")}`;
}

function actionPath(path: string, name: string | undefined): string {
  const match = /(?:^|\/)app\/(.*)\/[^/]+$/.exec(path);
  const segments = (match?.[1] ?? path.replace(/\/[^/]+$/, "")).split("/").filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join("/")} (server action ${name ?? "anonymous"})`;
}

/**
 * An exported route handler: a function declaration, or a variable (`export const POST = withAuth(async (req) => …)`)
 * and, where `expressions` allows it, a default-exported expression. `declaration` is where its findings go.
 */
function exportedHandler(sem: Semantics, file: AnalysedFile, exported: ReturnType<FileFacts["exports"]["get"]>, expressions: boolean): { handler: FunctionFact | undefined; wrappers: CallFact[]; declaration: ts.Node } | undefined {
  const wrappers: CallFact[] = [];
  if (exported?.kind === "function") return { handler: exported.fn, wrappers, declaration: exported.fn.declarationNode };
  if (exported?.kind === "var") return { handler: handlerOf(sem, file, exported.init, wrappers), wrappers, declaration: exported.decl.parent?.parent ?? exported.decl };
  if (expressions && exported?.kind === "expression") return { handler: handlerOf(sem, file, exported.expr, wrappers), wrappers, declaration: exported.expr.parent ?? exported.expr };
  return undefined;
}

/** A type that names a request, a context or an event (`NextApiRequest`, `IncomingMessage`, `H3Event`, `Context`), or leaves it open. */
const REQUEST_LIKE_TYPE = /req|request|message|context|ctx|event|any|unknown|^[A-Z]$/i;
const PLAIN_TYPE_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([SyntaxKind.StringKeyword, SyntaxKind.NumberKeyword, SyntaxKind.BooleanKeyword, SyntaxKind.BigIntKeyword, SyntaxKind.LiteralType]);

/**
 * A function whose first parameter is a plain value, not a request: typed as a string, number or
 * boolean (or a union of them), or as a named type that is not a request, context or event; or,
 * untyped, a lone parameter whose members are never read (`findProvider(id)`). A module exporting
 * one by default under `pages/api` is a helper kept there, not a request handler.
 */
function takesPlainValue(fn: FunctionFact): boolean {
  const first = fn.node.parameters[0];
  if (!first) return false;
  if (!isIdentifier(first.name)) return false;
  const type = first.type;
  if (type) {
    const members = ts.isUnionTypeNode(type) ? type.types : [type];
    return members.every((member) =>
      PLAIN_TYPE_KINDS.has(member.kind) || member.kind === SyntaxKind.NullKeyword || member.kind === SyntaxKind.UndefinedKeyword ||
      (ts.isTypeReferenceNode(member) && !REQUEST_LIKE_TYPE.test(member.typeName.getText())),
    ) && members.some((member) => member.kind !== SyntaxKind.NullKeyword && member.kind !== SyntaxKind.UndefinedKeyword);
  }
  if (fn.node.parameters.length > 1 || /^(_?req\w*|request|event|ctx|context|e)$/i.test(first.name.text) || !fn.node.body) return false;
  const name = first.name.text;
  let readsMember = false;
  walk(fn.node.body, (node) => {
    if (readsMember) return "stop";
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isIdentifier(node.expression) && node.expression.text === name) readsMember = true;
    return undefined;
  });
  return !readsMember;
}

/** How a framework adapter finds a registration's handler: {@link handlerOf}, handed in so adapters need not import this module's values. */
export type HandlerOf = (sem: Semantics, file: AnalysedFile, expression: ts.Expression | undefined, wrappers: CallFact[]) => FunctionFact | undefined;

/** The function an exported value stands for, through wrappers such as `withAuth(async (req) => …)`. */
export function handlerOf(sem: Semantics, file: AnalysedFile, expression: ts.Expression | undefined, wrappers: CallFact[], depth = 0): FunctionFact | undefined {
  if (!expression || depth > 6) return undefined;
  const expr = skipOuterExpressions(expression);
  if (isFunctionNode(expr)) return sem.project.functionOf(expr);
  if (isCallExpression(expr)) {
    const call = sem.project.callOf(expr);
    if (call) wrappers.push(call);
    for (let i = expr.arguments.length - 1; i >= 0; i--) {
      const found = handlerOf(sem, file, expr.arguments[i], wrappers, depth + 1);
      if (found) return found;
    }
    // A handler factory, `app.get(p, makeHandler(options))`: the function the factory returns.
    const factory = sem.project.resolve(file, expr.expression);
    return factory.kind === "function" && factory.fn && factory.path.length === 0 ? returnedFunction(sem, factory.fn) : undefined;
  }
  if (isIdentifier(expr)) {
    const binding = sem.project.lookup(file, expr.text, expr);
    if (binding?.kind === "function") return binding.fn;
    if (binding?.kind === "var") return handlerOf(sem, file, binding.init, wrappers, depth + 1);
    if (binding?.kind === "import") {
      // A handler imported from another PR file (`router.post("/", createUser)`).
      const r = sem.project.resolve(file, expr);
      if (r.kind === "function" && r.fn && r.path.length === 0) return r.fn;
      if (r.kind === "local" && r.binding?.kind === "var" && r.path.length === 0) return handlerOf(sem, r.file, r.binding.init, wrappers, depth + 1);
    }
    return undefined;
  }
  if (isPropertyAccessExpression(expr)) {
    // A controller's member: `users.create` of an object, a class or a module of handlers.
    const owner = handlerOwner(sem, file, expr.expression, depth + 1);
    const member = owner ? memberHandler(sem, owner, expr.name.text, wrappers, depth + 1) : undefined;
    if (member) return member;
    // A method the resolver follows: `c.list` of a `const c = new UsersController(deps)` whose
    // constructor function assigns `this.list = …` or whose prototype has it.
    return sem.project.declaredFunction(file, expr)?.fn;
  }
  return undefined;
}

/** The function a factory hands back: its arrow body, or the function of its one top-level `return`. */
function returnedFunction(sem: Semantics, factory: FunctionFact): FunctionFact | undefined {
  const body = factory.node.body;
  if (!body) return undefined;
  if (!isBlock(body)) return isFunctionNode(skipOuterExpressions(body)) ? sem.project.functionOf(skipOuterExpressions(body)) : undefined;
  const returned = body.statements.filter(ts.isReturnStatement).map((statement) => statement.expression && skipOuterExpressions(statement.expression));
  const fn = returned.length === 1 ? returned[0] : undefined;
  return fn && isFunctionNode(fn) ? sem.project.functionOf(fn) : undefined;
}

/** What a controller expression stands for: an object literal, a class, or a whole PR module (a namespace import). */
type HandlerOwner = { file: AnalysedFile; node: ts.ObjectLiteralExpression | ts.ClassDeclaration } | { file: AnalysedFile; module: true };

function handlerOwner(sem: Semantics, file: AnalysedFile, expression: ts.Expression, depth: number): HandlerOwner | undefined {
  if (depth > 6) return undefined;
  const expr = skipOuterExpressions(expression);
  if (isObjectLiteralExpression(expr)) return { file, node: expr };
  // `new UsersController()`: its methods.
  if (isNewExpression(expr)) return handlerOwner(sem, file, expr.expression, depth + 1);
  // `require("./users.controller")`, as a CommonJS barrel exports it (`module.exports.users = require(…)`).
  if (isCallExpression(expr)) {
    const namespace = sem.project.resolve(file, expr).namespace;
    return namespace ? { file: namespace, module: true } : undefined;
  }
  if (!isIdentifier(expr)) return undefined;
  const binding = sem.project.lookup(file, expr.text, expr);
  if (!binding) return undefined;
  if (binding.kind === "class") return { file, node: binding.node };
  if (binding.kind === "import" && binding.imp.imported.length <= 1) {
    const target = sem.project.resolveModule(file, binding.imp.module);
    if (!target?.facts) return undefined;
    const origin = sem.project.exportOf(target, binding.imp.imported[0] ?? "default");
    // `import * as users from "./users"` (recorded like a default import): the module's exports.
    if (!origin) return binding.imp.imported.length === 0 ? { file: target, module: true } : undefined;
    if (origin.kind === "namespace") return { file: origin.file, module: true };
    if (origin.kind === "own" && origin.exported.kind === "class") return { file: origin.file, node: origin.exported.node };
  }
  // A `const` here or the export it is imported from: the object, class or module it holds.
  const definition = sem.definitionOf(file, expr);
  return definition ? handlerOwner(sem, definition.file, definition.expr, depth + 1) : undefined;
}

function memberHandler(sem: Semantics, owner: HandlerOwner, name: string, wrappers: CallFact[], depth: number): FunctionFact | undefined {
  const { file } = owner;
  if ("module" in owner) {
    const origin = sem.project.exportOf(file, name);
    if (origin?.kind !== "own") return undefined;
    const exported = origin.exported;
    if (exported.kind === "function") return exported.fn;
    if (exported.kind === "var" && exported.path.length === 0) return handlerOf(sem, origin.file, exported.init, wrappers, depth);
    if (exported.kind === "expression") return handlerOf(sem, origin.file, exported.expr, wrappers, depth);
    return undefined;
  }
  if (isClassDeclaration(owner.node)) {
    for (const member of owner.node.members) {
      if (member.name === undefined || !isIdentifier(member.name) || member.name.text !== name) continue;
      if (isMethodDeclaration(member)) return sem.project.functionOf(member);
      if (isPropertyDeclaration(member)) return handlerOf(sem, file, member.initializer, wrappers, depth);
    }
    return undefined;
  }
  for (const property of owner.node.properties) {
    if (property.name === undefined || !isIdentifier(property.name) || property.name.text !== name) continue;
    if (isMethodDeclaration(property)) return sem.project.functionOf(property);
    if (isPropertyAssignment(property)) return handlerOf(sem, file, property.initializer, wrappers, depth);
    if (isShorthandPropertyAssignment(property)) return handlerOf(sem, file, property.name, wrappers, depth);
  }
  return undefined;
}

function findRoutes(sem: Semantics, file: AnalysedFile): RouteFact[] {
  const facts = file.facts!;
  const sf = facts.sourceFile;
  const routes: RouteFact[] = [];
  const position = (node: ts.Node) => {
    const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return { line: p.line + 1, column: p.character + 1 };
  };

  // Next.js app router: `export async function POST(`, `export const POST = withX(async (req) => …)`;
  // SvelteKit endpoints (`src/routes/**/+server.ts`) export their verbs the same way.
  const appPath = appRouterPath(file.path);
  const endpointPath = appPath === undefined ? svelteKitPath(file.path, "server") : undefined;
  const verbPath = appPath ?? endpointPath;
  if (verbPath !== undefined) {
    for (const verb of HTTP_VERBS) {
      const found = exportedHandler(sem, file, facts.exports.get(verb), false);
      if (!found) continue;
      routes.push({ file, kind: appPath !== undefined ? "next-app" : "sveltekit", method: verb, urlPath: verbPath, ...position(found.declaration), handler: found.handler, middleware: [], wrappers: found.wrappers });
    }
  }

  // SvelteKit form actions: `export const actions = { default: async ({ request, locals }) => …, create: … }` in `+page.server.ts`.
  const pagePath = svelteKitPath(file.path, "page.server");
  const actions = pagePath !== undefined ? facts.exports.get("actions") : undefined;
  const actionsObject = actions?.kind === "var" && actions.init ? skipOuterExpressions(actions.init) : undefined;
  if (pagePath !== undefined && actionsObject && isObjectLiteralExpression(actionsObject)) {
    for (const property of actionsObject.properties) {
      const name = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : undefined;
      if (!name) continue;
      const wrappers: CallFact[] = [];
      const handler = isMethodDeclaration(property)
        ? sem.project.functionOf(property)
        : isPropertyAssignment(property) || isShorthandPropertyAssignment(property)
          ? handlerOf(sem, file, isPropertyAssignment(property) ? property.initializer : property.name, wrappers)
          : undefined;
      const urlPath = name === "default" ? pagePath : `${pagePath}?/${name}`;
      routes.push({ file, kind: "sveltekit", method: "POST", urlPath, ...position(property), handler, middleware: [], wrappers });
    }
  }

  // SvelteKit server `load` functions: their data is served to anyone who requests the page (as
  // `__data.json` too), so a load is a GET route. A layout's load does not guard its pages' loads,
  // which run alongside it unless they `await parent()` (see route-profile's `layoutAuthenticates`).
  const loadPath = pagePath ?? svelteKitPath(file.path, "layout.server");
  if (loadPath !== undefined) {
    const found = exportedHandler(sem, file, facts.exports.get("load"), false);
    if (found) routes.push({ file, kind: "sveltekit", method: "GET", urlPath: loadPath, ...position(found.declaration), handler: found.handler, middleware: [], wrappers: found.wrappers });
  }

  // Next.js pages API: the default export.
  const pagesPath = pagesApiPath(file.path);
  if (pagesPath !== undefined) {
    const found = exportedHandler(sem, file, facts.exports.get("default"), true);
    // A helper module kept under `pages/api` (`export default findProvider(id: string)`) answers no request.
    if (found && !(found.handler && takesPlainValue(found.handler))) routes.push({ file, kind: "next-pages", method: "ANY", urlPath: pagesPath, ...position(found.declaration), handler: found.handler, middleware: [], wrappers: found.wrappers });
  }

  // Nuxt / Nitro server routes: `server/api/notes/[id].delete.ts` default-exporting `defineEventHandler(async (event) => …)`.
  const nuxt = nuxtRoute(file.path);
  if (nuxt) {
    const found = exportedHandler(sem, file, facts.exports.get("default"), true);
    // An Express app's `server/routes/users.ts` exporting a router sits in the same folder: only a handler is a route.
    if (found?.handler) routes.push({ file, kind: "nuxt", method: nuxt.method, urlPath: nuxt.urlPath, ...position(found.declaration), handler: found.handler, middleware: [], wrappers: found.wrappers });
  }

  // Remix / React Router route modules: `export async function action({ request })` answers form
  // posts, `export async function loader({ params })` the route's data (both reachable by URL).
  // (A Next.js `app/**/route.ts` exports verbs; a Remix `app/routes/**/route.tsx` exports `loader` and `action`.)
  const remixPath = routes.length === 0 && !facts.directives.includes("use server") ? remixRoutePath(file.path) : undefined;
  if (remixPath !== undefined) {
    for (const [name, method] of [["loader", "GET"], ["action", "POST"]] as const) {
      const found = exportedHandler(sem, file, facts.exports.get(name), false);
      if (found) routes.push({ file, kind: "remix", method, urlPath: remixPath, ...position(found.declaration), handler: found.handler, middleware: [], wrappers: found.wrappers });
    }
  }

  // Server actions: exported functions of a `'use server'` file, or functions with the directive.
  const fileIsServer = facts.directives.includes("use server");
  for (const fn of facts.functions) {
    const isAction = (fileIsServer && fn.exported && !fn.parent && (fn.isAsync || isFunctionDeclaration(fn.node))) || fn.directives.includes("use server");
    if (!isAction) continue;
    // An action built on a client or procedure (`authActionClient.schema(s).action(async (…) => …)`): the calls it is passed to.
    const wrappers: CallFact[] = [];
    for (let node: ts.Node = fn.node; isCallExpression(node.parent) && node.parent.arguments.includes(node as ts.Expression); node = node.parent) {
      const call = sem.project.callOf(node.parent);
      if (call) wrappers.push(call);
    }
    routes.push({ file, kind: "server-action", method: "ACTION", urlPath: actionPath(file.path, fn.name), ...position(fn.declarationNode), handler: fn, middleware: [], wrappers });
  }

  // NestJS controllers: `@Controller("reports")` classes and their `@Get()`/`@Post()` methods.
  routes.push(...nestRoutes(sem, file));
  // Hono `@hono/zod-openapi`: `app.openapi(createRoute({ method, path }), handler)`.
  routes.push(...honoOpenApiRoutes(sem, file, handlerOf));
  // oRPC procedures: `os.use(auth).input(schema).handler(fn)`.
  routes.push(...orpcRoutes(sem, file, handlerOf));
  // Socket.IO event handlers: `socket.on("event", fn)` on a connected socket.
  routes.push(...socketIoRoutes(sem, file, handlerOf));

  // Express / Hono / Fastify registrations and tRPC procedures.
  for (const call of facts.calls) {
    const chain = call.chain;
    const n = chain.length;
    if (call.isNew || n < 2) continue;

    if ((call.name === "query" || call.name === "mutation" || call.name === "subscription") && call.args.length === 1 && isTrpcProcedure(call)) {
      const wrappers: CallFact[] = [];
      const handler = handlerOf(sem, file, call.args[0], wrappers);
      const access = call.callee;
      const at = isPropertyAccessExpression(access) ? position(access.name) : { line: call.line, column: call.column };
      const owner = nearestPropertyName(call.node);
      routes.push({
        file,
        kind: "trpc",
        method: call.name === "query" ? "GET" : "POST",
        urlPath: owner ? `trpc ${owner}` : `trpc ${call.name}`,
        ...at,
        handler,
        middleware: [],
        wrappers: [],
        procedure: chain[0],
        registration: call,
      });
      continue;
    }

    const method = call.name;
    const receiver = chain[n - 2] ?? "";
    const isOn = method === "on" && call.args.length >= 3;
    if (!ROUTER_METHODS.has(method) && !isOn && method !== "route") continue;
    if (method === "route") {
      // Fastify `app.route({ method, url, handler, preHandler })`.
      const options = call.args[0] ? skipOuterExpressions(call.args[0]) : undefined;
      if (!options || !isObjectLiteralExpression(options) || call.args.length !== 1) continue;
      const prop = (key: string) => propertyValue(options, key);
      const handlerExpr = prop("handler");
      if (!handlerExpr) continue;
      const wrappers: CallFact[] = [];
      routes.push({
        file,
        kind: "fastify",
        method: (literalText(prop("method")) ?? "ANY").toUpperCase(),
        urlPath: literalText(prop("url")) ?? "(route)",
        line: call.line,
        column: call.column,
        handler: handlerOf(sem, file, handlerExpr, wrappers),
        middleware: [options],
        wrappers,
        registration: call,
      });
      continue;
    }
    const pathArg = isOn ? call.args[1] : call.args[0];
    const path = literalText(pathArg) ?? pathList(pathArg);
    const chainedRoute = chain.includes("route") && chain[chain.indexOf("route") + 1] === "()";
    if (path === undefined && !chainedRoute) continue;
    const r = sem.project.resolve(file, (call.callee as ts.PropertyAccessExpression).expression ?? call.callee);
    const framework = frameworkOf(r);
    if (!framework && !ROUTER_RECEIVER.test(receiver) && !chainedRoute) continue;
    const rest = chainedRoute && path === undefined ? [...call.args] : call.args.slice(isOn ? 2 : 1);
    if (rest.length === 0) continue;
    const last = rest[rest.length - 1]!;
    const wrappers: CallFact[] = [];
    const handler = handlerOf(sem, file, last, wrappers);
    if (!handler && !isIdentifier(skipOuterExpressions(last))) continue;
    const httpMethod = isOn ? (literalText(call.args[0]) ?? "ANY").toUpperCase() : method === "all" ? "ANY" : method === "del" ? "DELETE" : method.toUpperCase();
    routes.push({
      file,
      kind: framework ?? "express",
      method: httpMethod,
      urlPath: path ?? "(chained route)",
      line: call.line,
      column: call.column,
      handler,
      middleware: rest.slice(0, -1),
      wrappers,
      registration: call,
    });
  }
  return routes;
}

/** Express's array of paths, `router.get(["/", "/:id"], …)`: one route, read as its paths listed. */
function pathList(expr: ts.Expression | undefined): string | undefined {
  const inner = expr && skipOuterExpressions(expr);
  if (!inner || !isArrayLiteralExpression(inner) || inner.elements.length === 0) return undefined;
  const paths = inner.elements.map((element) => literalText(element));
  return paths.every((p) => p !== undefined) ? paths.join(", ") : undefined;
}

function frameworkOf(r: Resolved): RouteKind | undefined {
  if (r.kind !== "module") return undefined;
  if (r.module === "express" || r.module === "router" || r.module === "express-promise-router") return "express";
  if (r.module === "hono" || r.module?.startsWith("hono/")) return "hono";
  if (r.module === "fastify") return "fastify";
  if (r.module === "koa-router" || r.module === "@koa/router") return "express";
  return undefined;
}

/**
 * A tRPC procedure: `.query(fn)`/`.mutation(fn)` on a builder named as a procedure
 * (`protectedProcedure.input(s).mutation(…)`), or one built by a factory
 * (`gated.requiresPermission("admin").query(…)`) as a property of a `router({ … })`.
 */
function isTrpcProcedure(call: CallFact): boolean {
  if (call.chain.slice(0, -1).some((step) => /procedure/i.test(step))) return true;
  const arg = call.args[0] && skipOuterExpressions(call.args[0]);
  if (!arg || !isFunctionNode(arg)) return false;
  let node: ts.Node = call.node;
  while (isCallExpression(node.parent) || isPropertyAccessExpression(node.parent)) node = node.parent;
  if (!isPropertyAssignment(node.parent) || !isObjectLiteralExpression(node.parent.parent)) return false;
  const owner = node.parent.parent.parent;
  return isCallExpression(owner) && /router$/i.test(chainOf(owner.expression).at(-1) ?? "");
}

function nearestPropertyName(node: ts.Node): string | undefined {
  let current: ts.Node | undefined = node.parent;
  for (let i = 0; current && i < 8; i++, current = current.parent) {
    if (isPropertyAssignment(current)) return current.name.getText();
  }
  return undefined;
}
