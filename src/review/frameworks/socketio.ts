import { ts } from "ts-morph";
import type { AnalysedFile } from "../analysis/project.js";
import type { HandlerOf, RouteFact, Semantics } from "../analysis/semantics.js";
import type { CallFact, FunctionFact } from "../analysis/facts.js";
import { chainOf, isFunctionNode, skipOuterExpressions } from "../analysis/facts.js";
import { stringValue } from "../analysis/nodes.js";
import { packageOf } from "../catalogue/packages.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isIdentifier, isPropertyAccessExpression } = ts;

/**
 * Socket.IO: every `socket.on("event", handler)` on a connected socket is an entry point a client
 * reaches by emitting the event. The socket is the argument of the connection callback
 * (`io.on("connection", (socket) => …)`, `io.of("/admin").on("connection", …)`, with `io` a
 * `socket.io` `Server`), or the parameter of a registration function that callback hands it to
 * (`generalSocketHandler(socket, server)`, in another module, CommonJS or ESM). What runs in front
 * of a handler is the server's (or namespace's) `use` middleware; anything else it enforces is in
 * the handler itself (`checkLogin(socket)`), read like any handler's calls.
 *
 * When the file that accepts connections was not read (a PR touching one handler module), a
 * function's parameter named as a socket that registers events on it counts, in a project that
 * imports `socket.io`: a near-miss, a stream or `net` socket, registers the events the runtime emits
 * (`data`, `close`, `error`), which are never entry points.
 */

const PACKAGE = "socket.io";
const CONNECTION_EVENTS = new Set(["connection", "connect"]);
/** Events the library (or a stream) emits on a socket itself: not messages a client sends. */
const RESERVED_EVENTS = new Set(["connect", "connection", "connect_error", "disconnect", "disconnecting", "error", "newListener", "removeListener", "data", "end", "close", "finish", "timeout", "drain", "ready", "lookup", "exit", "open", "ping", "pong", "upgrade", "headers"]);
/** A server or namespace by its name, when its value could not be traced to the package (`server.io`, `this.io`, `nsp`). */
const SERVER_NAME = /^(io|\w+Io|\w+IO|nsp|namespace|socketServer|\w+SocketServer)$/;
/** A parameter named as the connected socket, for registration functions whose caller was not read. */
const SOCKET_NAME = /^(socket|\w+Socket)$/;
/** How many registration functions deep a socket is followed from its connection callback. */
const MAX_HOPS = 3;

interface Connection {
  file: AnalysedFile;
  callback: FunctionFact;
  /** The `use(…)` calls on the same server or namespace: middleware every connection passes first. */
  middleware: ts.Expression[];
}

interface State {
  usesPackage: boolean;
  /** Functions that receive a connected socket, by the parameter that holds it, and the connections that hand it over. */
  holders: Map<FunctionFact, Map<number, Connection[]>>;
  /** Connection callbacks: their socket is their first parameter. */
  connections: Map<FunctionFact, Connection>;
}

const states = new WeakMap<Semantics, State>();

/** Whether an expression is a Socket.IO server or namespace: traced to the package, or, in a project that uses it, named as one. */
function isServer(sem: Semantics, file: AnalysedFile, receiver: ts.Expression, usesPackage: boolean): boolean {
  const resolved = sem.project.resolve(file, receiver);
  if (resolved.kind === "module" && resolved.module !== undefined && packageOf(resolved.module) === PACKAGE) return true;
  if (!usesPackage || (resolved.kind === "module" && resolved.module !== undefined && !sem.project.isProjectModule(file, resolved.module))) return false;
  return chainOf(receiver).some((step) => SERVER_NAME.test(step));
}

function stateOf(sem: Semantics): State {
  let state = states.get(sem);
  if (state) return state;
  const usesPackage = sem.project.files.some((f) => [...(f.facts?.imports.values() ?? [])].some((imp) => packageOf(imp.module) === PACKAGE));
  state = { usesPackage, holders: new Map(), connections: new Map() };
  states.set(sem, state);
  if (!usesPackage) return state;
  for (const file of sem.project.files) {
    const facts = file.facts;
    if (!facts || !file.text.includes(".on(")) continue;
    for (const call of facts.calls) {
      if (call.isNew || call.name !== "on" || call.args.length !== 2 || !CONNECTION_EVENTS.has(stringValue(call.args[0]) ?? "")) continue;
      const callee = skipOuterExpressions(call.callee);
      if (!isPropertyAccessExpression(callee) || !isServer(sem, file, callee.expression, usesPackage)) continue;
      // A connection callback written in place, or given by name (`io.on("connection", onConnection)`).
      const callback = sem.project.functionOf(skipOuterExpressions(call.args[1]!)) ?? namedFunction(sem, file, call.args[1]!);
      if (!callback) continue;
      const receiver = callee.expression.getText().replace(/\s+/g, "");
      const middleware = facts.calls
        .filter((use) => use.name === "use" && !use.isNew && isPropertyAccessExpression(skipOuterExpressions(use.callee)) && (skipOuterExpressions(use.callee) as ts.PropertyAccessExpression).expression.getText().replace(/\s+/g, "") === receiver)
        .flatMap((use) => [...use.args]);
      const connection: Connection = { file, callback, middleware };
      state.connections.set(callback, connection);
      handOver(sem, state, file, callback, 0, connection, 0);
    }
  }
  return state;
}

/** A function given by name. */
function namedFunction(sem: Semantics, file: AnalysedFile, expression: ts.Expression): FunctionFact | undefined {
  const expr = skipOuterExpressions(expression);
  return isIdentifier(expr) ? sem.project.declaredFunction(file, expr)?.fn : undefined;
}

