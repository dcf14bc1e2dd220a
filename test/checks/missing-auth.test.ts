import { describe, expect, it } from "vitest";
import check from "../../src/checks/missing-auth.js";
import { ruleTester, runCheck } from "./tester.js";

/** A SvelteKit endpoint that deletes a note by the id in its URL, with no auth of its own. */
const SVELTEKIT_DELETE_NOTE = `import { db } from "$lib/server/db";
export async function DELETE({ params }) {
  await db.note.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}`;
/** A Next.js route handler that reads an item by the id in its URL, with no auth of its own. */
const NEXT_GET_ITEM = `import { prisma } from "@/lib/prisma";
export async function GET(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  return Response.json(await prisma.item.findUnique({ where: { id: (await params).id } }));
}`;

/** A Next.js route handler that deletes a `model` row by the id in its URL, with no auth of its own. */
function nextDeleteById(model: string): string {
  return `import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: { id: string } }) {
  await prisma.${model}.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}`;
}

// A procedure file as tRPC apps write it: the guard sits in middleware on the builder chain.
const TRPC_PROCEDURES = `import { initTRPC, TRPCError } from "@trpc/server";
const t = initTRPC.context<{ user?: { id: string; permissions: string[] } }>().create();
export const router = t.router;
export const publicProcedure = t.procedure;
const enforceUser = t.middleware(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { user: ctx.user } });
});
export const memberProcedure = publicProcedure.use(enforceUser);
export const spaceProcedure = memberProcedure.use(async ({ ctx, next }) => next({ ctx: { space: ctx.user.id } }));
export const gated = {
  requiresPermission: (permission: string) =>
    memberProcedure.use(({ ctx, next }) => {
      if (!ctx.user.permissions.includes(permission)) throw new TRPCError({ code: "FORBIDDEN" });
      return next();
    }),
};
// Named like a guard, checks nothing.
export const protectedProcedure = publicProcedure.use(({ next }) => next());
`;
const TRPC_ROUTER = (procedure: string) => `import { z } from "zod";
import { router, ${procedure.split(".")[0]} } from "../trpc";
import { db } from "../db";
export const projects = router({
  remove: ${procedure}.input(z.string()).mutation(async ({ input }) => db.project.delete({ where: { id: input } })),
});`;

/** A signing link: the record is found by the hash of the token in the URL; `refuse` is what happens when none matches. */
const SIGNING_LINK = (filter: string, refuse: string) => `import { prisma } from "@/lib/prisma";
import { hashToken } from "@/lib/tokens";
export async function POST(request: Request, { params }: { params: { key: string } }) {
  const link = await prisma.signingRequest.findUnique({ where: { ${filter} } });
  ${refuse}
  await prisma.signingRequest.update({ where: { id: link.id }, data: { signedAt: new Date() } });
  return Response.json({ ok: true });
}`;

const HONO_POLL_ROUTE = `import { Hono } from "hono";
import { prisma } from "@/lib/prisma";
import { apiKeyAuth } from "./api-key";
const app = new Hono().basePath("/api/v1");
app.delete("/polls/:id", apiKeyAuth, async (c) => {
  await prisma.poll.delete({ where: { id: c.req.param("id") } });
  return c.json({ ok: true });
});`;

const TOKENS_MODULE = `import { createHash } from "node:crypto";\nexport const hashToken = (t: string) => createHash("sha256").update(t).digest("hex");`;

