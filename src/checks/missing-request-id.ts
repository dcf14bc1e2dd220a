import { ts } from "ts-morph";
import { skipOuterExpressions, type CallFact } from "../review/analysis/facts.js";
import { REQUEST_ID_PATTERN } from "../review/analysis/names.js";
import type { AnalysedFile, AnalysedProject } from "../review/analysis/project.js";
import type { Semantics } from "../review/analysis/semantics.js";
import { codeWithoutComments, startLineOf, statementOf } from "../review/analysis/value-trace.js";
import type { LineReplacement } from "../review/types.js";
import { defineCheck } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isAsExpression, isAwaitExpression, isIdentifier, isParenthesizedExpression, isStringLiteralLike, isVariableDeclaration } = ts;

/**
 * The one place every request passes through (Next.js middleware, or the server bootstrap's global
 * middleware chain) should read an incoming request id or mint one, and send it on in responses
 * and logs: without it, one request cannot be followed across services and log lines.
 */

type MessageId = "nextMiddleware" | "bootstrap";
type Framework = "Express" | "Hono" | "Fastify" | "Koa";

const NEXT_MIDDLEWARE_PATH = /(^|\/)(src\/)?(middleware|proxy)\.(ts|tsx|js|jsx|mjs)$/;
/** Folders where a `middleware.ts` is a server's own module, not Next.js middleware. */
const NOT_NEXT_ROOT = /(^|\/)(lib|app|pages|routes|server|api|utils|middlewares?|components|handlers|controllers)\//;

function codeEvidence(project: AnalysedProject, file: AnalysedFile): boolean {
  if (REQUEST_ID_PATTERN.test(codeWithoutComments(file))) return true;
  // One level into the PR's own modules the file imports (`app.use(requestContext)` from `./middleware/context`).
  for (const imp of file.facts?.imports.values() ?? []) {
    if (imp.typeOnly) continue;
    const target = project.resolveModule(file, imp.module);
    if (target && target !== file && REQUEST_ID_PATTERN.test(codeWithoutComments(target))) return true;
  }
  return false;
}

/** OpenTelemetry registered for the whole app (`instrumentation.ts` with `registerOTel` / `@opentelemetry/*`) propagates trace context. */
function projectWideTracing(project: AnalysedProject): boolean {
  return project.files.some((f) => /(^|\/)(src\/)?instrumentation\.(ts|js|mjs)$/.test(f.path) && /opentelemetry|registerOTel|@vercel\/otel/.test(codeWithoutComments(f)));
}

interface Place {
  line: number;
  name: string;
}

function nextMiddlewarePlace(file: AnalysedFile): Place | undefined {
  const facts = file.facts;
  if (!facts || !NEXT_MIDDLEWARE_PATH.test(file.path) || NOT_NEXT_ROOT.test(file.path.replace(/(^|\/)src\/(middleware|proxy)\.\w+$/, ""))) return undefined;
  // `export { auth as middleware } from "@/auth"`, `export { default } from "next-auth/middleware"`.
  const reexport = /^export\s*\{[^}]*\b(middleware|proxy|default)\b[^}]*\}\s*from\s*['"]([^'"]+)['"]/m.exec(file.text);
  const looksNext =
    [...facts.imports.values()].some((i) => /^next(\/|$)|^@clerk\/nextjs|^next-auth|^@supabase\/ssr|^@auth\//.test(i.module)) || facts.exports.has("config") || reexport !== null;
  if (!looksNext) return undefined;
  for (const name of ["middleware", "proxy", "default"]) {
    const exported = facts.exports.get(name);
    if (!exported) continue;
    if (exported.kind === "function") return { line: exported.fn.line, name: exported.fn.name ?? name };
    if (exported.kind === "var") return { line: startLineOf(exported.decl.parent?.parent ?? exported.decl), name: exported.name };
    if (exported.kind === "expression") return { line: startLineOf(exported.expr.parent ?? exported.expr), name };
  }
  if (reexport) return { line: file.text.slice(0, reexport.index).split("\n").length, name: reexport[1] === "default" ? reexport[2]! : reexport[1]! };
  return undefined;
}

interface Bootstrap {
  framework: Framework;
  call: CallFact;
  /** The variable that holds the app, when assigned. */
  app?: string;
  line: number;
}

