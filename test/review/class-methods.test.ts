import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { analyseFile, AnalysedProject } from "../../src/review/analysis/project.js";
import { languageOf } from "../../src/review/analysis/parse.js";
import missingAuth from "../../src/checks/missing-auth.js";
import missingOrgContext from "../../src/checks/missing-org-context.js";
import { ruleTester } from "../checks/tester.js";

/**
 * Calls to methods a constructor function gives its instances resolve to those methods, as calls to
 * plain functions do: the rules then read what the method does. Calls to class methods are not
 * followed (a class's methods reach a route through its controller registration and the services
 * injected into it).
 */

function resolvedCalls(files: Record<string, string>, path: string): string[] {
  const analysed = Object.entries(files).map(([p, text]) => analyseFile({ path: p, text, language: languageOf(p)!, changedLines: "all" }));
  const project = new AnalysedProject(analysed, DEFAULT_CONFIG);
  const file = project.file(path)!;
  return file.facts!.calls.filter((c) => !c.isNew).map((c) => {
    const r = project.resolve(file, c.callee);
    return `${c.chain.join(".")} → ${r.kind === "function" && r.path.length === 0 ? `${r.file.path}:${r.fn!.line}` : r.kind}`;
  });
}

describe("calls to class methods", () => {
  it("are not followed: a class's methods reach a route through its registration and injected services", () => {
    const files = {
      "src/services.ts": `export class NoteService {\n  async find(id: string) { return id; }\n  static create() { return new NoteService(); }\n  async archive(id: string) { return this.find(id); }\n}`,
      "src/use.ts": `import { NoteService } from "./services";\nexport async function handle(id: string) {\n  await new NoteService().find(id);\n  NoteService.create();\n}`,
    };
    expect(resolvedCalls(files, "src/use.ts")).toEqual(["NoteService.().find → local", "NoteService.create → local"]);
    expect(resolvedCalls(files, "src/services.ts").filter((c) => c.startsWith("this."))).toEqual(["this.find → local"]);
  });
});

describe("calls to methods a constructor function assigns", () => {
  it("resolve this.x = function in its body, Ctor.prototype.x and a prototype object, through a variable holding an instance", () => {
    const files = {
      "src/controller.js": `function UsersController(deps) {
  this.list = function (req, res) { return deps.users.all(); };
  this.remove = async (req, res) => { this.list(req, res); };
}
UsersController.prototype.show = function (req, res) { return this.list(req, res); };
function Other() {}
Other.prototype = { list() { return 2; } };
module.exports = { UsersController, Other };`,
      "src/use.js": `import { UsersController, Other } from "./controller";
const c = new UsersController({});
c.list();
c.remove();
c.show();
new Other().list();
c.missing();
UsersController.list();`,
    };
    expect(resolvedCalls(files, "src/use.js")).toEqual([
      "c.list → src/controller.js:2",
      "c.remove → src/controller.js:3",
      "c.show → src/controller.js:5",
      "Other.().list → src/controller.js:7",
      "c.missing → function",
      // The constructor's own property, not an instance's.
      "UsersController.list → function",
    ]);
    expect(resolvedCalls(files, "src/controller.js").filter((c) => c.startsWith("this."))).toEqual(["this.list → src/controller.js:2", "this.list → src/controller.js:2"]);
  });
});

const DB = { "src/db.ts": `import { PrismaClient } from "@prisma/client";\nexport const db = new PrismaClient();` };

/** A service made by a constructor function whose methods delete notes, one way or another. */
const NOTE_SERVICE = {
  "src/notes.service.ts": `import { db } from "./db";
export function NoteService() {
  this.remove = async (id: string) => { await db.note.delete({ where: { id } }); };
}
NoteService.prototype.purge = async function (id: string) { await db.note.deleteMany({ where: { folderId: id } }); };
NoteService.prototype.archive = async function (id: string) { await this.remove(id); };
export function ReportService() {
  this.remove = async (id: string) => id;
}`,
};

