import { ts } from "ts-morph";
import type { AnalysedFile } from "../analysis/project.js";
import type { RouteFact, Semantics } from "../analysis/semantics.js";
import { chainOf, isFunctionNode, skipOuterExpressions } from "../analysis/facts.js";
import { mentionsName, propertyValue, returnedExpressions, stringValue, walk } from "../analysis/nodes.js";
import { initialiserOf } from "../analysis/value-trace.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isBinaryExpression, isBlock, isCallExpression, isClassDeclaration, isIdentifier, isIfStatement, isMethodDeclaration, isObjectLiteralExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isReturnStatement, isThrowStatement, isVariableDeclaration } = ts;

/**
 * NestJS: a class decorated `@Controller("reports")` declares routes with its methods decorated
 * `@Get()`, `@Post(":id")` and so on; a class decorated `@Resolver()` (`@nestjs/graphql`) declares
 * GraphQL operations with its methods decorated `@Query()`, `@Mutation()`, `@Subscription()`. What
 * runs in front of a method: the `@UseGuards(…)` of the method and of its class, and global guards
 * (`{ provide: APP_GUARD, useClass: JwtAuthGuard }`). A route's guards are its `middleware` (the
 * guard classes), read by what the classes do — including what a guard reads through `Reflector`
 * from the metadata decorators on the method or class (`@Roles("admin")`, `@Public()`).
 */

const HTTP_DECORATORS: Record<string, string> = { Get: "GET", Post: "POST", Put: "PUT", Patch: "PATCH", Delete: "DELETE", All: "ANY", Options: "OPTIONS", Head: "HEAD" };
/**
 * GraphQL operations, with the HTTP verb whose intent they share: a mutation writes like a POST, a
 * query or subscription reads like a GET. Field resolvers (`@ResolveField`) are not entry points of
 * their own: they run only inside the operation that returned their parent, and Nest runs no guards
 * for them unless told to, so who may call them is that operation's question.
 */
const GRAPHQL_OPERATIONS: Record<string, { method: string; operation: GraphqlOperation }> = {
  Query: { method: "GET", operation: "query" },
  Mutation: { method: "POST", operation: "mutation" },
  Subscription: { method: "GET", operation: "subscription" },
};
export type GraphqlOperation = "query" | "mutation" | "subscription";
/** Parameter decorators whose value is what the client sent: the GraphQL arguments, the REST body, path and query parameters. */
const INPUT_DECORATORS: Record<string, string> = { Args: "@nestjs/graphql", Body: "@nestjs/common", Param: "@nestjs/common", Query: "@nestjs/common" };
/** `Reflector` methods that read a handler's or class's metadata. */
const METADATA_READS = /^(get|getAll|getAllAndOverride|getAllAndMerge)$/;

function decoratorsOf(node: ts.Node): ts.Decorator[] {
  return (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined)?.slice() ?? [];
}

/** `@Name(args)` → its name and arguments (a bare `@Name` has none). */
function decoratorCall(decorator: ts.Decorator): { name: string; args: readonly ts.Expression[] } | undefined {
  const expr = decorator.expression;
  if (isCallExpression(expr)) {
    const name = chainOf(expr.expression).at(-1);
    return name ? { name, args: expr.arguments } : undefined;
  }
  return isIdentifier(expr) ? { name: expr.text, args: [] } : undefined;
}

/** Whether a name comes from one of Nest's packages (`module` when given), or is unresolved and so taken as Nest's by its name. */
function fromNest(sem: Semantics, file: AnalysedFile, expr: ts.Expression, module?: string): boolean {
  const callee = isCallExpression(expr) ? expr.expression : expr;
  const resolved = sem.project.resolve(file, callee);
  if (resolved.kind !== "module" || resolved.module === undefined) return true;
  return module ? resolved.module === module : resolved.module.startsWith("@nestjs/");
}

function pathOf(args: readonly ts.Expression[]): string {
  return stringValue(args[0]) ?? "";
}

function joinPath(prefix: string, rest: string): string {
  const joined = `/${[prefix, rest].map((p) => p.replace(/^\/+|\/+$/g, "")).filter(Boolean).join("/")}`;
  return joined.replace(/:(\w+)/g, ":$1");
}

