import check from "../../src/checks/pii-in-logs.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "ids, counts and action names only",
      code: `import { logger } from "@/lib/logger";
import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const patient = await prisma.patient.create({ data: { userId: "u1" } });
  const rows = await prisma.visit.findMany({ where: { patientId: patient.id } });
  logger.info({ patientId: patient.id, count: rows.length, action: "patient.create" }, "patient created");
  return Response.json({ id: patient.id });
}`,
    },
    {
      name: "near miss: members of the request (its method, path and request id) are not the whole of it",
      path: "src/routes/tasks.ts",
      code: `import { Router } from "express";
import { log } from "../logger";
export const tasks = Router();
tasks.post("/", async (req, res) => {
  log.info({ method: req.method, path: req.path, requestId: req.get("x-request-id") }, "task created");
  res.status(201).end();
});`,
    },
    {
      name: "near miss: an error object and a provider error code",
      code: `export async function POST(request: Request) {
  try {
    await fetch("https://api.example.com");
  } catch (err) {
    console.error("sms provider failed", { err, code: (err as { code?: string }).code });
  }
  return new Response(null);
}`,
    },
    {
      name: "near miss: the name of a project is not PII",
      code: `import { logger } from "@/lib/logger";
export function archive(project: { id: string; name: string }) {
  logger.info({ projectId: project.id, name: project.name }, "project archived");
}`,
    },
    {
      name: "near miss: a JWT key id (kid) is not a person",
      path: "src/auth.ts",
      code: `import jwt from "jsonwebtoken";
export function check(req: any, token: string) {
  const decoded = jwt.decode(token, { complete: true });
  req.log.debug({ kid: decoded?.header.kid ?? "none" }, "token verified");
}`,
    },
    {
      name: "a hashed email is no longer the email",
      code: `import { createHash } from "node:crypto";
export function track(email: string) {
  console.info("signup", { emailHash: createHash("sha256").update(email).digest("hex") });
}`,
    },
  ],
  invalid: [
    {
      name: "a whole patient row from prisma.patient.create",
      code: `import { logger } from "@/lib/logger";
import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const patient = await prisma.patient.create({ data: { ssn: "x", diagnosisCodes: [] } });
  logger.info({ patient }, "intake completed");
  return Response.json({ id: patient.id });
}`,
      errors: [{ line: 5, severity: "critical", replacement: `  logger.info({ patientId: patient.id }, "intake completed");` }],
    },
    {
      name: "an email from the validated body, through a variable",
      code: `import { z } from "zod";
const bodySchema = z.object({ email: z.string().email() });
export async function POST(request: Request) {
  const parsed = bodySchema.safeParse(await request.json());
  if (!parsed.success) return new Response(null, { status: 400 });
  const email = parsed.data.email.toLowerCase();
  console.info("[auth] password reset requested", { email });
  return new Response(null);
}`,
      errors: [{ line: 7, severity: "high", data: { what: "`email` (email)" }, replacement: `  console.info("[auth] password reset requested");` }],
    },
    {
      name: "destructured req.body fields and the client IP in Express",
      path: "src/routes/auth.js",
      code: `const express = require("express");
const logger = require("../logger");
const router = express.Router();
router.post("/login", async (req, res) => {
  const { email, password } = req.body ?? {};
  logger.warn("login failed", { email, ip: req.ip, attempt: 1 });
  res.status(401).end();
});
module.exports = router;`,
      errors: [{ line: 6, replacement: `  logger.warn("login failed", { attempt: 1 });` }],
    },
    {
      name: "a template string with a field of the user",
      path: "lib/notify.ts",
      code: `export function notify(user: { id: string; email: string }) {
  console.log(\`sending welcome mail to \${user.email}\`);
}`,
      errors: [{ line: 2, replacement: "  console.log(`sending welcome mail to ${user.id}`);" }],
    },
    {
      name: "the raw request body",
      code: `import pino from "pino";
const log = pino();
export async function POST(request: Request) {
  const body = await request.json();
  log.info(body, "webhook received");
  return new Response(null);
}`,
      errors: [{ line: 5, data: { what: "the raw payload `await request.json()`" } }],
    },
    {
      name: "the whole request object, as an argument or a property",
      path: "src/routes/comments.ts",
      code: `import { Router } from "express";
import { logger } from "../logger";
export const comments = Router();
comments.get("/:slug/comments", async (req, res) => {
  console.log(req);
  logger.info({ req, slug: req.params.slug }, "comments listed");
  res.json([]);
});`,
      errors: [
        { line: 5, data: { what: "the whole request `req`, its headers and cookies included" } },
        { line: 6, data: { what: "the whole request `req`, its headers and cookies included" } },
      ],
    },
    {
      name: "a spread of regulated fields is critical",
      path: "lib/audit.ts",
      code: `export function record(input: { ssn: string; diagnosis: string }) {
  console.log({ ...input, at: Date.now() });
}`,
      errors: [{ line: 2, severity: "critical" }],
    },
    {
      name: "a log on an unchanged line is pre-existing",
      code: `export async function POST(request: Request) {
  const body = await request.json();
  console.log(body);
  return new Response(null);
}
export const added = 1;`,
      patches: { "app/api/example/route.ts": "@@ -5,0 +6,1 @@\n+export const added = 1;" },
      errors: [{ line: 3, new: false }],
    },
  ],
});
