import check from "../../src/checks/missing-role-check.js";
import { describe, expect, it } from "vitest";
import { REMIX_SESSION_CONTEXT, ruleTester, runCheck } from "./tester.js";

/** A Next.js admin route that deletes any user by the id in its URL, with no checks of its own. */
const ADMIN_DELETE_USER = `import { prisma } from "@/lib/prisma";
export async function DELETE(_request: Request, { params }: { params: { id: string } }) {
  await prisma.user.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}`;

/** Website permissions of three strengths, each read from its name and its body. */
/** A project update gated by one permission call (`guard`), the call's arguments saying which permission. */
const PROJECT_UPDATE = (guard: string) => `import { ${guard.split("(")[0]} } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function PATCH(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await ${guard};
  return Response.json(await prisma.project.update({ where: { id }, data: await request.json() }));
}`;

const PERMISSIONS = `import { prisma } from "@/lib/prisma";
const EDIT_ROLES = ["team-owner", "team-manager"];
async function access(userId: string, websiteId: string) {
  const website = await prisma.website.findUnique({ where: { id: websiteId } });
  if (!website) return null;
  const member = await prisma.teamUser.findFirst({ where: { teamId: website.teamId, userId } });
  return member ? { role: member.role } : null;
}
export async function canViewWebsite(userId: string, websiteId: string) {
  return (await access(userId, websiteId)) !== null;
}
export async function canUpdateWebsite(userId: string, websiteId: string) {
  const a = await access(userId, websiteId);
  return !!a && EDIT_ROLES.includes(a.role);
}
export async function canDeleteWebsite(userId: string, websiteId: string) {
  const a = await access(userId, websiteId);
  return a?.role === "team-owner";
}
export async function checkWebsiteAccess(userId: string, websiteId: string) {
  return (await access(userId, websiteId)) !== null;
}`;

const websiteRoute = (check: string, work: string, method = "POST") => `import { auth } from "@/auth";
import { ${check} } from "@/lib/permissions";
import { prisma } from "@/lib/prisma";
export async function ${method}(_r: Request, { params }: { params: Promise<{ websiteId: string }> }) {
  const session = await auth();
  if (!session?.user?.id) return new Response(null, { status: 401 });
  const { websiteId } = await params;
  if (!(await ${check}(session.user.id, websiteId))) return new Response(null, { status: 403 });
${work}
  return Response.json({ ok: true });
}`;

const RESET = "  await prisma.websiteEvent.deleteMany({ where: { websiteId } });";
/** tRPC procedures whose guards are middleware on the builder chain, in a file read as context. */
const TRPC_PROCEDURES = `import { initTRPC, TRPCError } from "@trpc/server";
const t = initTRPC.context<{ user?: { id: string; permissions: string[] } }>().create();
export const router = t.router;
export const memberProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { user: ctx.user } });
});
export const gated = {
  requiresPermission: (permission: string) =>
    memberProcedure.use(({ ctx, next }) => {
      if (!ctx.user.permissions.includes(permission)) throw new TRPCError({ code: "FORBIDDEN" });
      return next();
    }),
};
`;
const TRPC_DELETE_USER = (procedure: string) => `import { z } from "zod";
import { router, ${procedure.split(".")[0]} } from "../trpc";
import { db } from "../db";
export const users = router({
  remove: ${procedure}.input(z.string()).mutation(async ({ input }) => db.user.delete({ where: { id: input } })),
});`;

