import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { classifyFields, extractFieldEvidence, type ExtractInput } from "../../src/review/classification/index.js";

function extract(text: string, language: ExtractInput["language"] = "ts", path = "src/file.ts") {
  return extractFieldEvidence({ path, text, language });
}

/** `name@owner:source:line` for compact assertions. */
function summary(text: string, language: ExtractInput["language"] = "ts", path?: string): string[] {
  return extract(text, language, path).map((f) => `${f.name}@${f.owner ?? ""}:${f.source}:${f.line}`);
}

describe("extractFieldEvidence: TypeScript types", () => {
  it("reads interface members with the interface as owner", () => {
    const text = ["export interface Patient {", "  id: string;", "  dob: Date;", "  notes?: string;", "  greet(): void;", "}"].join("\n");
    expect(summary(text)).toEqual(["id@Patient:type:2", "dob@Patient:type:3", "notes@Patient:type:4"]);
  });

  it("reads type literals, nested ones owned by their property", () => {
    const text = "type Visit = { reason: string; patient: { firstName: string } };";
    expect(summary(text)).toEqual(["reason@Visit:type:1", "patient@Visit:type:1", "firstName@patient:type:1"]);
  });

  it("reads Pick<> keys as fields of the picked type", () => {
    const text = "type IntakePatient = Pick<Patient, 'id' | 'firstName' | 'diagnosisCodes'>;";
    expect(summary(text)).toEqual(["id@Patient:type:1", "firstName@Patient:type:1", "diagnosisCodes@Patient:type:1"]);
  });

  it("reads class properties and constructor parameter properties", () => {
    const text = ["class Customer {", "  email = '';", "  constructor(private readonly phone: string, other: string) {}", "}"].join("\n");
    expect(summary(text)).toEqual(["email@Customer:type:2", "phone@Customer:type:3"]);
  });
});

describe("extractFieldEvidence: schemas", () => {
  it("reads z.object properties, owner from the schema variable", () => {
    const text = [
      "import { z } from 'zod';",
      "const patientUpdateSchema = z",
      "  .object({",
      "    preferredName: z.string().optional(),",
      "    notes: z.string().max(5000),",
      "  })",
      "  .refine((v) => Object.keys(v).length > 0);",
    ].join("\n");
    expect(summary(text)).toEqual(["preferredName@patientUpdate:zod:4", "notes@patientUpdate:zod:5"]);
  });

  it("owns a nested z.object by its property and reads .extend shapes", () => {
    const text = [
      "const chatSchema = z.object({ messages: z.array(z.object({ role: z.string(), content: z.string() })) });",
      "const intakeSchema = baseSchema.extend({ ssn: z.string() });",
    ].join("\n");
    expect(summary(text)).toEqual(["messages@chat:zod:1", "role@messages:zod:1", "content@messages:zod:1", "ssn@intake:zod:2"]);
  });

  it("reads Prisma models, skipping enums, attributes and datasource blocks", () => {
    const text = [
      "datasource db {",
      '  provider = "postgresql"',
      "}",
      "enum Role {",
      "  ADMIN",
      "  MEMBER",
      "}",
      "/// Regulated fields are ciphertext.",
      "model Patient {",
      "  id            String   @id @default(cuid())",
      "  ssnCiphertext String // encrypted with KMS",
      "  medications   String[]",
      "  user          User?    @relation(fields: [userId], references: [id])",
      "  @@index([id])",
      "}",
    ].join("\n");
    expect(summary(text, "prisma", "prisma/schema.prisma")).toEqual([
      "id@Patient:prisma:10",
      "ssnCiphertext@Patient:prisma:11",
      "medications@Patient:prisma:12",
      "user@Patient:prisma:13",
    ]);
  });

  it("reads Drizzle pgTable columns with the table name as owner", () => {
    const text = [
      "export const supportTickets = pgTable('support_tickets', {",
      "  id: uuid('id').primaryKey(),",
      "  customerEmail: text('customer_email').notNull(),",
      "}, (t) => ({ idx: index('i').on(t.id) }));",
    ].join("\n");
    expect(summary(text)).toEqual(["id@support_tickets:drizzle:2", "customerEmail@support_tickets:drizzle:3"]);
  });
});

