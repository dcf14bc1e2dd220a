import missingAuth from "../../src/checks/missing-auth.js";
import missingOrgContext from "../../src/checks/missing-org-context.js";
import piiInLogs from "../../src/checks/pii-in-logs.js";
import { ruleTester } from "../checks/tester.js";

/**
 * What resolution through package barrels (`export * from`, `export { a as b } from`) lets the
 * review read, and the shapes that newly read code brings: a record compared with the caller's org
 * vouching for a later lookup of it by the same id, a credential check's own lookup, an OAuth start,
 * a helper module under `pages/api`, a `fingerprint` that is a digest.
 */

const tagSchema = `import { pgTable, text } from "drizzle-orm/pg-core";
export const tags = pgTable("tags", { tagId: text("tag_id").primaryKey(), organizationId: text("organization_id").notNull(), parentId: text("parent_id"), name: text("name") });`;

/** A package barrel (`packages/server/src/index.ts`) re-exporting a tag service, with the workspace package's name. */
function tagPackage(service: string): Record<string, string> {
  return {
    "packages/server/package.json": JSON.stringify({ name: "@acme/server", main: "./src/index.ts" }),
    "packages/server/src/index.ts": `export * from "./services";\nexport { schema as dbSchema } from "./db/schema";`,
    "packages/server/src/services/index.ts": `export * from "./tags";`,
    "packages/server/src/db/schema.ts": `${tagSchema}\nexport const schema = { tags };`,
    "packages/server/src/db/client.ts": `export const db: any = {};`,
    "packages/server/src/services/tags.ts": `import { eq } from "drizzle-orm";
import { db } from "../db/client";
import { tags } from "../db/schema";
${service}`,
    "package.json": JSON.stringify({ name: "acme", workspaces: ["packages/*", "apps/*"] }),
  };
}

const FIND_TAG = `export async function findTagById(tagId: string) {
  const tag = await db.query.tags.findFirst({ where: eq(tags.tagId, tagId) });
  if (!tag) throw new Error("not found");
  return tag;
}
export async function renameTag(tagId: string, name: string) {
  const tag = await findTagById(tagId);
  if (tag.name === name) return;
  await db.update(tags).set({ name }).where(eq(tags.tagId, tagId));
}`;

const FIND_TAG_IN_ORG = `${FIND_TAG}
export async function findTagInOrganization(tagId: string, organizationId: string) {
  const tag = await findTagById(tagId);
  if (tag.organizationId !== organizationId) throw new Error("forbidden");
  return tag;
}`;

/** A helper that finds the tag, then hands on `field` of it to another helper that finds a tag by that value again. */
function refindTag(field: string): string {
  return `${FIND_TAG}
export async function touchTag(tagId: string) {
  const tag = await findTagById(tagId);
  return describeTag({ tagId: tag.${field} });
}
export async function describeTag(use: { tagId: string }) {
  const again = await findTagById(use.tagId);
  return again.name;
}`;
}

const LIST_TAGS = `${FIND_TAG}
export async function listAccessibleTagIds(session: any) {
  const rows = await db.select().from(tags).where(eq(tags.organizationId, session.activeOrganizationId));
  return new Set(rows.map((row: any) => row.tagId));
}`;

const SELECT_TAG = `export async function selectTag(tagId: string) {
  const [row] = await db.select().from(tags).where(eq(tags.tagId, tagId)).limit(1);
  if (!row) throw new Error("not found");
  return row;
}`;

/** A Hono route behind requireAuth importing the service from the package barrel; `body` follows reading `id` and the session. */
function barrelRoute(body: string, service = FIND_TAG): Record<string, string> {
  return {
    ...tagPackage(service),
    "apps/api/src/auth.ts": `export async function requireAuth(c: any, next: any) {
  const session = c.get("session");
  if (!session) return c.json({ error: "unauthorized" }, 401);
  await next();
}`,
    "apps/api/src/routes/tags.ts": `import { Hono } from "hono";
import { checkTagAccess, findTagById, findTagInOrganization, listAccessibleTagIds, renameTag, selectTag, touchTag } from "@acme/server";
import { requireAuth } from "../auth";
export const app = new Hono();
app.post("/tags/:id", requireAuth, async (c) => {
  const session = c.get("session");
  const id = c.req.param("id");
  const { name, otherId } = await c.req.json();
${body}
});`,
  };
}