/** An Express router whose DELETE handler runs `call` with the note's id. */
const NOTE_ROUTES = (call: string, guard = "") => `import { Router } from "express";
import { db } from "./db";
import { NoteService, ReportService } from "./notes.service";
import { Sessions } from "./sessions";
const router = Router();
router.delete("/notes/:id", async (req, res) => {
${guard}  ${call}
  res.status(204).end();
});
export default router;`;

/** A session object made by a constructor function whose `load` refuses a request without a user, as a guard does. */
const SESSIONS = {
  "src/sessions.ts": `import type { Request } from "express";
export function Sessions() {}
Sessions.prototype.load = async function (req: Request) {
  if (!req.user) throw new HttpError(401, "Unauthorized");
  return req.user;
};
Sessions.prototype.peek = async function (req: Request) {
  return req.user ?? null;
};
class HttpError extends Error { constructor(readonly status: number, message: string) { super(message); } }`,
};

ruleTester(missingAuth, {
  valid: [
    { name: "near-miss: the same-named method of an unrelated constructor function writes nothing", path: "src/routes.ts", code: NOTE_ROUTES("await new ReportService().remove(req.params.id);"), context: { ...DB, ...NOTE_SERVICE, ...SESSIONS } },
    {
      name: "a guard inside a constructor function's prototype method, refusing without a user, is credited",
      path: "src/routes.ts",
      code: NOTE_ROUTES("await db.note.delete({ where: { id: req.params.id } });", "  await new Sessions().load(req);\n"),
      context: { ...DB, ...NOTE_SERVICE, ...SESSIONS },
    },
  ],
  invalid: [
    {
      name: "near-miss: a method of the session object that reads the user without refusing is no guard",
      path: "src/routes.ts",
      code: NOTE_ROUTES("await db.note.delete({ where: { id: req.params.id } });", "  await new Sessions().peek(req);\n"),
      context: { ...DB, ...NOTE_SERVICE, ...SESSIONS },
      errors: [{ line: 6, path: "src/routes.ts" }],
    },
    ...(
      [
        ["an arrow function the constructor assigns", "await new NoteService().remove(req.params.id);"],
        ["a prototype method of an instance held in a variable", "const notes = new NoteService();\n  await notes.purge(req.params.id);"],
        ["this.method() inside a prototype method", "await new NoteService().archive(req.params.id);"],
      ] as Array<[string, string]>
    ).map(([what, call]) => ({
      name: `the delete is inside ${what}`,
      path: "src/routes.ts",
      code: NOTE_ROUTES(call),
      context: { ...DB, ...NOTE_SERVICE, ...SESSIONS },
      errors: [{ line: 6, path: "src/routes.ts" }],
    })),
  ],
});

/** Handlers a constructor function assigns (`this.remove = …`) or puts on its prototype, registered as `c.remove`. */
const CONTROLLER = (guard: string) => ({
  "src/users.controller.js": `const { db } = require("./db");
function UsersController(deps) {
  this.remove = async function (req, res) {
${guard}    await db.user.delete({ where: { id: req.params.id } });
    res.status(204).end();
  };
}
UsersController.prototype.purge = async function (req, res) {
${guard}  await db.user.deleteMany({ where: { teamId: req.params.id } });
  res.status(204).end();
};
module.exports = { UsersController };`,
});
const CONTROLLER_ROUTES = `const { Router } = require("express");
const { UsersController } = require("./users.controller");
const router = Router();
const users = new UsersController({});
router.delete("/users/:id", users.remove);
router.delete("/teams/:id/users", users.purge);
module.exports = router;`;

