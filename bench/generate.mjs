/**
 * Synthetic pull requests for the benchmark: seeded and deterministic (the same seed and size give
 * byte-identical files), shaped like a Next.js + Express product code base: App Router route
 * handlers, pages/api handlers, Express routers, Supabase and Prisma data modules, loggers, types
 * and zod schemas, React pages. About one file in six carries a real problem the checklist flags
 * (a route without auth, a decoded JWT, PII in a log, an admin client at module scope, an open
 * redirect, a hard-coded allowlist, an in-memory limiter, an unbounded model call).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { seeded } from "./prng.mjs";

const AREAS = ["billing", "clinic", "crm", "shop", "hr", "support", "analytics", "inventory", "scheduling", "accounts", "marketing", "compliance"];

/** Entities with the fields a product would store for them; `person` marks records about people. */
const ENTITIES = [
  { name: "project", fields: ["name", "description", "status", "ownerId", "orgId", "dueDate"] },
  { name: "task", fields: ["title", "status", "assigneeId", "projectId", "priority", "completedAt"] },
  { name: "invoice", fields: ["number", "amountCents", "currency", "customerId", "orgId", "dueDate", "paidAt"] },
  { name: "customer", person: true, fields: ["fullName", "email", "phone", "billingAddress", "orgId", "createdAt"] },
  { name: "patient", person: true, fields: ["firstName", "lastName", "dateOfBirth", "medicalRecordNumber", "diagnosis", "insuranceMemberId", "orgId"] },
  { name: "appointment", fields: ["patientId", "clinicianId", "startsAt", "endsAt", "notes", "orgId"] },
  { name: "order", fields: ["customerId", "totalCents", "status", "shippingAddress", "placedAt", "orgId"] },
  { name: "product", fields: ["sku", "title", "priceCents", "stock", "category", "published"] },
  { name: "employee", person: true, fields: ["fullName", "workEmail", "ssn", "salaryCents", "startDate", "managerId", "orgId"] },
  { name: "ticket", fields: ["subject", "body", "status", "requesterId", "assigneeId", "orgId"] },
  { name: "subscription", fields: ["plan", "status", "customerId", "renewsAt", "seats", "orgId"] },
  { name: "document", fields: ["title", "storagePath", "mimeType", "sizeBytes", "ownerId", "orgId"] },
  { name: "shipment", fields: ["orderId", "carrier", "trackingNumber", "status", "deliveredAt"] },
  { name: "campaign", fields: ["name", "channel", "budgetCents", "startsAt", "endsAt", "orgId"] },
  { name: "prescription", fields: ["patientId", "medication", "dosage", "prescriberId", "refills", "orgId"] },
  { name: "payout", fields: ["accountId", "amountCents", "bankAccountNumber", "routingNumber", "status"] },
  { name: "review", fields: ["productId", "rating", "comment", "authorId", "createdAt"] },
  { name: "lead", person: true, fields: ["fullName", "email", "company", "phone", "source", "orgId"] },
  { name: "report", fields: ["title", "period", "generatedAt", "ownerId", "orgId"] },
  { name: "device", fields: ["serialNumber", "model", "ipAddress", "lastSeenAt", "ownerId"] },
];

const ZOD_OF = (field) => {
  if (/Cents$|^stock$|^seats$|^refills$|^rating$|Bytes$|^priority$/.test(field)) return "z.number().int()";
  if (/At$|Date$|^dateOfBirth$/.test(field)) return "z.string().datetime()";
  if (/^published$/.test(field)) return "z.boolean()";
  if (/email$|Email$/.test(field)) return "z.string().email()";
  return "z.string().min(1)";
};
const TS_OF = (field) => {
  const zod = ZOD_OF(field);
  if (zod.startsWith("z.number")) return "number";
  if (zod.startsWith("z.boolean")) return "boolean";
  return "string";
};

const pascal = (name) => name.replace(/(^|-)(\w)/g, (_m, _d, c) => c.toUpperCase());
const plural = (name) => (name.endsWith("y") ? `${name.slice(0, -1)}ies` : `${name}s`);

