import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { Finding } from "../../src/review/types.js";
import { pr } from "./pr-snapshot.js";

/**
 * Guards a PR takes away from a route the base has: new findings even where the rule would not
 * flag the head route by itself (a sign-in flow's rate limit, a procedure made public, a permission
 * lowered), each naming what was removed; near-misses where the guard was replaced, not removed.
 */

const config = ConfigSchema.parse({});

const LIMITER = `import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
export const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(5, "1 m") });
export const loginRatelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(10, "1 m") });
`;

const AUTH_ROUTE = (guard: string) => `import { ratelimit, loginRatelimit } from "@/lib/limits";
import { handlers } from "@/auth";

export async function GET(request: Request) {
${guard}
  return handlers.GET(request);
}
`;

const LIMITED = `  const { success } = await ratelimit.limit(request.headers.get("x-forwarded-for") ?? "anonymous");
  if (!success) return new Response("Too many requests", { status: 429 });`;

const TRPC = `import { initTRPC, TRPCError } from "@trpc/server";
const t = initTRPC.context<{ user?: { id: string; admin: boolean } }>().create();
export const router = t.router;
export const publicProcedure = t.procedure;
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { user: ctx.user } });
});
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.admin) throw new TRPCError({ code: "FORBIDDEN" });
  return next();
});
`;

const CONTAINERS = (procedure: string) => `import { router, ${procedure} } from "../trpc";
import { db } from "../db";

export const docker = router({
  containers: ${procedure}.query(async () => {
    return db.container.findMany();
  }),
});
`;

const KEYS = (scope: string) => `import { requireProjectAccess } from "@/lib/access";
import { prisma } from "@/lib/prisma";

export async function POST(request: Request, { params }: { params: { projectId: string } }) {
  const body = await request.json();
  await requireProjectAccess({ projectId: params.projectId, scope: "${scope}" });
  const key = await prisma.apiKey.findFirst({ where: { projectId: params.projectId, id: body.id } });
  return Response.json({ ok: Boolean(key) });
}
`;

const ACCESS = `import { auth } from "@/auth";
export async function requireProjectAccess(input: { projectId: string; scope: string }) {
  const session = await auth();
  if (!session?.user) throw new Error("Unauthorized");
  if (!session.user.scopes.includes(input.scope)) throw new Error("Forbidden");
}
`;

const BILLING = (check: string) => `"use server";
import { requireUser } from "@/lib/session";
import { prisma } from "@/lib/prisma";
import { isBillingAdmin } from "@/lib/billing";

export async function cancelPlanAction(planId: string) {
  const user = await requireUser();
  const plan = await prisma.plan.findUnique({ where: { id: planId, members: { some: { userId: user.id } } } });
  if (!plan) throw new Error("Not found");
${check}
  await prisma.plan.update({ where: { id: plan.id }, data: { cancelled: true } });
}
`;

const CONTEXT = {
  "lib/limits.ts": LIMITER,
  "auth.ts": `import NextAuth from "next-auth";\nexport const { handlers, auth } = NextAuth({ providers: [] });\n`,
  "server/trpc.ts": TRPC,
  "server/db.ts": `import { PrismaClient } from "@prisma/client";\nexport const db = new PrismaClient();\n`,
  "lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
  "lib/access.ts": ACCESS,
  "lib/session.ts": `import { auth } from "@/auth";\nexport async function requireUser() {\n  const session = await auth();\n  if (!session?.user) throw new Error("Unauthorized");\n  return session.user;\n}\n`,
  "lib/billing.ts": `export function isBillingAdmin(plan: { admins: string[] }, userId: string) {\n  return plan.admins.includes(userId);\n}\n`,
};

function review(path: string, base: string, head: string): Finding[] {
  return reviewSnapshot(pr({ [path]: { base, head } }, { unchanged: CONTEXT }), config).findings.filter((finding) => finding.path === path);
}

const onRule = (findings: Finding[], ruleId: string) => findings.filter((finding) => finding.ruleId === ruleId);

