import check from "../../src/checks/missing-request-id.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "Next.js middleware that reads and sets x-request-id",
      path: "middleware.ts",
      code: `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  const response = NextResponse.next();
  response.headers.set("x-request-id", requestId);
  return response;
}`,
    },
    {
      name: "Express bootstrap with pino-http genReqId",
      path: "src/server.ts",
      code: `import express from "express";
import pinoHttp from "pino-http";
import { randomUUID } from "node:crypto";
const app = express();
app.use(pinoHttp({ genReqId: (req) => (req.headers["x-request-id"] as string) ?? randomUUID() }));
app.listen(3000);`,
    },
    {
      name: "Hono bootstrap with hono/request-id",
      path: "src/index.ts",
      code: `import { Hono } from "hono";
import { requestId } from "hono/request-id";
const app = new Hono();
app.use("*", requestId());
export default app;`,
    },
    {
      name: "near-miss: an Express sub-router is not the bootstrap",
      path: "src/routes/users.ts",
      code: `import { Router } from "express";
import { requireAuth } from "../auth";
export const users = Router();
users.use(requireAuth);
users.get("/", (_req, res) => res.json([]));`,
    },
    {
      name: "near-miss: a mounted Hono sub-app with no global middleware",
      files: {
        "src/routes/tickets.ts": `import { Hono } from "hono";
export const tickets = new Hono();
tickets.get("/", (c) => c.json([]));`,
        "src/index.ts": `import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { tickets } from "./routes/tickets";
const app = new Hono();
app.use("*", requestId());
app.route("/tickets", tickets);
export default app;`,
      },
    },
    {
      name: "near-miss: a middleware.ts inside lib/ is not Next.js middleware",
      path: "lib/middleware.ts",
      code: `import type { NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  return request.nextUrl.pathname.startsWith("/admin");
}`,
    },
    {
      name: "the request id set by a PR helper the bootstrap imports",
      files: {
        "src/middleware/context.ts": `import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
export const requestContext: RequestHandler = (req, res, next) => {
  res.setHeader("x-request-id", req.get("x-request-id") ?? randomUUID());
  next();
};`,
        "src/app.ts": `import express from "express";
import { requestContext } from "./middleware/context";
export const app = express();
app.use(requestContext);`,
      },
    },
  ],
  invalid: [
    {
      name: "Next.js middleware that gates routes but has no request id",
      path: "middleware.ts",
      code: `import { NextResponse, type NextRequest } from "next/server";
// TODO: x-request-id
export function middleware(request: NextRequest) {
  if (!request.cookies.get("session")) return NextResponse.redirect(new URL("/login", request.url));
  return NextResponse.next();
}
export const config = { matcher: ["/dashboard/:path*"] };`,
      errors: [{ line: 3, messageId: "nextMiddleware", severity: "low", data: { name: "middleware" } }],
    },
    {
      name: "src/middleware.ts exported as a const",
      path: "src/middleware.ts",
      code: `import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
export const middleware = (request: NextRequest) => {
  return NextResponse.next();
};`,
      errors: [{ line: 3 }],
    },
    {
      name: "Express bootstrap with helmet and json but no request id",
      path: "src/server.js",
      code: `const express = require("express");
const helmet = require("helmet");
const app = express();
app.use(helmet());
app.use(express.json());
app.listen(3000);`,
      errors: [
        {
          line: 3,
          messageId: "bootstrap",
          data: { framework: "Express", app: "app" },
          needs: ["randomUUID"], replacement: `const app = express();
app.use((req, res, next) => {
  const requestId = req.get("x-request-id") ?? randomUUID();
  res.setHeader("x-request-id", requestId);
  res.locals.requestId = requestId;
  next();
});`,
        },
      ],
    },
    {
      name: "Hono bootstrap with a logger but no request id",
      path: "src/index.ts",
      code: `import { Hono } from "hono";
import { logger } from "hono/logger";
const app = new Hono();
app.use("*", logger());
export default app;`,
      errors: [{ line: 3, needs: ["requestId"], replacement: `const app = new Hono();
app.use("*", requestId());` }],
    },
    {
      name: "Fastify bootstrap without requestIdHeader or genReqId",
      path: "src/server.ts",
      code: `import Fastify from "fastify";
const server = Fastify({ logger: true });
server.get("/health", async () => ({ ok: true }));
await server.listen({ port: 3000 });`,
      errors: [{ line: 2, data: { framework: "Fastify" } }],
    },
    {
      name: "a re-exported next-auth middleware",
      path: "middleware.ts",
      code: `export { default } from "next-auth/middleware";
export const config = { matcher: ["/dashboard/:path*"] };`,
      errors: [{ line: 1, data: { name: "next-auth/middleware" } }],
    },
    {
      name: "a pre-existing bootstrap on an unchanged line",
      path: "src/server.ts",
      code: `import express from "express";
const app = express();
app.use(express.json());
app.listen(3000);`,
      patches: { "src/server.ts": "@@ -3,0 +4,1 @@\n+app.listen(3000);" },
      errors: [{ line: 2, new: false }],
    },
  ],
});
