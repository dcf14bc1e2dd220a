import check from "../../src/checks/unreviewed-mutation.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "the same write in a PR that is not AI-generated",
      code: `import { prisma } from "@/lib/prisma";
export async function POST() {
  await prisma.task.update({ where: { id: "1" }, data: { status: "done" } });
  return Response.json({ ok: true });
}`,
    },
    {
      name: "an AI-generated PR that only reads",
      ai: true,
      code: `import { prisma } from "@/lib/prisma";
export async function GET() {
  const tasks = await prisma.task.findMany({ where: { status: "open" } });
  return Response.json({ tasks });
}`,
    },
    {
      name: "a Map set or array push is not a database write",
      ai: true,
      code: `export function group(items: string[]) {
  const seen = new Map<string, number>();
  for (const item of items) seen.set(item, (seen.get(item) ?? 0) + 1);
  const out: string[] = [];
  out.push("x");
  return { seen, out };
}`,
    },
  ],
  invalid: [
    {
      name: "Prisma update in an AI-generated pages/api handler",
      ai: true,
      path: "pages/api/tasks/[id]/complete.ts",
      code: `import { prisma } from "@/lib/prisma";
export default async function handler(req: any, res: any) {
  const task = await prisma.task.update({
    where: { id: String(req.query.id) },
    data: { status: "done" },
  });
  res.json(task);
}`,
      errors: [{ line: 3, messageId: "write", data: { operation: "prisma task.update" } }],
    },
    {
      name: "Supabase insert and delete in server actions, one finding each",
      ai: true,
      path: "app/views/actions.ts",
      code: `'use server';
import { createClient } from "@/lib/supabase/server";
export async function save(label: string) {
  const supabase = await createClient();
  await supabase.from("views").insert({ label }).select("id").single();
}
export async function remove(id: string) {
  const supabase = await createClient();
  await supabase.from("views").delete().eq("id", id);
}`,
      errors: [{ line: 5 }, { line: 9 }],
    },
    {
      name: "an AI-generated migration is flagged on line 1",
      ai: true,
      files: { "supabase/migrations/20240101_add.sql": "create table t (id uuid primary key);\n" },
      errors: [{ path: "supabase/migrations/20240101_add.sql", line: 1, messageId: "migration" }],
    },
    {
      name: "a write on an unchanged line is pre-existing",
      ai: true,
      code: `import { prisma } from "@/lib/prisma";
export async function POST() {
  await prisma.task.delete({ where: { id: "1" } });
  return Response.json({ ok: true });
}
export const added = 1;`,
      patches: { "app/api/example/route.ts": "@@ -5,0 +6,1 @@\n+export const added = 1;" },
      errors: [{ line: 3, new: false }],
    },
  ],
});
