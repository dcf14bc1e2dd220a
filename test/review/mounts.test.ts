import check from "../../src/checks/missing-auth.js";
import { ruleTester } from "../checks/tester.js";

/**
 * Guards put in front of a router where it is mounted, in another file: the route index that
 * mounts a sub-router behind middleware (Express, Koa), and the function that registers routes on
 * a router its caller set up (`userRoutes(managementRouter, tenant)` after `managementRouter.use(auth)`).
 */

const DB = `import { PrismaClient } from "@prisma/client";
export const db = new PrismaClient();`;

const SETTINGS_ROUTES = `import { Router } from "express";
import { db } from "../db";
const settingsRoutes = Router();
settingsRoutes.post("/general", async (req, res) => {
  await db.setting.update({ where: { id: req.body.id }, data: req.body });
  res.status(204).end();
});
export default settingsRoutes;`;

const AUTH_MIDDLEWARE = `import type { Request, Response, NextFunction } from "express";
export const isAuthenticated = (permission?: string) => (req: Request, res: Response, next: NextFunction) => {
  if (!req.user || (permission && !req.user.permissions.includes(permission))) {
    return res.status(403).json({ error: "forbidden" });
  }
  next();
};`;

const KOA_USER_ROUTES = `import type { Router } from "../types";
import { db } from "../../db";
export default function userBasicsRoutes(...args: [Router, { db: any }]) {
  const [router] = args;
  router.delete("/users/:id", async (ctx) => {
    await db.user.delete({ where: { id: ctx.params.id } });
    ctx.status = 204;
  });
}`;
const KOA_USERS_INDEX = `import userBasicsRoutes from "./basics";
export default function userRoutes(...args: [any, any]) {
  userBasicsRoutes(...args);
}`;
const koaInit = (use: string) => `import Router from "@koa/router";
import userRoutes from "./users";
import { koaAuth } from "../middleware/koa-auth";
export function createRouters(tenant: any) {
  const managementRouter = new Router();
  ${use}
  userRoutes(managementRouter, tenant);
  return [managementRouter];
}`;
const KOA_AUTH = `export function koaAuth() {
  return async (ctx: any, next: () => Promise<void>) => {
    const { sub } = await verifyBearer(ctx.request.headers.authorization);
    if (!sub) throw new RequestError({ code: "auth.unauthorized", status: 401 });
    ctx.auth = { sub };
    return next();
  };
}
async function verifyBearer(header?: string) { return { sub: header ? "user" : undefined }; }
class RequestError extends Error { constructor(readonly body: { code: string; status: number }) { super(body.code); } }`;

/** The route index mounting the settings router behind `isAuthenticated("admin")`, then `more`. */
const routeIndex = (more: string) => `import { Router } from "express";
import settingsRoutes from "./settings";
import { isAuthenticated } from "../middleware/auth";
const router = Router();
router.use("/settings", isAuthenticated("admin"), settingsRoutes);
${more}export default router;`;
const SERVER_MODULES = { "server/middleware/auth.ts": AUTH_MIDDLEWARE, "server/db.ts": DB };

ruleTester(check, {
  valid: [
    {
      name: "Express: a sub-router mounted behind an auth middleware in the route index",
      files: { "server/routes/settings/index.ts": SETTINGS_ROUTES },
      context: {
        "server/routes/index.ts": routeIndex(""),
        ...SERVER_MODULES,
      },
    },
    {
      name: "Express: mounted on a router that itself sits behind auth (two levels)",
      files: { "server/routes/settings/index.ts": SETTINGS_ROUTES },
      context: {
        "server/routes/index.ts": `import { Router } from "express";
import settingsRoutes from "./settings";
const router = Router();
router.use("/settings", settingsRoutes);
export default router;`,
        "server/app.ts": `import express from "express";
import routes from "./routes";
import { isAuthenticated } from "./middleware/auth";
const app = express();
app.use("/api", isAuthenticated(), routes);`,
        ...SERVER_MODULES,
      },
    },
    {
      name: "Koa: routes registered on a router the caller set up behind auth, through forwarded rest arguments",
      files: { "src/routes/users/basics.ts": KOA_USER_ROUTES },
      context: {
        "src/routes/users/index.ts": KOA_USERS_INDEX,
        "src/routes/init.ts": koaInit("managementRouter.use(koaAuth());"),
        "src/middleware/koa-auth.ts": KOA_AUTH,
        "src/db.ts": DB,
      },
    },
    {
      name: "Express: the route index imports the sub-router and the middleware through tsconfig path aliases",
      files: { "server/routes/settings/index.ts": SETTINGS_ROUTES },
      context: {
        "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: "src", paths: { "@server/*": ["../server/*"] } } }),
        "server/routes/index.ts": `import { Router } from "express";
import settingsRoutes from "@server/routes/settings";
import { isAuthenticated } from "@server/middleware/auth";
const router = Router();
router.use("/settings", isAuthenticated("admin"), settingsRoutes);
export default router;`,
        ...SERVER_MODULES,
      },
    },
  ],
  invalid: [
    {
      name: "near-miss: the same sub-router also mounted without the middleware",
      files: { "server/routes/settings/index.ts": SETTINGS_ROUTES },
      context: {
        "server/routes/index.ts": routeIndex('router.use("/public-settings", settingsRoutes);\n'),
        ...SERVER_MODULES,
      },
      errors: [{ line: 4, path: "server/routes/settings/index.ts" }],
    },
    {
      name: "near-miss: Koa router whose caller installs only non-auth middleware",
      files: { "src/routes/users/basics.ts": KOA_USER_ROUTES },
      context: {
        "src/routes/users/index.ts": KOA_USERS_INDEX,
        "src/routes/init.ts": koaInit("managementRouter.use(async (ctx: any, next: any) => { ctx.set('x-api', '1'); await next(); });"),
        "src/middleware/koa-auth.ts": KOA_AUTH,
        "src/db.ts": DB,
      },
      errors: [{ line: 5, path: "src/routes/users/basics.ts" }],
    },
  ],
});
