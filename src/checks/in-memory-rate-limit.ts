import { ts } from "ts-morph";
import type { CallFact } from "../review/analysis/facts.js";
import { skipOuterExpressions } from "../review/analysis/facts.js";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { Semantics } from "../review/analysis/semantics.js";
import type { LineReplacement } from "../review/types.js";
import { defineCheck } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isAsExpression, isBinaryExpression, isConditionalExpression, isIdentifier, isIfStatement, isNewExpression, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAssignment, isPropertyDeclaration, isSatisfiesExpression, isSpreadAssignment, isVariableDeclaration } = ts;

/**
 * A rate limiter whose counters live in one process's memory: each instance (and each restart)
 * starts from zero, so with N instances an attacker gets N times the budget, and serverless
 * functions barely count at all.
 */

type MessageId = "memoryStore" | "mapCounter" | "memoryLimiter";

const COUNTER_NAME = /attempt|limit|rate|hits|counter|counts|requests|tries|throttl|bucket|failure|lockout|quota|strikes/i;
const COUNTING_TEXT = /\bcount\b|\+\+|\+=\s*1\b|resetAt|expiresAt|windowMs|windowStart|firstAttempt|Date\.now\(\)/;
const LIMITER_CONTEXT = /rate.?limit|limiter|throttle|too many|429/i;
/** Packages whose limiter takes a `store` (or `redis`) option and defaults to memory. */
const STORE_OPTION_PACKAGES = new Map<string, string>([
  ["express-rate-limit", "store"],
  ["express-slow-down", "store"],
  ["hono-rate-limiter", "store"],
  ["@fastify/rate-limit", "redis"],
  ["fastify-rate-limit", "redis"],
  ["koa-ratelimit", "db"],
]);
const MEMORY_CLASSES = /^(RateLimiterMemory|BurstyRateLimiter|RateLimiterMemoryStore|MemoryStore)$/;

