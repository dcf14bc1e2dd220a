import { ts } from "ts-morph";
import type { CallFact, FunctionFact } from "./facts.js";
import { skipOuterExpressions } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import type { Semantics } from "./semantics.js";
import { boundNames, mentionsName, walk } from "./nodes.js";
import { processLaunchApi, type ProcessLaunchApi } from "../catalogue/processes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isBinaryExpression, isIdentifier, isObjectLiteralExpression, isPropertyAssignment, isShorthandPropertyAssignment, isVariableDeclaration } = ts;

/**
 * A program started with an executable, module or command line the request supplies: `exec(cmd)`,
 * `spawn(data.path)`, `chromium.launch({ executablePath })`, in the handler or in a helper it hands
 * the value to (a few calls down). Whoever sends the request runs code on the server. A program
 * named by a constant (`exec("apt update")`, `spawn("git", [...])`) is not one, whatever its
 * arguments.
 */

export interface ProcessLaunch {
  file: AnalysedFile;
  call: CallFact;
  api: ProcessLaunchApi;
  /** The function that makes the call (the handler, or the helper it reached). */
  fn: FunctionFact;
}

/** How many helper calls down a request value is followed. */
const MAX_DEPTH = 3;
/** Parameters that hold the response side or a continuation, not what the caller sent. */
const NOT_INPUT = /^(res|response|reply|next|callback|cb|ack|done|h|server|io)$/;

/** The value that names the program: the catalogued argument, or its option when it is an options object. */
function programValue(call: CallFact, api: ProcessLaunchApi): ts.Node | undefined {
  const arg = call.args[api.arg];
  if (!arg) return undefined;
  const value = skipOuterExpressions(arg);
  if (!api.option || !isObjectLiteralExpression(value)) return value;
  for (const property of value.properties) {
    if (isShorthandPropertyAssignment(property) && property.name.text === api.option) return property.name;
    if (isPropertyAssignment(property) && property.name.getText() === api.option) return property.initializer;
  }
  // Spread options (`{ ...options }`) may carry it.
  return value.properties.some((p) => ts.isSpreadAssignment(p)) ? value : undefined;
}

/** The names of `fn` that hold request values: `tainted` and the locals assigned from them, in source order. */
function taintedLocals(fn: FunctionFact, tainted: Set<string>): Set<string> {
  const names = new Set(tainted);
  const body = fn.node.body;
  if (!body) return names;
  for (let pass = 0; pass < 2; pass++) {
    walk(body, (node) => {
      if (isVariableDeclaration(node) && node.initializer && mentionsName(node.initializer, names)) boundNames(node.name, names);
      else if (isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(node.left) && mentionsName(node.right, names)) names.add(node.left.text);
      return undefined;
    });
  }
  return names;
}

/** The first program a handler starts with a request-supplied executable or command (see above). */
export function requestLaunchedProcess(sem: Semantics, file: AnalysedFile, handler: FunctionFact): ProcessLaunch | undefined {
  const initial = new Set<string>();
  for (const parameter of handler.node.parameters) {
    if (isIdentifier(parameter.name) && NOT_INPUT.test(parameter.name.text)) continue;
    boundNames(parameter.name, initial);
  }
  const seen = new Set<FunctionFact>();
  const visit = (at: AnalysedFile, fn: FunctionFact, tainted: Set<string>, depth: number): ProcessLaunch | undefined => {
    if (tainted.size === 0 || seen.has(fn)) return undefined;
    seen.add(fn);
    const names = taintedLocals(fn, tainted);
    const calls = sem.callsWithin(fn);
    for (const call of calls) {
      const callee = sem.callee(at, call);
      if (callee.kind !== "module" || !callee.module) continue;
      const api = processLaunchApi(callee.module, callee.path);
      const value = api && programValue(call, api);
      if (api && value && (isIdentifier(value) ? names.has(value.text) : mentionsName(value, names))) return { file: at, call, api, fn };
    }
    if (depth >= MAX_DEPTH) return undefined;
    for (const call of calls) {
      const callee = sem.callee(at, call);
      if (callee.kind !== "function" || !callee.fn || callee.path.length > 0) continue;
      const given = new Set<string>();
      call.args.forEach((arg, i) => {
        const parameter = callee.fn!.node.parameters[i];
        if (parameter && mentionsName(arg, names)) boundNames(parameter.name, given);
      });
      const found = visit(callee.file, callee.fn, given, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return visit(file, handler, initial, 0);
}

/** A few words for the message: "starts a browser with an executable the request supplies (`chromium.launch`)". */
export function describeLaunch(launch: ProcessLaunch): string {
  const called = `\`${launch.call.chain.join(".").replace(/\.\(\)/g, "()")}\`${launch.fn.name ? ` in \`${launch.fn.name}\`` : ""}`;
  const subject = launch.api.option ? "a browser" : "a process";
  return `starts ${subject} with ${launch.api.what === "command" ? "a command line" : launch.api.what === "module" ? "a module" : "an executable"} the request supplies (${called})`;
}
