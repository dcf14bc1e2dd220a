import check from "../../src/checks/missing-org-context.js";
import { REMIX_SESSION_CONTEXT, ruleTester } from "./tester.js";

const schema = `import { pgTable, text, uuid } from "drizzle-orm/pg-core";
export const supportTickets = pgTable("support_tickets", {
  id: uuid("id").primaryKey(),
  orgId: uuid("org_id").notNull(),
  body: text("body").notNull(),
});`;


const projectSchema = `model Project {\n  id String @id\n  slug String\n  organizationId String\n}\nmodel AlertChannel {\n  id String @id\n  projectId String\n  organizationId String\n}`;
/** A Remix action deleting an alert channel of the project a helper returns; `lookup` is the helper's query. */
function alertAction(lookup: string, deleteWhere: string): { files: Record<string, string>; context: Record<string, string> } {
  return {
    files: {
      "prisma/schema.prisma": projectSchema,
      "app/routes/projects.$slug.alerts.tsx": `import { requireUserId } from "~/session.server";
import { findProjectBySlug } from "~/models/project.server";
import { prisma } from "~/db.server";
export async function action({ request, params }: { request: Request; params: { slug: string; channelId: string } }) {
  const userId = await requireUserId(request);
  const project = await findProjectBySlug(params.slug, userId);
  if (!project) throw new Response("Not found", { status: 404 });
  await prisma.alertChannel.deleteMany({ where: ${deleteWhere} });
  return null;
}`,
    },
    context: {
      "app/models/project.server.ts": `import { prisma } from "~/db.server";
export async function findProjectBySlug(slug: string, userId: string) {
  const project = await prisma.project.findFirst({ where: ${lookup} });
  return project;
}`,
      ...REMIX_SESSION_CONTEXT,
    },
  };
}
const MEMBER_LOOKUP = "{ slug, organization: { members: { some: { userId } } } }";

/** A Remix action whose form is parsed by a helper (`parseWithZod`): the submitted channel is found within the caller's project by `scoped`, then read again by its id alone. */
function parsedFormAction(scoped: string): { files: Record<string, string>; context: Record<string, string> } {
  return {
    files: {
      "prisma/schema.prisma": projectSchema,
      "app/routes/projects.$slug.alerts.tsx": `import { parseWithZod } from "@conform-to/zod";
import { z } from "zod";
import { requireUserId } from "~/session.server";
import { prisma } from "~/db.server";
import { notify } from "~/notify.server";
const schema = z.object({ channelId: z.string(), otherId: z.string() });
export async function action({ request, params }: { request: Request; params: { slug: string } }) {
  const userId = await requireUserId(request);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return null;
  const project = await prisma.project.findFirst({ where: { slug: params.slug, organization: { members: { some: { userId } } } } });
  if (!project) throw new Response("Not found", { status: 404 });
  const channels = await prisma.alertChannel.findMany({ where: { projectId: project.id, id: ${scoped} } });
  if (channels.length === 0) throw new Response("Not found", { status: 404 });
  const { channelId } = submission.value;
  const channel = await prisma.alertChannel.findUnique({ where: { id: channelId }, select: { kind: true } });
  if (channel) await notify(project.id, channel.kind);
  return null;
}`,
    },
    context: {
      "app/notify.server.ts": `export async function notify(a: string, b: string) { return fetch("https://hooks.example.com", { method: "POST", body: a + b }); }`,
      ...REMIX_SESSION_CONTEXT,
    },
  };
}


/** A signed-in route reading users by email, in a code base whose other query on users is `elsewhere`. */
function userLookup(elsewhere: string): Record<string, string> {
  return {
    "prisma/schema.prisma": `model Project {\n  id String @id\n  organizationId String\n}`,
    "app/api/members/route.ts": `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function GET(request: Request) {
  await requireAuth();
  const email = new URL(request.url).searchParams.get("email") ?? "";
  return Response.json(await prisma.user.findFirst({ where: { email } }));
}`,
    "lib/members.ts": `import { prisma } from "@/lib/prisma";
export function membersOf(organizationId: string) {
  return prisma.user.findMany({ where: ${elsewhere} });
}`,
  };
}
/** A tRPC-style helper given the input spread with the caller's org id, which it then ignores. */
const SPREAD_ROUTE = {
  "prisma/schema.prisma": `model AiSetting {\n  id String @id\n  organizationId String\n  apiKey String\n}`,
  "app/api/ai/route.ts": `import { requireAuth } from "@/lib/auth";
import { suggest } from "@/lib/ai";
export async function POST(request: Request) {
  const session = await requireAuth();
  const input = await request.json();
  return Response.json(await suggest({ ...input, organizationId: session.organizationId }));
}`,
  "lib/ai.ts": `import { prisma } from "@/lib/prisma";
export async function suggest({ aiId, organizationId: _organizationId }: { aiId: string; organizationId: string }) {
  return prisma.aiSetting.findFirst({ where: { id: aiId } });
}`,
};


