import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { analyseFile, AnalysedProject } from "../../src/review/analysis/project.js";
import { Semantics } from "../../src/review/analysis/semantics.js";
import { languageOf, parseSource } from "../../src/review/analysis/parse.js";
import { collectFileFacts } from "../../src/review/analysis/facts.js";
import { returnedExpressions, walk } from "../../src/review/analysis/nodes.js";
import { ts } from "ts-morph";
import { reviewSnapshot } from "../../src/review/review.js";
import { snapshotOf } from "../checks/tester.js";

function analyse(files: Record<string, string>) {
  const analysed = Object.entries(files).map(([path, text]) => analyseFile({ path, text, language: languageOf(path)!, changedLines: "all" }));
  const project = new AnalysedProject(analysed, DEFAULT_CONFIG);
  return { project, sem: new Semantics(project), file: (p: string) => project.file(p)! };
}

describe("route discovery", () => {
  it.each([
    ["app router verb export", "app/api/items/[id]/route.ts", "export async function PATCH(req: Request) { return new Response(); }", ["PATCH /api/items/[id]@1"]],
    ["wrapped app router export", "app/(site)/api/x/route.ts", "const withHandler = (f: any) => f;\nexport const POST = withHandler(async (req: Request) => new Response());", ["POST /api/x@2"]],
    ["pages/api default export", "pages/api/tasks/index.ts", "export default async function handler(req: any, res: any) { res.end(); }", ["ANY /api/tasks@1"]],
    ["server actions", "app/settings/actions.ts", "'use server';\nexport async function save() {}\nexport async function remove() {}", ["ACTION /settings (server action save)@2", "ACTION /settings (server action remove)@3"]],
    ["express router", "src/routes.ts", "import { Router } from 'express';\nconst r = Router();\nr.post('/users/:id', (req, res) => res.end());", ["POST /users/:id@3"]],
    ["hono", "src/app.ts", "import { Hono } from 'hono';\nconst app = new Hono();\napp.delete('/x', (c) => c.body(null));", ["DELETE /x@3"]],
    ["fastify route()", "src/server.ts", "import Fastify from 'fastify';\nconst f = Fastify();\nf.route({ method: 'PUT', url: '/a', handler: async () => ({}) });", ["PUT /a@3"]],
    ["SvelteKit endpoint verbs", "src/routes/api/notes/[id]/+server.ts", "import type { RequestHandler } from './$types';\nexport const DELETE: RequestHandler = async ({ params }) => new Response(null);\nexport async function GET() { return new Response(); }", ["GET /api/notes/[id]@3", "DELETE /api/notes/[id]@2"]],
    ["SvelteKit form actions", "src/routes/(app)/settings/+page.server.ts", "export const load = async () => ({});\nexport const actions = {\n  default: async ({ request }) => {},\n  async remove({ request }) {},\n};", ["POST /settings@3", "POST /settings?/remove@4", "GET /settings@1"]],
    ["Remix route module loader and action", "app/routes/notes.$noteId.tsx", "export async function loader({ params }) { return null; }\nexport const action = async ({ request }) => null;\nexport default function Note() { return null; }", ["GET /notes/:noteId@1", "POST /notes/:noteId@2"]],
    ["Remix nested route folder, pathless layout left out", "app/routes/_app.settings/route.tsx", "export async function action({ request }) { return null; }", ["POST /settings@1"]],
    ["Nuxt server routes", "server/api/notes/[id].delete.ts", "export default defineEventHandler(async (event) => {\n  return null;\n});", ["DELETE /api/notes/[id]@1"]],
    ["Nuxt route without a method suffix", "server/api/notes/index.ts", "export default eventHandler(async (event) => ({}));", ["ANY /api/notes@1"]],
    ["tRPC procedures on their .mutation( line", "src/router.ts", "export const r = { add: publicProcedure\n  .input(z.string())\n  .mutation(({ input }) => input) };", ["POST trpc add@3"]],
  ])("%s", (_name, path, code, expected) => {
    const { sem, file } = analyse({ [path]: code });
    expect(sem.routes(file(path)).map((r) => `${r.kind === "server-action" ? r.method : r.method} ${r.urlPath}@${r.line}`)).toEqual(expected);
  });

  it("Map.get and a string-keyed cache are not routes", () => {
    const { sem, file } = analyse({ "src/cache.ts": "const cache = new Map();\nexport const get = (k: string) => cache.get('/x');\nconst app = { get(p: string) { return p; } };\napp.get('/y');" });
    expect(sem.routes(file("src/cache.ts"))).toEqual([]);
  });
});