describe("extractFieldEvidence: SQL", () => {
  it("reads create table columns, not constraints, with the table (no schema) as owner", () => {
    const text = [
      "-- referrals (a comment with create table fake (x int))",
      "create table if not exists public.referrals (",
      "  id uuid primary key default gen_random_uuid(),",
      '  "invitee_email" text not null,',
      "  status text not null default 'pending, maybe'",
      "    check (status in ('pending', 'accepted')),",
      "  primary key (id),",
      "  constraint referrals_code_key unique (code),",
      "  check (length(invitee_email) > 3),",
      "  foreign key (referrer_id) references users (id)",
      ");",
    ].join("\n");
    expect(summary(text, "sql", "migrations/1.sql")).toEqual(["id@referrals:sql:3", "invitee_email@referrals:sql:4", "status@referrals:sql:5"]);
  });

  it("reads alter table add column (several per statement) and ignores add constraint", () => {
    const text = [
      "alter table public.profiles",
      "  add column if not exists suspended_at timestamptz,",
      "  add column suspended_reason text check (suspended_reason in ('spam', 'other')),",
      "  add constraint profiles_x check (true);",
      "ALTER TABLE `patients` ADD `ssn` varchar(11);",
      "alter table referrals enable row level security;",
    ].join("\n");
    expect(summary(text, "sql", "migrations/2.sql")).toEqual([
      "suspended_at@profiles:sql:2",
      "suspended_reason@profiles:sql:3",
      "ssn@patients:sql:5",
    ]);
  });

  it("never throws on broken SQL", () => {
    expect(() => extract("create table (((( alter table add", "sql")).not.toThrow();
  });
});

describe("extractFieldEvidence: ORM objects", () => {
  it("reads Prisma data, select and where, following relations", () => {
    const text = [
      "await prisma.patient.create({",
      "  data: { userId: session.userId, ssn: input.ssn },",
      "  select: { id: true, user: { select: { email: true } } },",
      "});",
      "await prisma.user.findMany({ where: { email: { contains: q }, patient: { dob: d } } });",
      "await prisma.chatMessage.createMany({ data: [{ content: a }, { role: b }] });",
    ].join("\n");
    expect(summary(text)).toEqual([
      "userId@patient:storage-write:2",
      "ssn@patient:storage-write:2",
      "id@patient:storage-read:3",
      "email@user:storage-read:3",
      "email@user:query:5",
      "dob@patient:query:5",
      "content@chatMessage:storage-write:6",
      "role@chatMessage:storage-write:6",
    ]);
  });

  it("reads a projection object named for its model", () => {
    const text = "const patientSelect = { id: true, dob: true, notes: true } as const;";
    expect(summary(text)).toEqual(["id@patient:storage-read:1", "dob@patient:storage-read:1", "notes@patient:storage-read:1"]);
  });

  it("reads Supabase insert/update/upsert payloads and select strings", () => {
    const text = [
      "await supabase.from('dashboard_views').insert({ user_id: user.id, label }).select('id').single();",
      "await supabase.from('profiles').update({ role }).eq('id', id).select('id, role, profile:profiles!inner(full_name, email)');",
      "await supabase.from('contacts').upsert([{ phone }]);",
    ].join("\n");
    expect(summary(text)).toEqual([
      "user_id@dashboard_views:storage-write:1",
      "label@dashboard_views:storage-write:1",
      "id@dashboard_views:storage-read:1",
      "role@profiles:storage-write:2",
      "id@profiles:storage-read:2",
      "role@profiles:storage-read:2",
      "full_name@profiles:storage-read:2",
      "email@profiles:storage-read:2",
      "phone@contacts:storage-write:3",
    ]);
  });

  it("reads Drizzle values/set, Knex insert and Mongo $set with the table as owner", () => {
    const text = [
      "await db.insert(users).values({ email, passwordHash });",
      "await db.update(users).set({ phone }).where(eq(users.id, id));",
      "await knex('patients').insert({ dob });",
      "await db.collection('members').updateOne({ _id: id }, { $set: { taxId } });",
      "headers.set('x-request-id', id);",
      "res.set({ 'Cache-Control': 'no-store' });",
    ].join("\n");
    expect(summary(text)).toEqual([
      "email@users:storage-write:1",
      "passwordHash@users:storage-write:1",
      "phone@users:storage-write:2",
      "dob@patients:storage-write:3",
      "taxId@members:storage-write:4",
    ]);
  });
});

describe("extractFieldEvidence: request bodies", () => {
  it("reads destructured req.body, request.json(), parsed.data and schema.parse()", () => {
    const text = [
      "const { email, password } = req.body ?? {};",
      "const { phone, profile: { dob } } = await request.json();",
      "const { ssn } = parsed.data;",
      "const { userId, reason } = suspendSchema.parse(input);",
      "const { id } = await params;",
      "const { data, error } = await supabase.from('x').select('id');",
    ].join("\n");
    const fields = extract(text).filter((f) => f.source === "request-body");
    expect(fields.map((f) => `${f.name}@${f.owner ?? ""}:${f.line}`)).toEqual([
      "email@:1",
      "password@:1",
      "phone@:2",
      "dob@profile:2",
      "ssn@:3",
      "userId@:4",
      "reason@:4",
    ]);
  });

  it("reads formData.get() names and req.body.x accesses", () => {
    const text = ["const name = formData.get('name');", "log(req.body.email);"].join("\n");
    expect(summary(text)).toEqual(["name@:request-body:1", "email@:request-body:2"]);
  });
});

