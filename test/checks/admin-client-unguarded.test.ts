import check from "../../src/checks/admin-client-unguarded.js";
import { ruleTester } from "./tester.js";

const withAdminHelper = `import { createClient } from "@supabase/supabase-js";
import { requireAuth } from "@/lib/auth/session";
export async function requireAdmin() {
  const session = await requireAuth();
  if (session.role !== "admin") throw new Error("forbidden");
  return session;
}
export async function withAdmin<T>(fn: (admin: ReturnType<typeof createClient>) => Promise<T>) {
  await requireAdmin();
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  return fn(admin);
}`;

ruleTester(check, {
  valid: [
    {
      name: "requireAdmin before the client",
      code: `import { createClient } from "@supabase/supabase-js";
import { requireAdmin } from "@/lib/auth";
export async function DELETE(req: Request) {
  await requireAdmin();
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  await admin.auth.admin.deleteUser(new URL(req.url).searchParams.get("id")!);
  return new Response(null, { status: 204 });
}`,
    },
    {
      name: "requireRole('admin') before the client",
      code: `import { createClient } from "@supabase/supabase-js";
import { requireAuth, requireRole } from "@/lib/auth";
export async function POST() {
  const session = await requireAuth();
  await requireRole(session, "admin");
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  return Response.json(await admin.from("audit").select("*"));
}`,
    },
    {
      name: "an inline role comparison before the client",
      code: `import { createClient } from "@supabase/supabase-js";
import { auth } from "@/auth";
export async function GET() {
  const session = await auth();
  if (session?.user.role !== "admin") return new Response("Forbidden", { status: 403 });
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  return Response.json(await admin.from("profiles").select("id"));
}`,
    },
    {
      name: "near-miss: created inside withAdmin(fn), after requireAdmin() in the PR's helper",
      files: {
        "lib/auth/with-admin.ts": withAdminHelper,
        "app/admin/actions.ts": `"use server";
import { withAdmin } from "@/lib/auth/with-admin";
export async function suspend(id: string) {
  return withAdmin(async (admin) => admin.from("profiles").update({ suspended: true }).eq("id", id));
}`,
      },
    },
    {
      name: "near-miss: a factory is not checked itself",
      path: "lib/supabase/admin.ts",
      code: `import { createClient } from "@supabase/supabase-js";
export const createAdminClient = () => createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);`,
    },
    {
      name: "near-miss: the anon-key client needs no admin check",
      code: `import { createClient } from "@supabase/supabase-js";
export async function GET() {
  const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_ANON_KEY!);
  return Response.json(await supabase.from("posts").select("*"));
}`,
    },
    {
      name: "an Express route behind requireAdmin middleware",
      path: "src/routes/admin.ts",
      code: `import { Router } from "express";
import { createClient } from "@supabase/supabase-js";
import { requireAdmin } from "../auth";
export const router = Router();
router.delete("/users/:id", requireAdmin, async (req, res) => {
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  await admin.auth.admin.deleteUser(req.params.id);
  res.status(204).end();
});`,
    },
    {
      name: "near-miss: a Stripe webhook verified by its signature acts for the provider",
      path: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
import { createClient } from "@supabase/supabase-js";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(request: Request) {
  const event = stripe.webhooks.constructEvent(await request.text(), request.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  await admin.from("payments").insert({ id: event.id });
  return new Response(null, { status: 200 });
}`,
    },
    {
      name: "near-miss: a cron route checks the shared secret first",
      path: "app/api/cron/cleanup/route.ts",
      code: `import { createClient } from "@supabase/supabase-js";
export async function GET(request: Request) {
  if (request.headers.get("authorization") !== \`Bearer \${process.env.CRON_SECRET}\`) return new Response("Unauthorized", { status: 401 });
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  await admin.from("sessions").delete().lt("expires_at", new Date().toISOString());
  return new Response(null, { status: 204 });
}`,
    },
    {
      name: "near-miss: a redis createClient with a secret is not an admin client",
      path: "lib/cache.ts",
      code: `import { createClient } from "redis";
export async function cache() {
  return createClient({ url: process.env.REDIS_URL, password: process.env.REDIS_SECRET_KEY }).connect();
}
export async function warm() {
  const client = createClient({ url: process.env.REDIS_URL, password: process.env.REDIS_SECRET_KEY });
  await client.connect();
}`,
    },
    {
      name: "membership in an admin list gates the client (the list itself is another rule's finding)",
      code: `import { createClient } from "@supabase/supabase-js";
import { getServerSession } from "next-auth";
const ADMINS = ["alice@acme.com"];
export async function GET() {
  const session = await getServerSession();
  if (!session?.user?.email || !ADMINS.includes(session.user.email)) return new Response(null, { status: 403 });
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  return Response.json(await admin.from("users").select("*"));
}`,
    },
  ],
  invalid: [
    {
      name: "authenticated but never checked as admin",
      path: "app/api/admin/users/[id]/role/route.ts",
      code: `import { createClient } from "@supabase/supabase-js";
import { requireAuth } from "@/lib/auth";
export async function PATCH(request: Request) {
  const session = await requireAuth();
  const supabase = createClient(
    process.env.SUPABASE_URL!,
    process.env.SUPABASE_SERVICE_ROLE_KEY!,
  );
  await supabase.from("profiles").update({ role: "admin" }).eq("id", session.userId);
  return Response.json({ ok: true });
}`,
      errors: [
        {
          line: 5,
          messageId: "unguarded",
          severity: "critical",
          data: { place: "PATCH /api/admin/users/[id]/role" },
          needs: ["requireAdmin"], replacement: `  await requireAdmin();
  const supabase = createClient(`,
        },
      ],
    },
    {
      name: "a call to the PR's admin factory in an unguarded server action",
      files: {
        "lib/supabase/admin.ts": `import { createClient } from "@supabase/supabase-js";
export function createAdminClient() {
  return createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
}`,
        "app/settings/actions.ts": `"use server";
import { createAdminClient } from "@/lib/supabase/admin";
export async function deleteAccount(userId: string) {
  const admin = createAdminClient();
  await admin.auth.admin.deleteUser(userId);
}`,
      },
      errors: [{ path: "app/settings/actions.ts", line: 4, needs: ["requireAdmin"], replacement: `  await requireAdmin();
  const admin = createAdminClient();` }],
    },
    {
      name: "near-miss of a guard: requireRole for a non-admin role does not count",
      code: `import { createClient } from "@supabase/supabase-js";
import { requireRole } from "@/lib/auth";
export async function GET() {
  await requireRole("member");
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  return Response.json(await admin.from("profiles").select("*"));
}`,
      errors: [{ line: 5 }],
    },
    {
      name: "the admin check after the client is created is too late",
      code: `import { createClient } from "@supabase/supabase-js";
import { requireAdmin } from "@/lib/auth";
export async function GET() {
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  await requireAdmin();
  return Response.json(await admin.from("profiles").select("*"));
}`,
      errors: [{ line: 4 }],
    },
    {
      name: "a SUPABASE_SERVICE_KEY client in a server action with only auth",
      path: "app/team/actions.ts",
      code: `"use server";
import { createClient } from "@supabase/supabase-js";
import { requireAuth } from "@/lib/auth";
export async function removeMember(userId: string) {
  await requireAuth();
  const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_KEY!);
  await supabase.auth.admin.deleteUser(userId);
}`,
      errors: [{ line: 6, data: { place: "/team (server action removeMember)" } }],
    },
    {
      name: "a pre-existing unguarded client on an unchanged line",
      code: `import { createClient } from "@supabase/supabase-js";
export async function GET() {
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  return Response.json(await admin.from("profiles").select("*"));
}
export const dynamic = "force-dynamic";`,
      patches: { "app/api/example/route.ts": "@@ -5,0 +6,1 @@\n+export const dynamic = \"force-dynamic\";" },
      errors: [{ line: 3, new: false }],
    },
  ],
});
