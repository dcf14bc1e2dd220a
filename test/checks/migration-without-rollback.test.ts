import check from "../../src/checks/migration-without-rollback.js";
import { ruleTester } from "./tester.js";

const CREATE = "create table referrals (id uuid primary key, invitee_email text not null);\n";

ruleTester(check, {
  valid: [
    { name: "not AI-generated", files: { "supabase/migrations/20240611_referrals.sql": CREATE } },
    {
      name: "a down file beside it",
      ai: true,
      files: { "db/migrations/001_referrals.up.sql": CREATE, "db/migrations/001_referrals.down.sql": "drop table referrals;\n" },
    },
    {
      name: "a dbmate migrate:down section",
      ai: true,
      files: { "db/migrations/20240611_referrals.sql": `-- migrate:up\n${CREATE}\n-- migrate:down\ndrop table referrals;\n` },
    },
    {
      name: "a Knex migration that exports down",
      ai: true,
      files: {
        "migrations/20240611_referrals.ts": `import type { Knex } from "knex";
export async function up(knex: Knex) { await knex.schema.createTable("referrals", (t) => t.uuid("id")); }
export async function down(knex: Knex) { await knex.schema.dropTable("referrals"); }
`,
      },
    },
    { name: "schema.prisma is not a migration", ai: true, files: { "prisma/schema.prisma": "model A {\n  id String @id\n}\n" } },
  ],
  invalid: [
    {
      name: "a Supabase migration with no rollback",
      ai: true,
      files: { "supabase/migrations/20240611093000_create_referrals.sql": CREATE },
      errors: [{ path: "supabase/migrations/20240611093000_create_referrals.sql", line: 1, messageId: "noRollback", severity: "medium" }],
    },
    {
      name: "a Prisma migration.sql with a down file for another migration only",
      ai: true,
      files: {
        "prisma/migrations/20240611_referrals/migration.sql": CREATE,
        "prisma/migrations/20240101_init/down.sql": "drop table users;\n",
      },
      errors: [{ path: "prisma/migrations/20240611_referrals/migration.sql", line: 1 }],
    },
    {
      name: "a Knex migration that only exports up",
      ai: true,
      files: { "migrations/20240611_referrals.js": "exports.up = (knex) => knex.schema.createTable('referrals', (t) => t.uuid('id'));\n" },
      errors: [{ path: "migrations/20240611_referrals.js", line: 1 }],
    },
  ],
});