const tagSchema = `import { pgTable, text } from "drizzle-orm/pg-core";
export const tags = pgTable("tags", { tagId: text("tag_id").primaryKey(), organizationId: text("organization_id").notNull(), name: text("name") });`;
/** A Hono route on the tags table behind requireAuth; `body` is the handler's code after reading `id` and the session. */
function tagRoute(body: string): Record<string, string> {
  return {
    "src/db/schema.ts": tagSchema,
    "src/routes/tags.ts": `import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import { db } from "../db/client";
import { tags } from "../db/schema";
import { requireAuth } from "../auth/require-auth";
export const app = new Hono();
app.post("/tags/:id", requireAuth, async (c) => {
  const session = c.get("session");
  const id = c.req.param("id");
${body}
});`,
  };
}


/** tagRoute with a service module whose `findTagById(id)` returns the tag or throws. */
function tagServiceRoute(body: string): Record<string, string> {
  return {
    ...tagRoute(body.replace(/^/, "")),
    "src/services/tags.ts": `import { eq } from "drizzle-orm";
import { db } from "../db/client";
import { tags } from "../db/schema";
export async function findTagById(id: string) {
  const tag = await db.query.tags.findFirst({ where: eq(tags.tagId, id), with: { project: true } });
  if (!tag) throw new Error("not found");
  return tag;
}`,
  };
}
/** tagRoute reading tags by a field of the user a helper finds by `ownerExpr`. */
function tagOwnerRoute(ownerExpr: string): Record<string, string> {
  return {
    ...tagRoute(`  const { findUserById } = await import("../services/users");
  const owner = await findUserById(${ownerExpr});
  return c.json(await db.query.tags.findMany({ where: eq(tags.name, owner.favouriteTag) }));`),
    "src/services/users.ts": `import { eq } from "drizzle-orm";
import { db } from "../db/client";
import { users } from "../db/schema";
export async function findUserById(id: string) {
  const user = await db.query.users.findFirst({ where: eq(users.id, id) });
  if (!user) throw new Error("not found");
  return user;
}`,
  };
}
const TAG_SERVICE_IMPORT = `  const { findTagById } = await import("../services/tags");\n`;


/** A Remix loader of an API-key caller reading a webhook endpoint with `where`; the key check yields the key's environment. */
function apiKeyLoader(where: string): { files: Record<string, string>; context: Record<string, string> } {
  return {
    files: {
      "prisma/schema.prisma": `model RuntimeEnvironment {\n  id String @id\n  organizationId String\n}\nmodel WebhookEndpoint {\n  id String @id\n  friendlyId String\n  runtimeEnvironmentId String\n  organizationId String\n}`,
      "app/routes/api.v1.endpoints.$endpointId.ts": `import { authenticateApiRequest } from "~/services/apiAuth.server";
import { prisma } from "~/db.server";
export async function loader({ request, params }: { request: Request; params: { endpointId: string } }) {
  const authentication = await authenticateApiRequest(request);
  if (!authentication) return new Response("Invalid API key", { status: 401 });
  const env = authentication.environment;
  const endpoint = await prisma.webhookEndpoint.findFirst({ where: ${where} });
  return Response.json(endpoint);
}`,
    },
    context: {
      "app/services/apiAuth.server.ts": `import { prisma } from "~/db.server";
export async function authenticateApiRequest(request: Request) {
  const key = request.headers.get("authorization")?.replace("Bearer ", "");
  if (!key) return undefined;
  const row = await prisma.apiKey.findFirst({ where: { key } });
  if (!row) return undefined;
  return { environment: { id: row.environmentId } };
}`,
      ...REMIX_SESSION_CONTEXT,
    },
  };
}


/** A route that creates a project through a helper (as `made` writes it) and reads a child row by the new project's id; `otherwise` is the helper's return when the slug is taken. */
function createThenRead(otherwise: string, made = "const project = await createProject(name, orgId);"): Record<string, string> {
  return {
    "prisma/schema.prisma": projectSchema,
    "app/api/projects/route.ts": `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
import { tryCatch } from "@acme/result";
import { createProject } from "@/lib/projects";
export async function POST(request: Request) {
  const session = await requireAuth();
  const { name } = await request.json();
  const orgId = session.organizationId;
  ${made}
  const channel = await prisma.alertChannel.findFirst({ where: { projectId: project.id } });
  return Response.json({ project, channel });
}`,
    "lib/projects.ts": `import { prisma } from "@/lib/prisma";
export async function createProject(name: string, organizationId: string, attempt = 0) {
  const slug = name + "-" + attempt;
  const taken = await prisma.project.findFirst({ where: { slug } });
  if (taken) return ${otherwise};
  const project = await prisma.project.create({ data: { slug, organizationId } });
  return project;
}`,
  };
}

