import check from "../../src/checks/missing-rate-limit.js";
import { ruleTester } from "./tester.js";

/** Auth routes two routers down (app → `/v1` → `/auth`), with the app's shared limiter installed at `limiterPath`. */
function nestedAuthRoutes(limiterPath: string): Record<string, string> {
  return {
    "src/routes/v1/auth.route.js": `const express = require("express");
const { prisma } = require("../../db");
const router = express.Router();
router.post("/login", async (req, res) => {
  res.json(await prisma.user.findUnique({ where: { email: req.body.email } }));
});
module.exports = router;`,
    "src/routes/v1/index.js": `const express = require("express");
const authRoute = require("./auth.route");
const router = express.Router();
router.use("/auth", authRoute);
module.exports = router;`,
    "src/app.js": `const express = require("express");
const rateLimit = require("express-rate-limit");
const { RedisStore } = require("rate-limit-redis");
const routes = require("./routes/v1");
const app = express();
const authLimiter = rateLimit({ windowMs: 15 * 60 * 1000, max: 20, store: new RedisStore({ sendCommand: (...a) => client.sendCommand(a) }) });
if (process.env.NODE_ENV === "production") {
  app.use(${JSON.stringify(limiterPath)}, authLimiter);
}
app.use("/v1", routes);
module.exports = app;`,
  };
}


/** A Koa verification step; `verify` is how it checks the submitted code. */
const codeStep = (verify: string) => `import Router from "koa-router";
import { withSentinel } from "../sentinel";
import { verifyCode } from "../codes";
export const router = new Router();
router.post("/verification/totp/verify", async (ctx) => {
  const { code } = ctx.request.body;
  const ok = ${verify};
  ctx.status = ok ? 204 : 422;
});`;