/** A GraphQL operation's name: `@Query("name")`, `@Mutation(() => T, { name })`, else the method's. */
function operationName(args: readonly ts.Expression[], method: ts.MethodDeclaration): string {
  const named = stringValue(args[0]);
  if (named) return named;
  const options = args.map((a) => skipOuterExpressions(a)).find(isObjectLiteralExpression);
  return stringValue(options && propertyValue(options, "name")) ?? method.name.getText();
}

/** The `@UseGuards(…)` arguments on a class or method, with those of the decorators it is composed of (`applyDecorators(UseGuards(…))`). */
function guardsOn(sem: Semantics, file: AnalysedFile, node: ts.Node): ts.Expression[] {
  return decoratorsOf(node).flatMap((d) => {
    const call = decoratorCall(d);
    if (call?.name === "UseGuards") return [...call.args];
    return composedOf(sem, file, d).guards;
  });
}

export function nestRoutes(sem: Semantics, file: AnalysedFile): RouteFact[] {
  const facts = file.facts;
  if (!facts || !(file.text.includes("@Controller") || file.text.includes("@Resolver"))) return [];
  const sf = facts.sourceFile;
  const routes: RouteFact[] = [];
  for (const statement of sf.statements) {
    if (!isClassDeclaration(statement)) continue;
    const classDecorators = decoratorsOf(statement).map((d) => ({ d, call: decoratorCall(d) }));
    const controller = classDecorators.find(({ d, call }) => call?.name === "Controller" && fromNest(sem, file, d.expression));
    const resolver = classDecorators.find(({ d, call }) => call?.name === "Resolver" && fromNest(sem, file, d.expression, "@nestjs/graphql"));
    if (!controller && !resolver) continue;
    const prefix = pathOf(controller?.call?.args ?? []);
    const classGuards = guardsOn(sem, file, statement);
    for (const member of statement.members) {
      if (!isMethodDeclaration(member) || !member.body) continue;
      const decorators = decoratorsOf(member).map((d) => ({ d, call: decoratorCall(d) }));
      const verb = controller && decorators.find(({ d, call }) => call !== undefined && HTTP_DECORATORS[call.name] !== undefined && fromNest(sem, file, d.expression));
      // `@Query` of `@nestjs/common` is a REST parameter decorator, not a GraphQL operation.
      const operation = resolver && decorators.find(({ d, call }) => call !== undefined && GRAPHQL_OPERATIONS[call.name] !== undefined && fromNest(sem, file, d.expression, "@nestjs/graphql"));
      if (!verb?.call && !operation?.call) continue;
      const handler = sem.project.functionOf(member);
      // Placed on the method's name, not its decorators.
      const at = sf.getLineAndCharacterOfPosition(member.name.getStart(sf));
      const graphql = operation?.call ? GRAPHQL_OPERATIONS[operation.call.name]! : undefined;
      routes.push({
        file,
        kind: "nest",
        method: graphql ? graphql.method : HTTP_DECORATORS[verb!.call!.name]!,
        urlPath: graphql ? `graphql ${graphql.operation} ${operationName(operation!.call!.args, member)}` : joinPath(prefix, pathOf(verb!.call!.args)),
        line: at.line + 1,
        column: at.character + 1,
        handler,
        middleware: [...classGuards, ...guardsOn(sem, file, member)],
        wrappers: [],
        ...(graphql ? { graphql: graphql.operation } : {}),
      });
    }
  }
  return routes;
}

/** Whether a handler parameter is what the client sent, by its Nest decorator (`@Args("id")`, `@Body()`, `@Param("id")`). */
export function nestInputParameter(sem: Semantics, file: AnalysedFile, param: ts.ParameterDeclaration): boolean {
  return decoratorsOf(param).some((d) => {
    const name = decoratorCall(d)?.name;
    return name !== undefined && INPUT_DECORATORS[name] !== undefined && fromNest(sem, file, d.expression, INPUT_DECORATORS[name]);
  });
}