describe("extractFieldEvidence: lines", () => {
  it("numbers lines as the compiler does, whatever the line breaks", () => {
    const lines = ["// intake", "interface Patient {", "  /* notes */ dob: Date;", "", "  ssn: string;", "}", "const userSelect = { email: true };"];
    const expected = ["dob@Patient:type:3", "ssn@Patient:type:5", "email@user:storage-read:7"];
    for (const lineBreak of ["\n", "\r\n", "\r", "\u2028", "\u2029"]) {
      expect(summary(lines.join(lineBreak))).toEqual(expected);
    }
    // Mixed: plain newlines first, other breaks further down.
    expect(summary(`${lines.slice(0, 3).join("\n")}\r\n${lines.slice(3, 5).join("\u2028")}\n${lines.slice(5).join("\r")}`)).toEqual(expected);
  });

  it("keeps the first of repeated fields in source order, chained calls included", () => {
    const text = ["const a = db.from('t').select('id, email').insert({ email: x });", "supabase.from('t').insert({ email: y });"].join("\n");
    expect(summary(text)).toEqual(["id@t:storage-read:1", "email@t:storage-read:1", "email@t:storage-write:1"]);
    // The outer `insert` is read first; the inner one's `email` comes first in the file and is kept.
    const chain = ["db.from('t').insert({ email: x })", "  .select('id')", "  .insert({ email: y, phone: z });"].join("\n");
    expect(summary(chain)).toEqual(["email@t:storage-write:1", "id@t:storage-read:2", "phone@t:storage-write:3"]);
  });
});

describe("extractFieldEvidence: limits", () => {
  it("deduplicates per file", () => {
    const text = "interface User { email: string }\ninterface User { email: string }";
    expect(summary(text)).toEqual(["email@User:type:1"]);
  });

  it("reads a 100,000-line file", () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `interface T${i} { email: string }`);
    const fields = extract(lines.join("\n"));
    expect(fields).toHaveLength(100_000);
    expect(fields[99_999]).toMatchObject({ owner: "T99999", line: 100_000 });
  });

  it("does not overflow the stack on 5,000-deep nesting", () => {
    const deep = `const x = ${"[".repeat(5_000)}${"]".repeat(5_000)};\ninterface Patient { dob: Date }`;
    expect(() => extract(deep)).not.toThrow();
    const nestedObjects = `const userSelect = ${"{ a: ".repeat(5_000)}1${" }".repeat(5_000)};`;
    expect(() => extract(nestedObjects)).not.toThrow();
  });

  it("walks a caller's parsed source file past the depth limit without recursion", () => {
    const text = `${"(".repeat(3_000)}1${")".repeat(3_000)};\ninterface Patient { ssn: string }`;
    let sourceFile: ts.SourceFile | undefined;
    try {
      sourceFile = ts.createSourceFile("deep.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    } catch {
      // The compiler's own parser may not cope; then only our fallback matters.
    }
    const fields = extractFieldEvidence({ path: "deep.ts", text, language: "ts", ...(sourceFile ? { sourceFile } : {}) });
    if (sourceFile) expect(fields.map((f) => f.name)).toEqual(["ssn"]);
    else expect(fields).toEqual([]);
  });
});

describe("extract + classify", () => {
  it("classifies a patient intake route as regulated under HIPAA", () => {
    const text = [
      "const intakeSchema = z.object({ firstName: z.string(), dateOfBirth: z.date(), ssn: z.string(), medications: z.array(z.string()) });",
      "export async function POST(request: Request) {",
      "  const input = intakeSchema.parse(await request.json());",
      "  await prisma.patient.create({ data: { firstName: input.firstName, ssn: input.ssn } });",
      "}",
    ].join("\n");
    const result = classifyFields(extract(text, "ts", "app/api/intake/route.ts"));
    expect(result.tier).toBe("regulated");
    expect(result.regulations).toEqual(expect.arrayContaining(["HIPAA", "state SSN protection laws"]));
  });

  it("classifies an admin user list selecting email as sensitive", () => {
    const text = "await prisma.user.findMany({ select: { id: true, email: true, role: true, createdAt: true } });";
    const result = classifyFields(extract(text));
    expect(result.tier).toBe("sensitive");
    expect(result.evidence[0]).toMatchObject({ name: "email", owner: "user", source: "storage-read", tier: "sensitive" });
  });
});