const KEY_ROUTE = (status: number) => `import { prisma } from "@/lib/prisma";
import { resolveApiKey } from "@/lib/keys";
export async function POST(request: Request, { params }: { params: { id: string } }) {
  const key = await resolveApiKey(request);
  if (!key) return Response.json({ error: "bad key" }, { status: ${status} });
  await prisma.schedule.update({ where: { id: params.id }, data: { active: true } });
  return Response.json({ ok: true });
}`;
const KEY_CONTEXT = { "lib/keys.ts": `import { prisma } from "./prisma";\nexport async function resolveApiKey(request: Request) {\n  const header = request.headers.get("x-api-key");\n  return header ? prisma.apiKey.findFirst({ where: { value: header } }) : null;\n}`, "lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();` };


/** A Remix action whose guard is two local helpers deep; `innermost` is what the last helper does. */
const gateChain = (innermost: string) => `import { prisma } from "~/db.server";
import { requireUser } from "~/session.server";
async function lookUp(request: Request) {
  ${innermost}
}
async function ownAccount(request: Request) {
  const user = await lookUp(request);
  return { user };
}
export async function action({ request }: { request: Request }) {
  const gate = await ownAccount(request);
  await prisma.task.update({ where: { id: "t1" }, data: { assigneeId: gate.user.id } });
  return null;
}`;

const RATE_LIMIT_MODULE = `import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
export const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(10, "1 m") });`;
/** A Remix loader that turns off a user's marketing email, behind `check` (the link's secret test). */
const UNSUBSCRIBE_ROUTE = (check: string) => `import crypto from "node:crypto";
import { json } from "@remix-run/node";
import { prisma } from "~/db.server";
import { env } from "~/env.server";
export const loader = async ({ params }: { params: Record<string, string> }) => {
  const { userId, token } = params;
  const hashed = crypto.createHash("sha256").update(\`\${userId}-\${env.MAGIC_LINK_SECRET}\`).digest("hex");
  ${check}
  await prisma.user.update({ where: { id: userId }, data: { marketingEmails: false } });
  return json({ ok: true });
};`;
/** An internal job's handler: a bearer key compared with `INTERNAL_API_KEY` (`check`), then a write. */
const INTERNAL_KEY_ROUTE = (check: string) => `import type { NextApiRequest, NextApiResponse } from "next";
import { timingSafeEqual } from "crypto";
import prisma from "@/lib/prisma";
export async function handleRoute(req: NextApiRequest, res: NextApiResponse) {
  const token = (req.headers.authorization ?? "").slice(7);
  const envKey = process.env.INTERNAL_API_KEY ?? "";
  if (token.length !== envKey.length) {
    res.status(401).json({ message: "Unauthorized" });
    return;
  }
  ${check}
  await prisma.team.update({ where: { id: req.body.teamId }, data: { pausedAt: null } });
  res.status(200).json({ ok: true });
}`;
/** A Remix action whose caller is checked by a helper's result, refused with the status it names. */
const INJECTED_AUTH_ROUTE = `import { json } from "@remix-run/node";
import { prisma } from "~/db.server";
import { authenticateWithScope } from "~/services/api-auth.server";
export async function action({ request }: { request: Request }) {
  const authentication = await authenticateWithScope(request, { scope: "write:branches" });
  if (!authentication.ok) return json({ error: authentication.error }, { status: authentication.status });
  await prisma.branch.update({ where: { id: "b" }, data: { archived: true } });
  return json({ ok: true });
}`;
/** The helper: it calls the function it is handed as `deps.<name>`, by default one defined beside it. */
const INJECTED_AUTH_CONTEXT = (name: string): Record<string, string> => ({
  "app/services/api-auth.server.ts": `export async function ${name}(request: Request) { return request.headers.get("authorization") ? { id: "k" } : undefined; }
export async function authenticateWithScope(request: Request, options: { scope: string }, deps = { ${name} }) {
  const result = await deps.${name}(request);
  if (result) return { ok: true as const, result, scope: options.scope };
  return { ok: false as const, status: 401, error: "Invalid API key" };
}`,
});
/** Koa routes of a sign-in flow, registered on a router handed in; `mount` is how the caller sets that router up. */
const INTERACTION_FILES = (mount: string): Record<string, string> => ({
  "src/routes/experience/index.ts": `import Router from "koa-router";
import type { Provider } from "oidc-provider";
import koaInteractionDetails from "../../middleware/koa-interaction-details";
import backupCodeRoutes from "./backup-code";
export default function experienceRoutes(router: Router, provider: Provider) {
  const experienceRouter = ${mount};
  backupCodeRoutes(experienceRouter);
}`,
  "src/routes/experience/backup-code.ts": `import type Router from "koa-router";
import { db } from "../../db";
export default function backupCodeRoutes(router: Router) {
  router.post("/experience/verification/backup-code/generate", async (ctx) => {
    const codes = await db.backupCode.create({ data: { userId: ctx.interaction.userId } });
    ctx.body = { codes };
  });
}`,
  "src/middleware/koa-interaction-details.ts": `import type { Provider } from "oidc-provider";
export default function koaInteractionDetails(provider: Provider) {
  return async (ctx: any, next: () => Promise<void>) => {
    ctx.interactionDetails = await provider.interactionDetails(ctx.req, ctx.res);
    return next();
  };
}`,
  "src/db.ts": `export const db = {} as any;`,
});
/** An Express push endpoint that finds its monitor by the key `column` in an SQL filter and refuses when none matches. */
const PUSH_ROUTE = (column: string) => `import express from "express";
import { pool } from "../db";
export const router = express.Router();
router.get("/api/push/:key", async (req, res) => {
  const { rows } = await pool.query("SELECT id FROM monitors WHERE ${column} = ? AND active = 1", [req.params.key]);
  if (!rows[0]) {
    throw new Error("Monitor not found");
  }
  await pool.query("INSERT INTO heartbeats (monitor_id, msg) VALUES (?, ?)", [rows[0].id, String(req.query.msg)]);
  res.json({ ok: true });
});`;
/** A pages/api download route: the record `lookup` finds (by ids in the body) must exist, then its file is served. */
const SHARED_DOWNLOAD = (lookup: string) => `import type { NextApiRequest, NextApiResponse } from "next";
import prisma from "@/lib/prisma";
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  const { linkId, viewId, documentId } = req.body as { linkId: string; viewId: string; documentId: string };
  const found = await ${lookup};
  if (!found) {
    return res.status(404).json({ error: "Not found" });
  }
  return res.status(200).json({ file: found.file });
}`;
/** A first-run setup gate: the procedure refuses unless the stored setup step is the one named (`answer` is its refusal). */
const SETUP_PROCEDURES = (answer: string) => `${TRPC_PROCEDURES}
export const setupProcedure = {
  requiresStep: (step: string) =>
    publicProcedure.use(async ({ ctx, next }) => {
      const current = await ctx.db.setup.findFirst();
      if (current?.step !== step) throw new TRPCError(${answer});
      return next();
    }),
};
`;

/**
 * A first-run setup router: `back` moves the instance's one-row setup state, past `gate`;
 * `values` is what it writes and `extra` any further work.
 */
const SETUP_STEP_ROUTER = (gate: string, values: string, extra = "") => `import { z } from "zod";
import { router, publicProcedure } from "../trpc";
import { db } from "../db";
async function currentSetup() {
  const row = await db.setup.findFirst();
  return { step: row?.step ?? "start", previous: row?.previous ?? null };
}
export const setup = router({
  back: publicProcedure.input(z.string()).mutation(async ({ input }) => {
    const { previous } = await currentSetup();
    ${gate}
    await db.setup.update({ where: { id: 1 }, data: ${values} });${extra}
  }),
});`;
const SETUP_CONTEXT = { "server/trpc.ts": TRPC_PROCEDURES, "server/db.ts": `export const db = {} as any;` };

const FLASH_ROUTE = `import { prisma } from "~/db.server";
import { redirectWithMessage } from "~/models/message.server";
export async function action({ request, params }: { request: Request; params: { batchId: string } }) {
  await prisma.batch.update({ where: { id: params.batchId }, data: { resumed: true } });
  return redirectWithMessage("/batches", request, "Resumed");
}`;
/** A flash-message helper: it reads the cookie session to store a message and never tests it. */
const FLASH_CONTEXT = (check: string) => ({
  "tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "~/*": ["./app/*"] } } }),
  "app/db.server.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();`,
  "app/models/message.server.ts": `import { redirect } from "@remix-run/node";
import { getSession, commitSession } from "~/services/session.server";
export async function redirectWithMessage(path: string, request: Request, message: string) {
  const session = await getSession(request.headers.get("cookie"));
${check}  session.flash("message", message);
  setToast(session, message);
  return redirect(path, { headers: { "Set-Cookie": await commitSession(session) } });
}
function setToast(session: { flash(key: string, value: string): void }, message: string) {
  session.flash("toast", message);
}`,
  "app/services/session.server.ts": `import { createCookieSessionStorage } from "@remix-run/node";
export const { getSession, commitSession } = createCookieSessionStorage({ cookie: { name: "__session", secrets: [process.env.SESSION_SECRET!] } });`,
});

ruleTester(check, {
  valid: [
    ...[
      ["throws when there is no session", "import { cookies } from \"next/headers\";\nexport async function requireAuth(_request?: Request) {\n  const id = (await cookies()).get(\"uid\")?.value;\n  if (!id) throw new Response(\"Unauthorized\", { status: 401 });\n  return { userId: id };\n}"],
      ["hands the check to a package it calls", "import { auth } from \"@clerk/nextjs/server\";\nexport const requireAuth = (_request?: Request) => auth.protect();"],
    ].map(([what, helper]: string[]) => ({
      name: `near-miss of a stub guard: a requireAuth() that ${what}`,
      path: "app/api/notes/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(request: Request) {
  const session = await requireAuth(request);
  const { id } = await request.json();
  await prisma.note.deleteMany({ where: { id, userId: session.userId } });
  return new Response(null, { status: 204 });
}`,
      context: { "lib/auth.ts": helper ?? "" },
    })),
    {
      name: "a first-run setup step gated by a procedure that refuses with FORBIDDEN unless setup is at that step (asked, not claimed)",
      path: "server/routers/projects.ts",
      code: TRPC_ROUTER('setupProcedure.requiresStep("projects")'),
      context: { "server/trpc.ts": SETUP_PROCEDURES(`{ code: "FORBIDDEN", message: "Step denied" }`), "server/db.ts": `export const db = {} as any;` },
    },
    {
      name: "a first-run setup step that only moves the one-row setup state, past an exit taken on that state (asked, not claimed)",
      path: "server/routers/setup.ts",
      code: SETUP_STEP_ROUTER(`if (previous !== "start") {\n      return;\n    }`, `{ step: "start", previous: null }`),
      context: SETUP_CONTEXT,
    },
    {
      name: "an anonymous route that rate-limits its own callers is meant to be open (asked, not claimed)",
      path: "app/api/licenses/validate/route.ts",
      code: `import { prisma } from "@/lib/prisma";
import { ratelimit } from "@/lib/rate-limit";
export async function POST(request: Request) {
  const { key } = await request.json();
  const { success } = await ratelimit.limit(key);
  if (!success) return new Response("Too many requests", { status: 429 });
  const license = await prisma.license.findUnique({ where: { key } });
  return Response.json({ valid: Boolean(license) });
}`,
      context: { "lib/rate-limit.ts": RATE_LIMIT_MODULE },
    },
    {
      name: "a limiter in the route's own middleware list marks it as meant to be open (asked, not claimed)",
      path: "server/routes/licenses.ts",
      code: `import express from "express";
import rateLimit from "express-rate-limit";
import { prisma } from "../prisma";
const router = express.Router();
router.post("/licenses/validate", rateLimit({ windowMs: 60_000, max: 100 }), async (req, res) => {
  const license = await prisma.license.findUnique({ where: { key: req.body.key } });
  res.json({ valid: Boolean(license) });
});
export default router;`,
    },
    {
      name: "a capability link: the URL's token must equal a keyed hash of the user id before the update",
      path: "app/routes/unsubscribe.$userId.$token.tsx",
      code: UNSUBSCRIBE_ROUTE("if (hashed !== token) {\n    return json({ ok: false });\n  }"),
    },
    {
      name: "a machine caller's token compared with the stored one, refused when either is missing or they differ",
      path: "pages/api/alerts.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import prisma from "@/lib/prisma";
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const settings = await prisma.settings.findFirst();
  if (!settings?.metricsToken || settings.metricsToken !== req.body.token) {
    return res.status(400).json({ error: "Token not found" });
  }
  await prisma.alert.create({ data: { value: req.body.value } });
  return res.status(204).end();
}`,
    },
    {
      name: "a handler that delegates to a helper comparing the bearer key with an environment secret in constant time",
      path: "pages/api/internal/unpause.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import { handleRoute } from "@/lib/internal/unpause-route";
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  return handleRoute(req, res);
}`,
      context: { "lib/internal/unpause-route.ts": INTERNAL_KEY_ROUTE("if (!timingSafeEqual(Buffer.from(token), Buffer.from(envKey))) {\n    res.status(401).json({ message: \"Unauthorized\" });\n    return;\n  }") },
    },
    {
      name: "a helper that authenticates through a function handed to it (injected for tests) is asked about, not claimed",
      path: "app/routes/api.v1.branches.archive.ts",
      code: INJECTED_AUTH_ROUTE,
      context: INJECTED_AUTH_CONTEXT("authenticateRequest"),
    },
    {
      name: "a step of the identity provider's sign-in interaction (its router loads the interaction first) is open by design",
      files: INTERACTION_FILES("(router as Router).use(koaInteractionDetails(provider))"),
    },
    {
      name: "a capability found by a secret in an SQL filter (`push_token = ?`) and refused when none matches",
      path: "server/routers/push.ts",
      code: PUSH_ROUTE("push_token"),
      context: { "server/db.ts": "export const pool = {} as any;" },
    },
    {
      name: "a share link opened by its id, refused when none matches (a capability: whoever holds the link)",
      path: "pages/api/links/download.ts",
      code: SHARED_DOWNLOAD("prisma.link.findUnique({ where: { id: linkId } })"),
    },
    {
      name: "a visit the share link issued, found by its id pinned to the link's, refused when none matches",
      path: "pages/api/links/download.ts",
      code: SHARED_DOWNLOAD("prisma.view.findUnique({ where: { id: viewId, linkId: linkId } })"),
    },
    {
      name: "near-miss: the same session getter awaited before the test",
      path: "pages/api/files/[id].ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession } from "next-auth/next";
import prisma from "@/lib/prisma";
import { authOptions } from "../auth/[...nextauth]";
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).json({ message: "Unauthorized" });
  await prisma.file.delete({ where: { id: String(req.query.id), ownerId: session.user.id } });
  return res.status(204).end();
}`,
    },
    {
      name: "near-miss: the helper that reads the cookie session refuses the request when it holds no user",
      path: "app/routes/resources.batches.$batchId.tsx",
      code: FLASH_ROUTE,
      context: FLASH_CONTEXT(`  if (!session.get("userId")) throw redirect("/login");\n`),
    },
    {
      name: "the caller authenticated two local helpers deep",
      path: "app/routes/account.tsx",
      code: gateChain("return requireUser(request);"),
    },
    {
      name: "a value the request resolves to (an API key), the request refused with 401 when it is missing",
      path: "app/api/schedules/[id]/activate/route.ts",
      code: KEY_ROUTE(401),
      context: KEY_CONTEXT,
    },
    {
      name: "Remix loader built by a project route builder whose auth check is imported dynamically",
      path: "app/routes/orgs.$slug.billing/route.tsx",
      code: `import { prisma } from "~/db.server";
import { dashboardLoader } from "~/services/builder";
export const loader = dashboardLoader({ scope: "billing" }, async ({ params }) => {
  return prisma.organization.findFirst({ where: { slug: params.slug } });
});`,
      context: {
        "tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "~/*": ["./app/*"] } } }),
        "app/db.server.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();`,
        "app/services/builder.ts": `export function dashboardLoader(options: { scope: string }, handler: (args: { params: Record<string, string> }) => Promise<unknown>) {
  return async function loader({ request, params }: { request: Request; params: Record<string, string> }) {
    const { authenticateAndAuthorize } = await import("./builder.server");
    const result = await authenticateAndAuthorize(request, options.scope);
    if (!result.ok) throw result.response;
    return handler({ params });
  };
}`,
        "app/services/builder.server.ts": `import { getSession } from "./session.server";
export async function authenticateAndAuthorize(request: Request, scope: string) {
  const session = await getSession(request);
  if (!session?.user) return { ok: false as const, response: new Response("Unauthorized", { status: 401 }) };
  return { ok: true as const, user: session.user, scope };
}`,
        "app/services/session.server.ts": `export async function getSession(request: Request) { return request.headers.get("cookie") ? { user: { id: "u" } } : null; }`,
      },
    },
    {
      name: "capability: a signing link looked up by the hash of its token, refused with 404 when none matches",
      path: "app/api/approvals/[key]/route.ts",
      code: SIGNING_LINK("tokenHash: hashToken(params.key)", `if (!link) return Response.json({ error: "invalid link" }, { status: 404 });`),
      context: { "lib/tokens.ts": TOKENS_MODULE },
    },
    {
      name: "Hono route-level middleware composed in another file (every(bearerAuth({ verifyToken }), createMiddleware(…)))",
      path: "app/api/v1/[...route]/route.ts",
      code: HONO_POLL_ROUTE,
      context: {
        "app/api/v1/[...route]/api-key.ts": `import { bearerAuth } from "hono/bearer-auth";
import { every } from "hono/combine";
import { createMiddleware } from "hono/factory";
import { prisma } from "@/lib/prisma";
const verifyKey = bearerAuth({ verifyToken: async (key, c) => Boolean(await prisma.apiKey.findFirst({ where: { key } })) });
const requirePro = createMiddleware(async (c, next) => {
  if (c.get("tier") !== "pro") return c.json({ error: "pro only" }, 403);
  await next();
});
export const apiKeyAuth = every(verifyKey, requirePro);`,
      },
    },
    {
      name: "tRPC procedure whose middleware, in the procedures file read as context, rejects a missing user",
      path: "server/routers/projects.ts",
      code: TRPC_ROUTER("spaceProcedure"),
      context: { "server/trpc.ts": TRPC_PROCEDURES, "server/db.ts": `export const db = {} as any;` },
    },
    {
      name: "tRPC procedure built by a permission factory on an authenticating procedure",
      path: "server/routers/projects.ts",
      code: TRPC_ROUTER(`gated.requiresPermission("admin")`),
      context: { "server/trpc.ts": TRPC_PROCEDURES, "server/db.ts": `export const db = {} as any;` },
    },
    {
      name: "a session read through optional chaining into a variable that is then checked",
      path: "app/api/notes/route.ts",
      code: `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function GET() {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return new Response("Unauthorized", { status: 401 });
  return Response.json(await prisma.note.findMany({ where: { userId } }));
}`,
    },
    {
      name: "a route registered behind an optional-auth middleware is open by design",
      path: "src/routes/profiles.ts",
      code: `import { Router } from "express";
import { optionalAuthenticate } from "../middleware/auth";
import { prisma } from "../db";
export const profiles = Router();
profiles.get("/profiles/:username", optionalAuthenticate, async (req, res) => {
  res.json(await prisma.user.findUnique({ where: { username: req.params.username }, select: { username: true, bio: true, image: true } }));
});`,
    },
    {
      name: "guest checkout for a price: Stripe checkout is not a customer's records",
      path: "app/api/checkout/route.ts",
      code: `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(request: Request) {
  const { priceId } = await request.json();
  const session = await stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: priceId, quantity: 1 }], success_url: process.env.APP_URL! });
  return Response.json({ url: session.url });
}`,
    },
    {
      name: "a newsletter 'subscribe' endpoint that adds a subscriber row is a public form",
      path: "server/api/subscribe.post.ts",
      code: `import { prisma } from "~/server/database/client";
export default defineEventHandler(async (event) => {
  const { email } = await readBody(event);
  await prisma.subscriber.create({ data: { email } });
  return { ok: true };
});`,
    },
    {
      name: "route that calls requireAuth and scopes to the caller",
      path: "app/api/tasks/[id]/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  const { id } = await params;
  return Response.json(await prisma.task.findFirst({ where: { id, userId: session.userId } }));
}`,
    },
    {
      name: "near-miss: force-static GET with no data access",
      path: "app/api/pricing/route.ts",
      code: `import { PLANS } from "@/lib/plans";
export const dynamic = "force-static";
export async function GET() {
  return Response.json({ plans: PLANS });
}`,
    },
    {
      name: "near-miss: health check with no input and no stored data",
      path: "app/api/health/route.ts",
      code: `export async function GET() {
  return Response.json({ ok: true, at: Date.now() });
}`,
    },
    {
      name: "a liveness probe whose only query names no table (`SELECT 1`) reads no stored data",
      path: "app/routes/healthcheck.tsx",
      code: `import { prisma } from "~/db.server";
export const loader = async ({ request }: { request: Request }) => {
  try {
    await prisma.$queryRaw\`SELECT 1\`;
    return new Response("OK");
  } catch {
    return new Response("ERROR", { status: 500 });
  }
};`,
    },
    {
      name: "auth endpoint is open by design (missing-rate-limit checks it)",
      path: "app/api/auth/login/route.ts",
      code: `import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const { email } = await request.json();
  return Response.json(await prisma.user.findUnique({ where: { email } }));
}`,
    },
    {
      name: "Stripe webhook verified by its signature",
      path: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
import { prisma } from "@/lib/prisma";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(request: Request) {
  const event = stripe.webhooks.constructEvent(await request.text(), request.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  await prisma.payment.create({ data: { eventId: event.id } });
  return new Response(null, { status: 204 });
}`,
    },
    {
      name: "Express route behind router-level requireAuth",
      path: "src/routes/notes.ts",
      code: `import { Router } from "express";
import { requireAuth } from "../auth";
import { prisma } from "../db";
const router = Router();
router.use(requireAuth);
router.get("/:id", async (req, res) => {
  res.json(await prisma.note.findFirst({ where: { id: req.params.id, ownerId: req.user.id } }));
});
export default router;`,
    },
    {
      name: "Express registration of an imported controller that authenticates the caller itself",
      files: {
        "src/routes/invoices.ts": `import { Router } from "express";
import { deleteInvoice } from "../controllers/invoices";
export const invoices = Router();
invoices.delete("/:id", deleteInvoice);`,
        "src/controllers/invoices.ts": `import { requireAuth } from "../auth";
import { prisma } from "../db";
export async function deleteInvoice(req, res) {
  const user = await requireAuth(req);
  await prisma.invoice.delete({ where: { id: req.params.id, ownerId: user.id } });
  res.status(204).end();
}`,
      },
    },
    {
      name: "near-miss: imported controller object registered behind requireAuth middleware",
      files: {
        "src/routes/invoices.ts": `import { Router } from "express";
import { requireAuth } from "../auth";
import invoiceController from "../controllers/invoices";
export const invoices = Router();
invoices.delete("/:id", requireAuth, invoiceController.remove);`,
        "src/controllers/invoices.ts": `import { prisma } from "../db";
export default {
  async remove(req, res) {
    await prisma.invoice.delete({ where: { id: req.params.id, ownerId: req.user.id } });
    res.status(204).end();
  },
};`,
      },
    },
    {
      name: "near-miss: tagged-template SQL scoped to the caller after requireAuth",
      path: "app/api/invoices/[id]/route.ts",
      code: `import { sql } from "@vercel/postgres";
import { requireAuth } from "@/lib/auth";
export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  const { id } = await params;
  await sql\`DELETE FROM invoices WHERE id = \${id} AND owner_id = \${session.userId}\`;
  return new Response(null, { status: 204 });
}`,
    },
    {
      name: "Express handler answering 401 when the session middleware put no user on the request",
      path: "src/routes/notes.ts",
      code: `import { Router } from "express";
import { prisma } from "../db";
export const notes = Router();
notes.delete("/:id", async (req, res) => {
  if (!req.user) return res.status(401).json({ error: "unauthorized" });
  await prisma.note.delete({ where: { id: req.params.id, ownerId: req.user.id } });
  res.status(204).end();
});`,
    },
    {
      name: "Hono handler answering 401 when the context holds no user",
      path: "src/app.ts",
      code: `import { Hono } from "hono";
import { db } from "./db";
import { notes } from "./schema";
const app = new Hono();
app.post("/notes", async (c) => {
  const user = c.get("user");
  if (!user) return c.json({ error: "unauthorized" }, 401);
  await db.insert(notes).values({ text: (await c.req.json()).text, ownerId: user.id });
  return c.body(null, 201);
});
export default app;`,
    },
    {
      name: "a PR's own middleware that rejects requests without a session, registered before the handler",
      files: {
        "src/routes/notes.ts": `import { Router } from "express";
import { prisma } from "../db";
import { mustBeSignedIn } from "../middleware/session";
export const notes = Router();
notes.delete("/:id", mustBeSignedIn, async (req, res) => {
  await prisma.note.delete({ where: { id: req.params.id, ownerId: req.session.userId } });
  res.status(204).end();
});`,
        "src/middleware/session.ts": `export function mustBeSignedIn(req, res, next) {
  if (!req.session?.userId) {
    return res.status(401).end();
  }
  next();
}`,
      },
    },
    {
      name: "SvelteKit endpoint that rejects a request without a signed-in user",
      path: "src/routes/api/notes/[id]/+server.ts",
      code: `import { error } from "@sveltejs/kit";
import { db } from "$lib/server/db";
export async function DELETE({ params, locals }) {
  if (!locals.user) throw error(401, "Sign in first");
  await db.note.delete({ where: { id: params.id, ownerId: locals.user.id } });
  return new Response(null, { status: 204 });
}`,
    },
    {
      name: "Remix action that requires the signed-in user first",
      path: "app/routes/notes.$noteId.tsx",
      code: `import { requireUserId } from "~/session.server";
import { prisma } from "~/db.server";
export async function action({ request, params }) {
  const userId = await requireUserId(request);
  await prisma.note.deleteMany({ where: { id: params.noteId, userId } });
  return null;
}`,
    },
    {
      name: "Nuxt route that requires the user's session first, and one that rejects a missing user",
      files: {
        "server/api/notes/[id].delete.ts": `import { prisma } from "~/server/db";
export default defineEventHandler(async (event) => {
  const { user } = await requireUserSession(event);
  await prisma.note.deleteMany({ where: { id: getRouterParam(event, "id"), ownerId: user.id } });
  return null;
});`,
        "server/api/notes/[id].patch.ts": `import { prisma } from "~/server/db";
export default defineEventHandler(async (event) => {
  if (!event.context.user) throw createError({ statusCode: 401, statusMessage: "Unauthorized" });
  await prisma.note.updateMany({ where: { id: getRouterParam(event, "id"), ownerId: event.context.user.id }, data: await readBody(event) });
  return null;
});`,
      },
    },
    {
      name: "SvelteKit endpoint under a path the handle hook answers 401 for when no user is signed in",
      files: {
        "src/hooks.server.ts": `import type { Handle } from "@sveltejs/kit";
import { lucia } from "$lib/server/auth";
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = await lucia.validateSession(event.cookies.get("session") ?? "");
  if (event.url.pathname.startsWith("/api/notes") && !event.locals.user) {
    return new Response("Unauthorized", { status: 401 });
  }
  return resolve(event);
};`,
        "src/routes/api/notes/[id]/+server.ts": SVELTEKIT_DELETE_NOTE,
      },
    },
    {
      name: "SvelteKit form action in a route group the second handle of a sequence redirects to sign-in",
      files: {
        "src/hooks.server.ts": `import { redirect, type Handle } from "@sveltejs/kit";
import { sequence } from "@sveltejs/kit/hooks";
import { getSession } from "$lib/server/session";
const authentication: Handle = async ({ event, resolve }) => {
  event.locals.session = await getSession(event.cookies);
  return resolve(event);
};
const authorization: Handle = async ({ event, resolve }) => {
  if (event.route.id?.startsWith("/(app)")) {
    if (!event.locals.session) redirect(303, "/login");
  }
  return resolve(event);
};
export const handle = sequence(authentication, authorization);`,
        "src/routes/(app)/notes/+page.server.ts": `import { db } from "$lib/server/db";
export const actions = {
  remove: async ({ request }) => {
    const data = await request.formData();
    await db.note.delete({ where: { id: String(data.get("id")) } });
  },
};`,
      },
    },
    {
      name: "Nuxt route under a prefix whose server middleware rejects requests without a user session",
      files: {
        "server/middleware/auth.ts": `export default defineEventHandler(async (event) => {
  if (!getRequestURL(event).pathname.startsWith("/api/admin")) return;
  const session = await getUserSession(event);
  if (!session.user) throw createError({ statusCode: 401, statusMessage: "Unauthorized" });
  event.context.user = session.user;
});`,
        "server/api/admin/users/[id].delete.ts": `import { prisma } from "~/server/db";
export default defineEventHandler(async (event) => {
  await prisma.user.delete({ where: { id: getRouterParam(event, "id") } });
  return null;
});`,
      },
    },
    {
      name: "Nuxt route under one of the protected prefixes a server middleware requires a session for",
      files: {
        "server/middleware/01.auth.ts": `const PROTECTED = ["/api/notes", "/api/billing"];
export default defineEventHandler(async (event) => {
  if (PROTECTED.some((prefix) => event.path.startsWith(prefix))) {
    await requireUserSession(event);
  }
});`,
        "server/api/notes/[id].delete.ts": `import { prisma } from "~/server/db";
export default defineEventHandler(async (event) => {
  await prisma.note.delete({ where: { id: getRouterParam(event, "id") } });
  return null;
});`,
      },
    },
    {
      name: "SvelteKit loads: one that checks locals.user, one that awaits the guarding layout's load, one that reads public posts",
      files: {
        "src/routes/(app)/+layout.server.ts": `import { redirect } from "@sveltejs/kit";
export const load = async ({ locals }) => {
  if (!locals.user) redirect(303, "/login");
  return { user: locals.user };
};`,
        "src/routes/(app)/notes/+page.server.ts": `import { db } from "$lib/server/db";
export const load = async ({ parent }) => {
  const { user } = await parent();
  return { notes: await db.note.findMany({ where: { ownerId: user.id } }) };
};`,
        "src/routes/settings/+page.server.ts": `import { redirect } from "@sveltejs/kit";
import { db } from "$lib/server/db";
export async function load({ locals }) {
  if (!locals.user) throw redirect(303, "/login");
  return { profile: await db.profile.findUnique({ where: { userId: locals.user.id } }) };
}`,
        "src/routes/blog/+page.server.ts": `import { db } from "$lib/server/db";
export const load = async () => ({ posts: await db.post.findMany({ where: { published: true } }) });`,
      },
    },
    {
      name: "SvelteKit hook whose path test and user check are named constants",
      files: {
        "src/hooks.server.ts": `import { redirect, type Handle } from "@sveltejs/kit";
export const handle: Handle = async ({ event, resolve }) => {
  const isProtected = event.url.pathname.startsWith("/app") || event.url.pathname.startsWith("/api/notes");
  const isLoggedIn = !!event.locals.user;
  if (isProtected && !isLoggedIn) redirect(303, "/login");
  return resolve(event);
};`,
        "src/routes/api/notes/[id]/+server.ts": SVELTEKIT_DELETE_NOTE,
      },
    },
    {
      name: "server actions built on an authenticating zsa procedure or next-safe-action client, in another file",
      files: {
        "src/lib/safe-action.ts": `import { createServerActionProcedure } from "zsa";
import { assertAuthenticated } from "@/lib/session";
export const authenticatedAction = createServerActionProcedure().handler(async () => {
  const user = await assertAuthenticated();
  return { user };
});`,
        "src/app/dashboard/posts/actions.ts": `"use server";
import { z } from "zod";
import { authenticatedAction } from "@/lib/safe-action";
import { db } from "@/db";
export const deletePostAction = authenticatedAction
  .createServerAction()
  .input(z.object({ postId: z.number() }))
  .handler(async ({ input, ctx: { user } }) => {
    await db.post.delete({ where: { id: input.postId, authorId: user.id } });
  });`,
        "lib/action-client.ts": `import { createSafeActionClient } from "next-safe-action";
import { auth } from "@/auth";
export const actionClient = createSafeActionClient();
export const authActionClient = actionClient.use(async ({ next }) => {
  const session = await auth();
  if (!session?.user) throw new Error("Not signed in");
  return next({ ctx: { userId: session.user.id } });
});`,
        "app/settings/actions.ts": `"use server";
import { z } from "zod";
import { authActionClient } from "@/lib/action-client";
import { prisma } from "@/lib/prisma";
export const deleteAccount = authActionClient.schema(z.object({ confirm: z.literal(true) })).action(async ({ ctx }) => {
  await prisma.user.delete({ where: { id: ctx.userId } });
});`,
      },
    },
    {
      name: "SvelteKit hook that lets a signed-in caller through first, then turns the rest away on the route's path",
      files: {
        "src/hooks.server.ts": `import type { Handle } from "@sveltejs/kit";
export const handle: Handle = async ({ event, resolve }) => {
  if (event.locals.user) return resolve(event);
  if (event.url.pathname.startsWith("/api")) return new Response("Unauthorized", { status: 401 });
  return resolve(event);
};`,
        "src/routes/api/notes/[id]/+server.ts": SVELTEKIT_DELETE_NOTE,
      },
    },
    {
      name: "Nuxt server middleware that looks the user up from the session cookie on the paths it protects",
      files: {
        "server/middleware/auth.ts": `import { getUserBySessionToken } from "~/server/services/session";
const protectedRoutes = ["/api/ask-jack/edit-question", "/api/ask-jack/delete-question"];
export default defineEventHandler(async (event) => {
  if (protectedRoutes.includes(event.path)) {
    const user = await getUserBySessionToken(getCookie(event, "auth_token"));
    if (!user) throw createError({ statusCode: 401, statusMessage: "Unauthenticated" });
  }
});`,
        "server/api/ask-jack/delete-question.ts": `import { prisma } from "~/server/database/client";
export default defineEventHandler(async (event) => {
  const { id } = await readBody(event);
  await prisma.question.delete({ where: { id } });
  return { ok: true };
});`,
      },
    },
    {
      name: "Express router mounted behind requireAuth in another file",
      files: {
        "src/routes/notes.ts": `import { Router } from "express";
import { prisma } from "../db";
export const notesRouter = Router();
notesRouter.get("/:id", async (req, res) => {
  res.json(await prisma.note.findFirst({ where: { id: req.params.id, ownerId: req.user.id } }));
});`,
        "src/server.ts": `import express from "express";
import { requireAuth } from "./auth";
import { notesRouter } from "./routes/notes";
const app = express();
app.use("/api/notes", requireAuth, notesRouter);`,
      },
    },
    {
      name: "Next.js middleware that redirects to sign-in covers the route through its matcher",
      files: {
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  if (!request.cookies.get("session")) return NextResponse.redirect(new URL("/login", request.url));
  return NextResponse.next();
}
export const config = { matcher: ["/api/items/:path*"] };`,
        "app/api/items/[id]/route.ts": NEXT_GET_ITEM,
      },
    },
    {
      name: "Next.js middleware without a matcher whose session check covers the route's path prefix",
      files: {
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/api/items") && !request.cookies.get("session")?.value) {
    return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  }
  return NextResponse.next();
}`,
        "app/api/items/[id]/route.ts": NEXT_GET_ITEM,
      },
    },
    {
      name: "Clerk middleware that protects the route's path through createRouteMatcher, both ways round",
      files: {
        "middleware.ts": `import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isProtectedRoute = createRouteMatcher(["/dashboard(.*)", "/api/notes(.*)"]);
export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect();
});
export const config = { matcher: ["/((?!_next|[^?]*\\\\.(?:html?|css|js)).*)", "/(api|trpc)(.*)"] };`,
        "app/api/notes/[id]/route.ts": nextDeleteById("note"),
        "apps/admin/middleware.ts": `import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isPublicRoute = createRouteMatcher(["/", "/sign-in(.*)"]);
export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) await auth.protect();
});`,
        "apps/admin/app/api/invoices/[id]/route.ts": nextDeleteById("invoice"),
      },
    },
    {
      name: "Next.js middleware whose matcher lists { source } objects covering the route",
      files: {
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  if (!request.cookies.get("session")) return NextResponse.redirect(new URL("/login", request.url));
  return NextResponse.next();
}
export const config = { matcher: [{ source: "/api/:path*", missing: [{ type: "header", key: "next-router-prefetch" }] }] };`,
        "app/api/items/[id]/route.ts": NEXT_GET_ITEM,
      },
    },
    {
      name: "NextAuth v4 middleware re-exported from next-auth/middleware covers the matched route",
      files: {
        "src/middleware.ts": `export { default } from "next-auth/middleware";
export const config = { matcher: ["/api/items/:path*"] };`,
        "src/app/api/items/[id]/route.ts": NEXT_GET_ITEM,
      },
    },
    {
      name: "Auth.js v5 middleware whose authorized callback requires a session, re-exported or built from a config file",
      files: {
        "middleware.ts": `export { auth as middleware } from "@/auth";
export const config = { matcher: ["/api/notes/:path*"] };`,
        "auth.ts": `import NextAuth from "next-auth";
import GitHub from "next-auth/providers/github";
export const { handlers, auth, signIn, signOut } = NextAuth({
  providers: [GitHub],
  callbacks: { authorized: async ({ auth }) => !!auth },
});`,
        "app/api/notes/[id]/route.ts": nextDeleteById("note"),
        "apps/learn/middleware.ts": `import NextAuth from "next-auth";
import { authConfig } from "./auth.config";
export default NextAuth(authConfig).auth;`,
        "apps/learn/auth.config.ts": `import type { NextAuthConfig } from "next-auth";
export const authConfig = {
  pages: { signIn: "/login" },
  callbacks: {
    authorized({ auth }) {
      return !!auth?.user;
    },
  },
  providers: [],
} satisfies NextAuthConfig;`,
        "apps/learn/app/api/invoices/[id]/route.ts": nextDeleteById("invoice"),
      },
    },
    {
      name: "Auth.js v5 authorized callback that decides path by path, for the route's path",
      files: {
        // The Next.js tutorial's callback: a branch on "logged in" is not taken by an anonymous request.
        "middleware.ts": `import NextAuth from "next-auth";
import { authConfig } from "./auth.config";
export default NextAuth(authConfig).auth;
export const config = { matcher: ["/((?!api|_next/static|_next/image|.*\\\\.png$).*)"] };`,
        "auth.config.ts": `import type { NextAuthConfig } from "next-auth";
export const authConfig = {
  pages: { signIn: "/login" },
  callbacks: {
    authorized({ auth, request: { nextUrl } }) {
      const isLoggedIn = !!auth?.user;
      const isOnDashboard = nextUrl.pathname.startsWith("/dashboard");
      if (isOnDashboard) {
        if (isLoggedIn) return true;
        return false; // Redirect unauthenticated users to login page
      } else if (isLoggedIn) {
        return Response.redirect(new URL("/dashboard", nextUrl));
      }
      return true;
    },
  },
  providers: [],
} satisfies NextAuthConfig;`,
        "app/dashboard/invoices/[id]/route.ts": `import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  await prisma.invoice.delete({ where: { id: (await params).id } });
  return new Response(null, { status: 204 });
}`,
        // Auth.js's own example: a test of the path, then the session itself returned.
        "apps/api/middleware.ts": `export { auth as middleware } from "./auth";`,
        "apps/api/auth.ts": `import NextAuth from "next-auth";
export const { handlers, auth } = NextAuth({
  providers: [],
  callbacks: {
    authorized({ request, auth: session }) {
      const { pathname } = request.nextUrl;
      if (pathname.startsWith("/api/share")) return true;
      if (!pathname.startsWith("/api/")) return true;
      if (!session) return Response.json({ error: "unauthorized" }, { status: 401 });
      return true;
    },
  },
});`,
        "apps/api/app/api/notes/[id]/route.ts": NEXT_GET_ITEM,
        "apps/short/middleware.ts": `export { auth as middleware } from "./auth";`,
        "apps/short/auth.ts": `import NextAuth from "next-auth";
export const { auth } = NextAuth({ providers: [], callbacks: { authorized: ({ auth: session }) => Boolean(session) } });`,
        "apps/short/app/api/items/[id]/route.ts": NEXT_GET_ITEM,
      },
    },
    {
      name: "Next.js middleware that redirects to a sign-in URL it builds first, for the route's path",
      files: {
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/api/items") && !request.cookies.get("session")?.value) {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("next", request.nextUrl.pathname);
    return NextResponse.redirect(signIn);
  }
  return NextResponse.next();
}`,
        "app/api/items/[id]/route.ts": NEXT_GET_ITEM,
      },
    },
    {
      name: "webhook verified with an HMAC and timingSafeEqual",
      path: "app/api/webhooks/shop/route.ts",
      code: `import { createHmac, timingSafeEqual } from "node:crypto";
import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const body = await request.text();
  const digest = createHmac("sha256", process.env.SHOP_SECRET!).update(body).digest();
  if (!timingSafeEqual(digest, Buffer.from(request.headers.get("x-signature") ?? "", "hex"))) return new Response(null, { status: 401 });
  await prisma.order.create({ data: JSON.parse(body) });
  return new Response(null);
}`,
    },
    {
      name: "cron route that checks a shared secret from the environment",
      path: "app/api/cron/cleanup/route.ts",
      code: `import { prisma } from "@/lib/prisma";
export async function GET(request: Request) {
  if (request.headers.get("authorization") !== \`Bearer \${process.env.CRON_SECRET}\`) return new Response(null, { status: 401 });
  await prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return Response.json({ ok: true });
}`,
    },
    {
      name: "near-miss: read-only GET of published products is a public API",
      path: "app/api/products/route.ts",
      code: `import { prisma } from "@/lib/prisma";
export async function GET(request: Request) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return Response.json(await prisma.product.findMany({ where: { name: { contains: q } } }));
}`,
    },
    {
      name: "route listed in publicRoutes",
      path: "app/api/catalog/route.ts",
      config: { publicRoutes: ["/api/catalog"] },
      code: `import { prisma } from "@/lib/prisma";
export async function GET() {
  return Response.json(await prisma.product.findMany());
}`,
    },
  ],
  invalid: [
    ...[
      ["returns a constant user", "export async function requireAuth(_request?: Request) {\n  return { userId: \"demo-user\" };\n}"],
      ["is empty (a placeholder)", "export function requireAuth(_request?: Request): void {\n  // TODO: check the session\n}"],
      ["hands back what it is given", "export const requireAuth = (request?: Request) => request;"],
    ].map(([what, helper]: string[]) => ({
      name: `a requireAuth() whose body ${what} checks nothing: its name is not taken at its word`,
      path: "app/api/notes/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(request: Request) {
  await requireAuth(request);
  const { id } = await request.json();
  await prisma.note.delete({ where: { id } });
  return new Response(null, { status: 204 });
}`,
      context: { "lib/auth.ts": helper ?? "" },
      errors: [{ line: 3, messageId: "stubGuard", data: { call: "requireAuth" } }],
    })),
    {
      name: "near-miss: a stub role guard does not authenticate either",
      path: "app/api/notes/route.ts",
      code: `import { requireRole } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(request: Request) {
  requireRole("admin");
  const { id } = await request.json();
  await prisma.note.delete({ where: { id } });
  return new Response(null, { status: 204 });
}`,
      context: { "lib/auth.ts": `export function requireRole(_role: string) {\n  return true;\n}` },
      errors: [{ line: 3, messageId: "stubGuard", data: { call: "requireRole" } }],
    },
    {
      name: "near-miss: a wrapped handler's own 403 on a value it may not have (a token compared only when configured) is no gate in front of it",
      path: "app/api/inbound/route.ts",
      code: `import { NextResponse } from "next/server";
import { withError } from "@/lib/middleware";
import { prisma } from "@/lib/prisma";
export const POST = withError(async (request: Request) => {
  const token = new URL(request.url).searchParams.get("token");
  if (process.env.INBOUND_TOKEN && token !== process.env.INBOUND_TOKEN) return NextResponse.json({ message: "Invalid token" }, { status: 403 });
  const body = await request.json();
  await prisma.message.create({ data: { accountId: body.accountId, text: body.text } });
  return NextResponse.json({ ok: true });
});`,
      context: { "lib/middleware.ts": `export function withError(handler: (request: Request) => Promise<Response>) {\n  return async (request: Request) => {\n    try {\n      return await handler(request);\n    } catch {\n      return new Response("error", { status: 500 });\n    }\n  };\n}\n` },
      errors: [{ line: 4, path: "app/api/inbound/route.ts" }],
    },
    ...[
      ["the step it writes comes from the request", `if (previous !== "start") return;`, `{ step: input, previous: null }`, ""],
      ["nothing gates the state change", "", `{ step: "start", previous: null }`, ""],
      ["its exit is taken on the request, not on the stored state", `if (input !== "start") return;`, `{ step: "start", previous: null }`, ""],
      ["it also grants a role", `if (previous !== "start") return;`, `{ step: "start", previous: null, role: "admin" }`, ""],
      ["it also deletes another table's rows", `if (previous !== "start") return;`, `{ step: "start", previous: null }`, "\n    await db.project.deleteMany({});"],
    ].map(([what, gate, values, extra]: string[]) => ({
      name: `near-miss of a setup step: ${what}`,
      path: "server/routers/setup.ts",
      code: SETUP_STEP_ROUTER(gate ?? "", values ?? "", extra),
      context: SETUP_CONTEXT,
      errors: [{ line: 9 }],
    })),
    {
      name: "near-miss: the same gate answering 400 (input validation) guards no access",
      path: "server/routers/projects.ts",
      code: TRPC_ROUTER('setupProcedure.requiresStep("projects")'),
      context: { "server/trpc.ts": SETUP_PROCEDURES(`{ code: "BAD_REQUEST", message: "Wrong step" }`), "server/db.ts": `export const db = {} as any;` },
      errors: [{ line: 5 }],
    },
    {
      name: "near-miss: a probe that selects from a table reads stored data",
      path: "app/routes/healthcheck.tsx",
      code: `import { prisma } from "~/db.server";
export const loader = async ({ request }: { request: Request }) => {
  const rows = await prisma.$queryRaw\`SELECT email FROM users LIMIT 1\`;
  return new Response(JSON.stringify(rows));
};`,
      errors: [{ line: 2 }],
    },
    {
      name: "near-miss: a token check that only runs when the expected value is set fails open",
      path: "app/routes/unsubscribe.$userId.$token.tsx",
      code: UNSUBSCRIBE_ROUTE("if (process.env.UNSUBSCRIBE_CHECK && hashed !== token) {\n    return json({ ok: false });\n  }"),
      errors: [{ line: 5 }],
    },
    {
      name: "near-miss: two fields of the request compared with each other prove nothing",
      path: "app/routes/unsubscribe.$userId.$token.tsx",
      code: UNSUBSCRIBE_ROUTE("if (params.token !== params.confirmToken) {\n    return json({ ok: false });\n  }"),
      errors: [{ line: 5 }],
    },
    {
      name: "near-miss: a constant-time comparison whose failure is only logged",
      path: "pages/api/internal/unpause.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import { handleRoute } from "@/lib/internal/unpause-route";
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  return handleRoute(req, res);
}`,
      context: { "lib/internal/unpause-route.ts": INTERNAL_KEY_ROUTE("if (!timingSafeEqual(Buffer.from(token), Buffer.from(envKey))) console.warn(\"key mismatch\");") },
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: a helper whose injected function is not named like a guard guards nothing",
      path: "app/routes/api.v1.branches.archive.ts",
      code: INJECTED_AUTH_ROUTE,
      context: INJECTED_AUTH_CONTEXT("formatBranch"),
      errors: [{ line: 4 }],
    },
    {
      name: "near-miss: the same steps on a router that never loads the interaction",
      files: INTERACTION_FILES("router.use(async (_ctx: unknown, next: () => Promise<void>) => next())"),
      errors: [{ line: 4, path: "src/routes/experience/backup-code.ts" }],
    },
    {
      name: "near-miss: the same endpoint finding its monitor by a plain id",
      path: "server/routers/push.ts",
      code: PUSH_ROUTE("id"),
      context: { "server/db.ts": "export const pool = {} as any;" },
      errors: [{ line: 4 }],
    },
    {
      name: "near-miss: a document found by its own id is not a capability, even when refused when missing",
      path: "pages/api/links/download.ts",
      code: SHARED_DOWNLOAD("prisma.document.findUnique({ where: { id: documentId } })"),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: a limiter installed on every route of the router does not make one of them public",
      path: "server/routes/licenses.ts",
      code: `import express from "express";
import rateLimit from "express-rate-limit";
import { prisma } from "../prisma";
const router = express.Router();
router.use(rateLimit({ windowMs: 60_000, max: 100 }));
router.delete("/licenses/:id", async (req, res) => {
  await prisma.license.delete({ where: { id: req.params.id } });
  res.status(204).end();
});
export default router;`,
      errors: [{ line: 6, path: "server/routes/licenses.ts" }],
    },
    {
      name: "a session getter never awaited: `if (!session)` tests a Promise, which is always truthy",
      path: "pages/api/files/[id].ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession } from "next-auth/next";
import prisma from "@/lib/prisma";
import { authOptions } from "../auth/[...nextauth]";
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = getServerSession(req, res, authOptions);
  if (!session) return res.status(401).json({ message: "Unauthorized" });
  await prisma.file.delete({ where: { id: String(req.query.id) } });
  return res.status(204).end();
}`,
      errors: [{ line: 5, path: "pages/api/files/[id].ts" }],
    },
    {
      name: "a cookie session read only to flash a message authenticates no one",
      path: "app/routes/resources.batches.$batchId.tsx",
      code: FLASH_ROUTE,
      context: FLASH_CONTEXT(""),
      errors: [{ line: 3, path: "app/routes/resources.batches.$batchId.tsx" }],
    },
    {
      name: "near-miss: the innermost helper authenticates no one",
      path: "app/routes/account.tsx",
      code: gateChain(`return { id: request.method };`).replace(`import { requireUser } from "~/session.server";\n`, ""),
      errors: [{ path: "app/routes/account.tsx", line: 9 }],
    },
    {
      name: "near-miss: the same lookup refused with 400 is input validation, not authentication",
      path: "app/api/schedules/[id]/activate/route.ts",
      code: KEY_ROUTE(400),
      context: KEY_CONTEXT,
      errors: [{ line: 3, path: "app/api/schedules/[id]/activate/route.ts" }],
    },
    {
      name: "near-miss: a record looked up by its id (not a secret) from the URL is no capability",
      path: "app/api/approvals/[key]/route.ts",
      code: SIGNING_LINK("id: params.key", `if (!link) return Response.json({ error: "invalid link" }, { status: 404 });`),
      errors: [{ line: 3, path: "app/api/approvals/[key]/route.ts" }],
    },
    {
      name: "near-miss: looked up by a token but never refused when none matches",
      path: "app/api/approvals/[key]/route.ts",
      code: SIGNING_LINK("tokenHash: hashToken(params.key)", "console.info(link?.id);"),
      context: { "lib/tokens.ts": TOKENS_MODULE },
      errors: [{ line: 3, path: "app/api/approvals/[key]/route.ts" }],
    },
    {
      name: "near-miss: Hono route-level middleware composed in another file of checks that authenticate no one",
      path: "app/api/v1/[...route]/route.ts",
      code: HONO_POLL_ROUTE,
      context: {
        "app/api/v1/[...route]/api-key.ts": `import { every } from "hono/combine";
import { createMiddleware } from "hono/factory";
const logRequest = createMiddleware(async (c, next) => { console.info(c.req.method); await next(); });
const timing = createMiddleware(async (c, next) => { await next(); });
export const apiKeyAuth = every(logRequest, timing);`,
      },
      errors: [{ line: 5, path: "app/api/v1/[...route]/route.ts" }],
    },
    {
      name: "tRPC procedure named protected whose middleware, read as context, checks nothing",
      path: "server/routers/projects.ts",
      code: TRPC_ROUTER("protectedProcedure"),
      context: { "server/trpc.ts": TRPC_PROCEDURES, "server/db.ts": `export const db = {} as any;` },
      errors: [{ line: 5, severity: "critical" }],
    },
    {
      name: "pages/api handler updates a task by id with no auth (critical: it mutates)",
      path: "pages/api/tasks/[id]/complete.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import { prisma } from "@/lib/prisma";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const id = String(req.query.id);
  const task = await prisma.task.update({ where: { id }, data: { status: "done" } });
  res.json({ task });
}`,
      errors: [
        {
          line: 4,
          severity: "critical",
          data: { route: "/api/tasks/[id]/complete", access: "writes `task` (prisma update)" },
          needs: ["requireAuth"], replacement: `export default async function handler(req: NextApiRequest, res: NextApiResponse) {\n  const session = await requireAuth();`,
        },
      ],
    },
    {
      name: "app-router GET reads a patient record (critical: sensitive table), PATCH writes it",
      path: "app/api/patients/[id]/route.ts",
      code: `import { prisma } from "@/lib/prisma";
type Ctx = { params: Promise<{ id: string }> };
export async function GET(_request: Request, { params }: Ctx) {
  const { id } = await params;
  return Response.json(await prisma.patient.findUnique({ where: { id } }));
}
export async function PATCH(request: Request, { params }: Ctx) {
  const { id } = await params;
  const body = await request.json();
  return Response.json(await prisma.patient.update({ where: { id }, data: { notes: body.notes } }));
}`,
      errors: [
        { line: 3, severity: "critical", needs: ["requireAuth"], replacement: `export async function GET(_request: Request, { params }: Ctx) {\n  const session = await requireAuth();` },
        { line: 7, severity: "critical" },
      ],
    },
    {
      name: "read-only list of a non-sensitive table is high",
      path: "app/api/projects/route.ts",
      code: `import { db } from "@/db";
export async function GET(request: Request) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return Response.json(await db.query.projects.findMany({ where: (p, { like }) => like(p.title, q) }));
}`,
      errors: [{ line: 2, severity: "high" }],
    },
    {
      name: "Express registration without auth middleware: fix adds it to the registration",
      path: "src/routes/invoices.ts",
      code: `import { Router } from "express";
import { prisma } from "../db";
export const invoices = Router();
invoices.delete("/:id", async (req, res) => {
  await prisma.invoice.delete({ where: { id: req.params.id } });
  res.status(204).end();
});`,
      errors: [{ line: 4, severity: "critical", needs: ["requireAuth"], replacement: `invoices.delete("/:id", requireAuth, async (req, res) => {` }],
    },
    {
      name: "Express registration of a controller function imported from another file, with no auth: fix adds the middleware",
      files: {
        "src/routes/invoices.ts": `import { Router } from "express";
import { deleteInvoice } from "../controllers/invoices";
export const invoices = Router();
invoices.delete("/:id", deleteInvoice);`,
        "src/controllers/invoices.ts": `import { prisma } from "../db";
export async function deleteInvoice(req, res) {
  await prisma.invoice.delete({ where: { id: req.params.id } });
  res.status(204).end();
}`,
      },
      errors: [{ line: 4, path: "src/routes/invoices.ts", severity: "critical", needs: ["requireAuth"], replacement: `invoices.delete("/:id", requireAuth, deleteInvoice);` }],
    },
    {
      name: "Express registrations of a controller's members: an object, a class's static method, a namespace import",
      files: {
        "src/routes/records.ts": `import { Router } from "express";
import { notes } from "../controllers/notes";
import { InvoiceController } from "../controllers/invoices";
import * as patients from "../controllers/patients";
export const records = Router();
records.delete("/notes/:id", notes.remove);
records.delete("/invoices/:id", InvoiceController.remove);
records.get("/patients/:id", patients.show);`,
        "src/controllers/notes.ts": `import { prisma } from "../db";
const remove = async (req, res) => {
  await prisma.note.delete({ where: { id: req.params.id } });
  res.status(204).end();
};
export const notes = { remove };`,
        "src/controllers/invoices.ts": `import { prisma } from "../db";
export class InvoiceController {
  static async remove(req, res) {
    await prisma.invoice.delete({ where: { id: req.params.id } });
    res.status(204).end();
  }
}`,
        "src/controllers/patients.ts": `import { prisma } from "../db";
export async function show(req, res) {
  res.json(await prisma.patient.findUnique({ where: { id: req.params.id } }));
}`,
      },
      errors: [
        { line: 6, path: "src/routes/records.ts", severity: "critical" },
        { line: 7, path: "src/routes/records.ts", severity: "critical" },
        { line: 8, path: "src/routes/records.ts" },
      ],
    },
    {
      name: "route deleting with SQL in a tagged template, no auth",
      path: "app/api/invoices/[id]/route.ts",
      code: `import { sql } from "@vercel/postgres";
export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await sql\`DELETE FROM invoices WHERE id = \${id}\`;
  return new Response(null, { status: 204 });
}`,
      errors: [{ line: 2, severity: "critical" }],
    },
    {
      name: "Express route creating a Mongoose document with no auth",
      files: {
        "src/routes/patients.ts": `import { Router } from "express";
import { Patient } from "../models/patient";
export const patients = Router();
patients.post("/", async (req, res) => {
  res.status(201).json(await Patient.create(req.body));
});`,
        "src/models/patient.ts": `import mongoose from "mongoose";
export const Patient = mongoose.model("Patient", new mongoose.Schema({ name: String, dob: Date }));`,
      },
      errors: [{ line: 4, path: "src/routes/patients.ts", severity: "critical" }],
    },
    {
      name: "near-miss: a 401 guarding what the caller sent, or claims decoded without verification, is no authentication",
      path: "src/routes/notes.ts",
      code: `import { Router } from "express";
import jwt from "jsonwebtoken";
import { prisma } from "../db";
export const notes = Router();
notes.delete("/:id", async (req, res) => {
  const { user } = req.body;
  if (!req.body.user) return res.status(401).end();
  await prisma.note.delete({ where: { id: req.params.id, ownerId: user } });
  res.status(204).end();
});
notes.patch("/:id", async (req, res) => {
  const claims = jwt.decode(String(req.headers.authorization)) as { sub: string } | null;
  if (!claims) return res.status(401).end();
  await prisma.note.update({ where: { id: req.params.id, ownerId: claims.sub }, data: req.body });
  res.status(204).end();
});`,
      errors: [
        { line: 5, severity: "critical" },
        { line: 11, severity: "critical" },
      ],
    },
    {
      name: "SvelteKit endpoint and form action deleting by id with no auth",
      files: {
        "src/routes/api/notes/[id]/+server.ts": SVELTEKIT_DELETE_NOTE,
        "src/routes/notes/+page.server.ts": `import { db } from "$lib/server/db";
export const actions = {
  remove: async ({ request }) => {
    const data = await request.formData();
    await db.note.delete({ where: { id: String(data.get("id")) } });
  },
};`,
      },
      errors: [
        { line: 2, path: "src/routes/api/notes/[id]/+server.ts", severity: "critical", data: { route: "DELETE /api/notes/[id]" } },
        { line: 3, path: "src/routes/notes/+page.server.ts", severity: "critical" },
      ],
    },
    {
      name: "Remix action deleting by id with no auth",
      path: "app/routes/notes.$noteId.tsx",
      code: `import { prisma } from "~/db.server";
export async function action({ params }) {
  await prisma.note.delete({ where: { id: params.noteId } });
  return null;
}`,
      errors: [{ line: 2, severity: "critical", data: { route: "POST /notes/:noteId" } }],
    },
    {
      name: "Nuxt route deleting by id with no auth",
      path: "server/api/notes/[id].delete.ts",
      code: `import { prisma } from "~/server/db";
export default defineEventHandler(async (event) => {
  await prisma.note.delete({ where: { id: getRouterParam(event, "id") } });
  return null;
});`,
      errors: [{ line: 2, severity: "critical", data: { route: "DELETE /api/notes/[id]" } }],
    },
    {
      name: "SvelteKit hooks that do not cover the route: another prefix, a cookie merely present, a guard after an exit it cannot read",
      files: {
        "src/hooks.server.ts": `import { redirect, type Handle } from "@sveltejs/kit";
import { sequence } from "@sveltejs/kit/hooks";
import { isPublic } from "$lib/server/public";
const admin: Handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith("/admin") && !event.locals.user) redirect(303, "/login");
  return resolve(event);
};
const cookie: Handle = async ({ event, resolve }) => {
  const session = event.cookies.get("session");
  if (!session) return new Response("Unauthorized", { status: 401 });
  return resolve(event);
};
const later: Handle = async ({ event, resolve }) => {
  if (isPublic(event)) return resolve(event);
  if (!event.locals.user) return new Response("Unauthorized", { status: 401 });
  return resolve(event);
};
const populateOnly: Handle = async ({ event, resolve }) => {
  event.locals.user = await getUser(event.cookies.get("session"));
  return resolve(event);
};
export const handle = sequence(admin, cookie, later, populateOnly);`,
        "src/routes/api/notes/[id]/+server.ts": SVELTEKIT_DELETE_NOTE,
      },
      errors: [{ line: 2, path: "src/routes/api/notes/[id]/+server.ts", severity: "critical" }],
    },
    {
      name: "SvelteKit hook that lets a request carrying a session cookie through before its guard: a cookie is not a user",
      files: {
        "src/hooks.server.ts": `export const handle = async ({ event, resolve }) => {
  if (event.cookies.get("session")) return resolve(event);
  if (event.url.pathname.startsWith("/api")) return new Response("Unauthorized", { status: 401 });
  return resolve(event);
};`,
        "src/routes/api/notes/[id]/+server.ts": SVELTEKIT_DELETE_NOTE,
      },
      errors: [{ line: 2, path: "src/routes/api/notes/[id]/+server.ts", severity: "critical" }],
    },
    {
      name: "SvelteKit endpoint of one app in a monorepo, behind another app's handle hook",
      files: {
        "apps/admin/src/hooks.server.ts": `export const handle = async ({ event, resolve }) => {
  if (!event.locals.user) return new Response("Unauthorized", { status: 401 });
  return resolve(event);
};`,
        "apps/site/src/routes/api/notes/[id]/+server.ts": SVELTEKIT_DELETE_NOTE,
        "apps/admin/src/routes/api/notes/[id]/+server.ts": SVELTEKIT_DELETE_NOTE,
      },
      errors: [{ line: 2, path: "apps/site/src/routes/api/notes/[id]/+server.ts", severity: "critical" }],
    },
    {
      name: "Nuxt route outside the prefix its server middleware guards",
      files: {
        "server/middleware/auth.ts": `export default defineEventHandler(async (event) => {
  if (event.path.startsWith("/api/admin") && !event.context.user) {
    throw createError({ statusCode: 401 });
  }
});`,
        "server/api/notes/[id].delete.ts": `import { prisma } from "~/server/db";
export default defineEventHandler(async (event) => {
  await prisma.note.delete({ where: { id: getRouterParam(event, "id") } });
  return null;
});`,
      },
      errors: [{ line: 2, path: "server/api/notes/[id].delete.ts", severity: "critical" }],
    },
    {
      name: "SvelteKit loads a layout's check does not guard: a page load that does not await parent(), and an unguarded layout load",
      files: {
        "src/routes/(app)/+layout.server.ts": `import { redirect } from "@sveltejs/kit";
export const load = async ({ locals }) => {
  if (!locals.user) redirect(303, "/login");
  return { user: locals.user };
};`,
        "src/routes/(app)/patients/[id]/+page.server.ts": `import { db } from "$lib/server/db";
export const load = async ({ params }) => {
  return { patient: await db.patient.findUnique({ where: { id: params.id } }) };
};`,
        "src/routes/(clinic)/+layout.server.ts": `import { db } from "$lib/server/db";
export async function load({ params, parent }) {
  await parent();
  return { clinic: await db.clinic.findFirst({ where: { slug: params.slug } }) };
}`,
      },
      errors: [
        { line: 2, path: "src/routes/(app)/patients/[id]/+page.server.ts", data: { route: "GET /patients/[id]" } },
        { line: 2, path: "src/routes/(clinic)/+layout.server.ts", data: { route: "GET /" } },
      ],
    },
    {
      name: "server action that deletes by id with no auth",
      path: "app/(app)/projects/actions.ts",
      code: `"use server";
import { prisma } from "@/lib/prisma";
export async function deleteProject(id: string) {
  await prisma.project.delete({ where: { id } });
}`,
      errors: [{ line: 3, severity: "critical", data: { route: "server action deleteProject" } }],
    },
    {
      name: "near-miss helper named like a guard but only logs: still missing auth",
      path: "app/api/orders/route.ts",
      files: {
        "app/api/orders/route.ts": `import { logRequest } from "@/lib/log";
import { prisma } from "@/lib/prisma";
export async function GET(request: Request) {
  logRequest(request);
  return Response.json(await prisma.order.findMany());
}`,
        "lib/log.ts": `export function logRequest(request: Request) {
  console.info(request.method);
}`,
      },
      errors: [{ line: 3, path: "app/api/orders/route.ts" }],
    },
    {
      name: "tRPC public mutation deleting by id",
      path: "server/routers/posts.ts",
      code: `import { z } from "zod";
import { router, publicProcedure } from "../trpc";
export const posts = router({
  remove: publicProcedure.input(z.string()).mutation(async ({ ctx, input }) => ctx.db.post.delete({ where: { id: input } })),
});`,
      errors: [{ line: 4, severity: "critical", data: { route: "tRPC remove (mutation)" } }],
    },
    {
      name: "Next.js middleware whose matcher does not cover the route",
      files: {
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  if (!request.cookies.get("session")) return NextResponse.redirect(new URL("/login", request.url));
  return NextResponse.next();
}
export const config = { matcher: ["/dashboard/:path*"] };`,
        "app/api/items/[id]/route.ts": NEXT_GET_ITEM,
      },
      errors: [{ path: "app/api/items/[id]/route.ts", line: 2 }],
    },
    {
      name: "Next.js middlewares whose code guards other paths than the route's, with no matcher to say so",
      files: {
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/dashboard") && !request.cookies.get("session")) {
    return NextResponse.redirect(new URL("/login", request.url));
  }
  return NextResponse.next();
}`,
        "apps/web/src/middleware.ts": `import { auth } from "@/auth";
export default auth((req) => {
  if (!req.auth && req.nextUrl.pathname !== "/login") return Response.redirect(new URL("/login", req.nextUrl));
});`,
        "app/api/items/[id]/route.ts": NEXT_GET_ITEM,
        "apps/web/src/app/login/route.ts": `import { prisma } from "@/lib/prisma";
export async function GET() {
  return Response.json(await prisma.item.findMany());
}`,
        "apps/web/src/app/api/items/route.ts": `import { prisma } from "@/lib/prisma";
export async function GET() {
  return Response.json(await prisma.item.findMany());
}`,
      },
      errors: [{ path: "app/api/items/[id]/route.ts", line: 2 }],
    },
    {
      name: "Clerk middleware that protects nothing by itself, or other paths than the route's",
      files: {
        "middleware.ts": `import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isProtectedRoute = createRouteMatcher(["/dashboard(.*)"]);
export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect();
});`,
        "app/api/notes/[id]/route.ts": nextDeleteById("note"),
        "apps/shop/middleware.ts": `import { clerkMiddleware } from "@clerk/nextjs/server";
export default clerkMiddleware();`,
        "apps/shop/app/api/orders/[id]/route.ts": nextDeleteById("order"),
      },
      errors: [
        { line: 2, path: "app/api/notes/[id]/route.ts", severity: "critical" },
        { line: 2, path: "apps/shop/app/api/orders/[id]/route.ts", severity: "critical" },
      ],
    },
    {
      name: "Next.js middleware whose matcher is a name it cannot read: no path is taken as covered",
      files: {
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
import { PROTECTED } from "./paths";
export function middleware(request: NextRequest) {
  if (!request.cookies.get("session")) return NextResponse.redirect(new URL("/login", request.url));
  return NextResponse.next();
}
const matcher = PROTECTED;
export const config = { matcher };`,
        "app/api/items/[id]/route.ts": NEXT_GET_ITEM,
      },
      errors: [{ path: "app/api/items/[id]/route.ts", line: 2 }],
    },
    {
      name: "a seed endpoint left in pages/api is reviewed like any route, whatever the default exclusions say of seed files",
      path: "pages/api/seed.ts",
      code: `import { prisma } from "@/lib/prisma";
export default async function handler(req, res) {
  await prisma.user.deleteMany();
  await prisma.user.create({ data: { email: "admin@example.com", role: "admin" } });
  res.json({ ok: true });
}`,
      errors: [{ line: 2, severity: "critical" }],
    },
    {
      name: "Auth.js v5 middleware whose authorized callback decides path by path, or whose config is not in sight",
      files: {
        "middleware.ts": `import NextAuth from "next-auth";
import { authConfig } from "./auth.config";
export default NextAuth(authConfig).auth;`,
        "auth.config.ts": `export const authConfig = {
  callbacks: {
    authorized({ auth, request: { nextUrl } }) {
      const isLoggedIn = !!auth?.user;
      if (nextUrl.pathname.startsWith("/dashboard")) return isLoggedIn;
      return true;
    },
  },
  providers: [],
};`,
        "app/api/invoices/[id]/route.ts": nextDeleteById("invoice"),
        "apps/shop/middleware.ts": `export { auth as middleware } from "@/auth";`,
        "apps/shop/app/api/orders/[id]/route.ts": nextDeleteById("order"),
      },
      errors: [
        { line: 2, path: "app/api/invoices/[id]/route.ts", severity: "critical" },
        { line: 2, path: "apps/shop/app/api/orders/[id]/route.ts", severity: "critical" },
      ],
    },
    {
      name: "Auth.js v5 authorized callback whose guard does not cover the route, or comes after a condition it cannot read",
      files: {
        "apps/api/middleware.ts": `export { auth as middleware } from "./auth";`,
        "apps/api/auth.ts": `import NextAuth from "next-auth";
export const { auth } = NextAuth({
  providers: [],
  callbacks: {
    authorized({ request, auth }) {
      const { pathname } = request.nextUrl;
      if (pathname.startsWith("/api/share")) return true;
      return !!auth;
    },
  },
});`,
        "apps/api/app/api/share/items/[id]/route.ts": NEXT_GET_ITEM,
        "apps/preview/middleware.ts": `export { auth as middleware } from "./auth";`,
        "apps/preview/auth.ts": `import NextAuth from "next-auth";
export const { auth } = NextAuth({
  providers: [],
  callbacks: {
    authorized({ request, auth }) {
      if (request.headers.get("x-preview") === "1") return true;
      if (request.nextUrl.pathname.startsWith("/api")) return !!auth;
      return true;
    },
  },
});`,
        "apps/preview/app/api/items/[id]/route.ts": NEXT_GET_ITEM,
        "apps/either/middleware.ts": `export { auth as middleware } from "./auth";`,
        "apps/either/auth.ts": `import NextAuth from "next-auth";
export const { auth } = NextAuth({
  providers: [],
  callbacks: { authorized: ({ auth, request }) => !!auth || request.nextUrl.pathname.startsWith("/api") },
});`,
        "apps/either/app/api/items/[id]/route.ts": NEXT_GET_ITEM,
      },
      errors: [
        { line: 2, path: "apps/api/app/api/share/items/[id]/route.ts", severity: "high" },
        { line: 2, path: "apps/either/app/api/items/[id]/route.ts", severity: "high" },
        { line: 2, path: "apps/preview/app/api/items/[id]/route.ts", severity: "high" },
      ],
    },
    {
      name: "server action built on next-safe-action's base client, which checks no one",
      files: {
        "lib/action-client.ts": `import { createSafeActionClient } from "next-safe-action";
export const actionClient = createSafeActionClient({ handleServerError: (e) => e.message });`,
        "app/settings/actions.ts": `"use server";
import { z } from "zod";
import { actionClient } from "@/lib/action-client";
import { prisma } from "@/lib/prisma";
export const deleteProject = actionClient.schema(z.object({ id: z.string() })).action(async ({ parsedInput }) => {
  await prisma.project.delete({ where: { id: parsedInput.id } });
});`,
      },
      errors: [{ line: 5, path: "app/settings/actions.ts", severity: "critical" }],
    },
    {
      name: "Express router mounted after an auth middleware the app installs on another path",
      files: {
        "src/routes/notes.ts": `import { Router } from "express";
import { prisma } from "../db";
export const notesRouter = Router();
notesRouter.delete("/:id", async (req, res) => {
  await prisma.note.delete({ where: { id: req.params.id } });
  res.status(204).end();
});`,
        "src/app.ts": `import express from "express";
import { requireAuth } from "./auth";
import { notesRouter } from "./routes/notes";
const app = express();
app.use("/admin", requireAuth);
app.use("/notes", notesRouter);
export default app;`,
      },
      errors: [{ line: 4, path: "src/routes/notes.ts", severity: "critical" }],
    },
    {
      name: "a 'subscribe' endpoint that changes an existing user's row by the id in the body is no public form",
      path: "server/api/subscribe.post.ts",
      code: `import { prisma } from "~/server/database/client";
export default defineEventHandler(async (event) => {
  const body = await readBody(event);
  await prisma.user.update({ where: { id: Number(body.user_id) }, data: { stripeCustomerId: body.customer } });
  return { ok: true };
});`,
      errors: [{ line: 2, severity: "critical" }],
    },
    {
      name: "a billing-portal session for the customer of a checkout session the caller names, with no auth",
      path: "server/api/stripe/createPortalSession.ts",
      code: `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export default defineEventHandler(async (event) => {
  const { session_id } = await readBody(event);
  const checkout = await stripe.checkout.sessions.retrieve(session_id);
  const portal = await stripe.billingPortal.sessions.create({ customer: checkout.customer as string, return_url: process.env.APP_URL! });
  return sendRedirect(event, portal.url);
});`,
      errors: [{ line: 3, severity: "high", data: { access: "reaches a customer's payment records (`stripe.checkout.sessions.retrieve`)" } }],
    },
    {
      name: "a session fetched but never checked: its id only fills a query filter, which the ORM drops when it is undefined",
      path: "app/api/posts/[postId]/route.ts",
      code: `import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth";
import { db } from "@/lib/db";
export async function DELETE(_req: Request, { params }: { params: { postId: string } }) {
  if (!(await verifyAccess(params.postId))) return new Response(null, { status: 403 });
  await db.post.delete({ where: { id: params.postId } });
  return new Response(null, { status: 204 });
}
async function verifyAccess(postId: string) {
  const session = await getServerSession(authOptions);
  const count = await db.post.count({ where: { id: postId, authorId: session?.user.id } });
  return count > 0;
}`,
      errors: [{ line: 4, severity: "critical", messageId: "uncheckedSession", data: { call: "getServerSession()" } }],
    },
    {
      name: "route that deletes through an arrow-function helper in another file",
      files: {
        "lib/notes.ts": `import { prisma } from "@/lib/prisma";
export const deleteNote = async (id: string) => prisma.note.delete({ where: { id } });`,
        "app/api/notes/route.ts": `import { deleteNote } from "@/lib/notes";
export async function DELETE(request: Request) {
  const { id } = await request.json();
  await deleteNote(id);
  return new Response(null, { status: 204 });
}`,
      },
      errors: [{ line: 2, path: "app/api/notes/route.ts", severity: "critical" }],
    },
    {
      name: "Express routes whose controller comes through a CommonJS barrel, with its service through another",
      files: {
        "src/controllers/index.js": `module.exports.userController = require("./user.controller");`,
        "src/controllers/user.controller.js": `const { userService } = require("../services");
const updateUser = async (req, res) => {
  res.send(await userService.updateUserById(req.params.userId, req.body));
};
module.exports = { updateUser };`,
        "src/services/index.js": `module.exports.userService = require("./user.service");`,
        "src/services/user.service.js": `const { User } = require("../models");
const updateUserById = async (userId, body) => User.findByIdAndUpdate(userId, body);
module.exports = { updateUserById };`,
        "src/routes/v1/user.route.js": `const express = require("express");
const { userController } = require("../../controllers");
const router = express.Router();
router.patch("/:userId", userController.updateUser);
module.exports = router;`,
      },
      errors: [{ line: 4, path: "src/routes/v1/user.route.js", severity: "critical" }],
    },
    {
      name: "server action in a folder the middleware guards: Next.js runs an action posted to any page, so the action checks its caller itself",
      files: {
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  if (!request.cookies.get("session")) return NextResponse.redirect(new URL("/login", request.url));
  return NextResponse.next();
}
export const config = { matcher: ["/dashboard/:path*"] };`,
        "app/dashboard/invoices/actions.ts": `"use server";
import { prisma } from "@/lib/prisma";
export async function deleteInvoice(id: string) {
  await prisma.invoice.delete({ where: { id } });
}`,
      },
      errors: [{ line: 3, path: "app/dashboard/invoices/actions.ts", severity: "critical", data: { route: "server action deleteInvoice" } }],
    },
    {
      name: "SvelteKit hook that only logs what a denial would be, and lets the request through",
      files: {
        "src/hooks.server.ts": `export const handle = async ({ event, resolve }) => {
  if (!event.locals.user) {
    console.warn("anonymous request; an API would answer 401 here");
    return resolve(event);
  }
  return resolve(event);
};`,
        "src/routes/api/notes/[id]/+server.ts": SVELTEKIT_DELETE_NOTE,
      },
      errors: [{ line: 2, path: "src/routes/api/notes/[id]/+server.ts", severity: "critical" }],
    },
    {
      name: "Next.js middleware that lets a constant list of public paths through, then requires a session",
      files: {
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
const PUBLIC_PATHS = ["/", "/login", "/api/stats"];
export function middleware(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (PUBLIC_PATHS.includes(pathname)) return NextResponse.next();
  if (!request.cookies.get("session")) return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  return NextResponse.next();
}`,
        "app/api/items/[id]/route.ts": NEXT_GET_ITEM,
        "app/api/stats/route.ts": `import { prisma } from "@/lib/prisma";
export async function GET() {
  return Response.json({ users: await prisma.user.count() });
}`,
      },
      errors: [{ line: 2, path: "app/api/stats/route.ts" }],
    },
    {
      name: "a route on an unchanged line is pre-existing",
      path: "app/api/tasks/route.ts",
      code: `import { prisma } from "@/lib/prisma";
export async function GET() {
  return Response.json(await prisma.task.findMany());
}
export const revalidate = 0;`,
      patches: { "app/api/tasks/route.ts": "@@ -4,0 +5,1 @@\n+export const revalidate = 0;" },
      errors: [{ line: 2, new: false }],
    },
  ],
});

describe("missing-auth on a SvelteKit load", () => {
  it("says that a layout's check covers the load only when it awaits parent()", () => {
    const [finding] = runCheck(check, {
      name: "load",
      path: "src/routes/(app)/patients/[id]/+page.server.ts",
      code: `import { db } from "$lib/server/db";
export const load = async ({ params }) => ({ patient: await db.patient.findUnique({ where: { id: params.id } }) });`,
    });
    expect(finding?.fix).toContain("A layout's check does not cover this load unless it awaits `parent()` first");
  });
});

describe("missing-auth on a session fetched and never checked", () => {
  it("names the call and says how the filter fails open", () => {
    const [finding] = runCheck(check, {
      name: "unchecked",
      path: "app/api/notes/route.ts",
      code: `import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function GET() {
  const session = await auth();
  return Response.json(await prisma.note.findMany({ where: { userId: session?.user?.id } }));
}`,
    });
    expect(finding?.message).toContain("the session it fetches (`auth()`) is never checked");
    expect(finding?.fix).toContain("an ORM drops an undefined filter");
  });
});

describe("missing-auth on a server action", () => {
  it("says that middleware and the page's own check do not cover it", () => {
    const [finding] = runCheck(check, {
      name: "action",
      path: "app/dashboard/invoices/actions.ts",
      code: `"use server";
import { prisma } from "@/lib/prisma";
export async function deleteInvoice(id: string) {
  await prisma.invoice.delete({ where: { id } });
}`,
    });
    expect(finding?.fix).toContain("Next.js runs a server action posted to any page");
  });
});

describe("missing-auth behind an Auth.js authorized callback that returns a condition", () => {
  const withCallback = (returned: string) => ({
    name: "authorized",
    files: {
      "middleware.ts": `export { auth as middleware } from "@/auth";`,
      "auth.ts": `import NextAuth from "next-auth";
export const { auth } = NextAuth({ providers: [], callbacks: { authorized: ({ auth, request }) => ${returned} } });`,
      "app/api/items/[id]/route.ts": NEXT_GET_ITEM,
    },
  });

  it("reads `a && b` as strict as its strictest term, and `a || b` as nothing it can credit", () => {
    expect(runCheck(check, withCallback(`!!auth?.user && request.method !== "TRACE"`))).toEqual([]);
    expect(runCheck(check, withCallback(`request.method === "GET" && auth?.user?.role === "admin"`))).toEqual([]);
    expect(runCheck(check, withCallback(`!!auth?.user || request.method === "GET"`)).map((f) => f.path)).toEqual(["app/api/items/[id]/route.ts"]);
  });
});

/** A viewer's reaction posted with no session: `write` is the query, `after` what the handler does with its result. */
const REACTION_ROUTE = (write: string, after = `if (!reaction) return res.status(500).json({ message: "Internal Server Error" });\n  return res.status(200).json({ message: "Reaction recorded" });`, before = "") => `import type { NextApiRequest, NextApiResponse } from "next";
import prisma from "@/lib/prisma";
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  const { viewId, pageNumber, type } = req.body;
  ${before}
  const reaction = await ${write};
  ${after}
}`;
const REACTION_CREATE = `prisma.reaction.create({ data: { viewId, pageNumber, type }, include: { view: { select: { viewerEmail: true } } } })`;

/** A project with the `@/` path alias and a Prisma client module, as context. */
const ALIAS_CONTEXT = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { paths: { "@/*": ["./*"] } } }),
  "lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();`,
};
/** A server action that hands the invitation's uid to a helper in another module. */
const CANCEL_ACTION = (body: string) => `"use server";
import { cancelInvite } from "@/lib/invites";
import { prisma } from "@/lib/prisma";
export async function cancelRsvpAction(input: { inviteUid: string; id: string }) {
  ${body}
}`;
const INVITES_MODULE = (lookup: string, rest: string) => `import { prisma } from "./prisma";
export async function cancelInvite(inviteUid: string) {
  const invite = await ${lookup};
  if (!invite) {
    return { ok: false, reason: "not_found" } as const;
  }
  ${rest}
}`;

