import check from "../../src/checks/missing-ownership-check.js";
import { ruleTester } from "./tester.js";

/** A list route that scopes notes to the caller: the app treats `note` rows as per-user. */
const notesList = `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function GET() {
  const session = await auth();
  if (!session?.user?.id) return new Response("Unauthorized", { status: 401 });
  return Response.json(await prisma.note.findMany({ where: { userId: session.user.id } }));
}`;

const noteRoute = (body: string, method = "PATCH") => ({
  "app/api/notes/route.ts": notesList,
  "app/api/notes/[id]/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
import { canEditNote } from "@/lib/permissions";
export async function ${method}(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await auth();
  if (!session?.user?.id) return new Response("Unauthorized", { status: 401 });
  const { id } = await params;
${body}
}`,
});


/** A Hono API behind API-key middleware that puts the key's space on the context as `apiAuth`. */
const spaceApi = (where: string) => ({
  "src/api/polls-list.ts": `import { Hono } from "hono";
import { prisma } from "../db";
import { spaceApiKeyAuth } from "../auth";
export const list = new Hono();
list.get("/polls", spaceApiKeyAuth, async (c) => {
  const { spaceId } = c.get("apiAuth");
  return c.json(await prisma.poll.findMany({ where: { spaceId } }));
});`,
  "src/api/polls.ts": `import { Hono } from "hono";
import { prisma } from "../db";
import { spaceApiKeyAuth } from "../auth";
export const app = new Hono();
app.delete("/polls/:pollId", spaceApiKeyAuth, async (c) => {
  const { pollId } = c.req.param();
  const { spaceId } = c.get("apiAuth");
  await prisma.poll.delete({ where: ${where} });
  return c.json({ ok: true, spaceId });
});`,
  "src/auth.ts": `import { createMiddleware } from "hono/factory";
export const spaceApiKeyAuth = createMiddleware(async (c, next) => {
  const key = c.req.header("authorization");
  if (!key) return c.json({ error: "unauthorized" }, 401);
  c.set("apiAuth", { spaceId: key.slice(7) });
  await next();
});`,
});

/**
 * tRPC procedures built on a builder whose middleware puts a value on the context (`space`), and a
 * router whose `update` changes an item by `input.id` within `ctx.<key>.id`.
 */
const trpcSpace = (spaceFrom: string, key = "space") => ({
  "src/server/trpc.ts": `import { initTRPC, TRPCError } from "@trpc/server";
import { prisma } from "./db";
const t = initTRPC.context<{ user?: { id: string } }>().create();
export const router = t.router;
export const middleware = t.middleware;
export const publicProcedure = t.procedure;
export const privateProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { user: ctx.user } });
});
async function getActiveSpaceForUser(userId: string) {
  const member = await prisma.spaceMember.findFirst({ where: { userId } });
  return member ? { id: member.spaceId } : null;
}
export const spaceProcedure = privateProcedure.use(async ({ ctx, input, next }) => {
  const space = ${spaceFrom};
  if (!space) throw new TRPCError({ code: "FORBIDDEN" });
  return next({ ctx: { space } });
});`,
  "src/server/routers/items.ts": `import { z } from "zod";
import { prisma } from "../db";
import { middleware, router, spaceProcedure } from "../trpc";
const enabled = middleware(async ({ next }) => next());
const itemProcedure = spaceProcedure.use(enabled);
export const items = router({
  update: itemProcedure.input(z.object({ id: z.string(), name: z.string() })).mutation(({ ctx, input }) =>
    prisma.item.update({ where: { id: input.id, spaceId: ctx.${key}.id }, data: { name: input.name } }),
  ),
});`,
});

/** A team API route that loads the team with the caller's membership and the dataroom of the path as nested lists, then moves documents within that dataroom. */
const dataroomMove = (test: string, write = "await prisma.dataroomDocument.updateMany({ where: { id: { in: documentIds }, dataroomId }, data: { folderId: null } });") => ({
  "pages/api/teams/[teamId]/datarooms/[id]/documents/move.ts": `import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession } from "next-auth/next";
import { authOptions } from "@/lib/auth";
import prisma from "@/lib/prisma";
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).end("Unauthorized");
  const userId = (session.user as { id: string }).id;
  const { teamId, id: dataroomId } = req.query as { teamId: string; id: string };
  const { documentIds, otherDataroomId } = req.body as { documentIds: string[]; otherDataroomId: string };
  const team = await prisma.team.findUnique({
    where: { id: teamId },
    include: { datarooms: { where: { id: dataroomId } }, users: { where: { role: { in: ["ADMIN", "MANAGER"] }, userId } } },
  });