ruleTester(check, {
  valid: [
    {
      name: "auth routes two routers down, behind a limiter the app installs on their path",
      files: nestedAuthRoutes("/v1/auth"),
    },
    {
      name: "server actions in a helpers folder named after auth that are not auth endpoints themselves",
      path: "utils/auth-helpers/server.ts",
      code: `"use server";
import { redirect } from "next/navigation";
import { createClient } from "@/utils/supabase/server";
export async function redirectToPath(path: string) {
  return redirect(path);
}
export async function updateName(formData: FormData) {
  const supabase = await createClient();
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) return redirect("/signin");
  await supabase.from("users").update({ full_name: String(formData.get("fullName")) }).eq("id", user.id);
  return redirect("/account");
}`,
    },
    {
      name: "a code check wrapped in an account-lockout sentinel that counts failed attempts",
      path: "src/routes/totp.ts",
      code: codeStep("await withSentinel({ action: \"totp\", identifier: ctx.ip }, () => verifyCode(code))"),
    },
    {
      name: "near-miss: OTP endpoint limited per IP with Upstash",
      path: "app/api/auth/otp/route.ts",
      files: {
        "app/api/auth/otp/route.ts": `import { otpPerIp } from "@/lib/rate-limit";
import { createClient } from "@/lib/supabase/server";
export async function POST(request: Request) {
  const { phone } = await request.json();
  const { success } = await otpPerIp.limit(request.headers.get("x-forwarded-for") ?? "anon");
  if (!success) return Response.json({ error: "slow down" }, { status: 429 });
  const supabase = await createClient();
  await supabase.auth.signInWithOtp({ phone });
  return Response.json({ ok: true });
}`,
        "lib/rate-limit.ts": `import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
export const otpPerIp = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(5, "10 m") });`,
      },
    },
    {
      name: "near-miss: Express login with limiter middleware",
      path: "src/routes/auth.ts",
      code: `import { Router } from "express";
import { loginLimiter } from "../limiters";
import { prisma } from "../db";
const router = Router();
router.post("/login", loginLimiter, async (req, res) => {
  res.json(await prisma.user.findUnique({ where: { email: req.body.email } }));
});
export default router;`,
    },
    {
      name: "near-miss: sign-out that only clears the session",
      path: "app/auth/signout/route.ts",
      code: `import { cookies } from "next/headers";
export async function POST() {
  (await cookies()).delete("session");
  return Response.redirect("/login", 303);
}`,
    },
    {
      name: "an authenticated route is not public by design",
      path: "app/api/account/password/route.ts",
      code: `import { requireAuth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const session = await requireAuth();
  const { hash } = await request.json();
  await prisma.user.update({ where: { id: session.userId }, data: { passwordHash: hash } });
  return Response.json({ ok: true });
}`,
    },
    {
      name: "an unauthenticated data route gets missing-auth, not this rule",
      path: "app/api/tasks/route.ts",
      code: `import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  return Response.json(await prisma.task.create({ data: await request.json() }));
}`,
    },
    {
      name: "router mounted on an app with a global limiter",
      files: {
        "src/routes/auth.ts": `import { Router } from "express";
import { prisma } from "../db";
export const authRouter = Router();
authRouter.post("/login", async (req, res) => {
  res.json(await prisma.user.findUnique({ where: { email: req.body.email } }));
});`,
        "src/server.ts": `import express from "express";
import { apiLimiter } from "./limiters";
import { authRouter } from "./routes/auth";
const app = express();
app.use(apiLimiter);
app.use("/auth", authRouter);`,
      },
    },
    {
      name: "OTP attempts counted by a project helper",
      path: "src/routes/otp.js",
      code: `const express = require("express");
const { checkOtpAttempts } = require("../lib/limiters");
const router = express.Router();
router.post("/otp/verify", async (req, res) => {
  if (!checkOtpAttempts(req.body.accountId).allowed) return res.status(429).end();
  res.json({ ok: true });
});
module.exports = router;`,
    },
  ],
  invalid: [
    {
      name: "near-miss: the same code check with nothing counting failures",
      path: "src/routes/totp.ts",
      code: codeStep("await verifyCode(code)"),
      errors: [{ path: "src/routes/totp.ts", line: 5 }],
    },
    {
      name: "forgot-password route with no limit (high: auth endpoint)",
      path: "app/api/auth/forgot-password/route.ts",
      code: `import { Resend } from "resend";
import { prisma } from "@/lib/prisma";
const resend = new Resend(process.env.RESEND_API_KEY);
export async function POST(request: Request) {
  const { email } = await request.json();
  const user = await prisma.user.findUnique({ where: { email } });
  if (user) await resend.emails.send({ from: "a@b.c", to: email, subject: "Reset", text: "link" });
  return Response.json({ ok: true });
}`,
      errors: [
        {
          line: 4,
          severity: "high",
          data: { route: "POST /api/auth/forgot-password", why: "an auth endpoint" },
          needs: ["ratelimit"], replacement: `export async function POST(request: Request) {
  const { success } = await ratelimit.limit(request.headers.get("x-forwarded-for") ?? "anonymous");
  if (!success) return Response.json({ error: "Too many requests" }, { status: 429 });`,
        },
      ],
    },
    {
      name: "login server action named for the form, signing in with Auth.js credentials (high)",
      path: "app/lib/actions.ts",
      code: `"use server";
import { signIn } from "@/auth";
export async function authenticate(_prev: string | undefined, formData: FormData) {
  await signIn("credentials", formData);
}`,
      errors: [{ line: 3, severity: "high" }],
    },
    {
      name: "auth routes two routers down, where the app's limiter is installed on another path",
      files: nestedAuthRoutes("/v1/admin"),
      errors: [{ line: 4, path: "src/routes/v1/auth.route.js", severity: "high" }],
    },
    {
      name: "Express token refresh with no limiter is an auth endpoint (high), not a route missing auth",
      path: "src/routes/auth.js",
      code: `const express = require("express");
const { prisma } = require("../db");
const router = express.Router();
router.post("/refresh-tokens", async (req, res) => {
  res.json(await prisma.token.findFirst({ where: { token: req.body.refreshToken, blacklisted: false } }));
});
module.exports = router;`,
      errors: [{ line: 4, severity: "high" }],
    },
    {
      name: "public contact-form server action (medium)",
      path: "app/(marketing)/contact/actions.ts",
      code: `"use server";
import { prisma } from "@/lib/prisma";
export async function submitContactForm(formData: FormData) {
  await prisma.contactRequest.create({ data: { email: String(formData.get("email")) } });
}`,
      errors: [{ line: 3, severity: "medium", data: { why: "a public form or route" } }],
    },
    {
      name: "Express signup with no limiter",
      path: "src/routes/auth.js",
      code: `const express = require("express");
const { prisma } = require("../db");
const router = express.Router();
router.post("/signup", async (req, res) => {
  res.json(await prisma.user.create({ data: { email: req.body.email } }));
});
module.exports = router;`,
      errors: [{ line: 4, severity: "high" }],
    },
    {
      name: "configured public route that writes",
      path: "app/api/feedback-widget/route.ts",
      config: { publicRoutes: ["app/api/feedback-widget/**"] },
      code: `import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  await prisma.vote.create({ data: await request.json() });
  return Response.json({ ok: true });
}`,
      errors: [{ line: 2, severity: "medium" }],
    },
    {
      name: "public product search with no limiter (medium)",
      path: "app/api/products/route.ts",
      code: `import { prisma } from "@/lib/prisma";
export async function GET(request: Request) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return Response.json(await prisma.product.findMany({ where: { name: { contains: q } } }));
}`,
      errors: [{ line: 2, severity: "medium", data: { work: "queries the database" } }],
    },
    {
      name: "a pre-existing login route is not new",
      path: "app/api/login/route.ts",
      code: `import { prisma } from "@/lib/prisma";
export async function POST(request: Request) {
  const { email } = await request.json();
  return Response.json(await prisma.user.findUnique({ where: { email } }));
}
// reviewed`,
      patches: { "app/api/login/route.ts": "@@ -5,0 +6,1 @@\n+// reviewed" },
      errors: [{ line: 2, new: false }],
    },
  ],
});