/** A route passing `who` to a helper that updates the user row of the account it is given. */
const THEME_ACTION = (who: string) => `import { requireUser } from "~/session.server";
import { prisma } from "~/db.server";
import { updateTheme } from "~/models/theme.server";
export async function action({ request, params }: { request: Request; params: { id: string } }) {
  const user = await requireUser(request);
  const target = await prisma.user.findUnique({ where: { id: params.id } });
  await updateTheme({ account: ${who}, theme: "dark" });
  return null;
}`;
const THEME_CONTEXT = { "app/models/theme.server.ts": `import { prisma } from "~/db.server";
export async function updateTheme({ account, theme }: { account: { id: string }; theme: string }) {
  await prisma.user.update({ where: { id: account.id }, data: { theme } });
}`, "tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "~/*": ["./app/*"] } } }) };


/** A Remix admin loader built by the project's route builder; `builder` is the builder module's code. */
/** A pages/api team route that checks the caller's membership of the team, then runs `writes` with `field` read from the body. */
function teamRoute(field: string, writes: string): string {
  return `import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession } from "next-auth/next";
import { prisma } from "@/lib/prisma";
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, {});
  if (!session?.user?.id) return res.status(401).end();
  const { teamId } = req.query as { teamId: string };
  const { ${field} } = req.body as { ${field}: boolean };
  const team = await prisma.team.findFirst({ where: { id: teamId, users: { some: { userId: session.user.id } } } });
  if (!team) return res.status(403).end();
  ${writes}
  return res.status(200).json({ ok: true });
}`;
}

/** A Socket.IO server whose signed-in sockets delete an API key with raw SQL (`sql`, bound to `params`). */
function socketKeyServer(sql: string, params: string): string {
  return `import { Server } from "socket.io";
import { pool } from "./db";
import { checkLogin } from "./util";
const io = new Server(3000);
io.on("connection", (socket) => {
  socket.on("deleteAPIKey", async (keyID: number, callback: (r: unknown) => void) => {
    try {
      checkLogin(socket);
      await pool.query("${sql}", ${params});
      callback({ ok: true });
    } catch (e) {
      callback({ ok: false, msg: (e as Error).message });
    }
  });
});`;
}
const SOCKET_KEY_CONTEXT = {
  "src/db.ts": `import { Pool } from "pg";\nexport const pool = new Pool();`,
  "src/util.ts": `export function checkLogin(socket: { data: { user?: { id: number } } }) {\n  if (!socket.data.user) throw new Error("You are not logged in.");\n}`,
};

function builderAdminRoute(options: string, builder: string): { files: Record<string, string>; context: Record<string, string> } {
  return {
    files: {
      "app/routes/admin.users.tsx": `import { dashboardLoader } from "~/services/routeBuilder.server";
import { prisma } from "~/db.server";
export const loader = dashboardLoader(${options}, async ({ request }: { request: Request }) => {
  return prisma.user.findMany({ select: { id: true, email: true } });
});`,
    },
    context: {
      "app/services/routeBuilder.server.ts": builder,
      "app/session.server.ts": `export async function requireUser(request: Request): Promise<{ id: string; admin: boolean }> {
  const id = request.headers.get("x-user");
  if (!id) throw new Response("Unauthorized", { status: 401 });
  return { id, admin: false };
}`,
      "tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "~/*": ["./app/*"] } } }),
    },
  };
}
const READS_OPTION = `import { requireUser } from "~/session.server";
type Options = { authorization?: { requireSuper: true } };
export function dashboardLoader<T>(options: Options, fn: (args: { request: Request }) => Promise<T>) {
  return async (args: { request: Request }) => {
    const user = await requireUser(args.request);
    if (options.authorization?.requireSuper && !user.admin) throw new Response("Forbidden", { status: 403 });
    return fn(args);
  };
}`;
const IGNORES_OPTION = `import { requireUser } from "~/session.server";
export function dashboardLoader<T>(_options: object, fn: (args: { request: Request }) => Promise<T>) {
  return async (args: { request: Request }) => {
    await requireUser(args.request);
    return fn(args);
  };
}`;


/** A Remix action on the user table through a helper; `userIdFrom` is how the handler gets the id it passes. */
function userUpdateAction(userIdFrom: string): { files: Record<string, string>; context: Record<string, string> } {
  return {
    files: {
      "app/routes/account.name.tsx": `import { requireUserId } from "~/session.server";
import { updateUser } from "~/models/user.server";
export async function action({ request, params }: { request: Request; params: { userId: string } }) {
  ${userIdFrom}
  const form = await request.formData();
  await updateUser(userId, String(form.get("name")));
  return null;
}`,
    },
    context: {
      "app/models/user.server.ts": `import { prisma } from "~/db.server";
export function updateUser(id: string, name: string) {
  return prisma.user.update({ where: { id }, data: { name } });
}`,
      ...REMIX_SESSION_CONTEXT,
    },
  };
}
/** A team billing route whose membership lookup is `where`. */
const teamBilling = (where: string) => `import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession } from "next-auth";
import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, {});
  if (!session) return res.status(401).end("Unauthorized");
  const { teamId } = req.query as { teamId: string };
  const team = await prisma.team.findUnique({ where: ${where} });
  if (!team) return res.status(400).json({ error: "no team" });
  await prisma.team.update({ where: { id: team.id }, data: { pausedAt: new Date() } });
  return res.status(200).json({ ok: true });
}`;
/** An Express route removing a member; `check` is what the handler asks first. */
const removeMember = (check: string) => `import { Router } from "express";
import { prisma } from "../db";
import { requireAuth } from "../auth";
export const router = Router();
router.delete("/members/:id", requireAuth, async (req, res) => {
  ${check}
  await prisma.user.delete({ where: { id: req.params.id } });
  res.status(204).end();
});`;

ruleTester(check, {
  valid: [
    {
      name: "a caller's own row in raw SQL: `user_id = ?` bound to the socket's signed-in user",
      path: "src/server.ts",
      code: socketKeyServer("DELETE FROM api_key WHERE id = ? AND user_id = ?", "[keyID, socket.data.user.id]"),
      context: SOCKET_KEY_CONTEXT,
    },
    {
      name: "a helper updating the user row of the account it is given, given the caller's own",
      path: "app/routes/account.tsx",
      code: THEME_ACTION("user"),
      context: THEME_CONTEXT,
    },
    {
      name: "near-miss: a delete gated by the delete permission",
      files: { "lib/permissions.ts": PERMISSIONS, "app/api/websites/[websiteId]/reset/route.ts": websiteRoute("canDeleteWebsite", RESET) },
    },
    {
      name: "near-miss: an update gated by an options object whose scope names update access",
      path: "app/api/projects/[id]/route.ts",
      code: PROJECT_UPDATE(`requireProjectAccess({ projectId: id, scope: "project:update" })`),
    },
    {
      name: "near-miss: an update gated by a list of roles that are all editors or above",
      path: "app/api/projects/[id]/route.ts",
      code: PROJECT_UPDATE(`requireRoles(id, ["owner", "editor"])`),
    },
    {
      name: "near-miss: a read gated by the view permission",
      files: { "lib/permissions.ts": PERMISSIONS, "app/api/websites/[websiteId]/stats/route.ts": websiteRoute("canViewWebsite", "  await prisma.websiteEvent.count({ where: { websiteId } });", "GET") },
    },
    {
      name: "a view permission on a record is enough to point the caller's own row at it (a home page setting)",
      files: { "lib/permissions.ts": PERMISSIONS, "app/api/websites/[websiteId]/home/route.ts": websiteRoute("canViewWebsite", "  await prisma.user.update({ where: { id: session.user.id }, data: { homeWebsiteId: websiteId } });") },
    },
    {
      name: "near-miss: a helper whose name and body name no permission is not judged weak",
      files: { "lib/permissions.ts": PERMISSIONS, "app/api/websites/[websiteId]/reset/route.ts": websiteRoute("checkWebsiteAccess", RESET) },
    },
    {
      name: "a user changing their own per-user records (invoices) is not role-gated",
      files: {
        "app/api/invoices/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function GET() {
  const session = await auth();
  if (!session?.user?.id) return new Response(null, { status: 401 });
  return Response.json(await prisma.invoice.findMany({ where: { userId: session.user.id } }));
}`,
        "app/api/invoices/[id]/route.ts": `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function PATCH(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await auth();
  if (!session?.user?.id) return new Response(null, { status: 401 });
  const { id } = await params;
  return Response.json(await prisma.invoice.update({ where: { id }, data: await request.json() }));
}`,
      },
    },
    {
      name: "the principal's admin flag checked, the request turned away without it",
      path: "app/routes/admin.users.$id.tsx",
      code: `import { requireUser } from "~/session.server";
import { prisma } from "~/db.server";
export async function action({ request, params }: { request: Request; params: { id: string } }) {
  const user = await requireUser(request);
  if (!user.admin) {
    throw new Response("Forbidden", { status: 403 });
  }
  await prisma.user.delete({ where: { id: params.id } });
  return null;
}`,
    },
    {
      name: "a cron job behind bearerAuth with one secret from the environment (a machine caller, no user to hold a role)",
      path: "app/api/house-keeping/[...method]/route.ts",
      code: `import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { prisma } from "@/lib/prisma";
const app = new Hono().basePath("/api/house-keeping");
app.use("*", async (c, next) => bearerAuth({ token: process.env.CRON_SECRET! })(c, next));
app.post("/delete-inactive-users", async (c) => {
  const { count } = await prisma.user.deleteMany({ where: { lastLogin: { lt: new Date(Date.now() - 1e10) } } });
  return c.json({ count });
});`,
    },
    {
      name: "tRPC: deleting a user behind a permission procedure whose middleware (read as context) answers 403",
      path: "server/routers/users.ts",
      code: TRPC_DELETE_USER(`gated.requiresPermission("user-delete")`),
      context: { "server/trpc.ts": TRPC_PROCEDURES, "server/db.ts": `export const db = {} as any;` },
    },
    {
      name: "a Clerk user updating their own row, keyed by the id auth() returned",
      path: "app/api/profile/route.ts",
      code: `import { auth } from "@clerk/nextjs/server";
import { prisma } from "@/lib/prisma";
export async function PATCH(req: Request) {
  const { userId } = await auth();
  if (!userId) return new Response("unauthorized", { status: 401 });
  const { displayName } = await req.json();
  await prisma.user.update({ where: { clerkId: userId }, data: { displayName } });
  return Response.json({ ok: true });
}`,
    },
    {
      name: "near-miss: a user editing their own profile",
      path: "app/api/profile/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function PATCH(request: Request) {
  const session = await requireAuth();
  const { displayName } = await request.json();
  await prisma.profile.update({ where: { userId: session.userId }, data: { displayName } });
  return Response.json({ ok: true });
}`,
    },
    {
      name: "admin route behind a Next.js 16 proxy.ts that checks the admin role for /admin paths",
      files: {
        "proxy.ts": `import { NextResponse, type NextRequest } from "next/server";
import { auth } from "@/auth";
export async function proxy(request: NextRequest) {
  const session = await auth();
  if (request.nextUrl.pathname.startsWith("/admin") && session?.user.role !== "admin") return NextResponse.redirect(new URL("/", request.url));
  return NextResponse.next();
}`,
        "app/admin/users/[id]/route.ts": `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(_request: Request, { params }: { params: { id: string } }) {
  await requireAuth();
  await prisma.user.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}`,
      },
    },
    {
      name: "SvelteKit admin endpoint behind a handle hook that answers 403 to callers without the admin role",
      files: {
        "src/hooks.server.ts": `import { error, type Handle } from "@sveltejs/kit";
export const handle: Handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith("/admin") && event.locals.user?.role !== "admin") error(403, "Forbidden");
  return resolve(event);
};`,
        "src/routes/admin/users/[id]/+server.ts": `import { db } from "$lib/server/db";
export async function DELETE({ params }) {
  await db.user.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}`,
      },
    },
    {
      name: "admin route behind Clerk middleware that protects /admin with an org admin role",
      files: {
        "middleware.ts": `import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isAdminRoute = createRouteMatcher(["/admin(.*)"]);
export default clerkMiddleware(async (auth, req) => {
  if (isAdminRoute(req)) await auth.protect((has) => has({ role: "org:admin" }));
});`,
        "app/admin/users/[id]/route.ts": ADMIN_DELETE_USER,
      },
    },
    {
      name: "SvelteKit admin load that turns away a user whose role is not in an allowed list",
      files: {
        "src/routes/admin/+page.server.ts": `import { redirect } from "@sveltejs/kit";
import { db } from "$lib/server/db";
const authorized = ["admin"];
export const load = async ({ locals }) => {
  const { user } = locals;
  if (!user || !authorized.includes(user.role)) redirect(302, "/login");
  return { users: await db.user.findMany() };
};`,
        "src/routes/teachers/+page.server.ts": `import { redirect } from "@sveltejs/kit";
import { db } from "$lib/server/db";
export const load = async ({ locals }) => {
  if (!locals.user || !["admin", "teacher"].includes(locals.user.role)) redirect(302, "/login");
  await db.user.update({ where: { id: locals.user.id }, data: { lastSeen: new Date() } });
  return { classes: await db.class.findMany() };
};`,
      },
    },
    {
      name: "following another user links the caller to them through a relation: it changes neither account",
      path: "src/routes/profiles.ts",
      code: `import { Router } from "express";
import { authenticate } from "../middleware/auth";
import { prisma } from "../db";
export const profiles = Router();
profiles.post("/profiles/:username/follow", authenticate, async (req, res) => {
  await prisma.user.update({
    where: { username: req.params.username },
    data: { followedBy: { connectOrCreate: { where: { followerId_followingId: { followerId: req.auth.id, followingId: req.params.username } }, create: { followerId: req.auth.id } } } },
  });
  res.json({ ok: true });
});`,
    },
    {
      name: "a signed-in customer opening the Stripe billing portal for their own customer id: self-service",
      path: "app/api/users/stripe/route.ts",
      code: `import Stripe from "stripe";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth";
import { getUserSubscriptionPlan } from "@/lib/subscription";
const stripe = new Stripe(process.env.STRIPE_API_KEY!);
export async function GET() {
  const session = await getServerSession(authOptions);
  if (!session?.user) return new Response(null, { status: 403 });
  const plan = await getUserSubscriptionPlan(session.user.id);
  const portal = await stripe.billingPortal.sessions.create({ customer: plan.stripeCustomerId, return_url: process.env.APP_URL! });
  return Response.json({ url: portal.url });
}`,
    },
    {
      name: "raw SQL that inserts a new invoice or user row (read by its statement's verb, as Prisma's create is)",
      files: {
        "app/lib/actions.ts": `"use server";
import postgres from "postgres";
import { auth } from "@/auth";
const sql = postgres(process.env.POSTGRES_URL!);
export async function createInvoice(customerId: string, amount: number) {
  const session = await auth();
  if (!session) throw new Error("Sign in first");
  await sql\`INSERT INTO invoices (customer_id, amount, status) VALUES (\${customerId}, \${amount}, 'pending')\`;
}`,
        "server/routes/invite.ts": `import { Router } from "express";
import { requireAuth } from "../auth";
import { pool } from "../db";
export const invite = Router();
invite.post("/invites", requireAuth, async (req, res) => {
  await pool.query("insert into users (email, invited_by) values ($1, $2)", [req.body.email, req.user.id]);
  res.status(201).end();
});`,
      },
    },
    {
      name: "admin route behind Auth.js middleware whose authorized callback requires the admin role on /admin",
      files: {
        "middleware.ts": `export { auth as middleware } from "@/auth";`,
        "auth.ts": `import NextAuth from "next-auth";
export const { auth } = NextAuth({
  providers: [],
  callbacks: {
    authorized({ auth, request: { nextUrl } }) {
      if (nextUrl.pathname.startsWith("/admin")) return auth?.user?.role === "admin";
      return !!auth;
    },
  },
});`,
        "app/admin/users/[id]/route.ts": ADMIN_DELETE_USER,
      },
    },
    {
      name: "Nuxt admin route behind server middleware that turns away a missing user or a non-admin in one condition",
      files: {
        "server/middleware/admin.ts": `export default defineEventHandler((event) => {
  if (event.path.startsWith("/api/admin") && (!event.context.user || event.context.user.role !== "admin")) {
    throw createError({ statusCode: 403, statusMessage: "Forbidden" });
  }
});`,
        "server/api/admin/users/[id].delete.ts": `import { prisma } from "~/server/db";
export default defineEventHandler(async (event) => {
  await prisma.user.delete({ where: { id: getRouterParam(event, "id") } });
  return null;
});`,
      },
    },
    {
      name: "admin loader built with a route-builder option the builder reads (requireSuper: true)",
      ...builderAdminRoute("{ authorization: { requireSuper: true } }", READS_OPTION),
    },
    {
      name: "a user updating their own row through a helper, given the id requireUserId returned",
      ...userUpdateAction("const userId = await requireUserId(request);"),
    },
    {
      name: "the caller's membership looked up with the roles allowed inside the relation filter",
      path: "pages/api/teams/[teamId]/billing/pause.ts",
      code: teamBilling(`{ id: teamId, users: { some: { userId: session.user.id, role: { in: ["ADMIN", "MANAGER"] } } } }`),
    },
    {
      name: "admin loader built with a permission object the builder reads (authorization: { action, resource })",
      ...builderAdminRoute(`{ authorization: { action: "manage", resource: "users" } }`, READS_OPTION),
    },
    {
      name: "an RBAC ability asked before the delete",
      path: "src/routes/members.ts",
      code: removeMember(`if (!req.ability.can("manage", "members")) return res.status(403).end();`),
    },
    {
      name: "near-miss: admin list behind requireRole middleware",
      path: "src/routes/admin/users.ts",
      code: `import { Router } from "express";
import { requireAuth, requireRole } from "../../auth";
import { prisma } from "../../db";
const router = Router();
router.get("/", requireAuth, requireRole("admin"), async (req, res) => {
  res.json(await prisma.user.findMany());
});
export default router;`,
    },
    {
      name: "role change after an inline admin check",
      path: "app/api/users/[id]/role/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function PATCH(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  if (session.role !== "admin") return new Response(null, { status: 403 });
  const { id } = await params;
  await prisma.user.update({ where: { id }, data: { role: (await request.json()).role } });
  return Response.json({ ok: true });
}`,
    },
    {
      name: "service-role client inside withAdmin",
      path: "app/admin/users/actions.ts",
      code: `"use server";
import { withAdmin } from "@/lib/auth/with-admin";
export async function ban(userId: string) {
  return withAdmin(async (admin) => admin.auth.admin.updateUserById(userId, { ban_duration: "876000h" }));
}`,
    },
    {
      name: "near-miss: an imported controller wrapped in withAdmin in its own file",
      files: {
        "src/routes/admin/users.ts": `import { Router } from "express";
import { requireAuth } from "../../auth";
import { setRole } from "../../controllers/users";
const router = Router();
router.patch("/:id/role", requireAuth, setRole);
export default router;`,
        "src/controllers/users.ts": `import { withAdmin } from "../auth";
import { prisma } from "../db";
export const setRole = withAdmin(async (req, res) => {
  res.json(await prisma.user.update({ where: { id: req.params.id }, data: { role: req.body.role } }));
});`,
      },
    },
    {
      name: "admin router mounted behind requireRole in the server file",
      files: {
        "src/routes/admin.ts": `import { Router } from "express";
import { prisma } from "../db";
export const adminRouter = Router();
adminRouter.patch("/users/:id/role", async (req, res) => {
  res.json(await prisma.user.update({ where: { id: req.params.id }, data: { role: req.body.role } }));
});`,
        "src/server.ts": `import express from "express";
import { requireAuth, requireRole } from "./auth";
import { adminRouter } from "./routes/admin";
const app = express();
app.use("/admin", requireAuth, requireRole("admin"), adminRouter);`,
      },
    },
    {
      name: "near-miss: reset-password updates the user found by its token (an auth endpoint)",
      path: "app/api/auth/reset-password/route.ts",
      code: `import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const { token, hash } = await request.json();
  const record = await prisma.passwordResetToken.findUnique({ where: { token } });
  if (!record) return new Response(null, { status: 400 });
  await prisma.user.update({ where: { id: record.userId }, data: { passwordHash: hash } });
  return Response.json({ ok: true });
}`,
    },
    {
      name: "an unverified webhook gets missing-auth, not a role check",
      path: "app/api/webhooks/billing/route.ts",
      code: `import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const event = await request.json();
  await prisma.subscription.update({ where: { stripeId: event.id }, data: { status: event.status } });
  return new Response(null);
}`,
    },
    {
      name: "near-miss: deleting one's own API key (filtered by the caller's user id)",
      path: "app/api/api-keys/[id]/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  await prisma.apiKey.deleteMany({ where: { id: (await params).id, userId: session.userId } });
  return new Response(null, { status: 204 });
}`,
    },
    {
      name: "a verified webhook acts for the provider",
      path: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
import { prisma } from "@/lib/prisma";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(request: Request) {
  const event = stripe.webhooks.constructEvent(await request.text(), request.headers.get("stripe-signature")!, process.env.WH!);
  await prisma.subscription.update({ where: { stripeId: event.id }, data: { status: "active" } });
  return new Response(null);
}`,
    },
  ],
  invalid: [
    {
      name: "near-miss: the helper is given the user id from the URL",
      ...userUpdateAction("await requireUserId(request);\n  const userId = params.userId;"),
      errors: [{ path: "app/routes/account.name.tsx", line: 3 }],
    },
    {
      name: "near-miss: an ability asked but its answer never used",
      path: "src/routes/members.ts",
      code: removeMember(`req.ability.can("manage", "members");`),
      errors: [{ path: "src/routes/members.ts", line: 5 }],
    },
    {
      name: "near-miss: the same option given to a builder that never reads it",
      ...builderAdminRoute("{ authorization: { requireSuper: true } }", IGNORES_OPTION),
      errors: [{ path: "app/routes/admin.users.tsx", line: 3 }],
    },
    {
      name: "billing of a team found through the caller's membership (users.some.userId): members share the team, so pausing it needs a role",
      path: "pages/api/teams/[teamId]/billing/pause.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession } from "next-auth";
import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, {});
  if (!session) return res.status(401).end("Unauthorized");
  const { teamId } = req.query as { teamId: string };
  const team = await prisma.team.findUnique({ where: { id: teamId, users: { some: { userId: session.user.id } } } });
  if (!team) return res.status(400).json({ error: "no team" });
  await prisma.team.update({ where: { id: team.id }, data: { pausedAt: new Date() } });
  return res.status(200).json({ ok: true });
}`,
      errors: [{ line: 5, path: "pages/api/teams/[teamId]/billing/pause.ts" }],
    },
    {
      name: "near-miss: the same helper given another user's record, fetched by the id in the URL",
      path: "app/routes/account.tsx",
      code: THEME_ACTION("target!"),
      context: THEME_CONTEXT,
      errors: [{ line: 4, path: "app/routes/account.tsx" }],
    },
    {
      name: "near-miss of the caller's own row: the view permission gating an update of the shared record itself",
      files: { "lib/permissions.ts": PERMISSIONS, "app/api/websites/[websiteId]/home/route.ts": websiteRoute("canViewWebsite", "  await prisma.website.update({ where: { id: websiteId }, data: { homePath: \"/\" } });") },
      errors: [{ path: "app/api/websites/[websiteId]/home/route.ts", line: 4, messageId: "weakPermission", data: { check: "canViewWebsite" } }],
    },
    {
      name: "a reset (delete) gated only by the view permission, with the stronger helper named in the fix",
      files: { "lib/permissions.ts": PERMISSIONS, "app/api/websites/[websiteId]/reset/route.ts": websiteRoute("canViewWebsite", RESET) },
      errors: [{ path: "app/api/websites/[websiteId]/reset/route.ts", line: 4, messageId: "weakPermission", data: { check: "canViewWebsite" } }],
    },
    {
      name: "an update gated by a permission argument that names view access",
      path: "app/api/projects/[id]/route.ts",
      code: PROJECT_UPDATE(`requirePermission(id, "project:view")`),
      errors: [{ line: 3, messageId: "weakPermission", data: { check: "requirePermission" } }],
    },
    {
      name: "an update gated by an options object whose scope names read access",
      path: "app/api/projects/[id]/route.ts",
      code: PROJECT_UPDATE(`requireProjectAccess({ projectId: id, scope: "project:read" })`),
      errors: [{ line: 3, messageId: "weakPermission", data: { check: "requireProjectAccess" } }],
    },
    {
      name: "an update gated by a list of roles that lets viewers in (the weakest role listed decides)",
      path: "app/api/projects/[id]/route.ts",
      code: PROJECT_UPDATE(`requireRoles(id, ["owner", "editor", "viewer"])`),
      errors: [{ line: 3, messageId: "weakPermission", data: { check: "requireRoles" } }],
    },
    {
      name: "near-miss: the admin flag only read for display, nothing turned away",
      path: "app/routes/admin.users.$id.tsx",
      code: `import { requireUser } from "~/session.server";
import { prisma } from "~/db.server";
export async function action({ request, params }: { request: Request; params: { id: string } }) {
  const user = await requireUser(request);
  const label = user.admin ? "admin" : "member";
  await prisma.user.delete({ where: { id: params.id } });
  return { label };
}`,
      errors: [{ line: 3, path: "app/routes/admin.users.$id.tsx" }],
    },
    {
      name: "near-miss: bearerAuth checking per-user API keys admits users, so deleting users needs a role",
      path: "app/api/house-keeping/[...method]/route.ts",
      code: `import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { prisma } from "@/lib/prisma";
const app = new Hono().basePath("/api/house-keeping");
app.use("*", bearerAuth({ verifyToken: async (token) => Boolean(await prisma.apiKey.findFirst({ where: { token } })) }));
app.post("/delete-inactive-users", async (c) => {
  const { count } = await prisma.user.deleteMany({ where: { lastLogin: { lt: new Date(Date.now() - 1e10) } } });
  return c.json({ count });
});`,
      errors: [{ line: 6 }],
    },
    {
      name: "tRPC: deleting any user behind a procedure that only authenticates",
      path: "server/routers/users.ts",
      code: TRPC_DELETE_USER("memberProcedure"),
      context: { "server/trpc.ts": TRPC_PROCEDURES, "server/db.ts": `export const db = {} as any;` },
      errors: [{ line: 5 }],
    },
    {
      name: "admin routes a Next.js middleware's role check does not cover: another admin path, and a role read from a cookie",
      files: {
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
import { auth } from "@/auth";
export async function middleware(request: NextRequest) {
  const session = await auth();
  if (request.nextUrl.pathname.startsWith("/admin/billing") && session?.user.role !== "admin") return NextResponse.redirect(new URL("/", request.url));
  if (request.nextUrl.pathname.startsWith("/admin/users") && request.cookies.get("role")?.value !== "admin") return NextResponse.redirect(new URL("/", request.url));
  if (!session) return NextResponse.redirect(new URL("/login", request.url));
  return NextResponse.next();
}`,
        // Signed in by its own call: a route with no principal at all is missing-auth's alone.
        "app/admin/users/[id]/route.ts": ADMIN_DELETE_USER.replace("export async function DELETE(_request: Request, { params }: { params: { id: string } }) {", 'import { requireAuth } from "@/lib/auth";\nexport async function DELETE(_request: Request, { params }: { params: { id: string } }) {\n  await requireAuth();'),
      },
      errors: [{ line: 3, path: "app/admin/users/[id]/route.ts" }],
    },
    {
      name: "admin work a Next.js middleware's role check never runs in front of: a server action (posted to any page) and an Express route",
      files: {
        "middleware.ts": `import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isAdminRoute = createRouteMatcher(["/admin(.*)"]);
export default clerkMiddleware(async (auth, req) => {
  if (isAdminRoute(req)) await auth.protect((has) => has({ role: "org:admin" }));
});`,
        "app/admin/users/actions.ts": `"use server";
import { auth } from "@clerk/nextjs/server";
import { prisma } from "@/lib/prisma";
export async function deleteUser(id: string) {
  const { userId } = await auth();
  if (!userId) throw new Error("Sign in first");
  await prisma.user.delete({ where: { id } });
}`,
        "apps/legacy/middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
import { auth } from "@/auth";
export async function middleware(request: NextRequest) {
  const session = await auth();
  if (request.method === "POST" && request.nextUrl.pathname.startsWith("/admin") && session?.user.role !== "admin") return NextResponse.redirect(new URL("/", request.url));
  return NextResponse.next();
}`,
        "apps/legacy/server/admin.ts": `import { Router } from "express";
import { requireAuth } from "../lib/auth";
import { db } from "../lib/db";
export const admin = Router();
admin.delete("/admin/users/:id", requireAuth, async (req, res) => {
  await db.user.delete({ where: { id: req.params.id } });
  res.status(204).end();
});`,
      },
      errors: [
        { line: 4, path: "app/admin/users/actions.ts" },
        { line: 5, path: "apps/legacy/server/admin.ts" },
      ],
    },
    {
      name: "Auth.js authorized callback whose role comes from a header, not the session",
      files: {
        "middleware.ts": `export { auth as middleware } from "@/auth";`,
        "auth.ts": `import NextAuth from "next-auth";
export const { auth } = NextAuth({
  providers: [],
  callbacks: {
    authorized({ auth, request }) {
      if (request.nextUrl.pathname.startsWith("/admin")) return !!auth && request.headers.get("x-role") === "admin";
      return !!auth;
    },
  },
});`,
        "app/admin/users/[id]/route.ts": ADMIN_DELETE_USER,
      },
      errors: [{ line: 2, path: "app/admin/users/[id]/route.ts" }],
    },
    {
      name: "authenticated role change of another user, no role check",
      path: "app/api/admin/users/[id]/role/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { createClient } from "@supabase/supabase-js";
export async function PATCH(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  const { id: targetUserId } = await params;
  const { role } = await request.json();
  const supabase = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  await supabase.from("profiles").update({ role }).eq("id", targetUserId);
  return Response.json({ ok: session.userId !== targetUserId });
}`,
      errors: [
        {
          line: 3,
          severity: "high",
          data: { what: "changes `role` on `profiles`" },
          needs: ["requireRole"], replacement: `  const session = await requireAuth();\n  await requireRole(session, "admin");`,
        },
      ],
    },
    {
      name: "Express admin role change with auth but no role middleware",
      path: "src/routes/admin/users.ts",
      code: `import { Router } from "express";
import { requireAuth } from "../../auth";
import { prisma } from "../../db";
const router = Router();
router.patch("/:id/role", requireAuth, async (req, res) => {
  res.json(await prisma.user.update({ where: { id: req.params.id }, data: { role: req.body.role } }));
});
export default router;`,
      errors: [{ line: 5, needs: ["requireRole"], replacement: `router.patch("/:id/role", requireAuth, requireRole("admin"), async (req, res) => {` }],
    },
    {
      name: "Express admin role change in an imported controller, auth but no role middleware",
      files: {
        "src/routes/admin/users.ts": `import { Router } from "express";
import { requireAuth } from "../../auth";
import { setRole } from "../../controllers/users";
const router = Router();
router.patch("/:id/role", requireAuth, setRole);
export default router;`,
        "src/controllers/users.ts": `import { prisma } from "../db";
export async function setRole(req, res) {
  res.json(await prisma.user.update({ where: { id: req.params.id }, data: { role: req.body.role } }));
}`,
      },
      errors: [{ line: 5, path: "src/routes/admin/users.ts", needs: ["requireRole"], replacement: `router.patch("/:id/role", requireAuth, requireRole("admin"), setRole);` }],
    },
    {
      name: "deleting another user's account by id",
      path: "app/api/users/[id]/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireAuth();
  const { id } = await params;
  await prisma.user.delete({ where: { id } });
  return new Response(null, { status: 204 });
}`,
      errors: [{ line: 3, data: { what: "changes another user's `user` row (delete)" } }],
    },
    {
      name: "the caller's id written into data does not make another user's row their own",
      path: "app/api/users/[id]/suspend/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function POST(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  const { id } = await params;
  await prisma.user.update({ where: { id }, data: { suspendedAt: new Date(), suspendedBy: session.userId } });
  return Response.json({ ok: true });
}`,
      errors: [{ line: 3, needs: ["requireRole"], replacement: `  const session = await requireAuth();\n  await requireRole(session, "admin");` }],
    },
    {
      name: "organisation settings changed by any member (server action)",
      path: "app/(app)/settings/actions.ts",
      code: `"use server";
import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function renameOrg(orgId: string, name: string) {
  await requireAuth();
  await prisma.organization.update({ where: { id: orgId }, data: { name } });
}`,
      errors: [{ line: 4 }],
    },
    {
      name: "near-miss of a caller's own row in raw SQL: an API key deleted by its id alone is the organisation's setting",
      path: "src/server.ts",
      code: socketKeyServer("DELETE FROM api_key WHERE id = ?", "[keyID]"),
      context: SOCKET_KEY_CONTEXT,
      errors: [{ line: 6, messageId: "missingRoleCheck", data: { what: "changes organisation settings (`api_key` delete)" } }],
    },
    {
      name: "a team-wide product preference changed by any member is asked about at medium, not blocked on",
      path: "pages/api/teams/[teamId]/advanced-mode.ts",
      code: teamRoute("enableExcelAdvancedMode", "await prisma.team.update({ where: { id: teamId }, data: { enableExcelAdvancedMode } });"),
      errors: [{ line: 4, messageId: "preferenceWithoutRole", severity: "medium", data: { what: "changes a team-wide setting (`enableExcelAdvancedMode` on `team`)" } }],
    },
    ...[
      ["a policy field (enforceSso)", "{ enforceSso }"],
      ["a sharing field (allowPublicLinks)", "{ allowPublicLinks: enforceSso }"],
      ["values spread from the body", "{ ...req.body }"],
      ["a computed key", "{ [String(req.body.field)]: enforceSso }"],
    ].map(([what, data]: string[]) => ({
      name: `a team setting write with ${what} stays an organisation setting, at high`,
      path: "pages/api/teams/[teamId]/settings.ts",
      code: teamRoute("enforceSso", `await prisma.team.update({ where: { id: teamId }, data: ${data} });`),
      errors: [{ line: 4, messageId: "missingRoleCheck", severity: "high" as const }],
    })),
    {
      name: "a preference and a plan change in one route: the plan change decides",
      path: "pages/api/teams/[teamId]/trial.ts",
      code: teamRoute(
        "answers",
        "await prisma.team.update({ where: { id: teamId }, data: { surveyData: answers } });\n  await prisma.team.update({ where: { id: teamId }, data: { plan: `${team.plan}+trial` } });",
      ),
      errors: [{ line: 4, messageId: "missingRoleCheck", severity: "high", data: { what: "changes organisation settings (`team` update)" } }],
    },
    {
      name: "admin page route reading all users",
      path: "app/api/admin/users/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function GET() {
  await requireAuth();
  return Response.json(await prisma.user.findMany());
}`,
      errors: [{ line: 3, data: { what: "is an admin route" } }],
    },
    {
      name: "a pre-existing admin route is not new",
      path: "app/api/admin/stats/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function GET() {
  await requireAuth();
  return Response.json({ users: await prisma.user.count() });
}
// touched`,
      patches: { "app/api/admin/stats/route.ts": "@@ -6,0 +7,1 @@\n+// touched" },
      errors: [{ line: 3, new: false }],
    },
  ],
});

describe("authz/missing-role-check fixes", () => {
  it("names the stronger helper of the same module for a read-gated delete", () => {
    const [finding] = runCheck(check, { name: "reset", files: { "lib/permissions.ts": PERMISSIONS, "app/api/websites/[websiteId]/reset/route.ts": websiteRoute("canViewWebsite", RESET) } });
    expect(finding?.fix).toContain("canDeleteWebsite");
  });
});

/** An Express guard factory: the permission it is given is checked against the signed-in user, 403 otherwise. */
const GUARD_FACTORY = `import type { Request, Response, NextFunction } from "express";
export const Permission = { ADMIN: 2, MANAGE_USERS: 8, VIEW_USERS: 16 } as const;
export const isAuthenticated = (permissions?: number) => (req: Request, res: Response, next: NextFunction) => {
  if (!req.user || !req.user.hasPermission(permissions ?? 0)) {
    res.status(403).json({ error: "You do not have permission to access this endpoint" });
  } else {
    next();
  }
};
export const requireUser = (redirectTo?: string) => (req: Request, res: Response, next: NextFunction) => {
  if (!req.user) return res.redirect(redirectTo ?? "/login");
  next();
};`;
/** A user router whose routes are guarded by `guard`, the factory above. */
const usersRouter = (guard: string, method = "put", work = "await userRepository.save(Object.assign(user, req.body));") => `import { Router } from "express";
import { getRepository } from "../datasource";
import { User } from "../entity/User";
import { isAuthenticated, Permission, requireUser } from "../middleware/auth";
import { canChangePermissions } from "./grants";
const router = Router();
router.${method}("/:id", ${guard}, async (req, res) => {
  const userRepository = getRepository(User);
  const user = await userRepository.findOneOrFail({ where: { id: Number(req.params.id) } });
  ${work}
  res.json(user);
});
export default router;`;
const GRANT_WORK = "user.permissions = req.body.permissions;\n  await userRepository.save(user);";
/** A helper comparing the permissions to grant with the caller's own. */
const GRANTS = `export const canChangePermissions = (permissions: unknown, user?: { id: number }): boolean => user?.id === 1 || permissions !== 2;`;
const USERS_CONTEXT = { "server/middleware/auth.ts": GUARD_FACTORY, "server/datasource.ts": `export { getRepository } from "typeorm";`, "server/entity/User.ts": `export class User { id!: number; }` };

/** A tRPC procedure deleting an API key by the id it is given; `check` is what it compares after the fetch. */
const deleteApiKey = (check: string) => `import { z } from "zod";
import { eq } from "drizzle-orm";
import { db } from "../db";
import { apikey } from "../db/schema";
import { protectedProcedure, router } from "../trpc";
export const keys = router({
  deleteApiKey: protectedProcedure.input(z.object({ apiKeyId: z.string() })).mutation(async ({ input, ctx }) => {
    const key = await db.query.apikey.findFirst({ where: eq(apikey.id, input.apiKeyId) });
    if (!key) throw new Error("not found");
    ${check}
    await db.delete(apikey).where(eq(apikey.id, input.apiKeyId));
    return true;
  }),
});`;
const TRPC_AUTHED = `import { initTRPC, TRPCError } from "@trpc/server";
const t = initTRPC.context<{ user?: { id: string }; session?: { activeOrganizationId: string } }>().create();
export const router = t.router;
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { user: ctx.user } });
});`;
const KEYS_CONTEXT = { "server/trpc.ts": TRPC_AUTHED, "server/db.ts": `export const db = {} as any;`, "server/db/schema.ts": `import { pgTable, text } from "drizzle-orm/pg-core";\nexport const apikey = pgTable("apikey", { id: text("id"), referenceId: text("reference_id"), organizationId: text("organization_id") });` };

/** A Remix action accepting an invitation; `role` is the new membership's role. */
const acceptInvite = (role: string) => `import { prisma } from "~/db.server";
import { requireUser } from "~/services/session.server";
export async function action({ request }: { request: Request }) {
  const user = await requireUser(request);
  const form = await request.formData();
  const inviteId = String(form.get("inviteId"));
  const invite = await prisma.orgMemberInvite.findFirst({ where: { id: inviteId, email: user.email } });
  if (!invite) throw new Response("Not found", { status: 404 });
  await prisma.orgMember.create({ data: { organizationId: invite.organizationId, userId: user.id, role: ${role} } });
  return null;
}`;

/** The session helper and the database client the invitation action imports, read as context. */
const INVITE_CONTEXT: Record<string, string> = {
  "app/services/session.server.ts": `export async function requireUser(request: Request): Promise<{ id: string; email: string }> {
  const id = request.headers.get("x-user");
  if (!id) throw new Response("Unauthorized", { status: 401 });
  return { id, email: String(request.headers.get("x-email")) };
}`,
  "app/db.server.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();`,
  "tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "~/*": ["./app/*"] } } }),
};

/** A calendar sync: users whose default calendar is gone lose it; `where` picks the connection the calendars are read from. */
const syncCalendars = (where: string) => `import { prisma } from "@/lib/prisma";
import { privateProcedure, router } from "../trpc";
import { z } from "zod";
async function sync({ userId, connectionId }: { userId: string; connectionId: string }) {
  const connection = await prisma.calendarConnection.findFirst({ where: ${where} });
  if (!connection) return { success: false };
  const gone = await prisma.providerCalendar.findMany({ where: { calendarConnectionId: connection.id, isDeleted: false } });
  const ids = gone.map((cal) => cal.id);
  await prisma.user.updateMany({ where: { defaultDestinationCalendarId: { in: ids } }, data: { defaultDestinationCalendarId: null } });
  return { success: true };
}
export const calendars = router({
  sync: privateProcedure.input(z.object({ id: z.string() })).mutation(async ({ ctx, input }) => sync({ userId: ctx.user.id, connectionId: input.id })),
});`;
const TRPC_PRIVATE = `import { initTRPC, TRPCError } from "@trpc/server";
const t = initTRPC.context<{ user?: { id: string } }>().create();
export const router = t.router;
export const privateProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { user: ctx.user } });
});`;

ruleTester(check, {
  valid: [
    {
      name: "a route with no principal at all is missing-auth's alone (one missing constraint, one finding)",
      path: "pages/api/teams/[teamId]/domains/[domain]/verify.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import prisma from "@/lib/prisma";
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  const { domain } = req.query as { domain: string };
  await prisma.domain.update({ where: { slug: domain }, data: { verified: true } });
  return res.status(200).json({ ok: true });
}`,
    },
    {
      name: "a cron verified by QStash's Receiver (a machine caller) refusing a bad signature with 401",
      files: {
        "lib/cron.ts": `import { Receiver } from "@upstash/qstash";
export const receiver = new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!, nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! });`,
        "app/api/cron/domains/route.ts": `import { receiver } from "@/lib/cron";
import prisma from "@/lib/prisma";
export async function POST(req: Request) {
  const body = await req.json();
  const isValid = await receiver.verify({ signature: req.headers.get("Upstash-Signature") || "", body: JSON.stringify(body) });
  if (!isValid) return new Response("Unauthorized", { status: 401 });
  await prisma.domain.updateMany({ where: { verified: false }, data: { lastChecked: new Date() } });
  return Response.json({ ok: true });
}`,
      },
    },
    {
      name: "an internal job authenticated by a shared key from the environment compared with timingSafeEqual",
      path: "pages/api/internal/billing/automatic-unpause.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import { timingSafeEqual } from "crypto";
import prisma from "@/lib/prisma";
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  const token = (req.headers.authorization ?? "").slice(7);
  const envKey = process.env.INTERNAL_API_KEY ?? "";
  if (token.length !== envKey.length || !timingSafeEqual(Buffer.from(token), Buffer.from(envKey))) return res.status(401).end();
  await prisma.team.update({ where: { id: req.body.teamId }, data: { pausedAt: null } });
  return res.status(200).json({ ok: true });
}`,
    },
    {
      name: "Express: a guard factory given a permission in the route's middleware list, its body (read) checking it",
      path: "server/routes/users.ts",
      code: usersRouter("isAuthenticated(Permission.MANAGE_USERS)"),
      context: USERS_CONTEXT,
    },
    {
      name: "a guard factory from a package the review does not read, given a role constant",
      path: "server/routes/users.ts",
      code: `import { Router } from "express";
import { requireAuth, Roles } from "@acme/auth-middleware";
import { prisma } from "../db";
const router = Router();
router.delete("/:id", requireAuth(Roles.ADMIN), async (req, res) => {
  await prisma.user.delete({ where: { id: req.params.id } });
  res.status(204).end();
});
export default router;`,
    },
    {
      name: "permissions granted behind a manage-level guard, with a check given the permissions being granted",
      path: "server/routes/users.ts",
      code: usersRouter("isAuthenticated(Permission.MANAGE_USERS)", "post", `if (!canChangePermissions(req.body.permissions, req.user)) return res.status(403).end();\n  ${GRANT_WORK}`),
      context: { ...USERS_CONTEXT, "server/routes/grants.ts": GRANTS },
    },
    {
      name: "a user syncing their own calendar: users cleared by ids of rows of the caller's own connection",
      path: "server/routers/calendars.ts",
      code: syncCalendars("{ id: connectionId, userId }"),
      context: { "server/trpc.ts": TRPC_PRIVATE },
    },
    {
      name: "a user deleting their own API key: the owner compared with the caller after the fetch",
      path: "server/routers/keys.ts",
      code: deleteApiKey(`if (key.referenceId !== ctx.user.id) throw new Error("forbidden");`),
      context: KEYS_CONTEXT,
    },
    {
      name: "a sign-in endpoint updating the signing-in user's row and putting them in the session",
      path: "server/routes/auth.ts",
      code: `import { Router } from "express";
import { getRepository } from "typeorm";
import { User } from "../entity/User";
import { fetchProviderAccount } from "../api/provider";
const authRoutes = Router();
authRoutes.post("/provider", async (req, res, next) => {
  const account = await fetchProviderAccount(req.body.authToken);
  const userRepository = getRepository(User);
  const user = await userRepository.findOne({ where: { providerId: account.id } });
  if (!user) return next({ status: 403, message: "Access denied." });
  user.avatar = account.thumb;
  await userRepository.save(user);
  if (req.session) req.session.userId = user.id;
  return res.status(200).json(user);
});
export default authRoutes;`,
      context: { "server/entity/User.ts": `export class User { id!: number; }`, "server/api/provider.ts": `export async function fetchProviderAccount(token: string) { return { id: token, thumb: "" }; }` },
    },
    {
      name: "accepting an invitation addressed to the caller: the role comes from the invite row, the membership is the caller's",
      path: "app/routes/invites.tsx",
      code: acceptInvite("invite.role"),
      context: INVITE_CONTEXT,
    },
  ],
  invalid: [
    {
      name: "near-miss: the same guard factory called without a permission only authenticates",
      path: "server/routes/users.ts",
      code: usersRouter("isAuthenticated()"),
      context: USERS_CONTEXT,
      errors: [{ line: 7 }],
    },
    {
      name: "near-miss: a factory given a role word whose body checks no role",
      path: "server/routes/users.ts",
      code: usersRouter(`requireUser("admin")`),
      context: USERS_CONTEXT,
      errors: [{ line: 7 }],
    },
    {
      name: "near-miss: the same unread factory given a path, not a role",
      path: "server/routes/users.ts",
      code: `import { Router } from "express";
import { requireAuth } from "@acme/auth-middleware";
import { prisma } from "../db";
const router = Router();
router.delete("/:id", requireAuth("/login"), async (req, res) => {
  await prisma.user.delete({ where: { id: req.params.id } });
  res.status(204).end();
});
export default router;`,
      errors: [{ line: 5 }],
    },
    {
      name: "permissions set from the request behind a manage-level guard only: a user manager can grant admin",
      path: "server/routes/users.ts",
      code: usersRouter("isAuthenticated(Permission.MANAGE_USERS)", "post", GRANT_WORK),
      context: USERS_CONTEXT,
      errors: [{ line: 7, messageId: "weakGrant", data: { check: "isAuthenticated", level: "write" } }],
    },
    {
      name: "near-miss: a permission helper that is not given the permissions being granted",
      path: "server/routes/users.ts",
      code: usersRouter("isAuthenticated(Permission.MANAGE_USERS)", "post", `if (!canChangePermissions(req.params.id, req.user)) return res.status(403).end();\n  ${GRANT_WORK}`),
      context: { ...USERS_CONTEXT, "server/routes/grants.ts": GRANTS },
      errors: [{ line: 7, messageId: "weakGrant" }],
    },
    {
      name: "a delete behind a guard factory whose permission names view access only",
      path: "server/routes/users.ts",
      code: usersRouter("isAuthenticated(Permission.VIEW_USERS)", "delete", "await userRepository.delete(user.id);"),
      context: USERS_CONTEXT,
      errors: [{ line: 7, messageId: "weakPermission", data: { check: "isAuthenticated" } }],
    },
    {
      name: "near-miss: a calendar sync reading the connection by the request's id alone",
      path: "server/routers/calendars.ts",
      code: syncCalendars("{ id: connectionId }"),
      context: { "server/trpc.ts": TRPC_PRIVATE },
      errors: [{ line: 13 }],
    },
    {
      name: "near-miss: an API key deleted after comparing it with the caller's organisation, not the caller",
      path: "server/routers/keys.ts",
      code: deleteApiKey(`if (key.organizationId !== ctx.session?.activeOrganizationId) throw new Error("forbidden");`),
      context: KEYS_CONTEXT,
      errors: [{ line: 7 }],
    },
    {
      name: "near-miss: an API key deleted by the request's id with no comparison",
      path: "server/routers/keys.ts",
      code: deleteApiKey(""),
      context: KEYS_CONTEXT,
      errors: [{ line: 7 }],
    },
    {
      name: "near-miss: joining an organisation with the role taken from the request",
      path: "app/routes/invites.tsx",
      code: acceptInvite(`String(form.get("role"))`).replace(/ {2}const invite = [^\n]*\n {2}if \(!invite\)[^\n]*\n/, "  const invite = { organizationId: String(form.get(\"organizationId\")) };\n"),
      context: INVITE_CONTEXT,
      errors: [{ line: 3 }],
    },
  ],
});