ruleTester(missingOrgContext, {
  valid: [
    {
      name: "a service read through a package barrel, its record compared with the caller's org before use",
      files: barrelRoute(`  const tag = await findTagById(id);
  if (tag.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  return c.json(tag);`),
    },
    {
      name: "the record compared with the caller's org at one call of the helper vouches for a later call that looks it up again by the same id",
      files: barrelRoute(`  const tag = await findTagById(id);
  if (tag.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  await renameTag(id, name);
  return c.json({ ok: true });`),
    },
    {
      name: "a find…InOrganization helper that compares the record with the org it is given vouches for a later lookup by the same id",
      files: barrelRoute(`  await findTagInOrganization(id, session.activeOrganizationId);
  await renameTag(id, name);
  return c.json({ ok: true });`, FIND_TAG_IN_ORG),
    },
    {
      name: "one row destructured from a select, compared with the caller's org",
      files: barrelRoute(`  const tag = await selectTag(id);
  if (tag.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  return c.json(tag);`, SELECT_TAG),
    },
    {
      name: "a child record's parent looked up by the child's reference and compared with the caller's org, an access helper between",
      files: barrelRoute(`  const tag = await findTagById(id);
  const parent = await findTagById(tag.parentId);
  await checkTagAccess(session, parent.tagId);
  if (parent.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  return c.json(tag);`, `${FIND_TAG}
export async function checkTagAccess(session: any, tagId: string) { return tagId; }`),
    },
    {
      name: "a later call that finds the record again by its own key column read from a lookup of the same id",
      files: barrelRoute(`  const tag = await findTagById(id);
  if (tag.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  return c.json(await touchTag(id));`, refindTag("tagId")),
    },
    {
      name: "a request id refused unless it is among the ids a helper lists for the caller",
      files: barrelRoute(`  const accessible = await listAccessibleTagIds(session);
  if (!accessible.has(id)) return c.json({ error: "forbidden" }, 403);
  return c.json(await findTagById(id));`, LIST_TAGS),
    },
  ],
  invalid: [
    {
      name: "near miss: the id list is made from a request value, not the caller",
      files: barrelRoute(`  const accessible = await listAccessibleTagIds(name);
  if (!accessible.has(id)) return c.json({ error: "forbidden" }, 403);
  return c.json(await findTagById(id));`, LIST_TAGS),
      errors: [{ line: 5, path: "apps/api/src/routes/tags.ts" }],
    },
    {
      name: "near miss: the later call finds a tag by another field of the record than the key it is looked up by",
      files: barrelRoute(`  const tag = await findTagById(id);
  if (tag.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  return c.json(await touchTag(id));`, refindTag("parentId")),
      errors: [{ line: 5, path: "apps/api/src/routes/tags.ts" }],
    },
    {
      name: "near miss: a later lookup by the same id runs before the find…InOrganization check",
      files: barrelRoute(`  await renameTag(id, name);
  await findTagInOrganization(id, session.activeOrganizationId);
  return c.json({ ok: true });`, FIND_TAG_IN_ORG),
      errors: [{ line: 5, path: "apps/api/src/routes/tags.ts" }],
    },
    {
      name: "near miss: the child record sent on before its parent is compared",
      files: barrelRoute(`  const tag = await findTagById(id);
  await fetch("https://hooks.example.com", { method: "POST", body: JSON.stringify(tag) });
  const parent = await findTagById(tag.parentId);
  if (parent.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  return c.json({ ok: true });`),
      errors: [{ line: 5, path: "apps/api/src/routes/tags.ts" }],
    },
    {
      name: "near miss: the parent compared with the caller's org, but a mismatch only logged",
      files: barrelRoute(`  const tag = await findTagById(id);
  const parent = await findTagById(tag.parentId);
  if (parent.organizationId !== session.activeOrganizationId) console.warn("other org");
  return c.json(tag);`),
      errors: [{ line: 5, path: "apps/api/src/routes/tags.ts" }],
    },
    {
      name: "a service read through a package barrel (export * within export *) with no org filter or comparison",
      files: barrelRoute(`  const tag = await findTagById(id);
  return c.json(tag);`),
      errors: [{ line: 5, path: "apps/api/src/routes/tags.ts" }],
    },
    {
      name: "near miss: the second lookup runs before the org check",
      files: barrelRoute(`  await renameTag(id, name);
  const tag = await findTagById(id);
  if (tag.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  return c.json({ ok: true });`),
      errors: [{ line: 5, path: "apps/api/src/routes/tags.ts" }],
    },
    {
      name: "near miss: the later lookup is by another request id than the checked one",
      files: barrelRoute(`  const tag = await findTagById(id);
  if (tag.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  await renameTag(otherId, name);
  return c.json({ ok: true });`),
      errors: [{ line: 5, path: "apps/api/src/routes/tags.ts" }],
    },
  ],
});

