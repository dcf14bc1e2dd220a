import { ts } from "ts-morph";
import type { CallFact, FunctionFact } from "./facts.js";
import { skipOuterExpressions } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import type { GuardKind, RouteFact, Semantics } from "./semantics.js";
import { boundNames } from "./nodes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isCallExpression, isIdentifier, isPropertyAccessExpression, isSpreadElement } = ts;

/**
 * Guards put in front of routes registered on a router that is a parameter of the function
 * registering them (`(router) => { router.get(…) }`, `(...[router, tenant]: Args) => …`,
 * `const [router] = args`): the guards on the router each caller hands in — its `use` calls before
 * the call, and where that router is mounted in its turn — following callers that forward their
 * own arguments (`userBasicsRoutes(...args)`) up. The pattern of apps that build one router per
 * audience (`managementRouter.use(auth)`, then `userRoutes(managementRouter, tenant)`).
 *
 * A function called from several places gets only the guards every caller's router has.
 */

const MAX_DEPTH = 4;

/** Guards in front of a router an identifier names at a call in its file (its `use` calls, its mounts). */
export type RouterGuards = (file: AnalysedFile, router: ts.Identifier, at: CallFact) => Set<GuardKind>;

const callIndexCache = new WeakMap<Semantics, Map<FunctionFact, Array<{ file: AnalysedFile; call: CallFact }>>>();

/**
 * The guards the callers of a route's registering function put in front of it, or undefined when
 * the route's router is not a parameter.
 */
export function paramRouterGuards(sem: Semantics, route: RouteFact, routerGuards: RouterGuards): Set<GuardKind> | undefined {
  const registration = route.registration;
  if (!registration || route.kind === "trpc") return undefined;
  const callee = skipOuterExpressions(registration.callee);
  if (!isPropertyAccessExpression(callee)) return undefined;
  const receiver = skipOuterExpressions(callee.expression);
  if (!isIdentifier(receiver)) return undefined;
  const resolved = sem.project.resolve(route.file, receiver);
  if (resolved.kind !== "param" || !resolved.fn) return undefined;
  return guardsFromCallers(sem, resolved.fn, resolved.name ?? receiver.text, resolved.path, routerGuards, 0, new Set());
}

function guardsFromCallers(sem: Semantics, fn: FunctionFact, name: string, path: string[], routerGuards: RouterGuards, depth: number, seen: Set<FunctionFact>): Set<GuardKind> {
  if (depth > MAX_DEPTH || seen.has(fn)) return new Set();
  seen.add(fn);
  const position = argumentPosition(fn, name, path);
  if (position === undefined) return new Set();
  const callers = callIndex(sem).get(fn) ?? [];
  return intersect(
    callers.map(({ file, call }) => {
      const args = call.args;
      const spreadAt = args.findIndex((a) => isSpreadElement(a));
      if (spreadAt >= 0 && spreadAt <= position) {
        // `inner(...args)`: the same argument, one function up.
        const forwarded = skipOuterExpressions((args[spreadAt] as ts.SpreadElement).expression);
        const caller = call.fn;
        if (!caller || !isIdentifier(forwarded)) return new Set<GuardKind>();
        const binding = sem.project.lookup(file, forwarded.text, forwarded);
        if (binding?.kind !== "param" || binding.fn !== caller) return new Set<GuardKind>();
        return guardsFromCallers(sem, caller, forwarded.text, [String(position - spreadAt)], routerGuards, depth + 1, seen);
      }
      const arg = args[position] && skipOuterExpressions(args[position]);
      if (!arg || !isIdentifier(arg)) return new Set<GuardKind>();
      // `const scoped = router.use(a, b)`: Koa and Express routers return themselves from `use`, so
      // the alias is the same router with those middlewares in front.
      const chained = new Set<GuardKind>();
      let router = arg;
      for (let hops = 0; hops < MAX_DEPTH; hops++) {
        const binding = sem.project.lookup(file, router.text, router);
        let init = binding?.kind === "var" && binding.path.length === 0 && binding.init ? skipOuterExpressions(binding.init) : undefined;
        while (init && isCallExpression(init)) {
          const callee: ts.Expression = skipOuterExpressions(init.expression);
          if (!isPropertyAccessExpression(callee) || callee.name.text !== "use") break;
          for (const middleware of init.arguments) sem.guardKinds(file, middleware).forEach((k) => chained.add(k));
          init = skipOuterExpressions(callee.expression);
        }
        if (!init || !isIdentifier(init) || init === router) break;
        router = init;
      }
      const kinds = guardsOfRouterArg(sem, file, call, chained.size > 0 ? router : arg, routerGuards, depth, seen);
      chained.forEach((k) => kinds.add(k));
      return kinds;
    }),
  );
}