/** `{ provide: APP_GUARD, useClass: JwtAuthGuard }` in any module the review read: the guard classes every route runs behind. */
export function globalNestGuards(sem: Semantics): Array<{ file: AnalysedFile; guard: ts.Expression }> {
  const found: Array<{ file: AnalysedFile; guard: ts.Expression }> = [];
  for (const file of sem.project.files) {
    if (!file.text.includes("APP_GUARD")) continue;
    ts.forEachChild(file.facts?.sourceFile ?? ts.createSourceFile("x.ts", "", ts.ScriptTarget.Latest), function visit(node): void {
      if (isObjectLiteralExpression(node)) {
        const prop = (key: string) => propertyValue(node, key);
        const provide = prop("provide");
        const use = prop("useClass") ?? prop("useExisting");
        if (provide && use && skipOuterExpressions(provide).getText() === "APP_GUARD") found.push({ file, guard: use });
      }
      ts.forEachChild(node, visit);
    });
  }
  return found;
}

// ---- metadata decorators and the guards that read them ----

/** Metadata a decorator puts on a handler or class: its key (a string constant, or the decorator made by `Reflector.createDecorator`) and the values given. */
interface Metadata {
  key: string;
  values: readonly ts.Expression[];
}

/** A metadata key by its value: a string (through a constant of the project), else the declaration that names it. */
function metadataKey(sem: Semantics, file: AnalysedFile, expr: ts.Expression | undefined): string | undefined {
  const value = expr && skipOuterExpressions(expr);
  if (!value) return undefined;
  const literal = stringValue(value);
  if (literal !== undefined) return `"${literal}"`;
  if (!isIdentifier(value)) return undefined;
  const traced = initialiserOf(sem.project, file, value);
  if (!traced) return `name:${value.text}`;
  const text = stringValue(traced.expr);
  return text !== undefined ? `"${text}"` : `${traced.file.path}#${traced.binding?.name ?? value.text}`;
}

/**
 * What a decorator on a handler or class is made of, read from its definition: `SetMetadata(KEY,
 * value)` (used directly, or returned by the project's factory `Roles = (...roles) =>
 * SetMetadata("roles", roles)`), a decorator made by `Reflector.createDecorator()`, and the parts of
 * an `applyDecorators(…)` (its `SetMetadata` and `UseGuards`). A decorator whose definition was not
 * read carries nothing.
 */
function composedOf(sem: Semantics, file: AnalysedFile, decorator: ts.Decorator): { metadata: Metadata[]; guards: ts.Expression[] } {
  const out = { metadata: [] as Metadata[], guards: [] as ts.Expression[] };
  const expr = decorator.expression;
  const usage = isCallExpression(expr) ? expr.arguments : [];
  const callee = isCallExpression(expr) ? expr.expression : expr;
  const read = (defFile: AnalysedFile, value: ts.Expression, params: ReadonlySet<string>, depth: number): void => {
    const e = skipOuterExpressions(value);
    if (!isCallExpression(e) || depth > 3) return;
    const name = chainOf(e.expression).at(-1);
    // A value built from the factory's parameters is what the usage passes (`@Roles("admin")`).
    const values = (arg: ts.Expression | undefined) => (arg && params.size > 0 && mentionsName(arg, params) ? usage : arg ? [arg] : []);
    if (name === "SetMetadata") {
      const key = metadataKey(sem, defFile, e.arguments[0]);
      if (key) out.metadata.push({ key, values: values(e.arguments[1]) });
    } else if (name === "UseGuards") out.guards.push(...e.arguments);
    else if (name === "applyDecorators") for (const part of e.arguments) read(defFile, part, params, depth + 1);
  };
  if (isIdentifier(callee) && decoratorCall(decorator)?.name === "SetMetadata") {
    read(file, expr, new Set(), 0);
    return out;
  }
  if (!isIdentifier(callee)) return out;
  const traced = initialiserOf(sem.project, file, callee);
  const resolved = traced ? undefined : sem.project.resolve(file, callee);
  const definition = traced ? skipOuterExpressions(traced.expr) : resolved?.kind === "function" && resolved.path.length === 0 ? resolved.fn?.node : undefined;
  const defFile = traced?.file ?? resolved?.file ?? file;
  if (!definition) return out;
  if (isCallExpression(definition) && chainOf(definition.expression).join(".") === "Reflector.createDecorator") {
    out.metadata.push({ key: `${defFile.path}#${traced?.binding?.name ?? callee.text}`, values: usage });
    return out;
  }
  if (!isFunctionNode(definition)) read(defFile, definition, new Set(), 0);
  else if (definition.body) {
    const params = new Set(definition.parameters.flatMap((p) => (isIdentifier(p.name) ? [p.name.text] : [])));
    for (const returned of returnedExpressions(definition.body)) read(defFile, returned, params, 0);
  }
  return out;
}

