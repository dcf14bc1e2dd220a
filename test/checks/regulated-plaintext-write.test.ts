import check from "../../src/checks/regulated-plaintext-write.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "a user's display name stays personal data on the users table, even in a PR that handles PHI elsewhere",
      files: {
        "app/api/profile/route.ts": `import { prisma } from "@/lib/prisma";
export async function PATCH(req: Request) {
  const { displayName } = await req.json();
  await prisma.user.update({ where: { id: "me" }, data: { displayName } });
  return Response.json({ ok: true });
}`,
        "lib/visit.ts": "export interface Visit { patientId: string; diagnosis: string }\n",
      },
    },
    {
      name: "regulated fields KMS-encrypted before the create, through Promise.all destructuring",
      code: `import { encryptField } from "@/lib/crypto/kms";
import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const { ssn, diagnosisCodes } = await request.json();
  const ctx = { userId: "u1" };
  const [ssnCiphertext, diagnosisCodesCiphertext] = await Promise.all([encryptField(ssn, ctx), encryptField(JSON.stringify(diagnosisCodes), ctx)]);
  await prisma.patient.create({ data: { userId: "u1", ssnCiphertext, diagnosisCodesCiphertext } });
  return new Response(null);
}`,
    },
    {
      name: "an encrypt call inline in the values",
      code: `import { encryptField } from "@/lib/crypto/kms";
import { prisma } from "@/lib/prisma";
export async function PUT(request: Request) {
  const body = await request.json();
  await prisma.coverage.update({ where: { id: body.id }, data: { memberId: await encryptField(body.memberId) } });
  return new Response(null);
}`,
    },
    {
      name: "near miss: name and title of a project are not regulated",
      code: `import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const body = await request.json();
  await prisma.project.create({ data: { name: body.name, title: body.title, notes: body.notes } });
  return new Response(null);
}`,
    },
    {
      name: "near miss: deleting a patient writes no data",
      code: `import { prisma } from "@/lib/prisma";
export async function DELETE(_request: Request) {
  await prisma.patient.delete({ where: { id: "p1" } });
  return new Response(null);
}`,
    },
    {
      name: "near miss: raw SQL storing the ciphertext of the SSN",
      path: "src/patients.ts",
      code: `import { pool } from "./db";
import { encryptField } from "./kms";
export async function addPatient(ssn: string) {
  const ssnCiphertext = await encryptField(ssn, { userId: "u1" });
  await pool.query("insert into patients (ssn_ciphertext) values ($1)", [ssnCiphertext]);
}`,
    },
    {
      name: "near miss: tagged-template SQL storing the SSN's ciphertext",
      path: "src/patients.ts",
      code: `import { sql } from "@vercel/postgres";
import { encryptField } from "./kms";
export async function addPatient(name: string, ssn: string) {
  const ssnCiphertext = await encryptField(ssn, { userId: "u1" });
  await sql\`insert into patients (ssn_ciphertext) values (\${ssnCiphertext})\`;
}`,
    },
    {
      name: "near miss: a null literal in a regulated column",
      code: `import { prisma } from "@/lib/prisma";
export async function POST() {
  await prisma.patient.update({ where: { id: "p1" }, data: { ssnCiphertext: null, insuranceMemberId: null } });
  return new Response(null);
}`,
    },
  ],
  invalid: [
    {
      name: "SSN, diagnosis codes and medications written in plaintext with prisma",
      code: `import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const input = await request.json();
  const patient = await prisma.patient.create({
    data: {
      userId: "u1",
      ssn: input.ssn.replace(/-/g, ""),
      diagnosisCodes: input.diagnosisCodes,
      medications: input.medications,
    },
  });
  return Response.json({ id: patient.id });
}`,
      errors: [{ line: 4, severity: "critical", messageId: "plaintextWrite" }],
    },
    {
      name: "free-text notes on a patient record, with a local fix through the imported encrypt helper",
      code: `import { requireAuth } from "@/lib/auth";
import { encryptField } from "@/lib/crypto/kms";
import { prisma } from "@/lib/prisma";
export async function PATCH(request: Request) {
  const session = await requireAuth();
  const parsed = { data: await request.json() };
  await prisma.patient.update({
    where: { id: "p1", userId: session.userId },
    data: {
      notes: parsed.data.notes,
    },
  });
  return new Response(null);
}`,
      errors: [{ line: 7, replacement: "      notesCiphertext: await encryptField(parsed.data.notes, { userId: session.userId })," }],
    },
    {
      name: "Supabase insert of a card number",
      path: "app/billing/actions.ts",
      code: `"use server";
import { createClient } from "@/lib/supabase/server";
export async function saveCard(cardNumber: string) {
  const supabase = await createClient();
  await supabase.from("payment_methods").insert({ card_number: cardNumber, label: "main" });
}`,
      errors: [{ line: 5 }],
    },
    {
      name: "a ciphertext column given the plaintext field",
      code: `import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const body = await request.json();
  await prisma.patient.create({ data: { ssnCiphertext: body.ssn } });
  return new Response(null);
}`,
      errors: [{ line: 4 }],
    },
    {
      name: "a whole validated payload stored as is",
      code: `import { z } from "zod";
import { prisma } from "@/lib/prisma";
const intakeSchema = z.object({ ssn: z.string(), firstName: z.string() });
export async function POST(request: Request) {
  const parsed = intakeSchema.parse(await request.json());
  await prisma.patient.create({ data: parsed });
  return new Response(null);
}`,
      errors: [{ line: 6 }],
    },
    {
      name: "raw SQL insert of an SSN through a parameter",
      path: "src/patients.ts",
      code: `import { pool } from "./db";
export async function addPatient(name: string, ssn: string) {
  await pool.query("insert into patients (name, ssn) values ($1, $2)", [name, ssn]);
}`,
      errors: [{ line: 3 }],
    },
    {
      name: "tagged-template SQL inserting an SSN, and the same statement through db.execute",
      path: "src/patients.ts",
      code: `import { sql } from "@vercel/postgres";
import { db } from "./db";
export async function addPatient(name: string, ssn: string) {
  await sql\`insert into patients (name, ssn) values (\${name}, \${ssn})\`;
  await db.execute(sql\`update patients set ssn = \${ssn} where name = \${name}\`);
}`,
      errors: [{ line: 4, data: { call: "sql`…`" } }, { line: 5, data: { call: "db.execute(…)" } }],
    },
    {
      name: "Sequelize model and TypeORM repository writes of an SSN",
      path: "src/patients.ts",
      code: `import { Patient } from "./models";
import { AppDataSource } from "./data-source";
export async function addPatient(name: string, ssn: string) {
  await Patient.create({ name, ssn });
  await AppDataSource.getRepository(Patient).save({ ssn });
}`,
      errors: [{ line: 4 }, { line: 5 }],
    },
    {
      name: "Mongo updateOne with $set of a diagnosis",
      path: "src/patients.ts",
      code: `import { db } from "./db";
export async function diagnose(id: string, diagnosis: string) {
  await db.collection("patients").updateOne({ _id: id }, { $set: { diagnosis } });
}`,
      errors: [{ line: 3 }],
    },
    {
      name: "a write on an unchanged line is pre-existing",
      code: `import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const body = await request.json();
  await prisma.patient.create({ data: { ssn: body.ssn } });
  return new Response(null);
}
export const added = 1;`,
      patches: { "app/api/example/route.ts": "@@ -6,0 +7,1 @@\n+export const added = 1;" },
      errors: [{ line: 4, new: false }],
    },
  ],
});