describe("handlers imported into a router", () => {
  it("finds the controller's function, its file, and the routes it handles", () => {
    const { sem, file } = analyse({
      "src/routes.ts": "import { Router } from 'express';\nimport { show } from './controllers/a';\nimport b from './controllers/b';\nconst r = Router();\nr.get('/a/:id', show);\nr.post('/b', b.create);\nr.put('/c', missing);",
      "src/controllers/a.ts": "export async function show(req, res) { res.end(); }",
      "src/controllers/b.ts": "export default { create: async (req, res) => res.end() };",
    });
    const routes = sem.routes(file("src/routes.ts"));
    expect(routes.map((r) => `${r.method} ${r.urlPath} ${r.handler ? `${sem.handlerFileOf(r).path}:${r.handler.line}` : "no handler"}`)).toEqual([
      "GET /a/:id src/controllers/a.ts:1",
      "POST /b src/controllers/b.ts:1",
      "PUT /c no handler",
    ]);
    expect(sem.routesHandledBy(routes[0]!.handler!)).toEqual([routes[0]]);
  });
});

describe("symbolic resolution", () => {
  it("follows renamed imports, require, destructuring and other files of the PR", () => {
    const { project, file } = analyse({
      "lib/admin.ts": "import { createClient } from '@supabase/supabase-js';\nexport const admin = createClient(url, process.env.SUPABASE_SERVICE_ROLE_KEY!);",
      "app/use.ts": "import { admin } from '@/lib/admin';\nimport { decode as d } from 'jsonwebtoken';\nconst { verify } = require('jsonwebtoken');\nadmin.from('t').delete();\nd('x');\nverify('x');",
    });
    const calls = file("app/use.ts").facts!.calls;
    const resolved = (name: string) => project.resolve(file("app/use.ts"), calls.find((c) => c.name === name)!.callee);
    expect(resolved("delete")).toMatchObject({ kind: "module", module: "@supabase/supabase-js", path: ["createClient", "()", "from", "()", "delete"] });
    expect(resolved("d")).toMatchObject({ kind: "module", module: "jsonwebtoken", path: ["decode"] });
    expect(resolved("verify")).toMatchObject({ kind: "module", module: "jsonwebtoken", path: ["verify"] });
  });

  it("follows a function held in a const, and the members of a whole module taken by require or through a CommonJS barrel", () => {
    const { project, file } = analyse({
      "src/services/user.service.js": "const deleteUserById = async (id) => User.deleteOne({ _id: id });\nmodule.exports = { deleteUserById };",
      "src/services/index.js": "module.exports.userService = require('./user.service');",
      "src/controllers/user.controller.js":
        "const { userService } = require('../services');\nconst direct = require('../services/user.service');\nconst remove = async (req, res) => {\n  await userService.deleteUserById(req.params.id);\n  await direct.deleteUserById(req.params.id);\n  await direct.missing(req.params.id);\n};\nmodule.exports = { remove };",
    });
    const controller = file("src/controllers/user.controller.js");
    const calls = controller.facts!.calls.filter((c) => c.name === "deleteUserById" || c.name === "missing");
    const resolved = calls.map((c) => project.resolve(controller, c.callee));
    expect(resolved.map((r) => `${r.kind} ${r.fn?.name ?? r.path.join(".")} ${r.file.path}`)).toEqual([
      "function deleteUserById src/services/user.service.js",
      "function deleteUserById src/services/user.service.js",
      // A name the module does not export stays a member of the module.
      "module missing src/services/user.service.js",
    ]);
  });

  it("follows a package barrel's `export *`, nested barrels, renamed and namespace re-exports to the function", () => {
    const { project, file } = analyse({
      "packages/server/src/index.ts": "export * from './services/server';\nexport * from './nested';\nexport { removeIt as deleteServer, default as defaultThing } from './services/remove';\nexport * as tools from './services/tools';\nexport { verify } from 'jsonwebtoken';\nexport type { Server } from './types';",
      "packages/server/src/nested/index.ts": "export * from '../services/project';",
      "packages/server/src/services/server.ts": "export const findServerById = async (id: string) => db.query.server.findFirst({ where: eq(server.id, id) });",
      "packages/server/src/services/project.ts": "export async function findProjectById(id: string) { return db.project.findUnique({ where: { id } }); }",
      "packages/server/src/services/remove.ts": "export async function removeIt(id: string) { return db.server.delete({ where: { id } }); }\nexport default function thing() {}",
      "packages/server/src/services/tools.ts": "export function tool(id: string) { return id; }",
      "apps/web/route.ts":
        "import { findServerById, findProjectById, deleteServer, defaultThing, tools, verify, notThere } from '../../packages/server/src/index';\nimport * as server from '../../packages/server/src';\nfindServerById('a');\nfindProjectById('b');\ndeleteServer('c');\ndefaultThing();\ntools.tool('d');\nverify('t');\nserver.findProjectById('e');\nnotThere();",
    });
    const route = file("apps/web/route.ts");
    const resolved = route.facts!.calls.map((c) => project.resolve(route, c.callee));
    expect(resolved.map((r) => `${r.kind} ${r.fn?.name ?? `${r.module}:${r.path.join(".")}`} ${r.file.path}`)).toEqual([
      "function findServerById packages/server/src/services/server.ts",
      "function findProjectById packages/server/src/services/project.ts",
      "function removeIt packages/server/src/services/remove.ts",
      "function thing packages/server/src/services/remove.ts",
      "function tool packages/server/src/services/tools.ts",
      "module jsonwebtoken:verify packages/server/src/index.ts",
      "function findProjectById packages/server/src/services/project.ts",
      // A name no barrel exports stays a member of the barrel's module.
      "module ../../packages/server/src/index:notThere packages/server/src/index.ts",
    ]);
  });

  it("barrels that re-export each other end without an answer instead of looping, and `export *` never passes on a default", () => {
    const { project, file } = analyse({
      "lib/a.ts": "export * from './b';\nexport const own = () => 1;",
      "lib/b.ts": "export * from './a';\nexport * from './c';",
      "lib/c.ts": "export default function fromC() {}\nexport function deep() {}",
      "use.ts": "import { missing, deep, own } from './lib/a';\nimport def from './lib/b';\nmissing();\ndeep();\nown();\ndef();",
    });
    const use = file("use.ts");
    const resolved = use.facts!.calls.map((c) => project.resolve(use, c.callee));
    expect(resolved.map((r) => `${r.kind} ${r.fn?.name ?? r.path.join(".")}`)).toEqual(["module missing", "function deep", "function own", "module "]);
    expect(project.exportOf(file("lib/a.ts"), "missing")).toBeUndefined();
    expect(project.exportOf(file("lib/b.ts"), "default")).toBeUndefined();
  });

  it("nesting past the walk limit is skipped and reported, never a stack overflow", () => {
    const depth = 400;
    const sf = parseSource("deep.ts", `export const x = ${"[".repeat(depth)}f()${"]".repeat(depth)};\nexport const y = g();`);
    const facts = collectFileFacts(sf, { maxDepth: 100 });
    expect(facts.truncated).toBe(true);
    expect(facts.calls.map((c) => c.name)).toEqual(["g"]);
    expect(collectFileFacts(sf, { maxDepth: 1_000 }).calls.map((c) => c.name)).toEqual(["f", "g"]);
  });

  it("a file too deep for the parser is listed as not analysed, and the review goes on", () => {
    const depth = 50_000;
    const review = reviewSnapshot(
      {
        repo: "a/b",
        title: "deep",
        body: "",
        labels: [],
        commits: [],
        files: [
          { path: "deep.ts", status: "added", content: `export const x = ${"(".repeat(depth)}1${")".repeat(depth)};` },
          { path: "lib/s.ts", status: "added", content: "import jwt from 'jsonwebtoken';\nexport const u = (t: string) => jwt.decode(t);\n" },
        ],
      },
      DEFAULT_CONFIG,
    );
    expect(review.notAnalysed.map((n) => n.path)).toContain("deep.ts");
    expect(review.findings.map((f) => f.ruleId)).toContain("auth/jwt-decode-without-verify");
  });
});