/** An abuse report against a visit the share link issued; `refusal` is what happens when the visit is not found. */
const REPORT_ROUTE = (refusal: string) => `import type { NextApiRequest, NextApiResponse } from "next";
import prisma from "@/lib/prisma";
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { linkId, viewId, abuseType } = req.body;
  const view = await prisma.view.findUnique({ where: { id: viewId, linkId }, select: { id: true } });
  ${refusal}
  return res.status(200).json({ message: "Report submitted" });
}`;

/** A SAML assertion consumer service (or a near-miss of one): `read` is how it takes its input. */
const SAML_ROUTE = (middleware: string, read: string) => `import express from "express";
import { z } from "zod";
import { prisma } from "../prisma";
import { validate } from "../validate";
import { parseAssertion } from "../saml";
const router = express.Router();
router.post("/sso/saml/:connectorId", ${middleware}async (req, res) => {
  const connector = await prisma.ssoConnector.findUnique({ where: { id: req.params.connectorId } });
  if (!connector) return res.status(404).end();
  ${read}
});
export default router;`;

/** A badge served for anyone: `body` reads the certificate of a monitor once (or whether) `gate` says it is public. */
const BADGE_ROUTE = (method: string, body: string, gate = "isMonitorPublic", gateBody = "where: { monitorId, public: true }") => `import express from "express";
import { prisma } from "../prisma";
const router = express.Router();
router.${method}("/api/badge/:id/cert-exp", async (req, res) => {
  const id = Number(req.params.id);
  ${body}
});
async function ${gate}(monitorId: number) {
  const row = await prisma.monitorGroup.findFirst({ ${gateBody} });
  return !!row;
}
export default router;`;
const BADGE_IF_ELSE = `const shown = await isMonitorPublic(id);
  let message = "N/A";
  if (!shown) {
    message = "N/A";
  } else {
    const info = await prisma.tlsInfo.findFirst({ where: { monitorId: id } });
    message = info ? String(info.daysRemaining) : "No cert";
  }
  res.send(message);`;