/** Records the functions `fn` passes its socket parameter (`index`) to, and theirs, a few hops deep. */
function handOver(sem: Semantics, state: State, file: AnalysedFile, fn: FunctionFact, index: number, connection: Connection, hops: number): void {
  const param = fn.node.parameters[index];
  if (!param || !isIdentifier(param.name) || hops > MAX_HOPS) return;
  const name = param.name.text;
  for (const call of sem.callsWithin(fn)) {
    const at = call.args.findIndex((arg) => {
      const value = skipOuterExpressions(arg);
      return isIdentifier(value) && value.text === name;
    });
    if (at < 0 || call.isNew) continue;
    const resolved = sem.project.resolve(file, call.callee);
    if (resolved.kind !== "function" || !resolved.fn || resolved.path.length > 0 || resolved.fn === fn) continue;
    let byIndex = state.holders.get(resolved.fn);
    if (!byIndex) state.holders.set(resolved.fn, (byIndex = new Map()));
    const list = byIndex.get(at) ?? [];
    if (list.includes(connection)) continue;
    list.push(connection);
    byIndex.set(at, list);
    handOver(sem, state, resolved.file, resolved.fn, at, connection, hops + 1);
  }
}

/**
 * The connections whose socket a name holds at a registration: the connection callback's own
 * parameter, a registration function's parameter a connection hands it through, or (the connection
 * not read) a function's parameter named as a socket. Undefined when it is not a connected socket.
 */
function socketConnections(sem: Semantics, state: State, file: AnalysedFile, receiver: ts.Identifier): Connection[] | undefined {
  const binding = sem.project.lookup(file, receiver.text, receiver);
  if (binding?.kind !== "param" || binding.path.length > 0) return undefined;
  const index = binding.fn.node.parameters.indexOf(binding.node);
  const connection = state.connections.get(binding.fn);
  if (connection) return index === 0 ? [connection] : undefined;
  const handed = state.holders.get(binding.fn)?.get(index);
  if (handed) return handed;
  // Handed sockets were found, but not through this parameter: it holds something else.
  if (state.holders.has(binding.fn)) return undefined;
  return SOCKET_NAME.test(receiver.text) ? [] : undefined;
}

/** The event handlers `socket.on("event", handler)` registers in one file. */
export function socketIoRoutes(sem: Semantics, file: AnalysedFile, handlerOf: HandlerOf): RouteFact[] {
  const facts = file.facts;
  if (!facts || !file.text.includes(".on(")) return [];
  const state = stateOf(sem);
  if (!state.usesPackage) return [];
  const routes: RouteFact[] = [];
  /** Registration functions reached by no connection the review read, and whether their events check the login themselves. */
  const ownChecks = new Map<FunctionFact, boolean>();
  for (const call of facts.calls) {
    if (call.isNew || call.name !== "on" || call.args.length !== 2 || call.chain.length !== 2) continue;
    const event = stringValue(call.args[0]);
    if (event === undefined || RESERVED_EVENTS.has(event)) continue;
    const callee = skipOuterExpressions(call.callee);
    const receiver = isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression) : undefined;
    if (!receiver || !isIdentifier(receiver)) continue;
    const connections = socketConnections(sem, state, file, receiver);
    if (!connections) continue;
    const wrappers: CallFact[] = [];
    const handlerExpr = call.args[1]!;
    const handler = isFunctionNode(skipOuterExpressions(handlerExpr)) ? sem.project.functionOf(skipOuterExpressions(handlerExpr)) : handlerOf(sem, file, handlerExpr, wrappers);
    if (!handler) continue;
    const registrar = connections.length === 0 ? sem.project.lookup(file, receiver.text, receiver) : undefined;
    let checked = registrar?.kind === "param" ? ownChecks.get(registrar.fn) : true;
    if (checked === undefined && registrar?.kind === "param") {
      checked = eventsCheckLogin(sem, file, registrar.fn, receiver.text, handlerOf);
      ownChecks.set(registrar.fn, checked);
    }
    routes.push({
      file,
      kind: "socketio",
      // An event may read or change anything: judged as a call that may change data.
      method: "POST",
      urlPath: `socket.io ${kebab(event)}`,
      event,
      line: call.line,
      column: call.column,
      handler,
      middleware: [...new Set(connections.flatMap((c) => c.middleware))],
      wrappers,
      registration: call,
      // The connection (and the server's middleware) unread, and no sibling event checks the login itself:
      // the check may well be that middleware. Asked about, not claimed.
      ...(checked ? {} : { unreadFront: { name: "io.use", module: "the file that accepts the connections", reason: "not read: no file the review read hands this module its socket" } }),
    });
  }
  return routes;
}

/**
 * Whether some event a registration function registers on its socket checks the login in its own
 * body, on every path: the project checks each event itself, so an event without the check has none
 * (rather than one in middleware the review did not read).
 */
function eventsCheckLogin(sem: Semantics, file: AnalysedFile, registrar: FunctionFact, socketName: string, handlerOf: HandlerOf): boolean {
  for (const call of sem.callsWithin(registrar)) {
    if (call.name !== "on" || call.chain.length !== 2 || call.chain[0] !== socketName || call.args.length !== 2) continue;
    const expr = skipOuterExpressions(call.args[1]!);
    const handler = isFunctionNode(expr) ? sem.project.functionOf(expr) : handlerOf(sem, file, expr, []);
    if (handler && sem.guardsOnEveryPath(sem.project.fileOf(handler.node) ?? file, handler).has("auth")) return true;
  }
  return false;
}

/** `loginByToken` → `login-by-token`, `prepare2FA` → `prepare-2fa`: an event name read like a URL's words. */
function kebab(event: string): string {
  return event
    .replace(/([a-z])([A-Z0-9])/g, "$1-$2")
    .replace(/([A-Z0-9]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/[\s_]+/g, "-")
    .toLowerCase();
}