describe("data operations and loggers", () => {
  it("recognises writes across libraries and loggers by receiver and origin", () => {
    const { sem, file } = analyse({
      "src/w.ts": [
        "import pino from 'pino';",
        "import { prisma } from './db';",
        "const audit = pino();",
        "export async function f(db: any, supabase: any, pool: any) {",
        "  await prisma.user.update({ where: { id: '1' }, data: { role: 'admin' } });",
        "  await supabase.from('profiles').insert({ a: 1 });",
        "  await db.insert(users).values({ email: 'x' });",
        "  await pool.query('UPDATE accounts SET balance = 0');",
        "  audit.info({ id: 1 }, 'done');",
        "  console.log('x');",
        "  new Map().set('a', 1);",
        "}",
      ].join("\n"),
    });
    const f = file("src/w.ts");
    const ops = f.facts!.calls.map((c) => sem.dbOperation(f, c)).filter(Boolean).map((o) => `${o!.library}:${o!.op}:${o!.method}`);
    expect(ops).toEqual(["prisma:write:update", "supabase:write:insert", "drizzle:write:insert", "sql:write:update"]);
    expect(f.facts!.calls.filter((c) => sem.isLoggerCall(f, c)).map((c) => c.line)).toEqual([9, 10]);
  });

  it("reads Drizzle writes through the client a request context carries, but not a class's own repository or a service named for a collection", () => {
    const { sem, file } = analyse({
      "src/r.ts": [
        "import { onboarding, users, sessions } from './schema';",
        "export async function f(ctx: any, repo: any, id: string) {",
        "  await ctx.db.insert(users).values({ email: 'x' });",
        "  await ctx.db.update(onboarding).set({ step: 'start' });",
        "  await ctx.db.delete(sessions);",
        "  await ctx.cache.delete(id);",
        "  await ctx.collectionService.findOne(id);",
        "  await ctx.db.collection('notes').findOne({ id });",
        "  await repo.items.delete(id);",
        "}",
        "export class Store {",
        "  constructor(private db: any) {}",
        "  async drop(id: string) {",
        "    await this.db.delete(id);",
        "  }",
        "}",
      ].join("\n"),
    });
    const f = file("src/r.ts");
    const ops = f.facts!.calls.map((c) => sem.dbOperation(f, c)).filter(Boolean).map((o) => `${o!.library}:${o!.op}:${o!.method}:${o!.table}@${o!.call.line}`);
    expect(ops).toEqual(["drizzle:write:insert:users@3", "drizzle:write:update:onboarding@4", "drizzle:write:delete:sessions@5", "mongo:read:findOne:()@8"]);
  });

  it("reads Knex's into(), TypeORM repositories and managers, and Mongoose/Sequelize models, but not other capitalised receivers", () => {
    const { sem, file } = analyse({
      "src/models/patient.ts": "import mongoose from 'mongoose';\nexport const Patient = mongoose.model('Patient', new mongoose.Schema({ ssn: String }));",
      "src/o.ts": [
        "import { Patient } from './models/patient';",
        "import { User } from '@/models/user';",
        "import { Model } from 'sequelize';",
        "import Stripe from 'stripe';",
        "class Invoice extends Model {}",
        "const Helpers = { create: (x: unknown) => x };",
        "export async function run(rows: unknown[], data: object) {",
        "  await knex.insert(rows).into('audit_events');",
        "  await knex.into('notes').insert({ body: 'x' });",
        "  await getRepository(Patient).save(data);",
        "  await this.userRepository.delete(1);",
        "  await manager.save(User, data);",
        "  await Patient.create(data);",
        "  await User.destroy({ where: { id: 1 } });",
        "  await Invoice.findAll();",
        "  Object.create(null);",
        "  Helpers.create(data);",
        "  Stripe.create(data);",
        "}",
      ].join("\n"),
    });
    const f = file("src/o.ts");
    const ops = f.facts!.calls.map((c) => sem.dbOperation(f, c)).filter(Boolean).map((o) => `${o!.library}:${o!.op}:${o!.method}:${o!.table}@${o!.call.line}`);
    expect(ops).toEqual([
      "knex:write:insert:audit_events@8",
      "knex:write:insert:notes@9",
      "typeorm:write:save:Patient@10",
      "typeorm:write:delete:user@11",
      "typeorm:write:save:User@12",
      "model:write:create:Patient@13",
      "model:write:destroy:User@14",
      "model:read:findAll:Invoice@15",
    ]);
  });

  it("reads SQL run as a tagged template by its statement, and leaves fragments and other tags alone", () => {
    const { sem, file } = analyse({
      "src/q.ts": [
        "import { sql } from '@vercel/postgres';",
        "export async function run(id: string, email: string) {",
        "  await sql`INSERT INTO patients (email) VALUES (${email})`;",
        "  const { rows } = await sql`SELECT * FROM notes WHERE id = ${id}`;",
        "  await prisma.$executeRaw`UPDATE users SET role = 'admin' WHERE id = ${id}`;",
        "  await db.select().from(users).where(sql`lower(${users.email}) = ${email}`);",
        "  await db.execute(sql`DELETE FROM sessions WHERE user_id = ${id}`);",
        "  const page = html`<p>${email}</p>`;",
        "  return rows;",
        "}",
      ].join("\n"),
    });
    const f = file("src/q.ts");
    const ops = f.facts!.calls.map((c) => sem.dbOperation(f, c)).filter(Boolean).map((o) => `${o!.library}:${o!.op}:${o!.table}@${o!.call.line}`);
    expect(ops).toEqual(["sql:write:patients@3", "sql:read:notes@4", "prisma:write:users@5", "drizzle:read:users@6", "sql:write:sessions@7"]);
    expect(f.facts!.calls.some((c) => c.name === "html")).toBe(false);
    expect(f.facts!.functions[0]!.calls.filter((c) => c.name === "sql").map((c) => c.line)).toEqual([3, 4, 6, 7]);
  });
});