ruleTester(check, {
  valid: [
    {
      name: "a public form that only adds a row: the created reaction's include never goes back to the caller",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(REACTION_CREATE),
    },
    {
      name: "a public form that checks the visit exists (selecting its id only) before adding a row",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(
        `prisma.reaction.create({ data: { viewId, pageNumber, type } })`,
        `return res.status(200).json({ message: "Reaction recorded" });`,
        `const view = await prisma.view.findUnique({ where: { id: viewId }, select: { id: true } });\n  if (!view) return res.status(400).json({ message: "View not found" });`,
      ),
    },
    {
      name: "an invitation (a compound table name) opened by its uid in a helper of another module, which leaves before the delete when none matches",
      files: { "app/events/actions.ts": CANCEL_ACTION("return await cancelInvite(input.inviteUid);") },
      context: {
        ...ALIAS_CONTEXT,
        "lib/invites.ts": INVITES_MODULE(`prisma.eventInvite.findUnique({ where: { uid: inviteUid }, select: { id: true } })`, `await prisma.eventInvite.delete({ where: { id: invite.id } });\n  return { ok: true } as const;`),
      },
    },
    {
      name: "a visit the share link issued, found by its id pinned to the link's, and the request answered 400 when it is not found",
      path: "pages/api/report.ts",
      code: REPORT_ROUTE(`if (!view) {\n    return res.status(400).json({ message: "View not found" });\n  }`),
    },
    {
      name: "a SAML assertion consumer service: the identity provider posts the SAMLResponse, for no session",
      path: "server/routes/sso.ts",
      code: SAML_ROUTE("", `const { SAMLResponse, RelayState } = req.body;\n  const profile = await parseAssertion(connector, SAMLResponse);\n  res.redirect(\`/sso/complete?state=\${RelayState}&user=\${profile.id}\`);`),
    },
    {
      name: "a SAML assertion consumer service whose route validation names the SAMLResponse",
      path: "server/routes/sso.ts",
      code: SAML_ROUTE("validate(z.object({ SAMLResponse: z.string(), RelayState: z.string() })), ", `const profile = await parseAssertion(connector, req.body);\n  res.redirect(\`/sso/complete?user=\${profile.id}\`);`),
    },
    {
      name: "a read-only GET of published content: the monitor's data is read only in the branch where it is public",
      path: "server/routes/badge.ts",
      code: BADGE_ROUTE("get", BADGE_IF_ELSE),
    },
    {
      name: "a read-only GET of published content: refused unless the predicate (whose body tests publication) passes",
      path: "server/routes/badge.ts",
      code: BADGE_ROUTE(
        "get",
        `if (!(await isVisible(id))) return res.status(404).end();\n  const info = await prisma.tlsInfo.findFirst({ where: { monitorId: id } });\n  res.json({ days: info?.daysRemaining });`,
        "isVisible",
        "where: { monitorId, status: \"published\" }",
      ),
    },
  ],
  invalid: [
    {
      name: "near-miss: the created row goes back to the caller with what it includes from another record",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(REACTION_CREATE, `return res.status(200).json(reaction);`),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: the route also updates an existing row",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(REACTION_CREATE, `await prisma.view.update({ where: { id: viewId }, data: { reacted: true } });\n  return res.status(200).json({ message: "ok" });`),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: the row added is a membership (it grants access)",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(`prisma.teamMembership.create({ data: { teamId: viewId, pageNumber } })`),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: the row added carries a role",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(`prisma.contributor.create({ data: { viewId, role: "admin" } })`),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: the row added is an API key",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(`prisma.apiKey.create({ data: { name: type } })`),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: the row speaks for a user the request names",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(`prisma.comment.create({ data: { body: type, authorId: req.body.userId } })`),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: the request body is written whole (any column, a role among them)",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(`prisma.reaction.create({ data: req.body })`),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: an upsert changes an existing row",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(`prisma.reaction.upsert({ where: { id: viewId }, create: { viewId, type }, update: { type } })`),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: a record read by the request's id goes back in the response beside the added row",
      path: "pages/api/reactions.ts",
      code: REACTION_ROUTE(
        `prisma.reaction.create({ data: { viewId, pageNumber, type } })`,
        `if (!reaction) return res.status(500).end();\n  return res.status(200).json({ document });`,
        `const document = await prisma.document.findUnique({ where: { id: req.body.documentId } });`,
      ),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: the invitation looked up by its event's id (a parent key, not its own)",
      files: { "app/events/actions.ts": CANCEL_ACTION("return await cancelInvite(input.inviteUid);") },
      context: {
        ...ALIAS_CONTEXT,
        "lib/invites.ts": INVITES_MODULE(`prisma.eventInvite.findFirst({ where: { eventId: inviteUid } })`, `await prisma.eventInvite.delete({ where: { id: invite.id } });\n  return { ok: true } as const;`),
      },
      errors: [{ line: 4, path: "app/events/actions.ts" }],
    },
    {
      name: "near-miss: the helper leaves when none matches, but the delete runs in the action regardless",
      files: { "app/events/actions.ts": CANCEL_ACTION("await cancelInvite(input.inviteUid);\n  await prisma.eventInvite.delete({ where: { id: input.id } });") },
      context: { ...ALIAS_CONTEXT, "lib/invites.ts": INVITES_MODULE(`prisma.eventInvite.findUnique({ where: { uid: inviteUid } })`, "return invite;") },
      errors: [{ line: 4, path: "app/events/actions.ts" }],
    },
    {
      name: "near-miss: a record of a table that is no invitation, opened by its uid",
      files: { "app/events/actions.ts": CANCEL_ACTION("return await cancelInvite(input.inviteUid);") },
      context: {
        ...ALIAS_CONTEXT,
        "lib/invites.ts": INVITES_MODULE(`prisma.eventAttendee.findUnique({ where: { uid: inviteUid } })`, `await prisma.eventAttendee.delete({ where: { id: invite.id } });\n  return { ok: true } as const;`),
      },
      errors: [{ line: 4, path: "app/events/actions.ts" }],
    },
    {
      name: "near-miss: the 400 answers a missing field, not a missing visit (the lookup is never refused)",
      path: "pages/api/report.ts",
      code: REPORT_ROUTE(`if (!abuseType) {\n    return res.status(400).json({ message: "Invalid request" });\n  }\n  await prisma.view.update({ where: { id: viewId }, data: { reported: true } });`),
      errors: [{ line: 3 }],
    },
    {
      name: "near-miss: the same SSO route taking a connector's settings, no SAMLResponse, and changing them",
      path: "server/routes/sso.ts",
      code: SAML_ROUTE("", `await prisma.ssoConnector.update({ where: { id: connector.id }, data: { config: req.body.config } });\n  res.status(204).end();`),
      errors: [{ line: 7 }],
    },
    {
      name: "near-miss: the monitor's data read before the publication check and sent whatever it says",
      path: "server/routes/badge.ts",
      code: BADGE_ROUTE("get", `const info = await prisma.tlsInfo.findFirst({ where: { monitorId: id } });\n  const shown = await isMonitorPublic(id);\n  res.json({ shown, days: info?.daysRemaining });`),
      errors: [{ line: 4 }],
    },
    {
      name: "near-miss: a predicate that neither its name nor its body says is about publication",
      path: "server/routes/badge.ts",
      code: BADGE_ROUTE("get", BADGE_IF_ELSE.replace("isMonitorPublic", "isMonitorActive"), "isMonitorActive", "where: { monitorId, active: true }"),
      errors: [{ line: 4 }],
    },
    {
      name: "near-miss: a getter named for public data is no publication check",
      path: "server/routes/badge.ts",
      code: BADGE_ROUTE("get", `const monitor = await getPublicMonitor(id);\n  if (!monitor) return res.status(404).end();\n  const info = await prisma.tlsInfo.findFirst({ where: { monitorId: id } });\n  res.json({ days: info?.daysRemaining });`, "getPublicMonitor"),
      errors: [{ line: 4 }],
    },
    {
      name: "near-miss: the gated route writes (not a read-only GET)",
      path: "server/routes/badge.ts",
      code: BADGE_ROUTE("get", BADGE_IF_ELSE.replace("res.send(message);", "await prisma.badgeHit.update({ where: { monitorId: id }, data: { hits: { increment: 1 } } });\n  res.send(message);")),
      errors: [{ line: 4 }],
    },
    {
      name: "near-miss: the same gate on a POST",
      path: "server/routes/badge.ts",
      code: BADGE_ROUTE("post", BADGE_IF_ELSE),
      errors: [{ line: 4 }],
    },
  ],
});
