import check from "../../src/checks/missing-auth.js";
import { ruleTester } from "../checks/tester.js";

/**
 * Hono with `@hono/zod-openapi`: `app.openapi(route, handler)` is a route whose method, path and
 * middleware come from the `createRoute({ … })` definition, inline or in a variable; an `openapi`
 * call on anything else is not a route.
 */

const PRISMA = { "lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();` };
const KEY_AUTH = {
  "src/auth/key.ts": `import type { Context } from "hono";
import { prisma } from "../../lib/prisma";
export async function keyAuth(c: Context) {
  const header = c.req.header("authorization");
  if (!header) throw new Error("key required");
  const key = await prisma.apiKey.findFirst({ where: { hash: header } });
  if (!key) throw new Error("unauthorized");
  return key;
}`,
};

const ROUTE = (definition: string, guard: string) => `import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { prisma } from "../../lib/prisma";
import { keyAuth } from "../auth/key";

${definition}

export const registerDeleteProject = (app: OpenAPIHono) =>
  app.openapi(route, async (c) => {
${guard}    const { projectId } = c.req.valid("json");
    await prisma.project.delete({ where: { id: projectId } });
    return c.json({ ok: true }, 200);
  });
`;

const DEFINITION = (extra = "") => `const route = createRoute({
  method: "post",
  path: "/v1/projects.delete",
  request: { body: { content: { "application/json": { schema: z.object({ projectId: z.string() }) } } } },
  responses: { 200: { description: "deleted" } },${extra}
});`;

ruleTester(check, {
  valid: [
    {
      name: "the handler authenticates the key before it deletes",
      path: "src/routes/projects_delete.ts",
      code: ROUTE(DEFINITION(), "    await keyAuth(c);\n"),
      context: { ...PRISMA, ...KEY_AUTH },
    },
    {
      name: "the route definition's middleware authenticates",
      path: "src/routes/projects_delete.ts",
      code: ROUTE(DEFINITION(`\n  middleware: [bearerAuth({ token: process.env.API_TOKEN! })] as const,`), "").replace(
        'import { keyAuth } from "../auth/key";',
        'import { bearerAuth } from "hono/bearer-auth";',
      ),
      context: PRISMA,
    },
    {
      name: "near-miss: an `openapi` call whose definition does not come from the package is not a route",
      path: "src/routes/projects_delete.ts",
      code: ROUTE(`const route = { method: "post", path: "/v1/projects.delete" };`, "").replace('import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";', 'import type { OpenAPIHono } from "@hono/zod-openapi";'),
      context: { ...PRISMA, ...KEY_AUTH },
    },
  ],
  invalid: [
    {
      name: "a route registered with `app.openapi` that deletes with no authentication, placed on the registration",
      path: "src/routes/projects_delete.ts",
      code: ROUTE(DEFINITION(), ""),
      context: { ...PRISMA, ...KEY_AUTH },
      errors: [{ line: 13, path: "src/routes/projects_delete.ts" }],
    },
    {
      name: "near-miss: the definition inline in the registration",
      path: "src/routes/projects_delete.ts",
      code: ROUTE("", "").replace("app.openapi(route,", 'app.openapi(createRoute({ method: "delete", path: "/v1/projects/{id}", responses: {} }),'),
      context: { ...PRISMA, ...KEY_AUTH },
      errors: [{ line: 8, path: "src/routes/projects_delete.ts" }],
    },
  ],
});