describe("stored procedures", () => {
  it("reads a CALL or EXEC as a write (a procedure may change anything), by its verb", () => {
    const { sem, file } = analyse({
      "src/users.ts": [
        "export async function rename(id: string, name: string) {",
        "  await pool.query('CALL update_user($1, $2)', [id, name]);",
        "  await sql`EXEC delete_session ${id}`;",
        "  return pool.query('SELECT name FROM users WHERE id = $1', [id]);",
        "}",
      ].join("\n"),
    });
    const f = file("src/users.ts");
    const ops = f.facts!.calls.map((c) => sem.dbOperation(f, c)).filter(Boolean).map((o) => `${o!.op}:${o!.method}@${o!.call.line}`);
    expect(ops).toEqual(["write:call@2", "write:exec@3", "read:select@4"]);
  });
});

describe("positions and changed lines on first use", () => {
  it("reads a file's changed lines once, when first asked, and answers from them", () => {
    let reads = 0;
    const file = analyseFile({
      path: "src/a.ts",
      text: "const a = 1;\nconst b = 2;\nconst c = 3;",
      language: "ts",
      changedLines: () => {
        reads++;
        return new Set([2]);
      },
    });
    expect(reads).toBe(0);
    expect([file.isChanged(1), file.isChanged(2), file.isChanged(3)]).toEqual([false, true, false]);
    expect(reads).toBe(1);
  });

  it("places calls and functions on their own line and column, after leading comments and blank lines", () => {
    const file = analyseFile({
      path: "src/b.ts",
      text: "// header\n\nexport async function POST() {\n  /* note */   audit.log('x');\n}\nconst f = () =>\n    run();",
      language: "ts",
      changedLines: "all",
    });
    const calls = file.facts!.calls.map((c) => `${c.name}@${c.line}:${c.column}`);
    expect(calls).toEqual(["log@4:16", "run@7:5"]);
    expect(file.facts!.functions.map((f) => `${f.name}@${f.line}`)).toEqual(["POST@3", "f@6"]);
  });
});

