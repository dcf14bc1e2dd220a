import { ts } from "ts-morph";
import type { AnalysedFile } from "../analysis/project.js";
import type { HandlerOf, RouteFact, Semantics } from "../analysis/semantics.js";
import type { CallFact } from "../analysis/facts.js";
import { skipOuterExpressions } from "../analysis/facts.js";
import { propertyValue, stringValue } from "../analysis/nodes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isArrayLiteralExpression, isCallExpression, isObjectLiteralExpression } = ts;

/**
 * Hono with `@hono/zod-openapi`: `app.openapi(route, handler)` registers a route whose method,
 * path and middleware live in the definition made by `createRoute({ method, path, middleware })`,
 * inline or in a variable (usually in the same file). The definition must come from the package:
 * an `openapi(…)` call on anything else is not a route. A route's `middleware` (one expression or
 * an array) runs in front of its handler like an Express middleware list.
 */

const PACKAGE = "@hono/zod-openapi";

/** The `createRoute({ … })` call a route argument stands for, or undefined when it is not one. */
function definitionOf(sem: Semantics, file: AnalysedFile, expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const expr = skipOuterExpressions(expression);
  const call = isCallExpression(expr) ? expr : sem.project.resolve(file, expr).origins.find((o): o is ts.CallExpression => isCallExpression(o));
  if (!call) return undefined;
  const callee = sem.project.resolve(sem.project.fileOf(call) ?? file, call.expression);
  if (callee.kind !== "module" || callee.module !== PACKAGE || callee.path[0] !== "createRoute") return undefined;
  const options = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  return options && isObjectLiteralExpression(options) ? options : undefined;
}


/** The routes `app.openapi(route, handler)` registers in one file. */
export function honoOpenApiRoutes(sem: Semantics, file: AnalysedFile, handlerOf: HandlerOf): RouteFact[] {
  const facts = file.facts;
  if (!facts || !file.text.includes(PACKAGE)) return [];
  const routes: RouteFact[] = [];
  for (const call of facts.calls) {
    if (call.isNew || call.name !== "openapi" || call.chain.length < 2 || call.args.length < 2) continue;
    const options = definitionOf(sem, file, call.args[0]!);
    if (!options) continue;
    const wrappers: CallFact[] = [];
    const handler = handlerOf(sem, file, call.args[call.args.length - 1], wrappers);
    if (!handler) continue;
    const middleware = propertyValue(options, "middleware");
    const inner = middleware && skipOuterExpressions(middleware);
    routes.push({
      file,
      kind: "hono",
      method: (stringValue(propertyValue(options, "method")) ?? "ANY").toUpperCase(),
      urlPath: stringValue(propertyValue(options, "path")) ?? "(openapi route)",
      line: call.line,
      column: call.column,
      handler,
      middleware: inner ? (isArrayLiteralExpression(inner) ? [...inner.elements] : [inner]) : [],
      wrappers,
      registration: call,
    });
  }
  return routes;
}
