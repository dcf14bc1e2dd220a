import { describe, expect, it } from "vitest";
import { ConfigSchema, type ConfigInput } from "../../src/config/schema.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { PullRequestSnapshot, SnapshotContext, SnapshotFile } from "../../src/snapshot.js";

function review(route: string, options: { config?: ConfigInput; context?: SnapshotContext; files?: SnapshotFile[] } = {}) {
  const files: SnapshotFile[] = [{ path: "app/api/projects/[id]/route.ts", status: "added", content: route }, ...(options.files ?? [])];
  const snapshot: PullRequestSnapshot = { repo: "acme/app", title: "Projects", body: "", labels: [], commits: [], files, ...(options.context ? { context: options.context } : {}) };
  return reviewSnapshot(snapshot, ConfigSchema.parse(options.config ?? {}));
}

const rules = (result: ReturnType<typeof review>) => result.findings.map((f) => f.ruleId);

describe("calls into code the review could not read", () => {
  it("asks about a guard-like call from a package outside the repository instead of claiming missing auth", () => {
    const result = review(`import { requireMember } from "@acme/platform-auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(request: Request, { params }: { params: { id: string } }) {
  const member = await requireMember(request);
  await prisma.project.delete({ where: { id: params.id, orgId: member.orgId } });
  return new Response(null, { status: 204 });
}`);
    expect(rules(result)).not.toContain("ingress/missing-auth");
    expect(result.openQuestions).toContainEqual(expect.stringContaining("calls `requireMember` (from `@acme/platform-auth`: a package from outside the repository)"));
    expect(result.openQuestions.join("\n")).toContain("`functions.auth`");
  });

  it("counts a call given the request as a possible guard, whatever its name, but not a logging or formatting call", () => {
    const given = review(`import { resolveRequest } from "@acme/edge";
import { prisma } from "@/lib/prisma";
export async function DELETE(request: Request, { params }: { params: { id: string } }) {
  const caller = await resolveRequest(request);
  await prisma.project.delete({ where: { id: params.id, ownerId: caller.id } });
  return new Response(null, { status: 204 });
}`);
    expect(rules(given)).not.toContain("ingress/missing-auth");
    expect(given.openQuestions).toContainEqual(expect.stringContaining("`resolveRequest`"));

    const notAGuard = review(`import { formatTitle } from "@acme/strings";
import { trackEvent } from "@acme/analytics";
import { prisma } from "@/lib/prisma";
export async function DELETE(request: Request, { params }: { params: { id: string } }) {
  trackEvent(request, "delete");
  await prisma.project.delete({ where: { id: params.id } });
  return new Response(formatTitle(params.id), { status: 200 });
}`);
    expect(notAGuard.findings).toContainEqual(expect.objectContaining({ ruleId: "ingress/missing-auth", severity: "critical" }));
    expect(notAGuard.openQuestions.join("\n")).not.toContain("trackEvent");
  });

  it("names the module and the limit when the repository's own guard was not read, and a configured guard settles it", () => {
    const route = `import { loadCaller } from "@/lib/caller";
import { prisma } from "@/lib/prisma";
export async function POST(request: Request, { params }: { params: { id: string } }) {
  const caller = await loadCaller(request);
  await prisma.project.update({ where: { id: params.id }, data: { archived: true } });
  return new Response(null, { status: 204 });
}`;
    const context: SnapshotContext = { layout: { scopes: [], packages: {} }, unread: [{ path: "lib/caller.ts", reason: "past 400 context files (limits.contextFiles)" }], notes: [] };
    const unread = review(route, { context });
    expect(rules(unread)).not.toContain("ingress/missing-auth");
    expect(unread.openQuestions).toContainEqual(expect.stringContaining("`loadCaller` (from `@/lib/caller`: `lib/caller.ts`, not read: past 400 context files (limits.contextFiles))"));
    const configured = review(route, { context, config: { functions: { auth: ["loadCaller"] } } });
    expect(configured.openQuestions.join("\n")).not.toContain("loadCaller");
  });

  it("asks about a function a read helper authenticates through (handed to it as a parameter), and a configured guard settles it", () => {
    const route = `import { authenticateWithScope } from "@/lib/api-auth";
import { prisma } from "@/lib/prisma";
export async function POST(request: Request, { params }: { params: { id: string } }) {
  const authentication = await authenticateWithScope(request, { scope: "write" });
  if (!authentication.ok) return Response.json({ error: authentication.error }, { status: authentication.status });
  await prisma.project.update({ where: { id: params.id }, data: { archived: true } });
  return new Response(null, { status: 204 });
}`;
    const helper: SnapshotFile = {
      path: "lib/api-auth.ts",
      status: "unchanged",
      context: true,
      content: `export async function authenticateRequest(request: Request) { return request.headers.get("authorization") ? { id: "k" } : undefined; }
export async function authenticateWithScope(request: Request, options: { scope: string }, deps = { authenticateRequest }) {
  const result = await deps.authenticateRequest(request);
  return result ? { ok: true as const, result, scope: options.scope } : { ok: false as const, status: 401, error: "Invalid key" };
}
`,
    };
    const asked = review(route, { files: [helper] });
    expect(rules(asked)).not.toContain("ingress/missing-auth");
    expect(asked.openQuestions).toContainEqual(expect.stringContaining("calls `authenticateRequest` (from `lib/api-auth.ts`: called through a parameter of `authenticateWithScope`"));
    const configured = review(route, { files: [helper], config: { functions: { auth: ["authenticateRequest"] } } });
    expect(configured.openQuestions.join("\n")).not.toContain("authenticateRequest");
    expect(rules(configured)).not.toContain("ingress/missing-auth");
  });

  it("judges a guard whose code was read by that code: a do-nothing helper does not protect the route", () => {
    const result = review(
      `import { requireMember } from "@/lib/member";
import { prisma } from "@/lib/prisma";
export async function DELETE(request: Request, { params }: { params: { id: string } }) {
  await requireMember(request);
  await prisma.project.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}`,
      { files: [{ path: "lib/member.ts", status: "unchanged", context: true, content: "export async function requireMember(request: Request) {\n  return request.headers.get('x-member');\n}\n" }] },
    );
    expect(result.openQuestions.join("\n")).not.toContain("requireMember");
  });
});

describe("confidence", () => {
  const route = `import { prisma } from "@/lib/prisma";
export async function DELETE(_request: Request, { params }: { params: { id: string } }) {
  await prisma.project.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}`;

  it("a finding whose data access rests on a client from an unread module is likely and does not fail the review", () => {
    const result = review(route);
    expect(result.findings).toContainEqual(expect.objectContaining({ ruleId: "ingress/missing-auth", severity: "critical", confidence: "likely" }));
    expect(result.verdict).toBe("pass");
  });

  it("the same finding is certain, and fails, once the client's module was read", () => {
    const result = review(route, { files: [{ path: "lib/prisma.ts", status: "unchanged", context: true, content: `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n` }] });
    expect(result.findings).toContainEqual(expect.objectContaining({ ruleId: "ingress/missing-auth", severity: "critical", confidence: "certain" }));
    expect(result.verdict).toBe("fail");
  });
});