describe("guards taken away by a PR", () => {
  it("a rate limit removed from a sign-in route gives one new finding that names the removed call, commented where the diff shows it", () => {
    const findings = review("app/api/auth/[...nextauth]/route.ts", AUTH_ROUTE(LIMITED), AUTH_ROUTE(""));
    const [finding, ...rest] = onRule(findings, "ingress/missing-rate-limit");
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ new: true, line: 4, severity: "high" });
    expect(finding!.message).toContain('This PR removed `await ratelimit.limit(request.headers.get("x-forwarded-for") ?? "anonymous")` (line 5 of the base).');
    // The declaration line is untouched: the comment goes where the limit was.
    expect(finding!.commentLine).toBe(5);
    // The route handles sign-in; the limit's removal is not a missing sign-in.
    expect(onRule(findings, "ingress/missing-auth")).toEqual([]);
  });

  it("a rate limit removed from a sign-in route whose handler is the auth library's is still a new finding", () => {
    const base = AUTH_ROUTE(LIMITED);
    const head = `import { handlers } from "@/auth";

export const GET = handlers.GET;
`;
    const [finding, ...rest] = onRule(review("app/api/auth/[...nextauth]/route.ts", base, head), "ingress/missing-rate-limit");
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ new: true, messageId: "removedRateLimit", line: 3, data: { change: 'this PR removed `await ratelimit.limit(request.headers.get("x-forwarded-for") ?? "anonymous")` (line 5 of the base)' } });
  });

  it("near-miss: the limit swapped for another limiter is not a finding", () => {
    const swapped = LIMITED.replace("ratelimit.limit", "loginRatelimit.limit");
    expect(onRule(review("app/api/auth/[...nextauth]/route.ts", AUTH_ROUTE(LIMITED), AUTH_ROUTE(swapped)), "ingress/missing-rate-limit")).toEqual([]);
  });

  it("a procedure moved from an admin builder to the public one is a new missing-auth finding naming both builders", () => {
    const findings = review("server/routers/docker.ts", CONTAINERS("adminProcedure"), CONTAINERS("publicProcedure"));
    const [finding] = onRule(findings, "ingress/missing-auth");
    expect(finding).toMatchObject({ new: true, messageId: "removedAuth", line: 5 });
    expect(finding!.data.change).toBe("this PR builds it on `publicProcedure` where the base used `adminProcedure`");
  });

  it("the same procedure moved from the admin builder to the signed-in one loses its role check", () => {
    const findings = review("server/routers/docker.ts", CONTAINERS("adminProcedure"), CONTAINERS("protectedProcedure"));
    expect(onRule(findings, "ingress/missing-auth")).toEqual([]);
    expect(onRule(findings, "authz/missing-role-check")).toMatchObject([{ new: true, messageId: "removedRoleCheck", data: { change: "this PR builds it on `protectedProcedure` where the base used `adminProcedure`" } }]);
  });

  it("near-miss: moved from the signed-in builder to the admin one (stronger) is not a finding", () => {
    const findings = review("server/routers/docker.ts", CONTAINERS("protectedProcedure"), CONTAINERS("adminProcedure"));
    expect(findings.filter((finding) => finding.new)).toEqual([]);
  });

  it("a permission lowered from update to read is a new role finding that names both permissions", () => {
    const findings = review("app/api/projects/[projectId]/keys/route.ts", KEYS("apiKeys:update"), KEYS("apiKeys:read"));
    const [finding] = onRule(findings, "authz/missing-role-check");
    expect(finding).toMatchObject({ new: true, messageId: "weakenedPermission", data: { before: "write", after: "read", change: 'this PR changed `"apiKeys:update"` to `"apiKeys:read"`' } });
    expect(finding!.fix).toContain('"apiKeys:update"');
  });

  it("near-miss: a permission raised from read to update, or renamed at the same level, is not a finding", () => {
    expect(onRule(review("app/api/projects/[projectId]/keys/route.ts", KEYS("apiKeys:read"), KEYS("apiKeys:update")), "authz/missing-role-check")).toEqual([]);
    expect(onRule(review("app/api/projects/[projectId]/keys/route.ts", KEYS("apiKeys:update"), KEYS("apiKeys:edit")), "authz/missing-role-check")).toEqual([]);
  });

  it("a refusing role check taken out of a server action the rule already flags gives one finding, new, naming the removed check", () => {
    const check = `  if (!isBillingAdmin(plan, user.id)) throw new Error("Forbidden: not a billing admin");`;
    const [finding, ...rest] = onRule(review("app/billing/actions.ts", BILLING(check), BILLING("")), "authz/missing-role-check");
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ new: true });
    expect(finding!.message.match(/removed `isBillingAdmin\(plan, user\.id\)` \(line 10 of the base\)/gi)).toHaveLength(1);
  });

  it("near-miss: the same check moved below the lookup's other guard is not a finding", () => {
    const check = `  if (!isBillingAdmin(plan, user.id)) throw new Error("Forbidden: not a billing admin");`;
    const head = BILLING(`  const note = "cancelled by " + user.id;\n${check}`);
    expect(review("app/billing/actions.ts", BILLING(check), head).filter((finding) => finding.new)).toEqual([]);
  });

  it("an assertion that answers 403 taken out of a handler is a new role finding naming it; one answering 404 is not", () => {
    const route = (assertion: string) => `import { requireUser } from "@/lib/session";
import { assertThat } from "@/lib/assert";
import { prisma } from "@/lib/prisma";

export async function GET(_request: Request, { params }: { params: { target: string } }) {
  const user = await requireUser();
${assertion}
  return Response.json(await prisma.tokenSet.findFirst({ where: { userId: user.id, target: params.target } }));
}
`;
    const path = "app/api/account/tokens/[target]/route.ts";
    const forbidden = `  assertThat(user.scopes.includes("identities"), "auth.forbidden", 403);`;
    const [finding, ...rest] = onRule(review(path, route(forbidden), route("")), "authz/missing-role-check");
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ new: true, messageId: "removedRoleCheck", data: { change: 'this PR removed `assertThat(user.scopes.includes("identities"), "auth.forbidden", 403)` (line 7 of the base)' } });
    const notFound = `  assertThat(params.target.length > 0, "entity.not_found", 404);`;
    expect(onRule(review(path, route(notFound), route("")), "authz/missing-role-check")).toEqual([]);
  });

  it("a sign-in check removed where the rule already flags the route gives one finding, new, not two", () => {
    const base = `import { requireUser } from "@/lib/session";
import { prisma } from "@/lib/prisma";

export async function DELETE(_request: Request, { params }: { params: { id: string } }) {
  const user = await requireUser();
  await prisma.note.delete({ where: { id: params.id, ownerId: user.id } });
  return new Response(null, { status: 204 });
}
`;
    const head = base.replace("  const user = await requireUser();\n", "").replace("ownerId: user.id", "ownerId: undefined");
    const findings = onRule(review("app/api/notes/[id]/route.ts", base, head), "ingress/missing-auth");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ new: true, line: 4 });
    expect(findings[0]!.message.match(/removed `await requireUser\(\)`/gi)).toHaveLength(1);
  });
});