describe("doc comments", () => {
  const source = [
    "/**",
    " * Reads the caller's token.",
    " * @param {string} req the request {@link broken",
    " */",
    "export function read(req: any) {",
    "  /** security-review-ignore auth/jwt-decode-without-verify -- verified by the gateway */",
    "  const claims = jwt.decode(req.headers.authorization);",
    "  return jwt.decode(req.headers.cookie);",
    "}",
  ].join("\n");

  it("are scanned as comments, not parsed into tags: no check reads them", () => {
    const sf = parseSource("src/read.ts", source);
    expect((sf.statements[0] as { jsDoc?: unknown }).jsDoc).toBeUndefined();
    const file = analyseFile({ path: "src/read.ts", text: source, language: "ts", changedLines: "all" });
    expect(file.facts!.calls.map((c) => `${c.name}@${c.line}`)).toEqual(["decode@7", "decode@8"]);
  });

  it("still carry waivers, read from the text", () => {
    const review = reviewSnapshot(snapshotOf({ name: "doc comment waiver", files: { "src/read.ts": source } }), DEFAULT_CONFIG);
    expect(review.suppressions.map((s) => `${s.ruleId}@${s.line}`)).toEqual(["auth/jwt-decode-without-verify@6"]);
    expect(review.findings.filter((f) => f.ruleId === "auth/jwt-decode-without-verify").map((f) => f.line)).toEqual([8]);
  });
});