/** An API-key session helper: the key row looked up by the id half of the header, then `verify` says whether it matches. */
function apiKeySession(verify: string): string {
  return `import { eq } from "drizzle-orm";
import { db } from "./db";
import { apiKeys } from "./schema";
import { comparePasswordsAsync } from "./security";
export const getSessionFromApiKey = async (header: string | null) => {
  if (header === null) return null;
  const [keyId, secret] = header.split(".");
  if (!keyId || !secret) return null;
  const row = await db.query.apiKeys.findFirst({ where: eq(apiKeys.id, keyId), columns: { id: true, apiKey: true }, with: { user: true } });
  if (!row) return null;
${verify}
  return { user: row.user };
};`;
}

function apiKeyRoute(verify: string): Record<string, string> {
  return {
    "packages/auth/src/index.ts": `export { getSessionFromApiKey } from "./api-key";`,
    "packages/auth/src/api-key.ts": apiKeySession(verify),
    "packages/auth/src/db.ts": `export const db: any = {};`,
    "packages/auth/src/schema.ts": `import { pgTable, text } from "drizzle-orm/pg-core";\nexport const apiKeys = pgTable("api_keys", { id: text("id").primaryKey(), apiKey: text("api_key"), userId: text("user_id") });`,
    "packages/auth/src/security.ts": `import bcrypt from "bcryptjs";\nexport const comparePasswordsAsync = (given: string, hash: string) => bcrypt.compare(given, hash);`,
    "app/api/[...rest]/route.ts": `import { getSessionFromApiKey } from "../../../packages/auth/src";
import { createOpenApiFetchHandler } from "trpc-to-openapi";
const handler = async (req: Request) => {
  const session = await getSessionFromApiKey(req.headers.get("x-api-key"));
  return createOpenApiFetchHandler({ req, endpoint: "/", createContext: () => ({ session }) });
};
export { handler as GET, handler as POST };`,
  };
}

function providerRoute(answer: string, path = "pages/api/providers/git/authorize.ts"): Record<string, string> {
  return {
    "lib/providers.ts": `import { prisma } from "./prisma";\nexport const findProvider = (id: string) => prisma.gitProvider.findUnique({ where: { id } });`,
    [path]: `import type { NextApiRequest, NextApiResponse } from "next";
import { findProvider } from "../../../../lib/providers";
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { providerId } = req.query;
  const provider = await findProvider(providerId as string);
  if (!provider) return res.status(404).end();
${answer}
}`,
  };
}

const AUTHORIZE_REDIRECT = `  const url = new URL(\`\${provider.url}/login/oauth/authorize\`);
  url.searchParams.append("client_id", provider.clientId);
  url.searchParams.append("redirect_uri", provider.redirectUri);
  url.searchParams.append("state", providerId as string);
  return res.redirect(307, url.toString());`;