function frameworkOf(sem: Semantics, file: AnalysedFile, call: CallFact): Framework | undefined {
  const r = sem.callee(file, call);
  if (r.kind !== "module") return undefined;
  const path = r.path.filter((p) => p !== "()");
  if (r.module === "express" && !call.isNew && path.length === 0) return "Express";
  if (r.module === "hono" && call.isNew && path.join(".") === "Hono") return "Hono";
  if (r.module === "fastify" && !call.isNew && (path.length === 0 || path.join(".") === "fastify" || path.join(".") === "default")) return "Fastify";
  if (r.module === "koa" && call.isNew && path.length <= 1 && path[0] !== "Router") return "Koa";
  return undefined;
}

function assignedName(node: ts.Node): string | undefined {
  let parent: ts.Node = node.parent;
  while (isParenthesizedExpression(parent) || isAsExpression(parent) || isAwaitExpression(parent)) parent = parent.parent;
  return isVariableDeclaration(parent) && isIdentifier(parent.name) ? parent.name.text : undefined;
}

/** A `use` with no path, or a catch-all path (`"*"`, `"/*"`, `"/"`): middleware for every request. */
function isGlobalUse(call: CallFact): boolean {
  const first = call.args[0];
  if (!first) return false;
  const inner = skipOuterExpressions(first);
  if (!isStringLiteralLike(inner)) return true;
  return /^(\*|\/\*|\/)$/.test(inner.text) && call.args.length >= 2 && !/^[A-Z]|[Rr]outer$/.test(call.args[call.args.length - 1]!.getText());
}

/** The app is mounted into another app (`app.route("/x", sub)`, `app.use("/x", sub)`): a sub-router, not the bootstrap. */
function isMounted(sem: Semantics, file: AnalysedFile, name: string): boolean {
  for (const other of sem.project.files) {
    for (const call of other.facts?.calls ?? []) {
      if ((call.name !== "route" && call.name !== "use" && call.name !== "register") || call.args.length < 2) continue;
      const arg = skipOuterExpressions(call.args[1]!);
      if (!isIdentifier(arg)) continue;
      if (other === file ? arg.text === name : resolvesTo(sem, other, arg, file, name)) return true;
    }
  }
  return false;
}

function resolvesTo(sem: Semantics, from: AnalysedFile, id: ts.Identifier, file: AnalysedFile, name: string): boolean {
  const binding = sem.project.lookup(from, id.text, id);
  if (binding?.kind !== "import") return false;
  const target = sem.project.resolveModule(from, binding.imp.module);
  if (target !== file) return false;
  const exported = file.facts?.exports.get(binding.imp.imported[0] ?? "default");
  return exported !== undefined && exported.name === name;
}

function bootstrapsOf(sem: Semantics, file: AnalysedFile): Bootstrap[] {
  const out: Bootstrap[] = [];
  const calls = file.facts?.calls ?? [];
  for (const call of calls) {
    const framework = frameworkOf(sem, file, call);
    if (!framework) continue;
    const app = assignedName(call.node);
    const statement = statementOf(call.node);
    const line = statement && app ? startLineOf(statement) : call.line;
    if (framework === "Fastify") {
      out.push({ framework, call, app, line });
      continue;
    }
    if (!app) continue;
    const uses = calls.filter((c) => c.name === "use" && c.chain.length === 2 && c.chain[0] === app);
    if (!uses.some(isGlobalUse)) continue;
    if (framework === "Hono" && isMounted(sem, file, app)) continue;
    if (framework === "Express" && isMounted(sem, file, app)) continue;
    out.push({ framework, call, app, line });
  }
  return out;
}

/** Whether every request passes through this file: Next.js middleware, or a server bootstrap installing global middleware. */
export function isRequestChainFile(sem: Semantics, file: AnalysedFile): boolean {
  return nextMiddlewarePlace(file) !== undefined || bootstrapsOf(sem, file).length > 0;
}