describe("walking syntax without recursion", () => {
  it("visits in source order, skips a node's children or stops when asked, and goes 50,000 levels deep without overflowing", () => {
    const sf = parseSource("src/w.ts", "f(a, g(b), () => h(c));\nk(d);");
    const seen: string[] = [];
    walk(sf, (node) => {
      if (ts.isArrowFunction(node)) return "skip";
      if (ts.isIdentifier(node)) seen.push(node.text);
      return node.getText() === "k(d)" ? "stop" : undefined;
    });
    expect(seen).toEqual(["f", "a", "g", "b"]);

    const deep = parseSource("src/deep.ts", `x = ${Array.from({ length: 50_000 }, () => "a").join(" +\n")};`);
    let count = 0;
    expect(() => walk(deep, (node) => void (ts.isIdentifier(node) && count++))).not.toThrow();
    expect(count).toBe(50_001);
  });

  it("reads a function's own returns, a concise body, and with intoCallbacks those of the arrows and function expressions inside it", () => {
    const sf = parseSource("src/r.ts", "function a() { if (x) return 1; const f = function () { return 2; }; return rows.map((r) => { return 3; }); }\nconst b = () => 4;");
    const fn = sf.statements[0] as ts.FunctionDeclaration;
    expect(returnedExpressions(fn.body!).map((e) => e.getText())).toEqual(["1", "rows.map((r) => { return 3; })"]);
    expect(returnedExpressions(fn.body!, true).map((e) => e.getText())).toEqual(["1", "2", "rows.map((r) => { return 3; })", "3"]);
    const arrow = (sf.statements[1] as ts.VariableStatement).declarationList.declarations[0]!.initializer as ts.ArrowFunction;
    expect(returnedExpressions(arrow.body).map((e) => e.getText())).toEqual(["4"]);
  });
});
