import check from "../../src/checks/unfiltered-write.js";
import { ruleTester } from "./tester.js";

const action = (body: string) => `'use server';
import { and, eq } from "drizzle-orm";
import { auth } from "@/auth";
import { db } from "@/db";
import { notifications } from "@/db/schema";
export async function markRead() {
  const session = await auth();
  if (!session?.user?.id) throw new Error("Unauthorized");
  await db.update(notifications).set({ readAt: new Date() }).where(eq(notifications.userId, session.user.id));
}
export async function clear(all?: boolean) {
  const session = await auth();
  if (!session?.user?.id) throw new Error("Unauthorized");
${body}
}`;

ruleTester(check, {
  valid: [
    { name: "near-miss: Drizzle delete with a where", path: "app/notifications/actions.ts", code: action("  await db.delete(notifications).where(eq(notifications.userId, session.user.id));") },
    {
      name: "near-miss: Drizzle delete with a where built conditionally",
      path: "app/notifications/actions.ts",
      code: action(`  let query = db.delete(notifications).$dynamic();
  if (!all) query = query.where(eq(notifications.userId, session.user.id));
  await query;`),
    },
    {
      name: "near-miss: Prisma deleteMany with a where kept in a variable",
      path: "src/jobs/cleanup.ts",
      code: `import { prisma } from "../db";
export async function cleanup(userId: string) {
  const where = { userId, expiresAt: { lt: new Date() } };
  await prisma.session.deleteMany({ where });
}`,
    },
    {
      name: "near-miss: Prisma deleteMany with a where of unknown shape",
      path: "src/jobs/cleanup.ts",
      code: `import { prisma } from "../db";
export async function cleanup(where: object) {
  await prisma.session.deleteMany({ where });
}`,
    },
    {
      name: "near-miss: Knex, Kysely and Mongo with filters",
      path: "src/services/items.ts",
      code: `import { knex } from "../db/knex";
import { db } from "../db/kysely";
import { Item } from "../models/item";
export async function remove(id: string, ownerId: string) {
  await knex("items").where({ id, owner_id: ownerId }).del();
  await db.deleteFrom("items").where("id", "=", id).execute();
  await Item.deleteMany({ ownerId });
}`,
    },
    {
      name: "near-miss: SQL with a WHERE, and a WHERE spliced in from a fragment",
      path: "src/services/items.ts",
      code: `import { pool } from "../db";
export async function remove(id: string, filter: string) {
  await pool.query("DELETE FROM items WHERE id = $1", [id]);
  await pool.query(\`UPDATE items SET archived = true \${filter}\`);
}`,
    },
    {
      name: "an admin-only action clearing a table is an admin's job by design",
      path: "app/admin/actions.ts",
      code: `'use server';
import { requireAdmin } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function removeLicense() {
  await requireAdmin();
  await prisma.instanceLicense.deleteMany();
}`,
    },
    {
      name: "a table's contents replaced wholesale (delete all, then insert)",
      path: "src/licensing/store.ts",
      code: `import { prisma } from "../db";
export async function setLicense(key: string) {
  await prisma.$transaction([prisma.instanceLicense.deleteMany(), prisma.instanceLicense.create({ data: { key } })]);
}`,
    },
    {
      name: "a singleton table (read with findFirst and no filter) updated without a filter",
      path: "src/onboarding.ts",
      code: `import { db } from "./db";
import { onboarding } from "./db/schema";
export async function current() {
  return db.query.onboarding.findFirst();
}
export async function advance(step: string) {
  await db.update(onboarding).set({ step });
}`,
    },
    {
      name: "a function named for clearing everything, on a table of no one user's rows",
      path: "server/uptime.ts",
      code: `import { R } from "redbean-node";
export class UptimeCalculator {
  static async clearAllStatistics() {
    await R.exec("DELETE FROM heartbeat");
    await R.exec("DELETE FROM stat_daily");
  }
}`,
    },
    {
      name: "migrations and seeds clear tables by design",
      files: {
        "db/migrations/0002_reset.ts": `import { db } from "../index";
import { notifications } from "../schema";
export async function up() { await db.delete(notifications); }`,
        "prisma/seed.ts": `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function main() { await prisma.user.deleteMany(); }`,
      },
    },
  ],
  invalid: [
    {
      name: "Drizzle delete with no where in a server action, reusing the caller filter the file uses",
      path: "app/notifications/actions.ts",
      code: action("  await db.delete(notifications);"),
      errors: [{ line: 14, severity: "critical", replacement: "  await db.delete(notifications).where(eq(notifications.userId, session.user.id));" }],
    },
    {
      name: "Drizzle update with no where, kept in a variable that never gets one",
      path: "app/notifications/actions.ts",
      code: action(`  const query = db.update(notifications).set({ readAt: new Date() });
  await query;`),
      errors: [{ line: 14, severity: "critical" }],
    },
    {
      name: "Prisma deleteMany() and updateMany with an empty where, outside a route",
      path: "src/services/notes.ts",
      code: `import { prisma } from "../db";
export async function unpinNotes() {
  await prisma.note.deleteMany();
  await prisma.note.updateMany({ where: {}, data: { pinned: false } });
}`,
      errors: [{ line: 3, severity: "high" }, { line: 4, severity: "high" }],
    },
    {
      name: "Knex, Kysely, TypeORM, Mongo and Sequelize table-wide changes",
      path: "src/services/items.ts",
      code: `import { knex } from "../db/knex";
import { db } from "../db/kysely";
import { dataSource } from "../db/typeorm";
import { Item } from "../models/item";
import { Order } from "../models/order";
export async function archiveItems() {
  await knex("items").del();
  await db.updateTable("items").set({ archived: true }).execute();
  await dataSource.getRepository(Item).createQueryBuilder().delete().from(Item).execute();
  await Item.deleteMany({});
  await Order.destroy({ where: {} });
}`,
      errors: [{ line: 7 }, { line: 8 }, { line: 9 }, { line: 10 }, { line: 11 }],
    },
    {
      name: "raw SQL DELETE and UPDATE without WHERE in an Express route",
      path: "src/routes/items.ts",
      code: `import { Router } from "express";
import { requireAuth } from "../auth";
import { pool } from "../db";
export const items = Router();
items.post("/reset", requireAuth, async (_req, res) => {
  await pool.query("DELETE FROM items");
  await pool.query(\`UPDATE accounts SET balance = 0\`);
  res.sendStatus(204);
});`,
      errors: [{ line: 6, severity: "critical" }, { line: 7, severity: "critical" }],
    },
  ],
});