describe("redirect checks taken away by a PR", () => {
  const CALLBACK = (destination: string, before = "") => `import { NextResponse, type NextRequest } from "next/server";
import { completeSignIn } from "@/lib/auth";
import { sanitizeRedirectPath } from "@/lib/redirects";

export async function GET(request: NextRequest) {
  const result = await completeSignIn(request.nextUrl.searchParams.get("code") ?? "");
  const baseUrl = new URL(request.url).origin;
${before}  return NextResponse.redirect(new URL(${destination}, baseUrl));
}
`;
  const context = {
    "lib/auth.ts": `export async function completeSignIn(code: string) {\n  return { redirectTo: code ? "/apps" : "/sign-in" };\n}\n`,
    "lib/redirects.ts": `export function sanitizeRedirectPath(path: string) {\n  return path.startsWith("/") && !path.startsWith("//") ? path : "/";\n}\n`,
  };
  const path = "app/auth/callback/route.ts";
  const run = (base: string, head: string) => reviewSnapshot(pr({ [path]: { base, head } }, { unchanged: context }), config).findings.filter((finding) => finding.ruleId === "redirect/open-redirect");

  it("a destination check taken out of a redirect is a new open-redirect finding at the redirect, naming the check and its base line", () => {
    const [finding, ...rest] = run(CALLBACK("sanitizeRedirectPath(result.redirectTo)"), CALLBACK("result.redirectTo"));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ new: true, messageId: "removedRedirectCheck", line: 8 });
    expect(finding!.data.change).toBe("this PR removed `sanitizeRedirectPath(…)` from the destination (line 8 of the base: `NextResponse.redirect(new URL(sanitizeRedirectPath(result.redirectTo), baseUrl))`)");
  });

  it("near-miss: the check moved into a variable the redirect uses is not a finding", () => {
    expect(run(CALLBACK("sanitizeRedirectPath(result.redirectTo)"), CALLBACK("destination", "  const destination = sanitizeRedirectPath(result.redirectTo);\n"))).toEqual([]);
  });
});

