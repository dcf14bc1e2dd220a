import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import { contextWanted, isWantedContext } from "../../src/review/context-files.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { PullRequestSnapshot, SnapshotFile } from "../../src/snapshot.js";

const config = ConfigSchema.parse({});

const ROUTE = `import { prisma } from "@/lib/prisma";
export async function DELETE(_request: Request, { params }: { params: { id: string } }) {
  await prisma.note.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}`;

/** Authenticates /api/notes, and does things that would be findings in a file the PR changed. */
const MIDDLEWARE = `import { NextResponse } from "next/server";
import { auth } from "@/auth";
const hits = new Map<string, number>();
const ADMIN_EMAILS = ["ceo@acme.com", "cto@acme.com"];
interface PatientRecord { ssn: string; diagnosis: string }
export default auth((req) => {
  if (!req.auth) return NextResponse.redirect(new URL("/login", req.url));
  if (ADMIN_EMAILS.includes(req.auth.user.email)) hits.set(req.auth.user.email, 1);
});
export const config = { matcher: ["/api/notes/:path*"] };`;

function snapshot(files: SnapshotFile[]): PullRequestSnapshot {
  return { repo: "acme/app", title: "Delete notes", body: "", labels: [], commits: [], files };
}

const route: SnapshotFile = { path: "app/api/notes/[id]/route.ts", status: "added", content: ROUTE };

