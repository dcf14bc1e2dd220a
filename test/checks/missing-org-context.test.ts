import check from "../../src/checks/missing-org-context.js";
import { ruleTester } from "./tester.js";

const schema = `import { pgTable, text, uuid } from "drizzle-orm/pg-core";
export const supportTickets = pgTable("support_tickets", {
  id: uuid("id").primaryKey(),
  orgId: uuid("org_id").notNull(),
  body: text("body").notNull(),
});`;

ruleTester(check, {
  valid: [
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
  ],
  invalid: [
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