/** A route that finds an alert channel with `where`, then deletes it by the found row's id and answers `answer`. */
const checkThenAct = (where: string, answer: string) => ({
  "prisma/schema.prisma": projectSchema,
  "app/api/channels/[id]/route.ts": `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  const { id } = await params;
  const channel = await prisma.alertChannel.findFirst({ where: ${where} });
  if (!channel) return new Response(null, { status: 404 });
  await prisma.alertChannel.delete({ where: { id: channel.id } });
  return ${answer};
}`,
});

const runSchema = `model TaskRun {\n  id String @id\n  friendlyId String\n  projectId String\n  environmentId String\n  organizationId String\n}\nmodel Project {\n  id String @id\n  organizationId String\n}\nmodel RuntimeEnvironment {\n  id String @id\n  organizationId String\n  apiKey String\n}`;
/**
 * A Remix action that reads a run by the request's id, then `steps`: typically a membership query
 * on the run's project that ends the request when it finds nothing, and a read of the run's environment.
 */
function gatedRun(steps: string): { files: Record<string, string>; context: Record<string, string> } {
  return {
    files: {
      "prisma/schema.prisma": runSchema,
      "app/routes/runs.$runId.reset.tsx": `import { requireUserId } from "~/session.server";
import { prisma } from "~/db.server";
export async function action({ request, params }: { request: Request; params: { runId: string } }) {
  const userId = await requireUserId(request);
  const run = await prisma.taskRun.findFirst({ where: { friendlyId: params.runId } });
  if (!run) return new Response("Not found", { status: 404 });
${steps}
  return Response.json({ ok: true });
}`,
    },
    context: REMIX_SESSION_CONTEXT,
  };
}
const RUN_GATE = `  const project = await prisma.project.findFirst({ where: { id: run.projectId, organization: { members: { some: { userId } } } } });
  if (!project) return new Response("Not found", { status: 404 });`;
const RUN_ENV = `  const environment = await prisma.runtimeEnvironment.findFirst({ where: { id: run.environmentId } });
  await prisma.runtimeEnvironment.update({ where: { id: environment!.id }, data: { apiKey: "rotated" } });`;

/** A route handing the request's environment id to a helper that reads the environment, checks the caller's membership of its org with `gate`, and rotates its key. */
function gatedHelper(body: string): { files: Record<string, string>; context: Record<string, string> } {
  return {
    files: {
      "prisma/schema.prisma": runSchema,
      "app/routes/environments.$environmentId.regenerate.tsx": `import { requireUserId } from "~/session.server";
import { regenerate } from "~/models/api-key.server";
export async function action({ request, params }: { request: Request; params: { environmentId: string } }) {
  const userId = await requireUserId(request);
  return Response.json(await regenerate({ userId, environmentId: params.environmentId }));
}`,
      "app/models/api-key.server.ts": `import { prisma } from "~/db.server";
export async function regenerate({ userId, environmentId }: { userId: string; environmentId: string }) {
  const environment = await prisma.runtimeEnvironment.findUnique({ where: { id: environmentId } });
  if (!environment) throw new Error("Environment does not exist");
${body}
}`,
    },
    context: REMIX_SESSION_CONTEXT,
  };
}
const ENV_GATE = `  const organization = await prisma.organization.findFirst({ where: { id: environment.organizationId, members: { some: { userId } } } });
  if (!organization) throw new Error("Not a member");`;
const ENV_ROTATE = `  return prisma.runtimeEnvironment.update({ where: { id: environmentId }, data: { apiKey: "rotated" } });`;

/** A signed-in route resolving a project by slug with `select`, then running `after`. */
const projectBySlug = (select: string, after = "") => ({
  "prisma/schema.prisma": projectSchema,
  "app/api/projects/[slug]/route.ts": `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function GET(_r: Request, { params }: { params: Promise<{ slug: string }> }) {
  await requireAuth();
  const { slug } = await params;
  const project = await prisma.project.findFirst({ where: { slug }, select: ${select} });
${after}
  return Response.json({ projectId: project?.id });
}`,
});