function pick(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

/** Helpers appended to files so sizes vary like real code (an average near the 80 lines a file of a real Next.js app has). */
function padding(rand, entity, count) {
  const E = pascal(entity.name);
  const out = [];
  for (let i = 0; i < count; i++) {
    const field = pick(rand, entity.fields);
    switch (i % 4) {
      case 0:
        out.push(`export function sort${E}sBy${pascal(field)}${i}(items: ${E}Row[]): ${E}Row[] {
  return [...items].sort((a, b) => String(a.${field}).localeCompare(String(b.${field})));
}`);
        break;
      case 1:
        out.push(`function summarise${E}${i}(items: ${E}Row[]): { count: number; latest?: string } {
  if (items.length === 0) return { count: 0 };
  const latest = items.reduce((acc, item) => (String(item.${field}) > acc ? String(item.${field}) : acc), "");
  return { count: items.length, latest };
}
void summarise${E}${i};`);
        break;
      case 2:
        out.push(`export const ${entity.name}Labels${i}: Record<string, string> = {
${entity.fields.map((f) => `  ${f}: "${f.replace(/([A-Z])/g, " $1").toLowerCase()}",`).join("\n")}
};`);
        break;
      default:
        out.push(`export function paginate${E}${i}<T>(items: T[], page = 1, perPage = ${10 + (i % 5) * 10}): { items: T[]; hasMore: boolean } {
  const start = (page - 1) * perPage;
  const slice = items.slice(start, start + perPage);
  return { items: slice, hasMore: start + perPage < items.length };
}`);
    }
  }
  return out.join("\n\n");
}

function rowType(entity) {
  const E = pascal(entity.name);
  return `type ${E}Row = {
  id: string;
${entity.fields.map((f) => `  ${f}: ${TS_OF(f)};`).join("\n")}
};`;
}

function zodSchema(entity) {
  return `z.object({
${entity.fields.filter((f) => !/^(orgId|ownerId)$/.test(f)).map((f) => `  ${f}: ${ZOD_OF(f)},`).join("\n")}
})`;
}

// ---------------------------------------------------------------------------------------------
// Templates: each returns file text. `problem` asks for the flawed variant.

function nextRoute(rand, entity, problem) {
  const E = pascal(entity.name);
  const table = plural(entity.name);
  const guard = problem === "missing-auth" ? "" : "  const user = await requireAuth();\n";
  const scope = problem === "missing-auth" ? "" : "orgId: user.orgId, ";
  const log =
    problem === "pii-in-logs"
      ? `  logger.info({ body }, "creating ${entity.name}");\n`
      : `  logger.info({ requestId: request.headers.get("x-request-id") }, "creating ${entity.name}");\n`;
  return `import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
import { logger } from "@/lib/logger";

const Create${E} = ${zodSchema(entity)};

${rowType(entity)}

export async function GET(request: NextRequest) {
${guard}  const page = Number(request.nextUrl.searchParams.get("page") ?? "1");
  const rows = await prisma.${entity.name}.findMany({
    where: { ${scope}deletedAt: null },
    orderBy: { createdAt: "desc" },
    take: 50,
    skip: (page - 1) * 50,
  });
  return NextResponse.json({ ${table}: rows as unknown as ${E}Row[] });
}

export async function POST(request: NextRequest) {
${guard}  const body = await request.json();
${log}  const parsed = Create${E}.safeParse(body);
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const created = await prisma.${entity.name}.create({
    data: { ...parsed.data, ${scope}},
  });
  return NextResponse.json({ id: created.id }, { status: 201 });
}

${padding(rand, entity, 3 + Math.floor(rand() * 9))}
`;
}

function nextItemRoute(rand, entity, problem) {
  const E = pascal(entity.name);
  const redirect =
    problem === "open-redirect"
      ? `  const next = request.nextUrl.searchParams.get("next") ?? "/";
  return NextResponse.redirect(new URL(next, request.url));`
      : `  return NextResponse.json({ ok: true });`;
  return `import { NextResponse, type NextRequest } from "next/server";
import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
import { logAdminAction } from "@/lib/audit";

${rowType(entity)}

type Params = { params: Promise<{ id: string }> };

export async function GET(_request: NextRequest, { params }: Params) {
  const user = await requireAuth();
  const { id } = await params;
  const row = await prisma.${entity.name}.findFirst({ where: { id, orgId: user.orgId } });
  if (!row) return NextResponse.json({ error: "not found" }, { status: 404 });
  return NextResponse.json(row as unknown as ${E}Row);
}

export async function DELETE(request: NextRequest, { params }: Params) {
  const user = await requireAuth();
  const { id } = await params;
  await prisma.${entity.name}.deleteMany({ where: { id, orgId: user.orgId } });
  await logAdminAction({ actorId: user.id, action: "${entity.name}.delete", targetId: id });
${redirect}
}

${padding(rand, entity, 3 + Math.floor(rand() * 9))}
`;
}

function pagesApi(rand, entity, problem) {
  const E = pascal(entity.name);
  const auth =
    problem === "jwt-decode"
      ? `  const token = String(req.headers.authorization ?? "").replace("Bearer ", "");
  const claims = jwt.decode(token) as { sub: string; orgId: string } | null;
  if (!claims) return res.status(401).json({ error: "unauthorised" });
  const user = { id: claims.sub, orgId: claims.orgId };`
      : `  const user = await requireAuth(req, res);
  if (!user) return;`;
  return `import type { NextApiRequest, NextApiResponse } from "next";
${problem === "jwt-decode" ? 'import jwt from "jsonwebtoken";\n' : 'import { requireAuth } from "@/lib/auth";\n'}import { prisma } from "@/lib/prisma";

${rowType(entity)}

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
${auth}
  if (req.method === "GET") {
    const rows = await prisma.${entity.name}.findMany({ where: { orgId: user.orgId }, take: 100 });
    return res.status(200).json(rows as unknown as ${E}Row[]);
  }
  if (req.method === "PATCH") {
    const { id, ...changes } = req.body as Partial<${E}Row> & { id: string };
    const updated = await prisma.${entity.name}.updateMany({ where: { id, orgId: user.orgId }, data: changes });
    return res.status(200).json({ updated: updated.count });
  }
  res.setHeader("Allow", "GET, PATCH");
  return res.status(405).end();
}

${padding(rand, entity, 3 + Math.floor(rand() * 9))}
`;
}

function expressRouter(rand, entity, problem) {
  const E = pascal(entity.name);
  const table = plural(entity.name);
  const limiter =
    problem === "in-memory-rate-limit"
      ? `const attempts = new Map<string, number>();

function rateLimit(req: Request, res: Response, next: NextFunction) {
  const key = req.ip ?? "unknown";
  const count = (attempts.get(key) ?? 0) + 1;
  attempts.set(key, count);
  if (count > 100) return res.status(429).json({ error: "too many requests" });
  return next();
}`
      : `const rateLimit = createSharedLimiter({ prefix: "${table}", points: 100, duration: 60 });`;
  const guard = problem === "missing-auth" ? "" : "requireUser, ";
  return `import { Router, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { requireUser } from "../middleware/auth";
import { createSharedLimiter } from "../middleware/rate-limit";
import { db } from "../db";
import { log } from "../log";

const ${E}Input = ${zodSchema(entity)};

${rowType(entity)}

${limiter}

export const ${entity.name}Router = Router();

${entity.name}Router.get("/", ${guard}async (req: Request, res: Response) => {
  const rows = await db<${E}Row>("${table}").where({ org_id: req.user?.orgId }).limit(100);
  res.json(rows);
});

${entity.name}Router.post("/", ${guard}rateLimit, async (req: Request, res: Response) => {
  const input = ${E}Input.parse(req.body);
  const [row] = await db("${table}").insert({ ...input, org_id: req.user?.orgId }).returning("*");
  log.info({ id: row.id, requestId: req.get("x-request-id") }, "${entity.name} created");
  res.status(201).json(row);
});

${entity.name}Router.put("/:id", ${guard}async (req: Request, res: Response) => {
  const input = ${E}Input.partial().parse(req.body);
  await db("${table}").where({ id: req.params.id, org_id: req.user?.orgId }).update(input);
  res.status(204).end();
});

${padding(rand, entity, 3 + Math.floor(rand() * 9))}
`;
}

function supabaseData(rand, entity, problem) {
  const E = pascal(entity.name);
  const table = plural(entity.name);
  const client =
    problem === "admin-client-module-scope"
      ? `import { createClient } from "@supabase/supabase-js";

const admin = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);

async function client() {
  return admin;
}`
      : `import { createServerClient } from "@/lib/supabase/server";

async function client() {
  return createServerClient();
}`;
  return `${client}

${rowType(entity)}

export async function list${E}s(orgId: string): Promise<${E}Row[]> {
  const supabase = await client();
  const { data, error } = await supabase.from("${table}").select("*").eq("org_id", orgId).order("created_at", { ascending: false });
  if (error) throw error;
  return (data ?? []) as ${E}Row[];
}

export async function get${E}(orgId: string, id: string): Promise<${E}Row | null> {
  const supabase = await client();
  const { data, error } = await supabase.from("${table}").select("*").eq("org_id", orgId).eq("id", id).maybeSingle();
  if (error) throw error;
  return data as ${E}Row | null;
}

export async function update${E}(orgId: string, id: string, changes: Partial<${E}Row>): Promise<void> {
  const supabase = await client();
  const { error } = await supabase.from("${table}").update(changes).eq("org_id", orgId).eq("id", id);
  if (error) throw error;
}

${padding(rand, entity, 3 + Math.floor(rand() * 9))}
`;
}

function prismaRepository(rand, entity, problem) {
  const E = pascal(entity.name);
  const logged = problem === "pii-in-logs" ? `  console.log("saved ${entity.name}", row);` : `  logger.debug({ id: row.id }, "saved ${entity.name}");`;
  return `import type { Prisma } from "@prisma/client";
import { prisma } from "@/lib/prisma";
import { logger } from "@/lib/logger";
import { withOrgContext } from "@/lib/org";

${rowType(entity)}

export class ${E}Repository {
  constructor(private readonly orgId: string) {}

  async findById(id: string): Promise<${E}Row | null> {
    return withOrgContext(this.orgId, () => prisma.${entity.name}.findFirst({ where: { id, orgId: this.orgId } })) as Promise<${E}Row | null>;
  }

  async save(input: Prisma.${E}UncheckedCreateInput): Promise<${E}Row> {
    const row = (await withOrgContext(this.orgId, () => prisma.${entity.name}.create({ data: { ...input, orgId: this.orgId } }))) as unknown as ${E}Row;
  ${logged}
    return row;
  }

  async count(): Promise<number> {
    return prisma.${entity.name}.count({ where: { orgId: this.orgId } });
  }
}

${padding(rand, entity, 3 + Math.floor(rand() * 9))}
`;
}

function schemaModule(rand, entity) {
  const E = pascal(entity.name);
  return `import { z } from "zod";

export const ${E}Schema = ${zodSchema(entity)}.extend({ id: z.string().uuid() });

export const Create${E}Schema = ${E}Schema.omit({ id: true });
export const Update${E}Schema = Create${E}Schema.partial();

export type ${E} = z.infer<typeof ${E}Schema>;
export type Create${E} = z.infer<typeof Create${E}Schema>;
export type Update${E} = z.infer<typeof Update${E}Schema>;

${rowType(entity)}

export interface ${E}ListResponse {
  items: ${E}[];
  nextCursor?: string;
  total: number;
}

${padding(rand, entity, 3 + Math.floor(rand() * 9))}
`;
}

function typesModule(rand, entity) {
  const E = pascal(entity.name);
  return `export interface ${E} {
  id: string;
${entity.fields.map((f) => `  ${f}: ${TS_OF(f)};`).join("\n")}
  createdAt: string;
  updatedAt: string;
}

export type ${E}Summary = Pick<${E}, "id" | "${entity.fields[0]}" | "createdAt">;

export type ${E}Event =
  | { type: "${entity.name}.created"; payload: ${E} }
  | { type: "${entity.name}.updated"; payload: Partial<${E}> & { id: string } }
  | { type: "${entity.name}.deleted"; payload: { id: string } };

${rowType(entity)}

${padding(rand, entity, 3 + Math.floor(rand() * 9))}
`;
}

function reactPage(rand, entity, problem) {
  const E = pascal(entity.name);
  const table = plural(entity.name);
  const allow =
    problem === "hardcoded-allowlist"
      ? `const ADMINS = ["alice@acme-health.com", "bob@acme-health.com"];

`
      : "";
  const gate = problem === "hardcoded-allowlist" ? `  if (!ADMINS.includes(user.email)) redirect("/");\n` : "";
  return `import { redirect } from "next/navigation";
import { requireAuth } from "@/lib/auth";
import { list${E}s } from "@/lib/data/${table}";

${allow}export default async function ${E}sPage() {
  const user = await requireAuth();
${gate}  const rows = await list${E}s(user.orgId);
  return (
    <main className="mx-auto max-w-5xl p-6">
      <h1 className="text-2xl font-semibold">${E}s</h1>
      <table className="mt-4 w-full text-sm">
        <thead>
          <tr>
${entity.fields.slice(0, 4).map((f) => `            <th>${f}</th>`).join("\n")}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
${entity.fields.slice(0, 4).map((f) => `              <td>{String(row.${f})}</td>`).join("\n")}
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
`;
}

function aiHelper(rand, entity, problem) {
  const capped = problem === "unbounded-llm-call" ? "" : "\n    max_tokens: 400,";
  const budget = problem === "unbounded-llm-call" ? "" : "  await assertWithinBudget(orgId, \"summaries\");\n";
  return `import OpenAI from "openai";
${problem === "unbounded-llm-call" ? "" : 'import { assertWithinBudget } from "@/lib/budget";\n'}
const openai = new OpenAI();

export async function summarise${pascal(entity.name)}(orgId: string, text: string): Promise<string> {
${budget}  const completion = await openai.chat.completions.create({
    model: "gpt-4o-mini",${capped}
    messages: [
      { role: "system", content: "Summarise the ${entity.name} for a busy reviewer." },
      { role: "user", content: text },
    ],
  });
  return completion.choices[0]?.message.content ?? "";
}
`;
}

// Shared modules every PR carries once (cross-file resolution has something to resolve to).
const SHARED = {
  "lib/auth.ts": `import { cookies } from "next/headers";
import { jwtVerify } from "jose";

const secret = new TextEncoder().encode(process.env.SESSION_SECRET);

export async function requireAuth(): Promise<{ id: string; orgId: string; email: string; role: string }> {
  const token = (await cookies()).get("session")?.value;
  if (!token) throw new Response("unauthorised", { status: 401 });
  const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"] });
  return payload as unknown as { id: string; orgId: string; email: string; role: string };
}
`,
  "lib/prisma.ts": `import { PrismaClient } from "@prisma/client";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const prisma = globalForPrisma.prisma ?? new PrismaClient();

if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;
`,
  "lib/logger.ts": `import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  redact: ["req.headers.authorization", "*.email", "*.phone"],
});
`,
};

const KINDS = [
  { weight: 14, make: nextRoute, path: (a, e) => `app/api/${a}/${plural(e.name)}/route.ts`, problems: ["missing-auth", "pii-in-logs"] },
  { weight: 10, make: nextItemRoute, path: (a, e) => `app/api/${a}/${plural(e.name)}/[id]/route.ts`, problems: ["open-redirect"] },
  { weight: 7, make: pagesApi, path: (a, e) => `pages/api/${a}/${plural(e.name)}.ts`, problems: ["jwt-decode"] },
  { weight: 11, make: expressRouter, path: (a, e) => `server/routes/${a}/${plural(e.name)}.ts`, problems: ["missing-auth", "in-memory-rate-limit"] },
  { weight: 12, make: supabaseData, path: (a, e) => `lib/data/${a}/${plural(e.name)}.ts`, problems: ["admin-client-module-scope"] },
  { weight: 12, make: prismaRepository, path: (a, e) => `lib/repositories/${a}/${e.name}-repository.ts`, problems: ["pii-in-logs"] },
  { weight: 10, make: schemaModule, path: (a, e) => `lib/schemas/${a}/${e.name}.ts`, problems: [] },
  { weight: 10, make: typesModule, path: (a, e) => `types/${a}/${e.name}.ts`, problems: [] },
  { weight: 9, make: reactPage, path: (a, e) => `app/(dashboard)/${a}/${plural(e.name)}/page.tsx`, problems: ["hardcoded-allowlist"] },
  { weight: 5, make: aiHelper, path: (a, e) => `lib/ai/${a}/summarise-${e.name}.ts`, problems: ["unbounded-llm-call"] },
];
const TOTAL_WEIGHT = KINDS.reduce((sum, kind) => sum + kind.weight, 0);

/** Share of files generated with one of their template's problems. */
export const PROBLEM_SHARE = 0.15;

/**
 * `count` files: `{ path, content, problem? }`, deterministic for a given seed. The three shared
 * modules come first; paths are unique.
 */
export function generateFiles(count, seed = 1) {
  const rand = seeded(seed * 7919 + count);
  const files = [];
  const used = new Set();
  for (const [path, content] of Object.entries(SHARED)) {
    if (files.length >= count) break;
    files.push({ path, content });
    used.add(path);
  }
  let attempts = 0;
  while (files.length < count) {
    attempts++;
    let roll = rand() * TOTAL_WEIGHT;
    const kind = KINDS.find((candidate) => (roll -= candidate.weight) < 0) ?? KINDS[0];
    const area = pick(rand, AREAS);
    const entity = pick(rand, ENTITIES);
    let path = kind.path(area, entity);
    // Past the distinct combinations, number the area (billing-2) as a larger code base would.
    if (used.has(path)) path = kind.path(`${area}-${1 + Math.floor(attempts / 97)}`, entity);
    if (used.has(path)) continue;
    used.add(path);
    const problem = kind.problems.length > 0 && rand() < PROBLEM_SHARE ? pick(rand, kind.problems) : undefined;
    files.push({ path, content: kind.make(rand, entity, problem), ...(problem ? { problem } : {}) });
  }
  return files;
}

/** A PR snapshot (the engine's input) over generated files: every file added, as GitHub lists a new branch's files. */
export function generateSnapshot(count, seed = 1) {
  const files = generateFiles(count, seed);
  return {
    repo: "acme/bench-app",
    number: count,
    title: `Add ${count} files of product code`,
    body: "Synthetic PR generated by bench/generate.mjs.",
    baseSha: "b".repeat(40),
    headSha: "a".repeat(40),
    branch: `feature/bench-${count}`,
    baseBranch: "main",
    author: { login: "octocat", type: "User" },
    labels: [],
    commits: [{ sha: "a".repeat(40), message: "Add product code", trailers: [] }],
    files: files.map((file) => ({ path: file.path, status: "added", patch: patchOf(file.content), content: file.content, size: Buffer.byteLength(file.content) })),
  };
}

/** GitHub's `patch` for an added file: one hunk, every line added. */
export function patchOf(content) {
  const lines = content.replace(/\n$/, "").split("\n");
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((line) => `+${line}`).join("\n")}`;
}

/** The line a PR-mode benchmark adds to every file: a small edit, so base and head are both reviewed. */
export const PR_EDIT = "export const reviewedInThisPr = true;";

/**
 * The same files as a pull request that edits every one of them (one line appended): the base is the
 * generated file, the head the edited one, so a PR-mode review analyses both sides.
 */
export function generatePrSnapshot(count, seed = 1) {
  const snapshot = generateSnapshot(count, seed);
  return {
    ...snapshot,
    title: `Edit ${count} files of product code`,
    files: snapshot.files.map((file) => {
      const content = `${file.content.replace(/\n?$/, "\n")}${PR_EDIT}\n`;
      const line = content.replace(/\n$/, "").split("\n").length;
      return { path: file.path, status: "modified", patch: `@@ -${line - 1},0 +${line},1 @@\n+${PR_EDIT}`, content, baseContent: file.content, size: Buffer.byteLength(content) };
    }),
    base: { contextPaths: [], files: [] },
  };
}

/**
 * The generated files written as a repository under `folder` (created once per size and seed, then
 * reused): the files, a `tsconfig.json` mapping `@/*` to the root as a Next.js app has it, a
 * `package.json`, and an empty `.git` folder so `scan` takes the folder as the project root.
 */
export function writeRepository(folder, count, seed = 1) {
  const marker = join(folder, ".bench-generated");
  if (existsSync(marker) && readFileSync(marker, "utf8") === `${count} ${seed}\n`) return folder;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(join(folder, ".git"), { recursive: true });
  writeFileSync(join(folder, "package.json"), `${JSON.stringify({ name: "bench-app", private: true }, null, 2)}\n`);
  writeFileSync(join(folder, "tsconfig.json"), `${JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./*"] } } }, null, 2)}\n`);
  for (const file of generateFiles(count, seed)) {
    mkdirSync(dirname(join(folder, file.path)), { recursive: true });
    writeFileSync(join(folder, file.path), file.content);
  }
  writeFileSync(marker, `${count} ${seed}\n`);
  return folder;
}
