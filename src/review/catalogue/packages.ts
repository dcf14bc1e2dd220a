/**
 * Packages whose APIs the engine knows (frameworks, auth providers, data access, validation,
 * logging, egress): a call into one of them is understood from the catalogue, so it is never an
 * unread call to ask about. Matched on the import's package name.
 */
const KNOWN_PACKAGE_NAMES = [
  // Frameworks and their request helpers.
  "next", "express", "koa", "@koa/router", "koa-router", "fastify", "hono", "h3", "nuxt", "nitropack", "@sveltejs/kit", "@remix-run/node", "@remix-run/server-runtime", "react-router", "@nestjs/common", "@nestjs/core", "@trpc/server", "@orpc/server", "socket.io", "next-safe-action", "zsa",
  // Auth and sessions.
  "next-auth", "@auth/core", "@auth/nextjs", "@clerk/nextjs", "@clerk/backend", "@clerk/express", "@supabase/supabase-js", "@supabase/ssr", "@supabase/auth-helpers-nextjs", "jsonwebtoken", "jose", "jwt-decode", "passport", "passport-jwt", "@nestjs/passport", "@nestjs/jwt", "better-auth", "lucia", "iron-session", "express-jwt", "koa-jwt", "@kinde-oss/kinde-auth-nextjs", "firebase-admin", "@auth0/nextjs-auth0", "@workos-inc/node", "express-session", "cookie", "bcrypt", "bcryptjs", "argon2",
  // Data access, validation, logging, egress, crypto.
  "@prisma/client", "drizzle-orm", "knex", "kysely", "typeorm", "sequelize", "mongoose", "mongodb", "pg", "mysql2", "zod", "yup", "joi", "valibot", "pino", "winston", "bunyan", "consola", "debug", "resend", "@sendgrid/mail", "postmark", "twilio", "nodemailer", "@aws-sdk/client-kms", "@aws-sdk/client-ses", "stripe", "openai", "@anthropic-ai/sdk", "ai", "@upstash/ratelimit", "@upstash/redis", "ioredis", "redis", "express-rate-limit", "rate-limiter-flexible", "svix", "standardwebhooks", "@octokit/webhooks", "@slack/bolt", "@upstash/qstash",
  // Programs started on the server (see processes.ts).
  "execa", "cross-spawn", "shelljs", "playwright", "playwright-core", "@playwright/test", "puppeteer", "puppeteer-core",
];
const KNOWN = new Set(KNOWN_PACKAGE_NAMES);

/** The package an import specifier names (`@scope/name/sub` → `@scope/name`, `node:fs` → `node:`). */
export function packageOf(specifier: string): string {
  if (specifier.startsWith("node:")) return "node:";
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** Whether the engine knows this package's APIs (Node's own modules included). */
export function isKnownPackage(specifier: string): boolean {
  const name = packageOf(specifier);
  return name === "node:" || KNOWN.has(name) || NODE_BUILTINS.has(name);
}

const NODE_BUILTINS = new Set(["crypto", "fs", "path", "url", "util", "http", "https", "stream", "buffer", "events", "os", "child_process", "zlib", "querystring", "assert", "timers", "dns", "net", "tls", "worker_threads", "perf_hooks", "readline"]);