${test}
  ${write}
  return res.status(204).end();
}`,
});

/** A route that reads a document by the path's id with its team's membership of the caller as a nested list (documents are per-user elsewhere). */
const documentPreview = (body: string) => ({
  "app/api/documents/route.ts": notesList.replace(/note/g, "document"),
  "app/api/documents/[id]/preview/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await auth();
  if (!session?.user?.id) return new Response("Unauthorized", { status: 401 });
  const userId = session.user.id;
  const { id: documentId } = await params;
  const folderId = new URL(request.url).searchParams.get("folderId");
  const document = await prisma.document.findUnique({
    where: { id: documentId },
    include: { team: { include: { users: { where: { userId }, select: { userId: true } } } } },
  });
${body}
  return Response.json({ name: document?.name });
}`,
});

ruleTester(check, {
  valid: [
    {
      name: "tRPC: a record changed by input.id within the space the procedure's middleware looked up for the caller",
      files: trpcSpace("await getActiveSpaceForUser(ctx.user.id)"),
    },
    {
      name: "tRPC: the middleware's space read from the caller's own membership row",
      files: trpcSpace("(await prisma.spaceMember.findFirst({ where: { userId: ctx.user.id } }))?.space"),
    },
    {
      name: "a child tied to a team by the team's nested lists (the caller's membership and the child), refused on when either is empty",
      files: dataroomMove(`  if (!team || team.users.length === 0 || team.datarooms.length === 0) return res.status(403).end("Forbidden");`),
    },
    {
      name: "a record read with its team's membership of the caller as a nested list, refused on when that list is empty",
      files: documentPreview(`  if (!document || !document.team.users.length) return new Response("Access denied", { status: 403 });`),
    },
    {
      name: "Hono: a record deleted by the request's id within the space the API key's middleware put on the context",
      files: spaceApi("{ id: pollId, spaceId }"),
    },
    {
      name: "near-miss: the update is filtered by the caller",
      files: noteRoute(`  const note = await prisma.note.updateMany({ where: { id, userId: session.user.id }, data: await request.json() });
  return Response.json(note);`),
    },
    {
      name: "near-miss: an ownership comparison after the fetch",
      files: noteRoute(`  const note = await prisma.note.findUnique({ where: { id } });
  if (!note || note.userId !== session.user.id) return new Response("Not found", { status: 404 });
  return Response.json(await prisma.note.update({ where: { id: note.id }, data: await request.json() }));`),
    },
    {
      name: "near-miss: a permission helper given the fetched record",
      files: noteRoute(`  const note = await prisma.note.findUnique({ where: { id } });
  if (!note || !canEditNote(session.user, note)) return new Response("Forbidden", { status: 403 });
  return Response.json(note);`, "GET"),
    },
    {
      name: "near-miss: a permission helper given the id before the write",
      files: noteRoute(`  if (!(await canEditNote(session.user.id, id))) return new Response("Forbidden", { status: 403 });
  return Response.json(await prisma.note.update({ where: { id }, data: await request.json() }));`),
    },
    {
      name: "near-miss: the where is built in a variable that names the caller",
      files: noteRoute(`  const where = { id, userId: session.user.id };
  return Response.json(await prisma.note.deleteMany({ where }));`, "DELETE"),
    },
    {
      name: "near-miss: an id derived from the session",
      files: noteRoute(`  const ownerId = session.user.id;
  return Response.json(await prisma.note.findMany({ where: { userId: ownerId, folderId: id } }));`, "GET"),
    },
    {
      name: "near-miss: a membership query ties the project id to the caller before its tasks are changed",
      files: {
        "app/api/projects/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function GET() {
  const session = await auth();
  if (!session) return new Response(null, { status: 401 });
  return Response.json(await prisma.task.findMany({ where: { userId: session.user.id } }));
}`,
        "app/api/projects/[projectId]/tasks/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const session = await auth();
  if (!session) return new Response(null, { status: 401 });
  const { projectId } = await params;
  const member = await prisma.projectMember.findFirst({ where: { projectId, userId: session.user.id } });
  if (!member) return new Response(null, { status: 404 });
  await prisma.task.deleteMany({ where: { projectId } });
  return new Response(null, { status: 204 });
}`,
      },
    },
    {
      name: "near-miss: a record loaded through a helper and given to a permission check, then changed through another helper",
      path: "app/members/actions.ts",
      code: `'use server';
import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
import { defineAbility } from "@/lib/ability";
async function getMember(id: string) {
  return prisma.spaceMember.findUnique({ where: { id } });
}
async function changeRole({ memberId, role }: { memberId: string; role: string }) {
  await prisma.spaceMember.update({ where: { id: memberId }, data: { role } });
}
export async function listMembers() {
  const session = await auth();
  if (!session) throw new Error("Unauthorized");
  return prisma.spaceMember.findMany({ where: { userId: session.user.id } });
}
export async function changeMemberRole(memberId: string, role: string) {
  const session = await auth();
  if (!session) throw new Error("Unauthorized");
  const member = await getMember(memberId);
  if (!member) throw new Error("Not found");
  if (defineAbility(session.user).cannot("update", member)) throw new Error("Forbidden");
  await changeRole({ memberId, role });
}`,
    },
    {
      name: "near-miss: membership checked on a value read from the loaded record, then a child found by its id and the checked parent id",
      path: "pages/api/teams/[teamId]/tags/[id].ts",
      code: `import { getServerSession } from "next-auth/next";
import { authOptions } from "@/lib/auth";
import prisma from "@/lib/prisma";
export default async function handle(req, res) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).end();
  const { teamId, id } = req.query as { teamId: string; id: string };
  const team = await prisma.team.findUnique({ where: { id: teamId }, select: { users: { select: { userId: true } } } });
  const members = team?.users;
  if (!members?.some((member) => member.userId === session.user.id)) return res.status(403).end();
  const tag = await prisma.tag.findUnique({ where: { id, teamId } });
  if (!tag) return res.status(404).end();
  await prisma.tag.update({ where: { id }, data: req.body });
  await prisma.note.findMany({ where: { userId: session.user.id } });
  return res.status(204).end();
}`,
    },
    {
      name: "near-miss: the record compared after the fetch with a parent id already tied to the caller",
      path: "pages/api/teams/[teamId]/rooms/[id].ts",
      code: `import { getServerSession } from "next-auth/next";
import { authOptions } from "@/lib/auth";
import prisma from "@/lib/prisma";
export default async function handle(req, res) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).end();
  const { teamId, id: roomId } = req.query as { teamId: string; id: string };
  const team = await prisma.team.findFirst({ where: { id: teamId, users: { some: { userId: session.user.id } } } });
  if (!team) return res.status(403).end();
  const room = await prisma.room.findUnique({ where: { id: roomId } });
  if (!room || room.teamId !== teamId) return res.status(404).end();
  await prisma.room.update({ where: { id: roomId }, data: req.body });
  return res.status(204).end();
}`,
    },
    {
      name: "near-miss: an access helper given a filter built on the id",
      files: {
        "src/server/routers/board/access.ts": `import { and, type SQL } from "drizzle-orm";
import { boards } from "../../db/schema";
export async function throwIfActionForbiddenAsync(ctx: { db: any; session: { user: { id: string } } }, where: SQL, permission: string) {
  const board = await ctx.db.query.boards.findFirst({ where });
  if (!board || (board.userId !== ctx.session.user.id && permission === "full")) throw new Error("FORBIDDEN");
}`,
        "src/server/routers/board.ts": `import { eq } from "drizzle-orm";
import { z } from "zod";
import { boards } from "../db/schema";
import { protectedProcedure, router } from "../trpc";
import { throwIfActionForbiddenAsync } from "./board/access";
export const boardRouter = router({
  mine: protectedProcedure.query(({ ctx }) => ctx.db.query.boards.findMany({ where: eq(boards.userId, ctx.session.user.id) })),
  rename: protectedProcedure.input(z.object({ id: z.string(), name: z.string() })).mutation(async ({ ctx, input }) => {
    await throwIfActionForbiddenAsync(ctx, eq(boards.id, input.id), "full");
    await ctx.db.update(boards).set({ name: input.name }).where(eq(boards.id, input.id));
  }),
});`,
      },
    },
    {
      name: "near-miss: a search term is not an id",
      path: "src/server/routers/board.ts",
      code: `import { eq, like } from "drizzle-orm";
import { z } from "zod";
import { boards } from "../db/schema";
import { protectedProcedure, router } from "../trpc";
export const boardRouter = router({
  mine: protectedProcedure.query(({ ctx }) => ctx.db.query.boards.findMany({ where: eq(boards.userId, ctx.session.user.id) })),
  search: protectedProcedure.input(z.object({ query: z.string() })).query(({ ctx, input }) => ctx.db.query.boards.findMany({ where: like(boards.name, \`%\${input.query}%\`) })),
});`,
    },
    {
      name: "anonymous route: missing-auth's finding, not this one's",
      files: {
        "app/api/notes/route.ts": notesList,
        "app/api/notes/[id]/route.ts": `import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await prisma.note.delete({ where: { id } });
  return new Response(null, { status: 204 });
}`,
      },
    },
    {
      name: "platform admin route spans users by design",
      files: {
        "app/api/notes/route.ts": notesList,
        "app/api/admin/notes/[id]/route.ts": `import { requireAdmin } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  await prisma.note.delete({ where: { id: (await params).id } });
  return new Response(null, { status: 204 });
}`,
      },
    },
    {
      name: "a record looked up by a secret token is a capability",
      files: {
        "app/api/notes/route.ts": notesList,
        "app/api/notes/shared/[token]/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function GET(_r: Request, { params }: { params: Promise<{ token: string }> }) {
  const session = await auth();
  if (!session) return new Response(null, { status: 401 });
  const { token } = await params;
  return Response.json(await prisma.note.findFirst({ where: { shareToken: token } }));
}`,
      },
    },
    {
      name: "a read of a table the code never scopes to a user (shared content)",
      files: {
        "app/api/articles/[id]/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function GET(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await auth();
  if (!session) return new Response(null, { status: 401 });
  return Response.json(await prisma.article.findUnique({ where: { id: (await params).id } }));
}`,
      },
    },
    {
      name: "a delete with no filter at all is unfiltered-write's finding alone",
      files: noteRoute(`  await prisma.note.deleteMany();
  return new Response(null, { status: 204 });`, "DELETE"),
    },
    {
      name: "tRPC procedure filtered by ctx.session.user.id",
      path: "src/server/api/routers/note.ts",
      code: `import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "../trpc";
export const noteRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => ctx.db.note.findMany({ where: { userId: ctx.session.user.id } })),
  remove: protectedProcedure.input(z.object({ id: z.string() })).mutation(({ ctx, input }) =>
    ctx.db.note.deleteMany({ where: { id: input.id, userId: ctx.session.user.id } }),
  ),
});`,
    },
    {
      name: "in a multi-tenant code base a tenant table is missing-org-context's",
      files: {
        "prisma/schema.prisma": `model Note {\n  id String @id\n  orgId String\n  userId String\n}`,
        ...noteRoute(`  return Response.json(await prisma.note.update({ where: { id }, data: await request.json() }));`),
      },
    },
  ],
  invalid: [
    {
      name: "near-miss: a signed-in user reading a share link by its id is a user caller, not the link's holder",
      files: {
        "app/api/links/route.ts": notesList.replaceAll("note", "link"),
        "app/api/links/[id]/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await auth();
  if (!session?.user?.id) return new Response("Unauthorized", { status: 401 });
  const { id } = await params;
  const link = await prisma.link.findUnique({ where: { id } });
  if (!link) return new Response("Not found", { status: 404 });
  return Response.json(link);
}`,
      },
      errors: [{ path: "app/api/links/[id]/route.ts", line: 3, messageId: "unowned" }],
    },
    {
      name: "near-miss: tRPC middleware's space looked up by the request's space id alone",
      files: trpcSpace("await prisma.space.findUnique({ where: { id: input.spaceId } })"),
      errors: [{ path: "src/server/routers/items.ts", line: 7, messageId: "unowned", severity: "critical" }],
    },
    {
      name: "near-miss: tRPC handler filters by a context value no middleware puts there",
      files: trpcSpace("await getActiveSpaceForUser(ctx.user.id)", "project"),
      errors: [{ path: "src/server/routers/items.ts", line: 7, messageId: "unowned" }],
    },
    {
      name: "near-miss: the caller's membership is included but never tested",
      files: dataroomMove(`  if (!team || team.datarooms.length === 0) return res.status(403).end("Forbidden");`),
      errors: [{ line: 5, messageId: "unowned", severity: "critical" }],
    },
    {
      name: "near-miss: the empty membership list is only logged, not refused",
      files: dataroomMove(`  if (!team || team.datarooms.length === 0) return res.status(403).end("Forbidden");
  if (team.users.length === 0) console.warn("not an admin");`),
      errors: [{ line: 5, messageId: "unowned" }],
    },
    {
      name: "near-miss: the nested lists are tested only after the write",
      files: dataroomMove("", `await prisma.dataroomDocument.updateMany({ where: { id: { in: documentIds }, dataroomId }, data: { folderId: null } });
  if (!team || team.users.length === 0 || team.datarooms.length === 0) return res.status(403).end("Forbidden");`),
      errors: [{ line: 5, messageId: "child" }],
    },
    {
      name: "near-miss: a child found by a second id not tied to the checked team",
      files: dataroomMove(
        `  if (!team || team.users.length === 0 || team.datarooms.length === 0) return res.status(403).end("Forbidden");`,
        "await prisma.dataroomDocument.updateMany({ where: { id: { in: documentIds }, dataroomId: otherDataroomId }, data: { folderId: null } });",
      ),
      errors: [{ line: 5, messageId: "child", data: { parent: "team", table: "dataroomDocument" } }],
    },
    {
      name: "near-miss: the nested membership list included but never tested (only that the record exists)",
      files: documentPreview(`  if (!document) return new Response("Not found", { status: 404 });`),
      errors: [{ path: "app/api/documents/[id]/preview/route.ts", line: 3, messageId: "unowned" }],
    },
    {
      name: "near-miss: the membership test is on a different record than the one returned",
      files: documentPreview(`  const folder = await prisma.folder.findUnique({ where: { id: folderId ?? "" }, include: { team: { include: { users: { where: { userId } } } } } });
  if (!folder || folder.team.users.length === 0) return new Response("Access denied", { status: 403 });`),
      errors: [{ path: "app/api/documents/[id]/preview/route.ts", line: 3 }],
    },
    {
      name: "near-miss: Hono delete by the id from c.req.param() alone",
      files: spaceApi("{ id: pollId }"),
      errors: [{ path: "src/api/polls.ts", line: 5 }],
    },
    {
      name: "PATCH by the route's id alone (the list route scopes the same table to the caller)",
      files: noteRoute(`  const note = await prisma.note.update({ where: { id }, data: await request.json() });
  return Response.json(note);`),
      errors: [{ path: "app/api/notes/[id]/route.ts", line: 4, messageId: "unowned", severity: "critical", replacement: "  const note = await prisma.note.update({ where: { id, userId: session.user.id }, data: await request.json() });" }],
    },
    {
      name: "GET by id with only an existence check after the fetch (notes are sensitive: critical)",
      files: noteRoute(`  const note = await prisma.note.findUnique({ where: { id } });
  if (!note) return new Response("Not found", { status: 404 });
  return Response.json(note);`, "GET"),
      errors: [{ path: "app/api/notes/[id]/route.ts", line: 4, messageId: "unowned", severity: "critical" }],
    },
    {
      name: "a read of a non-sensitive per-user table is high",
      files: {
        "app/api/bookmarks/route.ts": notesList.replace(/note/g, "bookmark"),
        "app/api/bookmarks/[id]/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function GET(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await auth();
  if (!session) return new Response(null, { status: 401 });
  return Response.json(await prisma.bookmark.findUnique({ where: { id: (await params).id } }));
}`,
      },
      errors: [{ path: "app/api/bookmarks/[id]/route.ts", line: 3, messageId: "unowned", severity: "high" }],
    },
    {
      name: "the where built in a variable without the caller",
      files: noteRoute(`  const where = { id };
  return Response.json(await prisma.note.deleteMany({ where }));`, "DELETE"),
      errors: [{ path: "app/api/notes/[id]/route.ts", line: 4, messageId: "unowned", severity: "critical" }],
    },
    {
      name: "child by a second id after only the parent was checked",
      files: {
        "app/api/notes/route.ts": notesList,
        "app/api/notes/[id]/comments/[commentId]/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: Promise<{ id: string; commentId: string }> }) {
  const session = await auth();
  if (!session?.user?.id) return new Response("Unauthorized", { status: 401 });
  const { id, commentId } = await params;
  const note = await prisma.note.findFirst({ where: { id, userId: session.user.id } });
  if (!note) return new Response("Not found", { status: 404 });
  await prisma.comment.delete({ where: { id: commentId } });
  return new Response(null, { status: 204 });
}`,
      },
      errors: [{ path: "app/api/notes/[id]/comments/[commentId]/route.ts", line: 3, messageId: "child", data: { parent: "note", table: "comment" }, replacement: "  await prisma.comment.delete({ where: { id: commentId, noteId: note.id } });" }],
    },
    {
      name: "tRPC mutation by input.id on a table the router scopes elsewhere",
      path: "src/server/api/routers/note.ts",
      code: `import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "../trpc";
export const noteRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => ctx.db.note.findMany({ where: { userId: ctx.session.user.id } })),
  rename: protectedProcedure.input(z.object({ id: z.string(), title: z.string() })).mutation(({ ctx, input }) =>
    ctx.db.note.update({ where: { id: input.id }, data: { title: input.title } }),
  ),
});`,
      errors: [{ line: 5, messageId: "unowned", data: { id: "input.id" } }],
    },
    {
      name: "server action deleting by a parsed form id (Drizzle), with a caller filter to reuse",
      path: "app/notes/actions.ts",
      code: `'use server';
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { auth } from "@/auth";
import { db } from "@/db";
import { notes } from "@/db/schema";
export async function listNotes() {
  const session = await auth();
  if (!session?.user?.id) throw new Error("Unauthorized");
  return db.select().from(notes).where(eq(notes.userId, session.user.id));
}
export async function deleteNote(formData: FormData) {
  const session = await auth();
  if (!session?.user?.id) throw new Error("Unauthorized");
  const id = z.string().uuid().parse(formData.get("id"));
  await db.delete(notes).where(eq(notes.id, id));
}`,
      errors: [{ line: 12, messageId: "unowned", severity: "critical", replacement: "  await db.delete(notes).where(and(eq(notes.id, id), eq(notes.userId, session.user.id)));" }],
    },
    {
      name: "a helper given an object whose member is the request id",
      path: "app/members/actions.ts",
      code: `'use server';