/** A guard's `Reflector` read: the local it is kept in, its key, and whether it looks at the class as well as the handler. */
interface MetadataRead {
  name: string;
  key: string;
  classToo: boolean;
}

/** What a guard class's `canActivate` does with metadata: what it reads, the conditions under which it lets a request through at once, and whether it refuses on what it read. */
interface GuardReading {
  reads: MetadataRead[];
  /** Conditions of `if (…) return true` in the method's body. */
  passes: ts.Expression[];
  /** Locals computed in the method (`const isPublic = …`), for conditions that name them. */
  locals: Map<string, ts.Expression>;
  /** The method refuses (throws, returns false) or returns a verdict that depends on what it read. */
  enforces: boolean;
}

function readGuard(sem: Semantics, file: AnalysedFile, cls: ts.ClassDeclaration): GuardReading | undefined {
  const method = cls.members.find((m): m is ts.MethodDeclaration => isMethodDeclaration(m) && m.name.getText() === "canActivate");
  const body = method?.body;
  if (!body) return undefined;
  const reads: MetadataRead[] = [];
  const locals = new Map<string, ts.Expression>();
  walk(body, (node) => {
    if (isFunctionNode(node) && node !== method) return "skip";
    if (!isVariableDeclaration(node) || !isIdentifier(node.name) || !node.initializer) return undefined;
    locals.set(node.name.text, node.initializer);
    const init = skipOuterExpressions(node.initializer);
    const call = isCallExpression(init) ? init : ts.isAwaitExpression(init) && isCallExpression(init.expression) ? init.expression : undefined;
    const callee = call && skipOuterExpressions(call.expression);
    if (!call || !callee || !isPropertyAccessExpression(callee) || !METADATA_READS.test(callee.name.text) || !/reflector/i.test(callee.expression.getText())) return undefined;
    const key = metadataKey(sem, file, call.arguments[0]);
    if (key) reads.push({ name: node.name.text, key, classToo: call.arguments.slice(1).some((a) => /\bgetClass\b/.test(a.getText())) });
    return undefined;
  });
  if (reads.length === 0) return undefined;
  const passes: ts.Expression[] = [];
  for (const statement of body.statements) {
    if (!isIfStatement(statement)) continue;
    const then = isBlock(statement.thenStatement) ? statement.thenStatement.statements[0] : statement.thenStatement;
    if (then && isReturnStatement(then) && then.expression?.kind === SyntaxKind.TrueKeyword) passes.push(statement.expression);
  }
  // What was read, and the locals computed from it: a refusal or a returned verdict that tests them enforces the metadata.
  const derived = new Set(reads.map((r) => r.name));
  for (const [name, init] of locals) if (mentionsName(init, derived)) derived.add(name);
  let enforces = false;
  walk(body, (node) => {
    if (enforces) return "stop";
    if (isFunctionNode(node) && node !== method) return "skip";
    if (isReturnStatement(node) && node.expression && node.expression.kind !== SyntaxKind.TrueKeyword && mentionsName(node.expression, derived)) enforces = true;
    if (isIfStatement(node) && mentionsName(node.expression, derived) && refuses(node.thenStatement)) enforces = true;
    return undefined;
  });
  return { reads, passes, locals, enforces };
}

/** A branch that turns the request away: a throw, or `return false`. */
function refuses(statement: ts.Statement): boolean {
  const last = isBlock(statement) ? statement.statements.at(-1) : statement;
  return last !== undefined && (isThrowStatement(last) || (isReturnStatement(last) && last.expression?.kind === SyntaxKind.FalseKeyword));
}