describe("tenant scoping taken away by a PR", () => {
  const ROUTE = (call: string) => `import { requireUser } from "@/lib/session";
import { directory } from "@/lib/directory";

export async function DELETE(request: Request) {
  const user = await requireUser();
  const input = await request.json();
  await ${call};
  return new Response(null, { status: 204 });
}
`;
  const context = {
    "lib/session.ts": CONTEXT["lib/session.ts"],
    "auth.ts": CONTEXT["auth.ts"],
    "lib/directory.ts": `export const directory = {\n  async removeMembership(membershipId: string, orgId?: string) {\n    return { membershipId, orgId };\n  },\n};\n`,
  };
  const path = "app/api/memberships/route.ts";
  const run = (base: string, head: string) => reviewSnapshot(pr({ [path]: { base, head } }, { unchanged: context }), config).findings.filter((finding) => finding.ruleId === "authz/missing-org-context");

  it("a call the base scoped by the organisation's id, made without it, is a new org-context finding naming the dropped argument", () => {
    const [finding, ...rest] = run(ROUTE("directory.removeMembership(input.membershipId, input.orgId)"), ROUTE("directory.removeMembership(input.membershipId)"));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ new: true, messageId: "removedOrgScope", line: 4, data: { change: "this PR no longer passes `input.orgId` to `directory.removeMembership(…)` (line 7 of the base)" } });
  });

  it("near-miss: the organisation now taken from the caller's context instead of the body is still scoped", () => {
    expect(run(ROUTE("directory.removeMembership(input.membershipId, input.orgId)"), ROUTE("directory.removeMembership(input.membershipId, user.orgId)"))).toEqual([]);
  });
});

describe("a tenant condition taken out of one query's filter", () => {
  const QUERY = (first: string, before = "") => `import { and, eq } from "drizzle-orm";
import { db } from "@/lib/db";
import { requireUser } from "@/lib/session";

export async function GET(request: Request) {
  const user = await requireUser();
  const url = new URL(request.url);
${before}  const identity = await db.query.identities.findFirst({ where: (t) => ${first} });
  const other = await db.query.identities.findFirst({ where: (t) => and(eq(t.workspaceId, user.authorizedWorkspaceId), eq(t.id, url.searchParams.get("other") ?? "")) });
  return Response.json({ identity, other });
}
`;
  const context = {
    "lib/session.ts": CONTEXT["lib/session.ts"],
    "auth.ts": CONTEXT["auth.ts"],
    "lib/db.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nexport const db = drizzle(process.env.DATABASE_URL!);\n`,
  };
  const path = "app/api/identities/route.ts";
  const run = (base: string, head: string) => reviewSnapshot(pr({ [path]: { base, head } }, { unchanged: context }), config).findings.filter((finding) => finding.ruleId === "authz/missing-org-context" && finding.new);
  const SCOPED = `and(eq(t.workspaceId, user.authorizedWorkspaceId), eq(t.externalId, url.searchParams.get("externalId") ?? ""))`;

  it("the workspace condition dropped from one query is new, though the same helper still scopes another query of that table", () => {
    const [finding, ...rest] = run(QUERY(SCOPED), QUERY(`eq(t.externalId, url.searchParams.get("externalId") ?? "")`));
    expect(rest).toEqual([]);
    // The head alone is a finding too; what the PR took away is named in it.
    expect(finding).toMatchObject({ line: 5, severity: "high" });
    expect(finding!.message).toContain("This PR no longer passes `t.workspaceId` to `eq(…)` in `db.query.identities.findFirst(…)` (line 8 of the base).");
  });

  it("a route already flagged for another query becomes new when the PR drops a tenant condition from a scoped one", () => {
    const UNSCOPED = `  const linked = await db.query.identities.findMany({ where: (t) => eq(t.id, url.searchParams.get("linked") ?? "") });\n`;
    const [finding, ...rest] = run(QUERY(SCOPED, UNSCOPED), QUERY(`eq(t.externalId, url.searchParams.get("externalId") ?? "")`, UNSCOPED));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ line: 5, new: true });
    expect(finding!.message).toContain("This PR no longer passes `t.workspaceId` to `eq(…)` in `db.query.identities.findFirst(…)` (line 9 of the base).");
    // Without the dropped condition the same route's finding is pre-existing.
    const unchanged = reviewSnapshot(pr({ [path]: { base: QUERY(SCOPED, UNSCOPED), head: QUERY(SCOPED, UNSCOPED) } }, { unchanged: context }), config).findings.filter((f) => f.ruleId === "authz/missing-org-context");
    expect(unchanged).toMatchObject([{ line: 5, new: false }]);
  });

  it("near-miss: the same query still scoped, by the caller's workspace written another way", () => {
    expect(run(QUERY(SCOPED), QUERY(`and(eq(t.externalId, url.searchParams.get("externalId") ?? ""), eq(t.workspaceId, user.authorizedWorkspaceId))`))).toEqual([]);
  });

  it("near-miss: a condition that names no tenant taken away is not an org-scope regression", () => {
    expect(run(QUERY(`and(eq(t.kind, "person"), eq(t.externalId, url.searchParams.get("externalId") ?? ""))`), QUERY(`eq(t.externalId, url.searchParams.get("externalId") ?? "")`))).toEqual([]);
  });
});
