import check from "../../src/checks/pii-in-logs.js";
import { ruleTester } from "./tester.js";

/** A shared route wrapper that binds each request's full URL to its logger, then `exports` (how routes reach it). */
const URL_LOGGING_WRAPPER = (exports: string) => `import { createScopedLogger } from "@/utils/logger";
type Handler = (req: Request) => Promise<Response>;
function withMiddleware(handler: Handler, scope: string): Handler {
  return async (req) => {
    const log = createScopedLogger(scope).with({ url: req.url });
    log.info("request");
    return handler(req);
  };
}
${exports}`;

ruleTester(check, {
  valid: [
    {
      name: "a raw form the handler validates against a schema of non-personal keys (a model's name and price)",
      path: "app/routes/admin.models.new.tsx",
      code: `import { z } from "zod";
const CreateSchema = z.object({ modelName: z.string(), matchPattern: z.string(), inputPrice: z.string().optional() });
export async function action({ request }: { request: Request }) {
  const formData = await request.formData();
  const raw = Object.fromEntries(formData);
  console.log("create model form data:", JSON.stringify(raw).slice(0, 500));
  const parsed = CreateSchema.safeParse(raw);
  if (!parsed.success) return new Response(null, { status: 400 });
  return new Response(null);
}`,
    },
    {
      name: "an invalid form logged, its schema a discriminated union of non-personal options",
      path: "app/routes/bulk.tsx",
      code: `import { z } from "zod";
import { parseWithZod } from "@conform-to/zod";
import { logger } from "~/services/logger.server";
const Payload = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("selected"), runIds: z.array(z.string()), title: z.string().optional() }),
  z.object({ mode: z.literal("filter"), title: z.string().optional() }),
]);
export async function action({ request }: { request: Request }) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: Payload });
  if (submission.status !== "success") {
    logger.error("Invalid bulk action", { submission, formData: Object.fromEntries(formData) });
    return new Response(null, { status: 400 });
  }
  return new Response(null);
}`,
    },
    {
      name: "near miss: the full URL of a route whose query carries no credential",
      path: "app/api/search/route.ts",
      code: `import { logger } from "@/lib/logger";
export async function GET(request: Request) {
  const q = new URL(request.url).searchParams.get("q");
  logger.info("search", { url: request.url });
  return Response.json({ q });
}`,
    },
    {
      name: "near miss: the path of a route that reads a token from its query",
      path: "app/api/verify/route.ts",
      code: `import { NextRequest } from "next/server";
import { logger } from "@/lib/logger";
export async function GET(request: NextRequest) {
  const token = request.nextUrl.searchParams.get("token");
  logger.info("verifying link", { path: request.nextUrl.pathname });
  return Response.json({ ok: Boolean(token) });
}`,
    },
    {
      name: "near miss: a shared wrapper logs the URL, and no route it wraps reads a credential from its query",
      files: {
        "utils/middleware.ts": URL_LOGGING_WRAPPER(`export function withError(scope: string, handler: Handler): Handler {
  return withMiddleware(handler, scope);
}`),
        "app/api/items/route.ts": `import { withError } from "@/utils/middleware";
export const GET = withError("items", async (request) => {
  const page = new URL(request.url).searchParams.get("page");
  return Response.json({ page });
});`,
      },
    },
    {
      name: "names of secrets, not their values: a map that returns the first element of [name, value] pairs",
      path: "src/env.ts",
      code: `const DEFAULTS = ["changeme", "secret"];
export function warnDefaults(env: { SESSION_SECRET: string; ENCRYPTION_KEY: string }) {
  const insecure = [
    ["SESSION_SECRET", env.SESSION_SECRET],
    ["ENCRYPTION_KEY", env.ENCRYPTION_KEY],
  ]
    .filter(([, value]) => DEFAULTS.includes(value))
    .map(([name]) => name);
  console.warn(\`these secrets use a published default: \${insecure.join(", ")}\`);
}`,
    },
    {
      name: "a map over records that keeps only their ids",
      code: `import { prisma } from "@/lib/prisma";
export async function sweep() {
  const users = await prisma.user.findMany({ where: { deletedAt: null } });
  console.info("swept", { ids: users.map((user) => user.id).join(",") });
}`,
    },
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
    {
      name: "near miss: a debug() logger given ids and error messages only",
      path: "src/routes/auth.ts",
      code: `import createDebug from "debug";
const log = createDebug("app:auth");
export function rejected(user: { id: string } | null, err: Error) {
  log("login rejected (user %s)", user?.id ?? "unknown");
  log("startup failed: %s", err.message);
}`,
    },
    {
      name: "near miss: the client IP in an access log",
      path: "src/server.ts",
      code: `import pino from "pino";
const logger = pino();
export function onConnection(req: { ip: string; socket: { remoteAddress: string } }) {
  const clientIP = req.socket.remoteAddress;
  logger.info(\`New connection, IP = \${clientIP}\`);
}`,
    },
    {
      name: "near miss: the username in a line filed under the auth channel",
      path: "server/server.js",
      code: `const { log } = require("./log");
function onLogin(username, clientIP) {
  log.info("auth", \`Successfully logged in user \${username}. IP=\${clientIP}\`);
}
module.exports = { onLogin };`,
    },
    {
      name: "near miss: development-only code (an echo route inside if (isDev))",
      path: "server/server.js",
      code: `const express = require("express");
const { log } = require("./log");
const app = express();
const isDev = process.env.NODE_ENV === "development";
if (isDev) {
  app.post("/test-webhook", async (request, response) => {
    log.debug("test", request.headers);
    log.debug("test", request.body);
    response.send("ok");
  });
}`,
    },
    {
      name: "near miss: a React hook logs to the browser's console",
      path: "app/hooks/useAnalytics.ts",
      code: `import { useEffect } from "react";
export const useAnalytics = (user: { id: string; email: string } | undefined, logging = false) => {
  useEffect(() => {
    if (logging) console.log("Identifying user", user);
  }, [user]);
};`,
    },
    {
      name: "near miss: a parsed cookie, a queue message and a count are not raw payloads or records",
      path: "app/services/panel.server.ts",
      code: `import { logger } from "./logger.server";
export function readPanel(cookieValue: string, message: string) {
  let deletedUsers = 0;
  deletedUsers++;
  try {
    const parsed = JSON.parse(cookieValue);
    const event = JSON.parse(message);
    logger.error("could not read panel state", { parsed, event, deletedUsers });
  } catch (parseError) {
    logger.error("panel state", { parseError });
  }
}`,
    },
    {
      name: "near miss: a flag named after an email, a background worker's record",
      path: "app/v3/services/worker.server.ts",
      code: `import { logger } from "./logger.server";
import { prisma } from "./db.server";
export async function createWorker(user: { id: string } | null, id: string) {
  const backgroundWorker = await prisma.backgroundWorker.findFirst({ where: { id } });
  logger.error("worker failed", { backgroundWorker, resolvedByEmail: !!user });
}`,
    },
    {
      name: "near miss: a function that sends mail and logs on the side is not a logger for its callers",
      files: {
        "lib/mail.ts": `import { logger } from "./logger";
import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_KEY);
export async function sendWelcome(to: string, subject: string) {
  await resend.emails.send({ from: "a@b.c", to, subject, html: "<p>hi</p>" });
  logger.info({ to }, "welcome sent");
}`,
        "app/api/signup/route.ts": `import { sendWelcome } from "@/lib/mail";
export async function POST(request: Request) {
  const user = { email: "x@y.z" };
  await sendWelcome(user.email, "Welcome");
  return new Response(null);
}`,
      },
    },
    {
      name: "near miss: a secret's key (its name in the store) and headers passed through a sanitiser",
      path: "app/services/secrets.server.ts",
      code: `import { logger } from "./logger.server";
function sanitizeHeaders(request: Request, skip = ["authorization", "cookie"]) {
  const out: Record<string, string> = {};
  for (const [key, value] of request.headers.entries()) if (!skip.includes(key)) out[key] = value;
  return out;
}
export function missing(secret: { key: string }, request: Request) {
  logger.error(\`Secret isn't JSON \${secret.key}\`, { headers: sanitizeHeaders(request) });
}`,
    },
    {
      name: "near miss: input validated by a schema without personal fields",
      code: `import { z } from "zod";
const schema = z.object({ version: z.string(), instanceId: z.string().uuid() });
export async function POST(request: Request) {
  const data = schema.parse(await request.json());
  console.error("update check failed", data);
  return new Response(null);
}`,
    },
    {
      name: "near miss: a secret's lookup key, read from a parsed config and given to the secret store's getSecret, is the secret's name",
      path: "app/services/dataStores/registry.server.ts",
      code: `import { z } from "zod";
import { getSecretStore } from "../secrets/secretStore.server";
const StoreConfig = z.object({ version: z.literal(1), data: z.object({ secretKey: z.string() }) });
const Connection = z.object({ url: z.string() });
export async function load(rows: Array<{ key: string; config: unknown }>) {
  const secretStore = getSecretStore("DATABASE");
  for (const row of rows) {
    const result = StoreConfig.safeParse(row.config);
    if (!result.success) continue;
    const connection = await secretStore.getSecret(Connection, result.data.data.secretKey);
    if (!connection) console.warn(\`Secret "\${result.data.data.secretKey}" not found for store "\${row.key}"\`);
  }
}`,
    },
    {
      name: "near miss: a secret key written under its name with setSecret(key, value) and logged by that name",
      path: "app/services/secrets.server.ts",
      code: `import { logger } from "./logger.server";
export async function save(secrets: { setSecret(key: string, value: unknown): Promise<void> }, secretKey: string, config: unknown) {
  await secrets.setSecret(secretKey, config);
  logger.info("stored", { secretKey });
}`,
    },
    {
      name: "near miss: the name of an element of a class field declared as a list of non-person objects (a loop variable named like a person)",
      path: "app/services/lag.server.ts",
      code: `import { logger } from "~/services/logger.server";
export interface LagSource { readonly name: string; sample(): Promise<number> }
export class FirstSupported {
  constructor(private readonly candidates: LagSource[]) {}
  async pick() {
    for (const candidate of this.candidates) {
      await candidate.sample();
      logger.info("selected lag source", { source: candidate.name });
    }
  }
}`,
    },
    {
      name: "near miss: the name of a variable declared as a non-person type, whatever the variable is called",
      code: `import { logger } from "@/lib/logger";
import type { Project } from "@/lib/types";
export function archived(load: () => Project) {
  const owner: Project = load();
  logger.info({ name: owner.name }, "project archived");
}`,
    },
    {
      name: "near miss: an address the code checks and parses as a URL is a web address",
      path: "server/notification-providers/slack.js",
      code: `const isUrl = require("is-url");
const { log } = require("../util");
class Slack {
  buildActions(monitor) {
    const address = this.extractAddress(monitor);
    if (isUrl(address)) {
      try {
        return [{ url: new URL(address) }];
      } catch (e) {
        log.debug("slack", \`Failed to parse address \${address} as URL\`);
      }
    }
    return [];
  }
}
module.exports = Slack;`,
    },
    {
      name: "near miss: the names of configured strategies through a map callback",
      path: "src/api/resolvers/auth.resolver.ts",
      code: `import { Logger } from "../../logger";
export class AuthResolver {
  constructor(private configService: { authOptions: { adminAuthenticationStrategy: Array<{ name: string }> } }) {}
  protected requireNative() {
    const { adminAuthenticationStrategy } = this.configService.authOptions;
    const names = adminAuthenticationStrategy.map((s) => s.name).join(", ");
    Logger.error(\`Enabled authentication strategies: \${names}\`);
  }
}`,
    },
  ],
  invalid: [
    {
      name: "near miss: a secret key given to setSecret as the value (not the name) is the secret",
      path: "app/services/secrets.server.ts",
      code: `import { logger } from "./logger.server";
export async function save(secrets: { setSecret(key: string, value: string): Promise<void> }, secretKey: string) {
  await secrets.setSecret("stripe", secretKey);
  logger.info("stored", { secretKey });
}`,
      errors: [{ line: 4, severity: "critical" }],
    },
    {
      name: "near miss: an API key read from the secret store (the result, not the lookup key)",
      path: "app/services/openai.server.ts",
      code: `import { logger } from "./logger.server";
export async function client(secretStore: { getSecret(key: string): Promise<string> }) {
  const apiKey = await secretStore.getSecret("OPENAI_API_KEY");
  logger.info("client ready", { apiKey });
}`,
      errors: [{ line: 4, severity: "critical" }],
    },
    {
      name: "near miss: a loop variable over a class field declared as a list of people",
      path: "app/services/hiring.server.ts",
      code: `import { logger } from "~/services/logger.server";
export interface Applicant { readonly name: string }
export class Shortlist {
  constructor(private readonly candidates: Applicant[]) {}
  pick() {
    for (const candidate of this.candidates) logger.info("shortlisted", { name: candidate.name });
  }
}`,
      errors: [{ line: 6, severity: "high" }],
    },
    {
      name: "near miss: a loop variable with a neutral name over a parameter declared as a list of patients",
      path: "app/services/intake.server.ts",
      code: `import { logger } from "~/services/logger.server";
import type { Patient } from "~/models/patient";
export function report(rows: Patient[]) {
  for (const row of rows) logger.info("row", { name: row.name });
}`,
      errors: [{ line: 4, severity: "critical" }],
    },
    {
      name: "near miss: a customer's address logged next to a different value checked as a URL",
      path: "server/notify.js",
      code: `const isUrl = require("is-url");
const { log } = require("./util");
function notify(customer, website) {
  const address = customer.address;
  if (isUrl(website)) log.info("notify", \`shipping to \${address} for \${new URL(website).host}\`);
}
module.exports = notify;`,
      errors: [{ line: 5, severity: "high" }],
    },
    {
      name: "near miss: the names of admin members through a map callback",
      code: `export function notify(adminMembers: Array<{ name: string }>) {
  console.info("notified", adminMembers.map((m) => m.name).join(", "));
}`,
      errors: [{ line: 2, severity: "high" }],
    },
    {
      name: "near miss: a map reading a property of built objects (the element's structure is not known) keeps the receiver's data",
      code: `export function send(members: Array<{ user: { email: string } }>) {
  const batch = members.map((m) => ({ email: { to: m.user.email, subject: "hi" } }));
  console.log("recipients", batch.map((b) => b.email.to));
}`,
      errors: [{ line: 3, severity: "high" }],
    },
    {
      name: "near miss: a raw form validated against a schema that holds an email",
      path: "app/routes/invite.tsx",
      code: `import { z } from "zod";
const InviteSchema = z.object({ email: z.string().email(), role: z.string() });
export async function action({ request }: { request: Request }) {
  const formData = await request.formData();
  const raw = Object.fromEntries(formData);
  console.log("invite form:", JSON.stringify(raw));
  const parsed = InviteSchema.safeParse(raw);
  if (!parsed.success) return new Response(null, { status: 400 });
  return new Response(null);
}`,
      errors: [{ line: 6, severity: "high", data: { what: "`email` (email)" } }],
    },
    {
      name: "near miss: a raw form never validated by a schema stays a raw payload",
      path: "app/routes/contact.tsx",
      code: `export async function action({ request }: { request: Request }) {
  const formData = await request.formData();
  console.log("contact form:", JSON.stringify(Object.fromEntries(formData)));
  return new Response(null);
}`,
      errors: [{ line: 3, severity: "high" }],
    },
    {
      name: "the full URL of a route that reads a token from its query",
      path: "app/api/verify/route.ts",
      code: `import { NextRequest } from "next/server";
import { logger } from "@/lib/logger";
export async function GET(request: NextRequest) {
  const token = request.nextUrl.searchParams.get("token");
  logger.info("verifying link", { url: request.url });
  return Response.json({ ok: Boolean(token) });
}`,
      errors: [{ line: 5, severity: "critical" }],
    },
    {
      name: "an Express route that reads an OAuth code from req.query and logs req.originalUrl",
      path: "src/routes/oauth.ts",
      code: `import { Router } from "express";
export const oauth = Router();
oauth.get("/callback", async (req, res) => {
  const { code } = req.query;
  console.log(\`callback \${req.originalUrl}\`);
  res.json({ ok: Boolean(code) });
});`,
      errors: [{ line: 5, severity: "critical" }],
    },
    {
      name: "a shared wrapper binds every request's URL to its logger, and a route it wraps reads an OAuth code from the query",
      files: {
        "utils/middleware.ts": URL_LOGGING_WRAPPER(`export function withError(scope: string, handler: Handler): Handler;
export function withError(handler: Handler): Handler;
export function withError(scopeOrHandler: string | Handler, handler?: Handler): Handler {
  if (typeof scopeOrHandler === "string") return withMiddleware(handler as Handler, scopeOrHandler);
  return withMiddleware(scopeOrHandler, "api");
}`),
        "app/api/slack/callback/route.ts": `import { withError } from "@/utils/middleware";
import { handleCallback } from "@/utils/slack";
export const GET = withError("slack/callback", async (request) => handleCallback(request));`,
        "utils/slack.ts": `export async function handleCallback(request: Request) {
  const code = new URL(request.url).searchParams.get("code");
  return Response.json({ ok: Boolean(code) });
}`,
      },
      errors: [{ path: "utils/middleware.ts", line: 5, severity: "critical" }],
    },
    {
      name: "near miss: a map over [name, value] pairs that returns the values",
      path: "src/env.ts",
      code: `export function dump(env: { SESSION_SECRET: string; ENCRYPTION_KEY: string }) {
  const values = [
    ["SESSION_SECRET", env.SESSION_SECRET],
    ["ENCRYPTION_KEY", env.ENCRYPTION_KEY],
  ].map(([, value]) => value);
  console.warn(\`secrets: \${values.join(", ")}\`);
}`,
      errors: [{ line: 6, severity: "critical" }],
    },
    {
      name: "near miss: a map whose destructured parameter reads the email of each record",
      code: `import { prisma } from "@/lib/prisma";
export async function sweep() {
  const users = await prisma.user.findMany({ where: { deletedAt: null } });
  console.info("swept", { emails: users.map(({ email }) => email).join(",") });
}`,
      errors: [{ line: 4, severity: "high" }],
    },
    {
      name: "near miss: a map over an unknown list keeps the callback's parameter names as evidence",
      code: `export function notify(rows: unknown[]) {
  console.info("notified", rows.map(({ email }: any) => email));
}`,
      errors: [{ line: 2, severity: "high" }],
    },
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
      // A failed login is a security event: the account's email in it is reported at medium; the client IP is what such logs are for.
      errors: [{ line: 6, severity: "medium", messageId: "accountInSecurityEvent", replacement: `  logger.warn("login failed", { ip: req.ip, attempt: 1 });` }],
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
    {
      name: "a debug() instance logs the password and the issued session token",
      path: "src/routes/auth.ts",
      files: {
        "src/routes/auth.ts": `import createDebug from "debug";
import { createSession } from "../sessions";
const log = createDebug("app:auth");
export async function login(body: { email: string; password: string }, userId: string) {
  const { email, password } = body;
  log("login attempt email=%s password=%s", email, password);
  const session = await createSession(userId);
  log("issued session token %s to user %s", session.token, userId);
}`,
        "src/sessions.ts": `import { randomBytes } from "node:crypto";
export async function createSession(userId: string) {
  const token = randomBytes(32).toString("base64url");
  return { token, userId };
}`,
      },
      errors: [
        { line: 6, path: "src/routes/auth.ts", severity: "critical" },
        { line: 8, path: "src/routes/auth.ts", severity: "critical" },
      ],
    },
    {
      name: "debug instances made by require and extend",
      path: "src/db.js",
      code: `const debug = require("debug")("app:db");
const sql = debug.extend("sql");
function connect(user) {
  debug("connecting as %o", user);
  sql("password %s", user.password);
}
module.exports = { connect };`,
      errors: [{ line: 4 }, { line: 5, severity: "critical" }],
    },
    {
      name: "winston and consola children",
      path: "src/services/users.ts",
      code: `import winston from "winston";
import { consola } from "consola";
const base = winston.createLogger();
const child = base.child({ module: "users" });
const tagged = consola.withTag("users");
export function created(customer: { id: string; phone: string }) {
  child.info("customer phone", { phone: customer.phone });
  tagged.info(customer);
}`,
      errors: [{ line: 7 }, { line: 8 }],
    },
    {
      name: "project helpers that forward their arguments to a logger",
      files: {
        "lib/log.ts": `import pino from "pino";
const logger = pino();
export function logEvent(event: string, data: Record<string, unknown>) {
  logger.info({ event, ...data, at: new Date().toISOString() });
}
export const report = (message: string, ...meta: unknown[]) => {
  console.error(message, JSON.stringify(meta));
};`,
        "app/api/signup/route.ts": `import { logEvent, report } from "@/lib/log";
export async function POST(request: Request) {
  const { email, phone } = await request.json();
  logEvent("signup", { email });
  report("sms failed", { phone });
  return new Response(null);
}`,
      },
      errors: [
        { line: 4, path: "app/api/signup/route.ts", data: { call: "logEvent(…) (through `logEvent`, which logs its arguments)", what: "`email` (email)" } },
        { line: 5, path: "app/api/signup/route.ts" },
      ],
    },
    {
      name: "request headers, whole or the authorization header, and an API key",
      path: "app/api/proxy/route.ts",
      code: `import { logger } from "@/lib/logger";
export async function GET(request: Request) {
  logger.info("proxy", { headers: request.headers });
  const auth = request.headers.get("authorization");
  logger.debug(\`forwarding with \${auth}\`);
  const apiKey = process.env.UPSTREAM_API_KEY;
  console.log("upstream key", apiKey);
  return new Response(null);
}`,
      errors: [
        { line: 3, severity: "critical" },
        { line: 5, severity: "critical" },
        { line: 7, severity: "critical" },
      ],
    },
  ],
});