function bootstrapFix(framework: Framework, app: string): { fix: string; lines?: string[] } {
  switch (framework) {
    case "Express":
      return {
        fix: `Read the caller's \`x-request-id\` or mint one, echo it and put it on the request's logger, before any other middleware: e.g. \`pino-http\` with \`genReqId\`, or the middleware below (import \`randomUUID\` from \`node:crypto\`).`,
        lines: [
          `${app}.use((req, res, next) => {`,
          `  const requestId = req.get("x-request-id") ?? randomUUID();`,
          `  res.setHeader("x-request-id", requestId);`,
          `  res.locals.requestId = requestId;`,
          `  next();`,
          `});`,
        ],
      };
    case "Hono":
      return {
        fix: `Install Hono's request-id middleware first (\`import { requestId } from "hono/request-id"\`): it reuses an incoming \`x-request-id\` or mints one and sets it on the response; log \`c.get("requestId")\`.`,
        lines: [`${app}.use("*", requestId());`],
      };
    case "Koa":
      return {
        fix: `Read the caller's \`x-request-id\` or mint one (\`randomUUID\` from \`node:crypto\`), keep it on \`ctx.state\` for logs and echo it in the response.`,
        lines: [
          `${app}.use(async (ctx, next) => {`,
          `  ctx.state.requestId = ctx.get("x-request-id") || randomUUID();`,
          `  ctx.set("x-request-id", ctx.state.requestId);`,
          `  await next();`,
          `});`,
        ],
      };
    case "Fastify":
      return {
        fix: `Create the instance with \`requestIdHeader: "x-request-id"\` and \`genReqId: () => randomUUID()\`, and echo it with an \`onSend\` hook (\`reply.header("x-request-id", request.id)\`); Fastify's logger then carries it on every line.`,
      };
  }
}

export default defineCheck<MessageId>({
  id: "trace/missing-request-id",
  title: "No request id at the entry point",
  section: "9 (request-ID propagation)",
  severity: "low",
  docs: "Flags Next.js `middleware.ts` and the server bootstrap that installs the global middleware chain (Express, Hono, Fastify, Koa) when neither reads nor sets a request id (`x-request-id`, `traceparent`, `hono/request-id`, pino-http `genReqId`, OpenTelemetry); the fix reads the incoming id or mints one and echoes it in responses and logs.",
  messages: {
    nextMiddleware:
      "Next.js middleware `{{name}}` neither reads nor sets a request id (`x-request-id` / `traceparent`): one request cannot be followed from the edge through route handlers and their logs.",
    bootstrap:
      "The {{framework}} app `{{app}}` installs its global middleware here but neither reads nor sets a request id (`x-request-id` / `traceparent`): responses and log lines of one request cannot be correlated.",
  },
  run({ project, sem, report }) {
    const tracing = projectWideTracing(project);
    for (const file of project.files) {
      if (!file.facts) continue;
      const middleware = nextMiddlewarePlace(file);
      if (middleware) {
        if (tracing || codeEvidence(project, file)) continue;
        report({
          file,
          line: middleware.line,
          messageId: "nextMiddleware",
          data: { name: middleware.name },
          fix:
            "At the top of the middleware, read the incoming id or mint one and pass it both ways: `const requestId = request.headers.get(\"x-request-id\") ?? crypto.randomUUID(); const headers = new Headers(request.headers); headers.set(\"x-request-id\", requestId); const response = NextResponse.next({ request: { headers } }); response.headers.set(\"x-request-id\", requestId);` — and set it on redirects and rewrites too.",
        });
        continue;
      }
      const bootstraps = bootstrapsOf(sem, file);
      if (bootstraps.length === 0 || codeEvidence(project, file)) continue;
      for (const bootstrap of bootstraps) {
        const app = bootstrap.app ?? "app";
        const { fix, lines } = bootstrapFix(bootstrap.framework, app);
        let replacement: LineReplacement | undefined;
        const statement = statementOf(bootstrap.call.node);
        if (lines && statement && bootstrap.app) {
          const sf = statement.getSourceFile();
          const endLine = sf.getLineAndCharacterOfPosition(statement.getEnd()).line + 1;
          const indent = /^\s*/.exec(file.lines[bootstrap.line - 1] ?? "")?.[0] ?? "";
          const original = file.lines.slice(bootstrap.line - 1, endLine).join("\n");
          replacement = { startLine: bootstrap.line, endLine, text: [original, ...lines.map((l) => `${indent}${l}`)].join("\n") };
        }
        report({
          file,
          line: bootstrap.line,
          messageId: "bootstrap",
          data: { framework: bootstrap.framework, app },
          fix,
          ...(replacement ? { replacement } : {}),
        });
      }
    }
  },
});
