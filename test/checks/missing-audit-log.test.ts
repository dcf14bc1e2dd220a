import check from "../../src/checks/missing-audit-log.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "near-miss: admin mutation followed by logAdminAction",
      path: "app/admin/users/actions.ts",
      code: `"use server";
import { requireAuth, requireRole } from "@/lib/auth";
import { logAdminAction } from "@/lib/audit";
import { prisma } from "@/lib/prisma";
export async function suspend(userId: string) {
  const session = await requireAuth();
  await requireRole(session, "admin");
  await prisma.user.update({ where: { id: userId }, data: { suspendedAt: new Date() } });
  await logAdminAction({ actorId: session.userId, action: "user.suspend", targetId: userId });
}`,
    },
    {
      name: "near-miss: admin read with no mutation",
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
      name: "a role-gated edit of the team's catalogue changes no one else's account, role, settings or billing",
      path: "src/routes/products.ts",
      code: `import { Router } from "express";
import { requireAuth, requireRole } from "../auth";
import { prisma } from "../db";
const router = Router();
router.patch("/products/:id", requireAuth, requireRole("editor"), async (req, res) => {
  await prisma.product.update({ where: { id: req.params.id }, data: { title: String(req.body.title) } });
  res.status(204).end();
});
export default router;`,
    },
    {
      name: "a user's own write is not an admin mutation",
      path: "app/(app)/dashboard/actions.ts",
      code: `"use server";
import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function saveView(label: string) {
  const user = await requireAuth();
  await prisma.dashboardView.create({ data: { userId: user.id, label } });
}`,
    },
    {
      name: "an audit insert through the database counts",
      path: "app/api/admin/flags/route.ts",
      code: `import { requireAdmin } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const admin = await requireAdmin();
  const flag = await prisma.featureFlag.update({ where: { key: "beta" }, data: await request.json() });
  await prisma.auditLog.create({ data: { actorId: admin.id, action: "flag.update", targetId: flag.id } });
  return Response.json(flag);
}`,
    },
    {
      name: "a verified webhook's write acts for the provider",
      path: "app/api/webhooks/clerk/route.ts",
      code: `import { Webhook } from "svix";
import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const event = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(await request.text(), Object.fromEntries(request.headers));
  await prisma.user.delete({ where: { clerkId: (event as { data: { id: string } }).data.id } });
  return new Response(null);
}`,
    },
  ],
  invalid: [
    {
      name: "Express role-gated delete with no audit entry",
      path: "src/routes/admin/users.ts",
      code: `import { Router } from "express";
import { requireAuth, requireRole } from "../../auth";
import { prisma } from "../../db";
const router = Router();
router.delete("/:id", requireAuth, requireRole("admin"), async (req, res) => {
  await prisma.user.delete({ where: { id: req.params.id } });
  res.status(204).end();
});
export default router;`,
      errors: [
        {
          line: 5,
          severity: "medium",
          data: { mutation: "user.delete" },
          needs: ["logAdminAction"], replacement: `  await prisma.user.delete({ where: { id: req.params.id } });\n  void logAdminAction({ actorId: req.user.id, action: "user.delete", targetId: req.params.id }).catch(() => {});`,
        },
      ],
    },
    {
      name: "role change of another user with no audit (and no role check)",
      path: "app/api/admin/users/[id]/role/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function PATCH(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const session = await requireAuth();
  const { id: targetUserId } = await params;
  const { role } = await request.json();
  const user = await prisma.user.update({ where: { id: targetUserId }, data: { role } });
  return Response.json({ user, by: session.userId });
}`,
      errors: [
        {
          line: 3,
          needs: ["logAdminAction"], replacement: `  const user = await prisma.user.update({ where: { id: targetUserId }, data: { role } });\n  void logAdminAction({ actorId: session.userId, action: "user.update", targetId: targetUserId }).catch(() => {});`,
        },
      ],
    },
    {
      name: "supabase auth admin ban inside withAdmin, not audited",
      path: "app/admin/users/actions.ts",
      code: `"use server";
import { withAdmin } from "@/lib/auth/with-admin";
export async function ban(userId: string) {
  return withAdmin(async (admin, actor) => {
    await admin.auth.admin.updateUserById(userId, { ban_duration: "876000h" });
    return { ok: true, by: actor.userId };
  });
}`,
      errors: [
        {
          line: 3,
          needs: ["logAdminAction"], replacement: `    await admin.auth.admin.updateUserById(userId, { ban_duration: "876000h" });\n    void logAdminAction({ actorId: actor.userId, action: "user.updateUserById", targetId: userId }).catch(() => {});`,
        },
      ],
    },
    {
      name: "billing settings changed by an org admin without audit",
      path: "app/api/billing/route.ts",
      code: `import { requireRole } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function PUT(request: Request) {
  const session = await requireRole("owner");
  const { seats } = await request.json();
  await prisma.subscription.update({ where: { orgId: session.orgId }, data: { seats } });
  return Response.json({ ok: true });
}`,
      errors: [{ line: 3, data: { mutation: "subscription.update" } }],
    },
    {
      name: "a pre-existing admin mutation is not new",
      path: "app/api/admin/users/[id]/route.ts",
      code: `import { requireAdmin } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function DELETE(_r: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  await prisma.user.delete({ where: { id: (await params).id } });
  return new Response(null, { status: 204 });
}
// touched`,
      patches: { "app/api/admin/users/[id]/route.ts": "@@ -7,0 +8,1 @@\n+// touched" },
      errors: [{ line: 3, new: false }],
    },
  ],
});
