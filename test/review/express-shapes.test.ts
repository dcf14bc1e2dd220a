import check from "../../src/checks/missing-auth.js";
import { ruleTester } from "../checks/tester.js";

/**
 * Express registrations in shapes other than `router.get("/path", handler)`: an array of paths
 * (`router.get(["/", "/:id"], …)`) and a handler made by a factory (`router.post(p, makeHandler(…))`),
 * whose returned function is what runs.
 */

const DB = { "src/db.ts": `import { PrismaClient } from "@prisma/client";\nexport const db = new PrismaClient();` };
const AUTH = {
  "src/auth.ts": `import type { Request, Response, NextFunction } from "express";
export function requireUser(req: Request, res: Response, next: NextFunction) {
  if (!req.user) return res.status(401).end();
  next();
}`,
};

const ARRAY_ROUTES = (middleware: string) => `import { Router } from "express";
import { db } from "./db";
import { requireUser } from "./auth";
const router = Router();
router.delete(["/notes", "/notes/:id"], ${middleware}async (req, res) => {
  await db.note.deleteMany({ where: { id: req.params.id } });
  res.status(204).end();
});
export default router;`;

const FACTORY = (guard: string) => `import type { Request, Response } from "express";
import { db } from "./db";
export function makeDeleteHandler(model: "note" | "file") {
  return async (req: Request, res: Response) => {
${guard}    await db[model].delete({ where: { id: req.params.id } });
    res.status(204).end();
  };
}`;

const FACTORY_ROUTES = `import { Router } from "express";
import { makeDeleteHandler } from "./handlers";
const router = Router();
router.delete("/notes/:id", makeDeleteHandler("note"));
export default router;`;

ruleTester(check, {
  valid: [
    {
      name: "an array of paths behind an authenticating middleware",
      path: "src/notes.ts",
      code: ARRAY_ROUTES("requireUser, "),
      context: { ...DB, ...AUTH },
    },
    {
      name: "a factory-made handler that refuses a request without a user",
      files: { "src/notes.ts": FACTORY_ROUTES },
      context: { ...DB, "src/handlers.ts": FACTORY(`    if (!req.user) return res.status(401).end();\n`) },
    },
  ],
  invalid: [
    {
      name: "an array of paths with no authentication, placed on the registration",
      path: "src/notes.ts",
      code: ARRAY_ROUTES(""),
      context: { ...DB, ...AUTH },
      errors: [{ line: 5, path: "src/notes.ts" }],
    },
    {
      name: "near-miss: a factory-made handler that deletes for anyone",
      files: { "src/notes.ts": FACTORY_ROUTES },
      context: { ...DB, "src/handlers.ts": FACTORY("") },
      errors: [{ line: 4, path: "src/notes.ts" }],
    },
  ],
});