ruleTester(missingAuth, {
  valid: [
    {
      name: "handlers a constructor function assigns, each refusing a request without a user",
      files: { "src/users.routes.js": CONTROLLER_ROUTES },
      context: { ...DB, ...CONTROLLER("    if (!req.user) return res.status(401).end();\n") },
    },
  ],
  invalid: [
    {
      name: "handlers a constructor function assigns in its body and on its prototype, deleting for anyone",
      files: { "src/users.routes.js": CONTROLLER_ROUTES },
      context: { ...DB, ...CONTROLLER("") },
      errors: [
        { line: 5, path: "src/users.routes.js" },
        { line: 6, path: "src/users.routes.js" },
      ],
    },
  ],
});

describe("this where no class or constructor function holds it", () => {
  it("at a module's top level or in a class expression gives no method, and no error", () => {
    const files = { "src/top.js": "this.setup();\nconst Jobs = class { run() { this.stop(); } stop() {} };\nmodule.exports = Jobs;" };
    expect(resolvedCalls(files, "src/top.js")).toEqual(["this.setup → local", "this.stop → local"]);
  });
});

/**
 * An API route that authenticates by the presented key (`authenticateApiRequest`, refused with 401
 * after a log line when it finds none), turns the authentication into the environment the request
 * names through a helper that decides by it, and hands the environment to a service function that
 * writes it.
 */
const API_KEY_ROUTE = (environment: string, refusal = "if (!authentication) {\n    logger.info(\"missing key\", { url: request.url });\n    return json({ error: \"Invalid API key\" }, { status: 401 });\n  }") => ({
  "app/routes/api.v1.projects.$projectRef.$env.pause.ts": `import { json } from "@remix-run/node";
import { authenticateApiRequest, authenticatedEnvironment, environmentById } from "~/services/apiAuth.server";
import { pauseEnvironment } from "~/services/pause.server";
import { logger } from "~/services/logger.server";
export async function action({ request, params }: { request: Request; params: Record<string, string> }) {
  const authentication = await authenticateApiRequest(request);
  ${refusal}
  const environment = await ${environment};
  await pauseEnvironment(environment);
  return json({ ok: true });
}`,
});
const API_KEY_CONTEXT = {
  "prisma/schema.prisma": `model RuntimeEnvironment {\n  id String @id\n  organizationId String\n  apiKey String\n  slug String\n}\nmodel Project {\n  id String @id\n  organizationId String\n}`,
  "app/db.server.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();`,
  "app/services/logger.server.ts": `export const logger = { info: (...args: unknown[]) => console.info(...args) };`,
  "app/services/apiAuth.server.ts": `import { json } from "@remix-run/node";
import { prisma } from "~/db.server";
export async function authenticateApiRequest(request: Request) {
  const key = request.headers.get("authorization")?.slice(7);
  return key ? authenticateApiKey(key) : undefined;
}
async function authenticateApiKey(key: string) {
  const environment = await findEnvironmentByApiKey(key);
  return environment ? { type: "apiKey" as const, environment, userId: undefined } : undefined;
}
async function findEnvironmentByApiKey(key: string) {
  return toEnvironment(await prisma.runtimeEnvironment.findFirst({ where: { apiKey: key } }));
}
export async function authenticatedEnvironment(auth: { type: string; environment: { id: string; slug: string; projectRef: string }; userId?: string }, projectRef: string, slug: string) {
  switch (auth.type) {
    case "apiKey":
      if (auth.environment.projectRef !== projectRef || auth.environment.slug !== slug) throw json({ error: "Wrong project" }, { status: 400 });
      return auth.environment;
    default: {
      const project = await prisma.project.findFirst({ where: { id: projectRef, organization: { members: { some: { userId: auth.userId } } } } });
      if (!project) throw json({ error: "Not found" }, { status: 404 });
      return lookUpEnvironment(project.id, slug);
    }
  }
}
async function lookUpEnvironment(projectId: string, slug: string) {
  return toEnvironment(await prisma.runtimeEnvironment.findFirst({ where: { id: projectId, slug } }));
}
function toEnvironment(row: unknown) {
  return row as { id: string; slug: string; projectRef: string };
}
export async function environmentById(auth: unknown, id: string) {
  if (!auth) throw json({ error: "Unauthorized" }, { status: 401 });
  return { id };
}`,
  "app/services/pause.server.ts": `import { prisma } from "~/db.server";
export async function pauseEnvironment(environment: { id: string }) {
  await prisma.runtimeEnvironment.update({ where: { id: environment.id }, data: { slug: "paused" } });
}`,
};

