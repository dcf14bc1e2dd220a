import { ts } from "ts-morph";
import type { AnalysedFile } from "../analysis/project.js";
import type { HandlerOf, RouteFact, Semantics } from "../analysis/semantics.js";
import type { CallFact } from "../analysis/facts.js";
import { skipOuterExpressions } from "../analysis/facts.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isCallExpression, isIdentifier, isPropertyAccessExpression, isPropertyAssignment } = ts;

/**
 * oRPC: a procedure is a builder chain ending in `.handler(fn)`, rooted in the package's `os`
 * (or `implement(contract)`), often through variables (`const authed = os.use(requireUser)`,
 * imported from another file). Its middleware (`.use(…)`) is read like a tRPC procedure's: the
 * route is a procedure whose builder chain the review follows for guards. A `.handler(…)` on a chain
 * that does not reach the package is not a procedure (zsa and other builders have their own reading).
 */

const PACKAGES = /^@orpc\/(server|contract)$/;
const MAX_DEFINITIONS = 8;

/** Whether a builder expression's root is oRPC's `os` / `implement(…)`, through the variables it was built in. */
function rootedInOrpc(sem: Semantics, file: AnalysedFile, expression: ts.Expression): boolean {
  let current = skipOuterExpressions(expression);
  let currentFile = file;
  for (let hops = 0; hops < MAX_DEFINITIONS; hops++) {
    for (let i = 0; i < 32 && (isCallExpression(current) || isPropertyAccessExpression(current)); i++) current = skipOuterExpressions(current.expression);
    if (!isIdentifier(current)) return false;
    const resolved = sem.project.resolve(currentFile, current);
    if (resolved.kind === "module" && PACKAGES.test(resolved.module ?? "")) return true;
    const definition = sem.definitionOf(currentFile, current);
    if (!definition) return false;
    current = skipOuterExpressions(definition.expr);
    currentFile = definition.file;
  }
  return false;
}

/** The router key a procedure is stored under (`deletePlanet: authed.handler(…)`). */
function keyOf(node: ts.Node): string | undefined {
  let current: ts.Node = node;
  while (isCallExpression(current.parent) || isPropertyAccessExpression(current.parent)) current = current.parent;
  return isPropertyAssignment(current.parent) ? current.parent.name.getText() : undefined;
}

/** The procedures `….handler(fn)` defines in one file. */
export function orpcRoutes(sem: Semantics, file: AnalysedFile, handlerOf: HandlerOf): RouteFact[] {
  const facts = file.facts;
  // Procedures are often built on a base imported from another file: no import of the package here to look for.
  if (!facts || !file.text.includes(".handler(")) return [];
  const routes: RouteFact[] = [];
  for (const call of facts.calls) {
    if (call.isNew || call.name !== "handler" || call.args.length !== 1 || call.chain.length < 2) continue;
    const callee = skipOuterExpressions(call.callee);
    if (!isPropertyAccessExpression(callee) || !rootedInOrpc(sem, file, callee.expression)) continue;
    const wrappers: CallFact[] = [];
    const handler = handlerOf(sem, file, call.args[0], wrappers);
    if (!handler) continue;
    const key = keyOf(call.node);
    // Placed on the `.handler(` line, as tRPC's `.query(`/`.mutation(` line.
    const at = facts.sourceFile.getLineAndCharacterOfPosition(callee.name.getStart(facts.sourceFile));
    routes.push({
      file,
      kind: "trpc",
      // A procedure may read or write; oRPC does not say which, so it is judged as a call that may change data.
      method: "POST",
      urlPath: `orpc ${key ?? call.chain[0] ?? "handler"}`,
      line: at.line + 1,
      column: at.character + 1,
      handler,
      middleware: [],
      wrappers: [],
      procedure: call.chain[0],
      registration: call,
    });
  }
  return routes;
}