ruleTester(check, {
  valid: [
    {
      name: "a lookup by slug that selects only the row's id",
      files: projectBySlug("{ id: true }"),
    },
    {
      name: "a run read by id, its project then looked up through the caller's membership and refused when missing; its environment read by the run's field",
      ...gatedRun(`${RUN_GATE}\n${RUN_ENV}`),
    },
    {
      name: "a helper reads the environment by id, refuses unless the caller is a member of its org, then rotates it by that id",
      ...gatedHelper(`${ENV_GATE}\n${ENV_ROTATE}`),
    },
    {
      name: "a raw SQL update of users picked by a sub-select on the org's members does not make users tenant rows",
      files: {
        ...userLookup("{ email: organizationId }"),
        "lib/sessions.ts": `import { prisma } from "@/lib/prisma";
export function capSessions(organizationId: string) {
  return prisma.$executeRaw\`UPDATE "User" SET "sessionEnd" = NOW() WHERE "id" IN (SELECT "userId" FROM "OrgMember" WHERE "organizationId" = \${organizationId})\`;
}`,
      },
    },
    {
      name: "a row read by the id of a record the route itself just created",
      files: {
        "prisma/schema.prisma": projectSchema,
        "app/api/projects/route.ts": `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const session = await requireAuth();
  const { slug } = await request.json();
  const project = await prisma.project.create({ data: { slug, organizationId: session.organizationId } });
  const channel = await prisma.alertChannel.findFirst({ where: { projectId: project.id } });
  return Response.json({ project, channel });
}`,
      },
    },
    {
      name: "the fetched row's organisation compared with the caller's before use",
      files: tagRoute(`  const tag = await db.query.tags.findFirst({ where: eq(tags.tagId, id) });
  if (!tag || tag.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  return c.json(tag);`),
    },
    {
      name: "a uniqueness probe whose row is only tested for existence",
      files: tagRoute(`  const { name } = await c.req.json();
  const existing = await db.query.tags.findFirst({ where: eq(tags.name, name) });
  if (existing) return c.json({ error: "taken" }, 409);
  return c.json({ ok: true });`),
    },
    {
      name: "the org condition held in an array spread into and(...)",
      files: tagRoute(`  const conditions = [eq(tags.organizationId, session.activeOrganizationId)];
  conditions.push(eq(tags.tagId, id));
  return c.json(await db.select().from(tags).where(and(...conditions)));`),
    },
    {
      name: "a write by an id the route first looked up together with the caller's org",
      files: tagRoute(`  const found = await db.query.tags.findFirst({ where: and(eq(tags.tagId, id), eq(tags.organizationId, session.activeOrganizationId)) });
  if (!found) return c.json({ error: "not found" }, 404);
  await db.update(tags).set({ name: "x" }).where(eq(tags.tagId, id));
  return c.json({ ok: true });`),
    },
    {
      name: "users found elsewhere through an org membership relation do not make the user table a tenant table",
      files: userLookup("{ orgMemberships: { some: { organizationId } } }"),
    },
    {
      name: "rows of a list found by the org's id, each then deleted by its own id",
      files: {
        "prisma/schema.prisma": projectSchema,
        "app/api/channels/route.ts": `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE() {
  const session = await requireAuth();
  const channels = await prisma.alertChannel.findMany({ where: { organizationId: session.organizationId } });
  for (const channel of channels) await prisma.alertChannel.delete({ where: { id: channel.id } });
  return new Response(null, { status: 204 });
}`,
      },
    },
    {
      name: "a delete by the projectId of a project a helper found through the caller's membership",
      ...alertAction(MEMBER_LOOKUP, "{ id: params.channelId, projectId: project.id }"),
    },
    {
      name: "a form parsed by a helper keeps its fields: a later read by the id the scoped lookup used",
      ...parsedFormAction("submission.value.channelId"),
    },
    {
      name: "a read keyed by a field of the caller's own record, found by a helper given only the caller",
      files: tagOwnerRoute("session.ownerId"),
    },
    {
      name: "check-then-act: a row found with the org's id, then deleted by that row's id",
      files: checkThenAct("{ id, organizationId: session.organizationId }", "new Response(null, { status: 204 })"),
    },
    {
      name: "a helper's query on the project table filtered through the org's membership of the user it is given",
      files: {
        "prisma/schema.prisma": `model Project {\n  id String @id\n  slug String\n  organizationId String\n}`,
        "app/routes/projects.$slug.tsx": `import { requireUser } from "~/session.server";
import { findProject } from "~/models/project.server";
export async function loader({ request, params }: { request: Request; params: { slug: string } }) {
  const user = await requireUser(request);
  return findProject(params.slug, user.id);
}`,
      },
      context: {
        "app/models/project.server.ts": `import { prisma } from "~/db.server";
export function findProject(slug: string, userId: string) {
  return prisma.project.findFirst({ where: { slug, team: { members: { some: { userId } } } } });
}`,
        "tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "~/*": ["./app/*"] } } }),
      },
    },
    {
      name: "an anonymous route is missing-auth's to report, not a tenant-scoping finding",
      files: {
        "src/db/schema.ts": schema,
        "src/routes/tickets.ts": `import { Hono } from "hono";
import { inArray } from "drizzle-orm";
import { db } from "../db/client";
import { supportTickets } from "../db/schema";
export const tickets = new Hono();
tickets.post("/summarize", async (c) => {
  const { ticketIds } = await c.req.json();
  const rows = await db.select().from(supportTickets).where(inArray(supportTickets.id, ticketIds));
  return c.json(rows);
});`,
      },
    },
    {
      name: "near-miss: the same lookup filtered by org",
      files: {
        "src/db/schema.ts": schema,
        "src/routes/tickets.ts": `import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import { db } from "../db/client";
import { supportTickets } from "../db/schema";
import { requireAuth } from "../auth/require-auth";
export const tickets = new Hono();
tickets.get("/:id", requireAuth, async (c) => {
  const { orgId } = c.get("session");
  const rows = await db.select().from(supportTickets).where(and(eq(supportTickets.id, c.req.param("id")), eq(supportTickets.orgId, orgId)));
  return c.json(rows);
});`,
      },
    },
    {
      name: "near-miss: a single-tenant code base has no org context to miss",
      path: "app/api/tasks/[id]/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function GET(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireAuth();
  return Response.json(await prisma.task.findUnique({ where: { id: (await params).id } }));
}`,
    },
    {
      name: "query run inside withOrgContext",
      files: {
        "prisma/schema.prisma": `model Invoice {\n  id String @id\n  orgId String\n}`,
        "app/api/invoices/[id]/route.ts": `import { requireAuth } from "@/lib/auth";
import { withOrgContext } from "@/lib/org";
import { prisma } from "@/lib/prisma";
export async function GET(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  const { id } = await params;
  return withOrgContext(session, () => prisma.invoice.findUnique({ where: { id } }).then((i) => Response.json(i)));
}`,
      },
    },
    {
      name: "user-scoped Supabase client with org-membership RLS policies in the PR",
      files: {
        "supabase/migrations/20240101_projects.sql": `create table public.projects (id uuid primary key, org_id uuid not null, name text);
alter table public.projects enable row level security;
create policy "members read" on public.projects for select using (org_id in (select org_id from public.org_members where user_id = auth.uid()));`,
        "app/api/projects/[id]/route.ts": `import { createClient } from "@/lib/supabase/server";
import { requireAuth } from "@/lib/auth";
export async function GET(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireAuth();
  const supabase = await createClient();
  const { data } = await supabase.from("projects").select("*").eq("id", (await params).id);
  return Response.json(data);
}`,
      },
    },
    {
      name: "near-miss: knex filter by org before the update, on a table named like an org table",
      config: { multiTenant: true },
      files: {
        "db/migrations/001_members.sql": `create table org_members (id uuid primary key, org_id uuid not null, role text);`,
        "src/routes/members.ts": `import { Router } from "express";
import { requireAuth } from "../auth";
import { knex } from "../db";
export const members = Router();
members.delete("/:id", requireAuth, async (req, res) => {
  await knex("org_members").where({ id: req.params.id, org_id: req.user.orgId }).del();
  res.status(204).end();
});`,
      },
    },
    {
      name: "platform admin console behind requireAdmin spans tenants",
      files: {
        "prisma/schema.prisma": `model Invoice {\n  id String @id\n  orgId String\n}`,
        "app/api/admin/invoices/route.ts": `import { requireAdmin } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function GET() {
  await requireAdmin();
  return Response.json(await prisma.invoice.findMany());
}`,
      },
    },
    {
      name: "row scoped to the caller's own id",
      files: {
        "prisma/schema.prisma": `model Note {\n  id String @id\n  orgId String\n  userId String\n}`,
        "app/api/notes/[id]/route.ts": `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function GET(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  return Response.json(await prisma.note.findFirst({ where: { id: (await params).id, userId: session.userId } }));
}`,
      },
    },
    {
      name: "a row a helper returns, its organisation compared through a relation path in a denying if before use",
      files: tagServiceRoute(`${TAG_SERVICE_IMPORT}  const tag = await findTagById(id);
  if (tag.project.organizationId !== session.activeOrganizationId) {
    throw new Error("forbidden");
  }
  return c.json(tag);`),
    },
    {
      name: "a delete by the id whose row was fetched and compared with the caller's org first",
      files: tagRoute(`  const tag = await db.query.tags.findFirst({ where: eq(tags.tagId, id) });
  if (!tag) return c.json({ error: "not found" }, 404);
  if (tag.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  await db.delete(tags).where(eq(tags.tagId, id));
  return c.json({ ok: true });`),
    },
    {
      name: "a delete by the id of a record an unread helper returned and the route compared with the caller's org",
      files: tagRoute(`  const { loadTag } = await import("@acme/tag-service");
  const tag = await loadTag(id);
  if (tag.organizationId !== session.activeOrganizationId) throw new Error("forbidden");
  await db.delete(tags).where(eq(tags.tagId, id));
  return c.json({ ok: true });`),
    },
    {
      name: "the org condition held in an array that a variable combines with and(...)",
      files: tagRoute(`  const conditions = [eq(tags.organizationId, session.activeOrganizationId)];
  conditions.push(eq(tags.tagId, id));
  const where = and(...conditions);
  return c.json(await db.select().from(tags).where(where));`),
    },
    {
      name: "an API-key caller's lookup filtered by the key's own environment: tenancy through the credential",
      ...apiKeyLoader("{ friendlyId: params.endpointId, runtimeEnvironmentId: env.id }"),
    },
    {
      name: "a row read by the id of a project a helper creates, retrying through its own call when the slug is taken",
      files: createThenRead("createProject(name, organizationId, attempt + 1)"),
    },
    {
      name: "a row read by the id of the project a result wrapper outside the review hands back from the helper that creates it",
      files: createThenRead("createProject(name, organizationId, attempt + 1)", "const [error, project] = await tryCatch(createProject(name, orgId));\n  if (error) return Response.json({ error: String(error) }, { status: 400 });"),
    },
    {
      name: "every row's name scanned for a clash that refuses the request: a uniqueness probe that returns no row",
      files: tagRoute(`  const { names } = await c.req.json();
  const existing = await db.query.tags.findMany({ columns: { name: true } });
  for (const row of existing) {
    const taken = row.name?.split(",") ?? [];
    if (names.some((n: string) => taken.includes(n))) throw new Error("name taken: " + id);
  }
  return c.json({ ok: true });`),
    },
  ],
  invalid: [
    {
      name: "near-miss of an id-only lookup: it also selects the row's data",
      files: projectBySlug("{ id: true, slug: true }"),
      errors: [{ path: "app/api/projects/[slug]/route.ts", line: 3 }],
    },
    {
      name: "near-miss of an id-only lookup: the id then keys a delete of the project's channels",
      files: projectBySlug("{ id: true }", "  await prisma.alertChannel.deleteMany({ where: { projectId: project!.id } });"),
      errors: [{ path: "app/api/projects/[slug]/route.ts", line: 3 }],
    },
    {
      name: "near-miss of a membership gate: the run's project looked up by id alone",
      ...gatedRun(`  const project = await prisma.project.findFirst({ where: { id: run.projectId } });
  if (!project) return new Response("Not found", { status: 404 });
${RUN_ENV}`),
      errors: [{ path: "app/routes/runs.$runId.reset.tsx", line: 3 }],
    },
    {
      name: "near-miss of a membership gate: the membership query's result never ends the request",
      ...gatedRun(`  const project = await prisma.project.findFirst({ where: { id: run.projectId, organization: { members: { some: { userId } } } } });
  console.info("reset", project?.id);
${RUN_ENV}`),
      errors: [{ path: "app/routes/runs.$runId.reset.tsx", line: 3 }],
    },
    {
      name: "near-miss of a membership gate: the run's environment is changed before the gate",
      ...gatedRun(`${RUN_ENV}\n${RUN_GATE}`),
      errors: [{ path: "app/routes/runs.$runId.reset.tsx", line: 3 }],
    },
    {
      name: "near-miss of a membership gate: the helper rotates the key before checking the caller's membership",
      ...gatedHelper(`  await prisma.runtimeEnvironment.update({ where: { id: environmentId }, data: { apiKey: "rotated" } });\n${ENV_GATE}\n  return organization;`),
      errors: [{ path: "app/routes/environments.$environmentId.regenerate.tsx", line: 3 }],
    },
    {
      name: "near-miss: rows walked in a loop and handed back to the caller",
      files: tagRoute(`  const { names } = await c.req.json();
  const existing = await db.query.tags.findMany({ columns: { name: true } });
  const clashes = [];
  for (const row of existing) {
    if (names.includes(row.name)) clashes.push(row);
  }
  return c.json(clashes);`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: the helper may return another org's project found by slug alone",
      files: createThenRead("prisma.project.findFirst({ where: { slug: name } })"),
      errors: [{ path: "app/api/projects/route.ts", line: 5 }],
    },
    {
      name: "near-miss of a result wrapper: the wrapped helper may hand back another org's project found by slug alone",
      files: createThenRead("prisma.project.findFirst({ where: { slug: name } })", "const [error, project] = await tryCatch(createProject(name, orgId));\n  if (error) return Response.json({ error: String(error) }, { status: 400 });"),
      errors: [{ path: "app/api/projects/route.ts", line: 5 }],
    },
    {
      name: "near-miss: an API-key caller's lookup by the request's id alone",
      ...apiKeyLoader("{ friendlyId: params.endpointId }"),
      errors: [{ path: "app/routes/api.v1.endpoints.$endpointId.ts", line: 3 }],
    },
    {
      name: "near-miss: the helper's row is compared only on one branch, so other requests use it unchecked",
      files: tagServiceRoute(`${TAG_SERVICE_IMPORT}  const tag = await findTagById(id);
  if (c.req.query("strict")) {
    if (tag.project.organizationId !== session.activeOrganizationId) throw new Error("forbidden");
  }
  return c.json(tag);`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: the row is used before it is compared with the caller's org",
      files: tagServiceRoute(`${TAG_SERVICE_IMPORT}  const tag = await findTagById(id);
  await c.env.QUEUE.send(tag);
  if (tag.organizationId !== session.activeOrganizationId) throw new Error("forbidden");
  return c.json({ ok: true });`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: a second row looked up by a field of the first is the one compared",
      files: tagServiceRoute(`${TAG_SERVICE_IMPORT}  const tag = await findTagById(id);
  const parent = await findTagById(tag.name);
  if (parent.organizationId !== session.activeOrganizationId) throw new Error("forbidden");
  return c.json(tag);`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: the delete by the id runs before the row is compared with the caller's org",
      files: tagRoute(`  const tag = await db.query.tags.findFirst({ where: eq(tags.tagId, id) });
  await db.delete(tags).where(eq(tags.tagId, id));
  if (tag?.organizationId !== session.activeOrganizationId) return c.json({ error: "forbidden" }, 403);
  return c.json({ ok: true });`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: one of several filters picked by the request, not all of them scoped to the org",
      files: tagRoute(`  const where = { mine: eq(tags.organizationId, session.activeOrganizationId), one: eq(tags.tagId, id) };
  return c.json(await db.query.tags.findMany({ where: where[c.req.query("kind") as "mine" | "one"] }));`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: the conditions a variable combines hold no org condition",
      files: tagRoute(`  const conditions = [eq(tags.tagId, id)];
  const where = and(...conditions);
  return c.json(await db.select().from(tags).where(where));`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: the fetched row compared with nothing before it is returned",
      files: tagRoute(`  const tag = await db.query.tags.findFirst({ where: eq(tags.tagId, id) });
  if (!tag) return c.json({ error: "not found" }, 404);
  return c.json(tag);`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: a probe whose row is returned is a read of another org's row",
      files: tagRoute(`  const { name } = await c.req.json();
  const existing = await db.query.tags.findFirst({ where: eq(tags.name, name) });
  if (existing) return c.json(existing);
  return c.json({ ok: true });`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: the array of conditions holds no org condition",
      files: tagRoute(`  const conditions = [eq(tags.tagId, id)];
  return c.json(await db.select().from(tags).where(and(...conditions)));`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: the earlier lookup of the id was not scoped to the org",
      files: tagRoute(`  const found = await db.query.tags.findFirst({ where: eq(tags.tagId, id) });
  if (!found) return c.json({ error: "not found" }, 404);
  await db.update(tags).set({ name: "x" }).where(eq(tags.tagId, id));
  return c.json({ ok: true });`),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: users queried elsewhere by their own organizationId column are tenant rows",
      files: userLookup("{ organizationId }"),
      errors: [{ path: "app/api/members/route.ts", line: 3 }],
    },
    {
      name: "a helper given the input spread with the caller's org id, which looks the record up by the input's id alone",
      files: SPREAD_ROUTE,
      errors: [{ path: "app/api/ai/route.ts", line: 3 }],
    },
    {
      name: "near-miss: the helper finds the project by slug alone, so its id scopes nothing",
      ...alertAction("{ slug }", "{ id: params.channelId, projectId: project.id }"),
      errors: [{ path: "app/routes/projects.$slug.alerts.tsx", line: 4 }],
    },
    {
      name: "near-miss: the project was found through the membership, but the delete uses only the request's id",
      ...alertAction(MEMBER_LOOKUP, "{ id: params.channelId }"),
      errors: [{ path: "app/routes/projects.$slug.alerts.tsx", line: 4 }],
    },
    {
      name: "near-miss: the scoped lookup names another field of the parsed form, so the later read's id is scoped by nothing",
      ...parsedFormAction("submission.value.otherId"),
      errors: [{ path: "app/routes/projects.$slug.alerts.tsx", line: 7 }],
    },
    {
      name: "near-miss: the helper is given an id from the request, so the record it finds is anyone's",
      files: tagOwnerRoute('c.req.query("owner") ?? ""'),
      errors: [{ path: "src/routes/tags.ts", line: 7 }],
    },
    {
      name: "near-miss: check-then-act on a row found by the request's id alone",
      files: checkThenAct("{ id }", "Response.json({ by: session.userId })"),
      errors: [{ path: "app/api/channels/[id]/route.ts", line: 3 }],
    },
    {
      name: "Drizzle lookup by ids with no org filter in a multi-tenant Hono API",
      files: {
        "src/db/schema.ts": schema,
        "src/routes/tickets.ts": `import { Hono } from "hono";
import { inArray } from "drizzle-orm";
import { db } from "../db/client";
import { supportTickets } from "../db/schema";
import { requireAuth } from "../auth/require-auth";
export const tickets = new Hono();
tickets.post("/summarize", requireAuth, async (c) => {
  const { ticketIds } = await c.req.json();
  const rows = await db.select().from(supportTickets).where(inArray(supportTickets.id, ticketIds));
  return c.json(rows);
});`,
      },
      errors: [
        {
          path: "src/routes/tickets.ts",
          line: 7,
          severity: "high",
          data: { table: "supportTickets" },
          needs: ["and", "eq", "session"], replacement: `  const rows = await db.select().from(supportTickets).where(and(inArray(supportTickets.id, ticketIds), eq(supportTickets.orgId, session.orgId)));`,
        },
      ],
    },
    {
      name: "Prisma findUnique by id on a model with orgId",
      files: {
        "prisma/schema.prisma": `model Invoice {\n  id String @id\n  orgId String\n  total Int\n}`,
        "app/api/invoices/[id]/route.ts": `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function GET(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  const { id } = await params;
  const invoice = await prisma.invoice.findUnique({ where: { id } });
  return Response.json({ invoice, viewer: session.userId });
}`,
      },
      errors: [{ path: "app/api/invoices/[id]/route.ts", line: 3, replacement: `  const invoice = await prisma.invoice.findUnique({ where: { id, orgId: session.orgId } });` }],
    },
    {
      name: "multiTenant from config, table known from an org filter elsewhere",
      config: { multiTenant: true },
      files: {
        "src/routes/docs.ts": `import { Router } from "express";
import { requireAuth } from "../auth";
import { prisma } from "../db";
export const docs = Router();
docs.get("/", requireAuth, async (req, res) => {
  res.json(await prisma.document.findMany({ where: { orgId: req.user.orgId } }));
});
docs.delete("/:id", requireAuth, async (req, res) => {
  await prisma.document.delete({ where: { id: req.params.id } });
  res.status(204).end();
});`,
      },
      errors: [{ path: "src/routes/docs.ts", line: 8 }],
    },
    {
      name: "the org table's own name is no org filter",
      files: {
        "db/migrations/001_members.sql": `create table org_members (id uuid primary key, org_id uuid not null, role text);`,
        "src/routes/members.ts": `import { Router } from "express";
import { requireAuth } from "../auth";
import { knex } from "../db";
export const members = Router();
members.delete("/:id", requireAuth, async (req, res) => {
  await knex("org_members").where({ id: req.params.id }).del();
  res.status(204).end();
});`,
      },
      errors: [{ path: "src/routes/members.ts", line: 5, data: { table: "org_members" } }],
    },
    {
      name: "a pre-existing unscoped query is not new",
      files: {
        "prisma/schema.prisma": `model Invoice {\n  id String @id\n  orgId String\n}`,
        "app/api/invoices/[id]/route.ts": `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function GET(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireAuth();
  return Response.json(await prisma.invoice.findUnique({ where: { id: (await params).id } }));
}
// touched`,
      },
      patches: { "app/api/invoices/[id]/route.ts": "@@ -6,0 +7,1 @@\n+// touched" },
      errors: [{ path: "app/api/invoices/[id]/route.ts", line: 3, new: false }],
    },
  ],
});