import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
async function changeRole({ memberId, role }: { memberId: string; role: string }) {
  await prisma.spaceMember.update({ where: { id: memberId }, data: { role } });
}
export async function listMembers() {
  const session = await auth();
  if (!session) throw new Error("Unauthorized");
  return prisma.spaceMember.findMany({ where: { userId: session.user.id } });
}
export async function changeMemberRole(memberId: string, role: string) {
  const session = await auth();
  if (!session) throw new Error("Unauthorized");
  await changeRole({ memberId, role });
}`,
      errors: [{ line: 12, messageId: "unowned", data: { id: "memberId" } }],
    },
    {
      name: "tRPC Drizzle update through ctx.db by input.id",
      path: "src/server/routers/board.ts",
      code: `import { eq } from "drizzle-orm";
import { z } from "zod";
import { boards } from "../db/schema";
import { protectedProcedure, router } from "../trpc";
export const boardRouter = router({
  mine: protectedProcedure.query(({ ctx }) => ctx.db.query.boards.findMany({ where: eq(boards.userId, ctx.session.user.id) })),
  rename: protectedProcedure.input(z.object({ id: z.string(), name: z.string() })).mutation(async ({ ctx, input }) => {
    await ctx.db.update(boards).set({ name: input.name }).where(eq(boards.id, input.id));
  }),
});`,
      errors: [{ line: 7, messageId: "unowned", severity: "critical" }],
    },
    {
      name: "a write by a request id on a route that ties nothing to the caller (a check against another request id is no check)",
      path: "src/server/routers/notebook.ts",
      code: `import { eq } from "drizzle-orm";
import { z } from "zod";
import { items } from "../db/schema";
import { protectedProcedure, router } from "../trpc";
export const notebookRouter = router({
  updateContent: protectedProcedure.input(z.object({ itemId: z.string(), boardId: z.string(), content: z.string() })).mutation(async ({ ctx, input }) => {
    const item = await ctx.db.query.items.findFirst({ where: eq(items.id, input.itemId) });
    if (!item || item.boardId !== input.boardId) throw new Error("NOT_FOUND");
    await ctx.db.update(items).set({ options: input.content }).where(eq(items.id, input.itemId));
  }),
});`,
      errors: [{ line: 6, messageId: "unowned", data: { id: "input.itemId" } }],
    },
    {
      name: "Express route by req.params.id behind requireAuth",
      path: "src/routes/notes.ts",
      code: `import { Router } from "express";
import { requireAuth } from "../auth";
import { Note } from "../models/note";
export const notes = Router();
notes.get("/", requireAuth, async (req, res) => res.json(await Note.find({ userId: req.user.id })));
notes.delete("/:id", requireAuth, async (req, res) => {
  await Note.findByIdAndDelete(req.params.id);
  res.sendStatus(204);
});`,
      errors: [{ line: 6, messageId: "unowned" }],
    },
  ],
});