/** Guards on the router a caller hands in: its own `use` calls, or, when it is the caller's parameter in turn, those of the caller's callers. */
function guardsOfRouterArg(sem: Semantics, file: AnalysedFile, call: CallFact, arg: ts.Identifier, routerGuards: RouterGuards, depth: number, seen: Set<FunctionFact>): Set<GuardKind> {
  const outer = sem.project.resolve(file, arg);
  // The caller's router is its own parameter in turn.
  if (outer.kind === "param" && outer.fn) {
    const kinds = guardsFromCallers(sem, outer.fn, outer.name ?? arg.text, outer.path, routerGuards, depth + 1, seen);
    sem.routerLevelGuardsAt(file, call, arg.text).forEach((k) => kinds.add(k));
    return kinds;
  }
  return new Set(routerGuards(file, arg, call));
}

/** The plain calls (`f(…)`, not methods) of a function of the project, anywhere in the review. */
export function callersOf(sem: Semantics, fn: FunctionFact): ReadonlyArray<{ file: AnalysedFile; call: CallFact }> {
  return callIndex(sem).get(fn) ?? [];
}

/** Plain calls of the project's functions that pass arguments, by the function called (built once per review). */
function callIndex(sem: Semantics): Map<FunctionFact, Array<{ file: AnalysedFile; call: CallFact }>> {
  const cached = callIndexCache.get(sem);
  if (cached) return cached;
  const index = new Map<FunctionFact, Array<{ file: AnalysedFile; call: CallFact }>>();
  for (const file of sem.project.files) {
    for (const call of file.facts?.calls ?? []) {
      if (call.isNew || call.args.length === 0 || !isIdentifier(skipOuterExpressions(call.callee))) continue;
      const resolved = sem.callee(file, call);
      if (resolved.kind !== "function" || !resolved.fn || resolved.path.length > 0) continue;
      const list = index.get(resolved.fn) ?? [];
      list.push({ file, call });
      index.set(resolved.fn, list);
    }
  }
  callIndexCache.set(sem, index);
  return index;
}

/** The argument position a parameter (or an element of a rest parameter) takes. */
function argumentPosition(fn: FunctionFact, name: string, path: string[]): number | undefined {
  const params = fn.node.parameters;
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    const names = new Set<string>();
    boundNames(param.name, names);
    if (!names.has(name) && !(isIdentifier(param.name) && param.name.text === name)) continue;
    if (param.dotDotDotToken) {
      // `...args` then `args[0]`/`const [router] = args`, or `...[router, tenant]`.
      const element = isIdentifier(param.name) ? path[0] : arrayIndexOf(param.name, name);
      const offset = element === undefined ? undefined : Number(element);
      return offset === undefined || Number.isNaN(offset) ? undefined : i + offset;
    }
    return isIdentifier(param.name) && path.length === 0 ? i : undefined;
  }
  return undefined;
}

function arrayIndexOf(pattern: ts.BindingName, name: string): string | undefined {
  if (!ts.isArrayBindingPattern(pattern)) return undefined;
  const index = pattern.elements.findIndex((e) => !ts.isOmittedExpression(e) && isIdentifier(e.name) && e.name.text === name);
  return index < 0 ? undefined : String(index);
}

/** Guards every path has; no paths, none. */
export function intersect(sets: Array<Set<GuardKind>>): Set<GuardKind> {
  if (sets.length === 0) return new Set();
  const [first, ...rest] = sets;
  return new Set([...first!].filter((k) => rest.every((s) => s.has(k))));
}