ruleTester(missingAuth, {
  valid: [
    {
      name: "an API-key lookup whose secret is compared through a hash, yielding the key's owner or nobody, before a dispatcher",
      files: apiKeyRoute(`  const valid = await comparePasswordsAsync(secret, row.apiKey);
  if (!valid) return null;`),
    },
    {
      name: "the hash comparison written in the if itself",
      files: apiKeyRoute(`  if (!(await comparePasswordsAsync(secret, row.apiKey))) return null;`),
    },
    {
      name: "an OAuth start: the provider's authorize URL built with client_id and redirect_uri, and the browser sent there",
      files: providerRoute(AUTHORIZE_REDIRECT),
    },
    {
      name: "a helper module under pages/api whose default export takes an id string is not a request handler",
      files: {
        "lib/prisma.ts": `export const prisma: any = {};`,
        "pages/api/providers/git/helper.ts": `import { prisma } from "../../../../lib/prisma";
export const findGit = async (gitId: string) => {
  return prisma.gitProvider.findUnique({ where: { id: gitId } });
};
export default findGit;`,
      },
    },
  ],
  invalid: [
    {
      name: "near miss: the key row looked up and its owner returned with no comparison of the secret",
      files: apiKeyRoute(""),
      errors: [{ line: 3, path: "app/api/[...rest]/route.ts" }],
    },
    {
      name: "near miss: the hash compared but a mismatch not refused",
      files: apiKeyRoute(`  await comparePasswordsAsync(secret, row.apiKey);`),
      errors: [{ line: 3, path: "app/api/[...rest]/route.ts" }],
    },
    {
      name: "near miss: the provider record found by id answered as JSON, no authorization redirect",
      files: providerRoute(`  return res.json(provider);`),
      errors: [{ line: 3, path: "pages/api/providers/git/authorize.ts" }],
    },
    {
      name: "near miss: a pages/api default export taking the request is a handler",
      files: {
        "lib/prisma.ts": `export const prisma: any = {};`,
        "pages/api/providers/git/helper.ts": `import type { NextApiRequest, NextApiResponse } from "next";
import { prisma } from "../../../../lib/prisma";
export default async function findGit(req: NextApiRequest, res: NextApiResponse) {
  res.json(await prisma.gitProvider.findUnique({ where: { id: req.query.id as string } }));
}`,
      },
      errors: [{ line: 3, path: "pages/api/providers/git/helper.ts" }],
    },
  ],
});

ruleTester(piiInLogs, {
  valid: [
    {
      name: "a fingerprint spliced into a dedup key is a digest, not a biometric",
      code: `import { logger } from "./logger";
export function watchKey(spec: { kind: string; fingerprint: string }) {
  return \`error_recurrence:\${spec.fingerprint}\`;
}
export async function POST(req: Request) {
  const user = await req.json();
  const identity = watchKey(user);
  logger.error("watch check failed", { identity });
  return new Response(null);
}`,
    },
    {
      name: "a fingerprint compared for equality is an exact key",
      code: `import { logger } from "./logger";
export async function POST(req: Request) {
  const { user, group } = await req.json();
  if (user.fingerprint === group.fingerprint) logger.info("same group", { fingerprint: user.fingerprint });
  return new Response(null);
}`,
    },
  ],
  invalid: [
    {
      name: "near miss: a person's fingerprint logged as it is",
      code: `import { logger } from "./logger";
export async function POST(req: Request) {
  const user = await req.json();
  logger.info("enrolled", { fingerprint: user.fingerprint });
  return new Response(null);
}`,
      errors: [{ line: 4 }],
    },
    {
      name: "near miss: a person's fingerprint in a sentence of the log message",
      code: `import { logger } from "./logger";
export async function POST(req: Request) {
  const user = await req.json();
  logger.info(\`enrolled with \${user.fingerprint}\`);
  return new Response(null);
}`,
      errors: [{ line: 4 }],
    },
  ],
});