ruleTester(missingOrgContext, {
  valid: [
    {
      name: "the environment an authentication step hands back (it decides by the presented key's result) is the caller's tenant",
      files: API_KEY_ROUTE("authenticatedEnvironment(authentication, params.projectRef, params.env)"),
      context: API_KEY_CONTEXT,
    },
  ],
  invalid: [
    {
      name: "near-miss: a helper handed the authentication result that only tests it is there, then hands back the request's id as the environment",
      files: API_KEY_ROUTE("environmentById(authentication, params.env)"),
      context: API_KEY_CONTEXT,
      errors: [{ path: "app/routes/api.v1.projects.$projectRef.$env.pause.ts", line: 5 }],
    },
  ],
});

ruleTester(missingAuth, {
  valid: [
    {
      name: "an API key route refused with 401 when the key finds nothing, after a log line, its write in a service function",
      files: API_KEY_ROUTE("authenticatedEnvironment(authentication, params.projectRef, params.env)"),
      context: API_KEY_CONTEXT,
    },
  ],
  invalid: [
    {
      name: "near-miss: a 401 when a request parameter is missing refuses no anonymous caller",
      files: API_KEY_ROUTE("authenticatedEnvironment(authentication, params.projectRef, params.env)", "if (!params.env) {\n    logger.info(\"missing env\");\n    return json({ error: \"Unauthorized\" }, { status: 401 });\n  }"),
      context: API_KEY_CONTEXT,
      errors: [{ path: "app/routes/api.v1.projects.$projectRef.$env.pause.ts", line: 5 }],
    },
    {
      name: "near-miss: a refusal block that does more than log before answering 401 is not read as one",
      files: API_KEY_ROUTE("authenticatedEnvironment(authentication, params.projectRef, params.env)", "if (!authentication) {\n    const fallback = 1;\n    return json({ error: \"Unauthorized\", fallback }, { status: 401 });\n  }"),
      context: API_KEY_CONTEXT,
      errors: [{ path: "app/routes/api.v1.projects.$projectRef.$env.pause.ts", line: 5 }],
    },
  ],
});

/** A service function that picks the row to update from a list it read (`existing.find((e) => …)`). */
const SYNC = (where: string) => ({
  "app/routes/api.v1.sync.ts": `import { json } from "@remix-run/node";
import { authenticateApiRequest } from "~/services/apiAuth.server";
import { syncEnvironment } from "~/services/sync.server";
export async function action({ request }: { request: Request }) {
  const authentication = await authenticateApiRequest(request);
  if (!authentication) return json({ error: "Invalid API key" }, { status: 401 });
  const body = await request.json();
  await syncEnvironment(authentication.environment, body.slug);
  return json({ ok: true });
}`,
  "app/services/sync.server.ts": `import { prisma } from "~/db.server";
export async function syncEnvironment(environment: { id: string; organizationId: string }, slug: string) {
  const existing = await prisma.runtimeEnvironment.findMany({ where: { ${where} } });
  const found = existing.find((e) => e.slug === slug);
  if (found) await prisma.runtimeEnvironment.update({ where: { id: found.id }, data: { slug } });
}`,
});

ruleTester(missingOrgContext, {
  valid: [{ name: "a row picked by a callback from a list scoped to the caller's organisation is the caller's", files: SYNC("organizationId: environment.organizationId"), context: API_KEY_CONTEXT }],
  invalid: [{ name: "near-miss: a row picked from a list read by a request value alone", files: SYNC("slug"), context: API_KEY_CONTEXT, errors: [{ path: "app/routes/api.v1.sync.ts", line: 4 }] }],
});
