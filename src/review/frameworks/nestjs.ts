import { ts } from "ts-morph";
import type { AnalysedFile } from "../analysis/project.js";
import type { RouteFact, Semantics } from "../analysis/semantics.js";
import { chainOf, skipOuterExpressions } from "../analysis/facts.js";
import { propertyValue, stringValue } from "../analysis/nodes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isCallExpression, isClassDeclaration, isIdentifier, isMethodDeclaration } = ts;

/**
 * NestJS: a class decorated `@Controller("reports")` declares routes with its methods decorated
 * `@Get()`, `@Post(":id")` and so on. What runs in front of a method: the `@UseGuards(…)` of the
 * method and of its class, and global guards (`{ provide: APP_GUARD, useClass: JwtAuthGuard }`).
 * A route's guards are its `middleware` (the guard classes), read by what the classes do.
 */

const HTTP_DECORATORS: Record<string, string> = { Get: "GET", Post: "POST", Put: "PUT", Patch: "PATCH", Delete: "DELETE", All: "ANY", Options: "OPTIONS", Head: "HEAD" };

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

/** Whether a decorator's name comes from `@nestjs/common` (or is unresolved and named as Nest's). */
function fromNest(sem: Semantics, file: AnalysedFile, decorator: ts.Decorator): boolean {
  const expr = decorator.expression;
  const callee = isCallExpression(expr) ? expr.expression : expr;
  const resolved = sem.project.resolve(file, callee);
  return resolved.kind !== "module" || resolved.module === undefined || resolved.module.startsWith("@nestjs/");
}

function pathOf(args: readonly ts.Expression[]): string {
  return stringValue(args[0]) ?? "";
}

function joinPath(prefix: string, rest: string): string {
  const joined = `/${[prefix, rest].map((p) => p.replace(/^\/+|\/+$/g, "")).filter(Boolean).join("/")}`;
  return joined.replace(/:(\w+)/g, ":$1");
}

/** The `@UseGuards(…)` arguments on a class or method. */
function guardsOn(node: ts.Node): ts.Expression[] {
  return decoratorsOf(node).flatMap((d) => {
    const call = decoratorCall(d);
    return call?.name === "UseGuards" ? [...call.args] : [];
  });
}

export function nestRoutes(sem: Semantics, file: AnalysedFile): RouteFact[] {
  const facts = file.facts;
  if (!facts || !file.text.includes("@Controller")) return [];
  const sf = facts.sourceFile;
  const routes: RouteFact[] = [];
  for (const statement of sf.statements) {
    if (!isClassDeclaration(statement)) continue;
    const controller = decoratorsOf(statement).find((d) => decoratorCall(d)?.name === "Controller" && fromNest(sem, file, d));
    if (!controller) continue;
    const prefix = pathOf(decoratorCall(controller)?.args ?? []);
    const classGuards = guardsOn(statement);
    for (const member of statement.members) {
      if (!isMethodDeclaration(member) || !member.body) continue;
      const verb = decoratorsOf(member)
        .map((d) => ({ d, call: decoratorCall(d) }))
        .find(({ d, call }) => call !== undefined && HTTP_DECORATORS[call.name] !== undefined && fromNest(sem, file, d));
      if (!verb?.call) continue;
      const handler = sem.project.functionOf(member);
      // Placed on the method's name, not its decorators.
      const at = sf.getLineAndCharacterOfPosition(member.name.getStart(sf));
      routes.push({
        file,
        kind: "nest",
        method: HTTP_DECORATORS[verb.call.name]!,
        urlPath: joinPath(prefix, pathOf(verb.call.args)),
        line: at.line + 1,
        column: at.character + 1,
        handler,
        middleware: [...classGuards, ...guardsOn(member)],
        wrappers: [],
      });
    }
  }
  return routes;
}

/** `{ provide: APP_GUARD, useClass: JwtAuthGuard }` in any module the review read: the guard classes every route runs behind. */
export function globalNestGuards(sem: Semantics): Array<{ file: AnalysedFile; guard: ts.Expression }> {
  const found: Array<{ file: AnalysedFile; guard: ts.Expression }> = [];
  for (const file of sem.project.files) {
    if (!file.text.includes("APP_GUARD")) continue;
    ts.forEachChild(file.facts?.sourceFile ?? ts.createSourceFile("x.ts", "", ts.ScriptTarget.Latest), function visit(node): void {
      if (ts.isObjectLiteralExpression(node)) {
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