/** A condition's truth when the metadata a route carries is known: `undefined` when it depends on anything else. */
function truth(expression: ts.Expression, env: ReadonlyMap<string, readonly ts.Expression[] | null>, locals: ReadonlyMap<string, ts.Expression>, depth = 0): boolean | undefined {
  if (depth > 6) return undefined;
  const e = skipOuterExpressions(expression);
  if (e.kind === SyntaxKind.TrueKeyword) return true;
  if (e.kind === SyntaxKind.FalseKeyword) return false;
  if (isPrefixUnaryExpression(e) && e.operator === SyntaxKind.ExclamationToken) {
    const inner = truth(e.operand, env, locals, depth + 1);
    return inner === undefined ? undefined : !inner;
  }
  if (isBinaryExpression(e) && (e.operatorToken.kind === SyntaxKind.BarBarToken || e.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken)) {
    const left = truth(e.left, env, locals, depth + 1);
    const right = truth(e.right, env, locals, depth + 1);
    if (e.operatorToken.kind === SyntaxKind.BarBarToken) return left === true || right === true ? true : left === false && right === false ? false : undefined;
    return left === false || right === false ? false : left === true && right === true ? true : undefined;
  }
  if (isIdentifier(e)) {
    if (env.has(e.text)) return env.get(e.text) !== null;
    const init = locals.get(e.text);
    return init ? truth(init, env, locals, depth + 1) : undefined;
  }
  // `permissions.includes(Permission.Public)`: whether the route's decorator was given that value.
  if (isCallExpression(e) && isPropertyAccessExpression(e.expression) && /^(includes|has)$/.test(e.expression.name.text) && e.arguments[0]) {
    const receiver = skipOuterExpressions(e.expression.expression);
    if (!isIdentifier(receiver) || !env.has(receiver.text)) return undefined;
    const values = env.get(receiver.text);
    const wanted = e.arguments[0].getText();
    return values === null ? false : values!.some((v) => v.getText() === wanted);
  }
  return undefined;
}

/**
 * How a guard class treats one route, from the metadata decorators on the route's method (and class,
 * where the guard reads the class too): `passes` — it lets the route through at once because the
 * route carries none of the metadata it asks about (a roles guard on a route without `@Roles`);
 * `public` — the route carries metadata the guard honours to let it through (`@Public()`); `role` —
 * the route carries metadata the guard refuses without (`@Roles("admin")`, `@Allow(Permission.X)`);
 * `checks` — the guard does what its code does, whatever the route carries.
 */
export type NestGuardVerdict = "passes" | "public" | "role" | "checks";

const readings = new WeakMap<ts.ClassDeclaration, GuardReading | null>();

export function nestGuardVerdict(sem: Semantics, route: RouteFact, file: AnalysedFile, guard: ts.Expression): NestGuardVerdict {
  const expr = skipOuterExpressions(guard);
  if (!isIdentifier(expr) || !route.handler) return "checks";
  const resolved = sem.project.resolve(file, expr);
  if (resolved.binding?.kind !== "class") return "checks";
  const cls = resolved.binding.node;
  let reading = readings.get(cls);
  if (reading === undefined) {
    reading = readGuard(sem, resolved.file, cls) ?? null;
    readings.set(cls, reading);
  }
  if (!reading) return "checks";
  const method = route.handler.node;
  const owner = method.parent && isClassDeclaration(method.parent) ? method.parent : undefined;
  const handlerFile = sem.project.fileOf(method) ?? route.file;
  const onMethod = decoratorsOf(method).flatMap((d) => composedOf(sem, handlerFile, d).metadata);
  const onClass = owner ? decoratorsOf(owner).flatMap((d) => composedOf(sem, handlerFile, d).metadata) : [];
  const env = new Map<string, readonly ts.Expression[] | null>();
  for (const read of reading.reads) {
    const found = onMethod.find((m) => m.key === read.key) ?? (read.classToo ? onClass.find((m) => m.key === read.key) : undefined);
    env.set(read.name, found ? found.values : null);
  }
  const carries = [...env.values()].some((v) => v !== null);
  const passes = reading.passes.some((c) => truth(c, env, reading.locals) === true);
  if (passes) return carries ? "public" : "passes";
  return carries && reading.enforces ? "role" : "checks";
}

/** Whether a route carries metadata that a guard in front of it honours to let it through (`@Public()`): open by design. */
export function nestPublicByDesign(sem: Semantics, route: RouteFact): boolean {
  if (route.kind !== "nest") return false;
  const guards = [...route.middleware.map((guard) => ({ file: sem.project.fileOf(guard) ?? route.file, guard })), ...sem.nestGlobalGuards()];
  return guards.some(({ file, guard }) => nestGuardVerdict(sem, route, file, guard) === "public");
}