describe("context files", () => {
  it("wants the guard files of the frameworks a PR's paths belong to, except those the PR changes", () => {
    expect(contextWanted(["app/api/notes/route.ts", "middleware.ts"])).toEqual({
      files: [
        ...["middleware.js", "proxy.ts", "proxy.js", "auth.ts", "auth.js", "auth.config.ts", "auth.config.js"],
        ...["src/middleware.ts", "src/middleware.js", "src/proxy.ts", "src/proxy.js", "src/auth.ts", "src/auth.js", "src/auth.config.ts", "src/auth.config.js"],
      ],
      folders: [],
    });
    // Each app of a monorepo has its own guard files.
    expect(contextWanted(["apps/web/app/api/notes/route.ts", "apps/admin/src/pages/api/users.ts", "apps/web/app/page.tsx"]).files.filter((path) => path.endsWith("middleware.ts"))).toEqual([
      "apps/web/middleware.ts",
      "apps/web/src/middleware.ts",
      "apps/admin/middleware.ts",
      "apps/admin/src/middleware.ts",
    ]);
    expect(contextWanted(["apps/shop/server/api/cart.post.ts"]).folders).toEqual(["apps/shop/server/middleware"]);
    expect(contextWanted(["src/routes/api/notes/+server.ts", "src/routes/+layout.server.ts"])).toEqual({
      files: ["src/hooks.server.ts", "src/hooks.server.js", "src/routes/api/notes/+layout.server.ts", "src/routes/api/notes/+layout.server.js", "src/routes/api/+layout.server.ts", "src/routes/api/+layout.server.js", "src/routes/+layout.server.js"],
      folders: [],
    });
    expect(contextWanted(["server/api/notes.get.ts"])).toEqual({ files: [], folders: ["server/middleware"] });
    expect(contextWanted(["lib/format.ts", "README.md"])).toEqual({ files: [], folders: [] });
    const nuxt = contextWanted(["server/api/notes.get.ts"]);
    expect(isWantedContext("server/middleware/auth.ts", nuxt)).toBe(true);
    expect(isWantedContext("server/middleware/nested/auth.ts", nuxt)).toBe(false);
    expect(isWantedContext("server/middleware/README.md", nuxt)).toBe(false);
  });

  it("an unchanged middleware.ts that authenticates the route's path counts as its guard; nothing is reported on it or classified from it", () => {
    const without = reviewSnapshot(snapshot([route]), config);
    expect(without.findings.some((f) => f.ruleId === "ingress/missing-auth" && f.path === route.path)).toBe(true);

    const review = reviewSnapshot(snapshot([route, { path: "middleware.ts", status: "unchanged", context: true, content: MIDDLEWARE }]), config);
    expect(review.findings.filter((f) => f.ruleId === "ingress/missing-auth")).toEqual([]);
    expect(review.findings.filter((f) => f.path === "middleware.ts")).toEqual([]);
    expect(review.classification.evidence.filter((e) => e.path === "middleware.ts")).toEqual([]);
    expect(review.analysed).toEqual([route.path]);
    expect(review.notes).toContain("Read to understand the PR's code (guards in front of its routes, the modules it imports), not reviewed: middleware.ts.");

    // The same middleware changed by the PR is reviewed like any file.
    const changed = reviewSnapshot(snapshot([route, { path: "middleware.ts", status: "modified", content: MIDDLEWARE }]), config);
    expect(changed.findings.some((f) => f.path === "middleware.ts")).toBe(true);
    expect(changed.findings.filter((f) => f.ruleId === "ingress/missing-auth")).toEqual([]);
  });

  it("a context file that cannot be read is left out quietly, and a guard for other paths does not count", () => {
    const otherPaths = MIDDLEWARE.replace("/api/notes/:path*", "/dashboard/:path*");
    const review = reviewSnapshot(
      snapshot([
        route,
        { path: "middleware.ts", status: "unchanged", context: true, content: otherPaths },
        { path: "src/middleware.ts", status: "unchanged", context: true, skipReason: "binary file" },
        { path: "src/middleware.js", status: "unchanged", context: true, content: "x".repeat(config.limits.maxFileBytes + 1) },
      ]),
      config,
    );
    expect(review.findings.filter((f) => f.ruleId === "ingress/missing-auth").map((f) => f.path)).toEqual([route.path]);
    expect(review.notAnalysed).toEqual([]);
    expect(review.notes).toContain("Read to understand the PR's code (guards in front of its routes, the modules it imports), not reviewed: middleware.ts.");
  });

  it("in a monorepo a middleware guards its own app's routes only; Next.js 16's proxy.ts counts like middleware.ts", () => {
    const web: SnapshotFile = { ...route, path: "apps/web/app/api/notes/[id]/route.ts" };
    const admin: SnapshotFile = { ...route, path: "apps/admin/app/api/notes/[id]/route.ts" };
    const proxy = `import { NextResponse, type NextRequest } from "next/server";
import { verifySession } from "@/lib/session";
export async function proxy(request: NextRequest) {
  const session = await verifySession(request.cookies.get("session")?.value);
  if (!session) return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  return NextResponse.next();
}
export const config = { matcher: "/api/:path*" };`;
    const review = reviewSnapshot(
      snapshot([
        web,
        admin,
        { path: "apps/web/src/proxy.ts", status: "unchanged", context: true, content: proxy },
        { path: "middleware.ts", status: "unchanged", context: true, content: MIDDLEWARE.replace("/api/notes/:path*", "/:path*") },
      ]),
      config,
    );
    expect(review.findings.filter((f) => f.ruleId === "ingress/missing-auth").map((f) => f.path)).toEqual([admin.path]);
  });

  it("an unchanged SvelteKit layout whose load checks the user guards a changed page load that awaits parent()", () => {
    const layout = `import { redirect } from "@sveltejs/kit";
export const load = async ({ locals }) => {
  if (!locals.user) redirect(303, "/login");
  return { user: locals.user };
};`;
    const page: SnapshotFile = {
      path: "src/routes/(app)/notes/+page.server.ts",
      status: "added",
      content: `import { db } from "$lib/server/db";
export const load = async ({ parent }) => {
  const { user } = await parent();
  return { notes: await db.note.findMany({ where: { ownerId: user.id } }) };
};`,
    };
    expect(contextWanted([page.path]).files).toContain("src/routes/(app)/+layout.server.ts");
    expect(reviewSnapshot(snapshot([page]), config).findings.some((f) => f.ruleId === "ingress/missing-auth")).toBe(true);
    const review = reviewSnapshot(snapshot([page, { path: "src/routes/(app)/+layout.server.ts", status: "unchanged", context: true, content: layout }]), config);
    expect(review.findings.filter((f) => f.ruleId === "ingress/missing-auth")).toEqual([]);
    // The layout's own load is read for its guard, not listed among the PR's entry points.
    expect(review.surface.ingress).toMatch(/^1 entry point: GET \/notes /);
  });

  it("an unchanged SvelteKit handle hook guards the endpoints under the paths it covers", () => {
    const hook = `import type { Handle } from "@sveltejs/kit";
export const handle: Handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith("/api") && !event.locals.user) return new Response("Unauthorized", { status: 401 });
  return resolve(event);
};`;
    const endpoint: SnapshotFile = {
      path: "src/routes/api/notes/[id]/+server.ts",
      status: "added",
      content: `import { db } from "$lib/server/db";
export async function DELETE({ params }) {
  await db.note.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}`,
    };
    expect(reviewSnapshot(snapshot([endpoint]), config).findings.some((f) => f.ruleId === "ingress/missing-auth")).toBe(true);
    const review = reviewSnapshot(snapshot([endpoint, { path: "src/hooks.server.ts", status: "unchanged", context: true, content: hook }]), config);
    expect(review.findings.filter((f) => f.ruleId === "ingress/missing-auth")).toEqual([]);
  });
});

describe("an incomplete review", () => {
  it("a source file a limit kept out (too large, read as binary, over the file cap) makes the review incomplete; other languages and configured exclusions do not", () => {
    const files: SnapshotFile[] = [
      route,
      { path: "src/big.ts", status: "added", skipReason: "too large (2000000 bytes; limit 1000000)" },
      { path: "src/nul.ts", status: "added", skipReason: "binary file" },
      { path: "src/extra.ts", status: "added", skipReason: "over the limit of 1 files per review" },
      { path: "README.md", status: "added", content: "# docs" },
      { path: "src/app.test.ts", status: "added", content: "it('works', () => {});" },
      { path: "src/gone.ts", status: "added", skipReason: "not found at the head commit" },
    ];
    const review = reviewSnapshot(snapshot(files), config);
    expect(review.notAnalysed.filter((entry) => entry.limit).map((entry) => entry.path)).toEqual(["src/big.ts", "src/nul.ts", "src/extra.ts"]);
    expect(review.incomplete).toBe("3 files could not be read in full within the review's limits (src/big.ts, src/nul.ts, src/extra.ts); list generated files under paths.exclude.");
    expect(reviewSnapshot(snapshot([route, files[4]!, files[5]!, files[6]!]), config).incomplete).toBeUndefined();
  });
});
