import check from "../../src/checks/missing-auth.js";
import { ruleTester } from "../checks/tester.js";

/**
 * oRPC: procedures are builder chains ending in `.handler(fn)` and rooted in the package's `os`,
 * often through variables in another file (`export const authed = os.use(requireUser)`). The
 * middleware passed to `.use(…)` is read for what it enforces.
 */

const DB = { "src/db.ts": `import { PrismaClient } from "@prisma/client";\nexport const db = new PrismaClient();` };

const BASE = (middleware: string) => `import { ORPCError, os } from "@orpc/server";
export const base = os.$context<{ user?: { id: string } }>();
export const authed = base.use(async ({ context, next }) => {
${middleware}  return next({ context: { user: context.user } });
});`;

const ROUTER = (builder: string) => `import { z } from "zod";
import { authed, base } from "./orpc";
import { db } from "./db";

export const planetRouter = {
  remove: ${builder}
    .input(z.object({ id: z.string() }))
    .handler(async ({ input }) => {
      await db.planet.delete({ where: { id: input.id } });
      return { ok: true };
    }),
};`;

const REFUSES = `  if (!context.user) throw new ORPCError("UNAUTHORIZED");\n`;

ruleTester(check, {
  valid: [
    {
      name: "a procedure built on middleware that refuses a request without a user",
      path: "src/router.ts",
      code: ROUTER("authed"),
      context: { ...DB, "src/orpc.ts": BASE(REFUSES) },
    },
    {
      name: "near-miss: a `.handler(…)` on a builder that is not oRPC's is not read as a procedure",
      path: "src/router.ts",
      code: ROUTER("base").replace('import { authed, base } from "./orpc";', 'import { authed, base } from "./builder";'),
      context: { ...DB, "src/builder.ts": `export const base = { input: (_: unknown) => ({ handler: (fn: unknown) => fn }) };\nexport const authed = base;` },
    },
  ],
  invalid: [
    {
      name: "a procedure on the bare base builder deletes for anyone, placed on the `.handler(` line",
      path: "src/router.ts",
      code: ROUTER("base"),
      context: { ...DB, "src/orpc.ts": BASE(REFUSES) },
      errors: [{ line: 8, path: "src/router.ts" }],
    },
    {
      name: "near-miss: middleware that passes every request through authenticates no one",
      path: "src/router.ts",
      code: ROUTER("authed"),
      context: { ...DB, "src/orpc.ts": BASE("") },
      errors: [{ line: 8, path: "src/router.ts" }],
    },
  ],
});