/** Behind `if (process.env.NODE_ENV !== "production")` (or the `=== "development"` / else-of-production branch). */
function isDevOnly(node: ts.Node): boolean {
  let child: ts.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    let condition: ts.Expression | undefined;
    let inThen = false;
    if (isIfStatement(parent)) {
      condition = parent.expression;
      inThen = child === parent.thenStatement;
      if (child === parent.expression) continue;
    } else if (isConditionalExpression(parent)) {
      condition = parent.condition;
      inThen = child === parent.whenTrue;
      if (child === parent.condition) continue;
    } else if (isBinaryExpression(parent) && parent.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken && child === parent.right) {
      condition = parent.left;
      inThen = true;
    }
    if (!condition) continue;
    const text = condition.getText().replace(/\s+/g, "");
    if (!/NODE_ENV|isDev|isProd|IS_PRODUCTION|isProduction|__DEV__/.test(text)) continue;
    const notProduction = /NODE_ENV!==?['"`]production|NODE_ENV===?['"`](development|test|dev)|isDev|!isProd|!IS_PRODUCTION|!isProduction|__DEV__/.test(text);
    const production = /NODE_ENV===?['"`]production|^isProd$|^IS_PRODUCTION$|^isProduction$/.test(text);
    if ((notProduction && inThen) || (production && !inThen)) return true;
  }
  return false;
}

function optionsObject(project: Semantics["project"], file: AnalysedFile, expr: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  if (!expr) return undefined;
  const inner = skipOuterExpressions(expr);
  if (isObjectLiteralExpression(inner)) return inner;
  if (isIdentifier(inner)) {
    const binding = project.lookup(file, inner.text, inner);
    if (binding?.kind === "var" && binding.init && isObjectLiteralExpression(skipOuterExpressions(binding.init))) return skipOuterExpressions(binding.init) as ts.ObjectLiteralExpression;
  }
  return undefined;
}

function property(obj: ts.ObjectLiteralExpression, key: string): ts.ObjectLiteralElementLike | undefined {
  return obj.properties.find((p) => p.name !== undefined && p.name.getText().replace(/['"`]/g, "") === key);
}

/** The store option is missing, or is an explicit in-memory store. */
function usesMemoryStore(obj: ts.ObjectLiteralExpression, key: string): boolean {
  if (obj.properties.some((p) => isSpreadAssignment(p))) return false;
  const store = property(obj, key);
  if (!store) return true;
  const value = isPropertyAssignment(store) ? skipOuterExpressions(store.initializer) : undefined;
  return value !== undefined && isNewExpression(value) && /Memory/.test(value.expression.getText());
}

const COUNTER_VALUE = /count|hits|attempts|tries|failures|resetAt|expires|window|Date\.now|\+\s*1\b|\bnow\b|timestamps?|^\s*\d+\s*$|^\s*\[/i;

/** The values written with `name.set(key, value)` in the file, as text. */
function storedValues(file: AnalysedFile, name: string): string[] {
  const bare = name.replace(/^#/, "");
  return (file.facts?.calls ?? [])
    .filter((c) => c.name === "set" && c.args.length === 2 && (c.chain[c.chain.length - 2] ?? "").replace(/^#/, "") === bare)
    .map((c) => c.args[1]!.getText());
}

function variableName(call: CallFact): string | undefined {
  let node: ts.Node = call.node.parent;
  while (isAsExpression(node) || isParenthesizedExpression(node) || isSatisfiesExpression(node)) node = node.parent;
  if (isVariableDeclaration(node) || isPropertyDeclaration(node) || isPropertyAssignment(node)) return node.name.getText();
  if (isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) return node.left.getText().split(".").pop();
  return undefined;
}

function addStoreReplacement(file: AnalysedFile, call: CallFact, key: string): LineReplacement | undefined {
  const text = file.lines[call.line - 1] ?? "";
  if (!/\(\{\s*$/.test(text)) return undefined;
  const indent = /^\s*/.exec(text)?.[0] ?? "";
  const value = key === "redis" ? "redis," : key === "db" ? "db: redis," : "store: new RedisStore({ sendCommand: (...args) => redis.sendCommand(args) }),";
  return { startLine: call.line, endLine: call.line, text: `${text}\n${indent}  ${value}` };
}

export default defineCheck<MessageId>({
  id: "ingress/in-memory-rate-limit",
  title: "Rate limiter state in process memory",
  section: "6 (shared rate limiting)",
  severity: "medium",
  docs: "Flags a limiter whose counters live in process memory (a `Map` or plain-object attempt counter, `express-rate-limit` without a `store`, `RateLimiterMemory`, an LRU cache) outside dev-only code; the fix keeps the counters in a shared store (Redis via `rate-limit-redis` / `RateLimiterRedis`, or `@upstash/ratelimit`).",
  messages: {
    memoryStore: "`{{call}}` has no shared `{{option}}`, so it counts in this process's memory: every instance and every restart starts from zero.",
    mapCounter: "`{{name}}` counts attempts in an in-process `{{kind}}`: with several instances (or serverless) each one keeps its own count and the limit multiplies.",
    memoryLimiter: "`{{call}}` keeps its counters in process memory: each instance and restart gets a fresh budget.",
  },
  run({ project, sem, report }) {
    for (const file of project.files) {
      const calls = file.facts?.calls ?? [];
      for (const call of calls) {
        // Only three kinds of call can be reported below; the rest are skipped before the (costlier)
        // dev-only guard and text are computed: `new Map()`/LRU counters, memory limiter classes, and
        // calls into a package. `sem.callee` is memoised, so asking early costs nothing later.
        const mapLike = call.isNew && (call.name === "Map" || /^(LRUCache|LRU|QuickLRU|LruCache|TTLCache|NodeCache)$/.test(call.name)) && call.chain.length === 1;
        if (!mapLike) {
          const target = sem.callee(file, call);
          const limiterClass = call.isNew && (MEMORY_CLASSES.test(call.name) || (target.kind === "module" && target.module === "limiter" && /RateLimiter|TokenBucket/.test(call.name)));
          if (!limiterClass && (call.isNew || target.kind !== "module" || !target.module)) continue;
        }
        if (isDevOnly(call.node)) continue;
        // The call's first line, for messages: only read when a finding is reported.
        const callText = () => call.node.getText().split("\n")[0]!.slice(0, 60);

        if (call.isNew && (call.name === "Map" || /^(LRUCache|LRU|QuickLRU|LruCache|TTLCache|NodeCache)$/.test(call.name)) && call.chain.length === 1) {
          const name = variableName(call);
          if (!name) continue;
          const isLru = call.name !== "Map";
          // A map of limiter objects (or of anything that is not a count) is not a counter.
          const typeArgs = isNewExpression(call.node) ? (call.node.typeArguments?.map((t) => t.getText()).join(",") ?? "") : "";
          if (/limiter|ratelimit/i.test(typeArgs)) continue;
          const stored = storedValues(file, name);
          if (stored.length > 0 && stored.every((v) => /limiter/i.test(v))) continue;
          const counts = stored.some((v) => COUNTER_VALUE.test(v)) || COUNTING_TEXT.test(file.text) || LIMITER_CONTEXT.test(file.text);
          const limiterLike = COUNTER_NAME.test(name) && counts;
          const lruLimiter = isLru && (LIMITER_CONTEXT.test(name) || ((COUNTER_NAME.test(name) || stored.length > 0) && counts && LIMITER_CONTEXT.test(file.text)));
          if (!(isLru ? lruLimiter : limiterLike)) continue;
          report({
            file,
            line: call.line,
            column: call.column,
            messageId: "mapCounter",
            data: { name, kind: call.name },
            fix: "Keep the counters in a shared store: `@upstash/ratelimit` (`new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(5, \"15 m\") })`), `rate-limiter-flexible`'s `RateLimiterRedis`, or an atomic `INCR` + `EXPIRE` in Redis; or guard this with `process.env.NODE_ENV !== \"production\"` if it is a dev stub.",
          });
          continue;
        }

        const resolved = sem.callee(file, call);
        if (call.isNew && (MEMORY_CLASSES.test(call.name) || (resolved.kind === "module" && resolved.module === "limiter" && /RateLimiter|TokenBucket/.test(call.name)))) {
          if (call.name === "MemoryStore" && !(resolved.kind === "module" && /rate|limit|slow/.test(resolved.module ?? ""))) continue;
          const text = file.lines[call.line - 1] ?? "";
          const replacement: LineReplacement | undefined = text.includes("RateLimiterMemory({")
            ? { startLine: call.line, endLine: call.line, text: text.replace("RateLimiterMemory({", "RateLimiterRedis({ storeClient: redis,") }
            : undefined;
          report({
            file,
            line: call.line,
            column: call.column,
            messageId: "memoryLimiter",
            data: { call: callText() },
            fix: "Use a shared store: `new RateLimiterRedis({ storeClient: redis, ... })` from `rate-limiter-flexible` (or `@upstash/ratelimit`) so every instance counts against the same budget.",
            ...(replacement ? { replacement } : {}),
          });
          continue;
        }

        if (call.isNew || resolved.kind !== "module" || !resolved.module) continue;
        // `app.register(rateLimit, { max: 5 })` for Fastify.
        if (call.name === "register" && call.args.length >= 1) {
          const plugin = project.resolve(file, call.args[0]!);
          const key = plugin.kind === "module" ? STORE_OPTION_PACKAGES.get(plugin.module ?? "") : undefined;
          if (!key) continue;
          const obj = optionsObject(project, file, call.args[1]);
          if (call.args[1] && !obj) continue;
          if (obj && !usesMemoryStore(obj, key)) continue;
          report({ file, line: call.line, column: call.column, messageId: "memoryStore", data: { call: callText(), option: key }, fix: `Pass a shared store: \`{ ${key}: redis, ... }\` so every instance counts against the same budget.` });
          continue;
        }
        const key = STORE_OPTION_PACKAGES.get(resolved.module);
        if (!key) continue;
        const member = resolved.path.filter((p) => p !== "()");
        if (!(member.length === 0 || /^(default|rateLimit|slowDown|rateLimiter|RateLimit)$/.test(member[0] ?? ""))) continue;
        const obj = optionsObject(project, file, call.args[0]);
        if (call.args[0] && !obj) continue;
        if (obj && !usesMemoryStore(obj, key)) continue;
        const replacement = addStoreReplacement(file, call, key);
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "memoryStore",
          data: { call: callText(), option: key },
          fix: key === "store"
            ? "Give the limiter a shared store: `store: new RedisStore({ sendCommand: (...args) => redis.sendCommand(args) })` from `rate-limit-redis` (or a Memcached / database store), so every instance counts against the same budget."
            : `Pass a shared \`${key}\` (a Redis client) so every instance counts against the same budget.`,
          ...(replacement ? { replacement } : {}),
        });
      }
      for (const counter of objectCounters(file)) {
        report({
          file,
          line: counter.line,
          column: counter.column,
          messageId: "mapCounter",
          data: { name: counter.name, kind: "object" },
          fix: "Keep the counters in a shared store: `@upstash/ratelimit` (`new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(5, \"15 m\") })`), `rate-limiter-flexible`'s `RateLimiterRedis`, or an atomic `INCR` + `EXPIRE` in Redis; or guard this with `process.env.NODE_ENV !== \"production\"` if it is a dev stub.",
        });
      }
    }
  },
});

/**
 * Module-scope plain objects used as a limiter's counters (`const trackers: Record<string, { count:
 * number; expiresAt: number }> = {}` with `trackers[key].count++`), in a file about rate limiting.
 */
function objectCounters(file: AnalysedFile): Array<{ name: string; line: number; column: number }> {
  const facts = file.facts;
  if (!facts || !LIMITER_CONTEXT.test(file.text) || !COUNTING_TEXT.test(file.text)) return [];
  const out: Array<{ name: string; line: number; column: number }> = [];
  for (const binding of facts.moduleBindings.values()) {
    if (binding.kind !== "var" || binding.path.length > 0 || !binding.init) continue;
    const init = skipOuterExpressions(binding.init);
    if (!isObjectLiteralExpression(init) || init.properties.length > 0) continue;
    // Keyed by the caller (`trackers[key]`), and a counter by its name, its declared entries (`{ count: number }`) or an increment.
    if (!file.text.includes(`${binding.name}[`)) continue;
    const declared = binding.decl.type?.getText() ?? "";
    const escaped = binding.name.replace(/\$/g, "\\$");
    const incremented = new RegExp(`\\b${escaped}\\[[^\\]\\n]{1,80}\\](?:\\.\\w+)?\\s*(?:\\+\\+|\\+=)`).test(file.text);
    if (!(COUNTER_NAME.test(binding.name) || /\b(count|hits|attempts|tries|resetAt|expiresAt)\b/.test(declared) || incremented)) continue;
    if (isDevOnly(binding.decl)) continue;
    const sf = facts.sourceFile;
    const position = sf.getLineAndCharacterOfPosition(binding.decl.getStart(sf));
    out.push({ name: binding.name, line: position.line + 1, column: position.character + 1 });
  }
  return out;
}
