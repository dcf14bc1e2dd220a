import check from "../../src/checks/missing-rate-limit.js";
import { ruleTester } from "./tester.js";

/** Auth routes two routers down (app → `/v1` → `/auth`), with the app's shared limiter installed at `limiterPath`. */
function nestedAuthRoutes(limiterPath: string): Record<string, string> {
  return {
    "src/routes/v1/auth.route.js": `const express = require("express");
const bcrypt = require("bcryptjs");
const { prisma } = require("../../db");
const router = express.Router();
router.post("/login", async (req, res) => {
  const user = await prisma.user.findUnique({ where: { email: req.body.email } });
  if (!user || !(await bcrypt.compare(req.body.password, user.passwordHash))) return res.status(401).end();
  res.json(user);
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


/** An Express auth route whose body is `body`, in a file with the usual imports. */
const authRoute = (path: string, body: string) => `const express = require("express");
const bcrypt = require("bcrypt");
const { prisma } = require("../db");
const { authService, sendLoginCode, verifyOtp } = require("../services");
const router = express.Router();
router.post(${JSON.stringify(path)}, async (req, res) => {
${body}
});
module.exports = router;`;

/** An Auth.js catch-all route that builds its handlers per request. */
const authJsRoute = `import type { NextRequest } from "next/server";
import { createHandlers } from "@/auth";
export const GET = async (req: NextRequest) => {
  const { handlers } = await createHandlers(req);
  return handlers.GET(req);
};
export const POST = async (req: NextRequest) => {
  const { handlers } = await createHandlers(req);
  return handlers.POST(req);
};`;

ruleTester(check, {
  valid: [
    {
      name: "a legacy sign-in link GET that only redirects to a constant page (constant output, exempt)",
      path: "app/api/verify/login-link/route.ts",
      code: `import { NextRequest, NextResponse } from "next/server";
export async function GET(request: NextRequest) {
  return NextResponse.redirect(new URL("/auth/email", request.url));
}`,
    },
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
      name: "near-miss: the same redirect carrying the caller's query on (takes input)",
      path: "app/api/verify/login-link/route.ts",
      code: `import { NextRequest, NextResponse } from "next/server";
export async function GET(request: NextRequest) {
  const next = request.nextUrl.searchParams.get("next") ?? "/";
  return NextResponse.redirect(new URL(\`/auth/email?next=\${next}\`, request.url));
}`,
      errors: [{ line: 2, severity: "medium", data: { why: "an auth route" } }],
    },
    {
      name: "a sign-in server action that only remembers the email in a cookie (medium: nothing to guess)",
      path: "app/(auth)/login/actions.ts",
      code: `"use server";
import { cookies } from "next/headers";
export async function setVerificationEmail(email: string) {
  (await cookies()).set("verification-email", email, { httpOnly: true, maxAge: 900 });
}`,
      errors: [{ line: 3, severity: "medium", data: { why: "an auth route", risk: "spam and resource exhaustion" } }],
    },
    {
      name: "the start of an OAuth flow (fresh state and PKCE verifier, a redirect): medium",
      path: "src/oauth.ts",
      code: `import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { generateCodeVerifier, generateState } from "arctic";
import { providers } from "./providers";
const app = new Hono();
app.get("/auth/:id", async (c) => {
  const provider = providers[c.req.param("id")];
  const state = generateState();
  const verifier = generateCodeVerifier();
  setCookie(c, "oauth.state", state, { httpOnly: true });
  setCookie(c, "oauth.verifier", verifier, { httpOnly: true });
  return c.redirect(provider.getAuthorizationUrl(state, verifier).toString());
});
export default app;`,
      errors: [{ line: 6, severity: "medium" }],
    },
    {
      name: "registration by an invitation's id and token, hashing the chosen password (medium: a token redeemed, no password checked)",
      path: "src/routes/auth.js",
      code: authRoute("/register", `  const invite = await prisma.invite.findFirst({ where: { id: req.body.inviteId, token: req.body.token } });
  if (!invite) return res.status(403).end();
  const password = await bcrypt.hash(req.body.password, 12);
  res.json(await prisma.user.create({ data: { name: req.body.username, password } }));`),
      errors: [{ line: 6, severity: "medium" }],
    },
    {
      name: "a step that issues a new TOTP secret (medium: nothing to guess)",
      path: "src/routes/auth.js",
      code: authRoute("/mfa/totp/secret", `  const secret = generateTotpSecret();
  await prisma.pendingMfa.create({ data: { interactionId: req.body.interactionId, secret } });
  res.json({ secret });`),
      errors: [{ line: 6, severity: "medium" }],
    },
    {
      name: "a step that creates a new-password identity (the password's policy checked, not the password against an account): medium",
      path: "src/routes/auth.js",
      code: authRoute("/verification/new-password-identity", `  const newPasswordIdentity = NewPasswordIdentity.create(req.body.username);
  await newPasswordIdentity.verify(req.body.password);
  await prisma.interaction.update({ where: { id: req.body.interactionId }, data: { identity: newPasswordIdentity.id } });
  res.json({ id: newPasswordIdentity.id });`),
      errors: [{ line: 6, severity: "medium" }],
    },
    {
      name: "near-miss: a sign-in step handing the submitted password to a login service (high)",
      path: "src/routes/auth.js",
      code: authRoute("/sign-in", `  const session = await authService.login(req.body.email, req.body.password);
  await prisma.auditEntry.create({ data: { email: req.body.email } });
  res.json(session);`),
      errors: [{ line: 6, severity: "high", data: { work: "checks a password (`authService.login`)", risk: "credential stuffing and password guessing" } }],
    },
    {
      name: "near-miss: an OTP step checking the submitted code (high)",
      path: "src/routes/auth.js",
      code: authRoute("/otp/verify", `  const ok = await verifyOtp(req.body.email, req.body.code);
  res.status(ok ? 204 : 401).end();`),
      errors: [{ line: 6, severity: "high", data: { risk: "code guessing" } }],
    },
    {
      name: "near-miss: a code compared with the stored one by hand (high)",
      path: "src/routes/auth.js",
      code: authRoute("/login/code/confirm", `  const record = await prisma.emailCode.findFirst({ where: { email: req.body.email } });
  if (!record || record.code !== req.body.code) return res.status(401).end();
  res.json({ ok: true });`),
      errors: [{ line: 6, severity: "high", data: { work: "compares a submitted code with a stored one" } }],
    },
    {
      name: "near-miss: a step that emails a sign-in code (high)",
      path: "src/routes/auth.js",
      code: authRoute("/login/code", `  const user = await prisma.user.findUnique({ where: { email: req.body.email } });
  if (user) await sendLoginCode(user.email);
  res.status(204).end();`),
      errors: [{ line: 6, severity: "high", data: { risk: "email or SMS bombing and account enumeration" } }],
    },
    {
      name: "near-miss: a sign-up through the provider, which emails a confirmation link (high)",
      path: "app/api/auth/signup/route.ts",
      code: `import { createClient } from "@/lib/supabase/server";
export async function POST(request: Request) {
  const { email, password } = await request.json();
  const supabase = await createClient();
  await supabase.auth.signUp({ email, password });
  return Response.json({ ok: true });
}`,
      errors: [{ line: 2, severity: "high", data: { work: "sends a sign-in link or code (`supabase.auth.signUp`)" } }],
    },
    {
      name: "an Auth.js catch-all route: its POST signs in (high), its GET serves sessions and callbacks (medium)",
      path: "app/api/auth/[...nextauth]/route.ts",
      code: authJsRoute,
      errors: [
        { line: 3, severity: "medium" },
        { line: 7, severity: "high", data: { work: "signs in through Auth.js (credentials and email sign-in)" } },
      ],
    },
    {
      name: "near-miss: a ping that sends a request is no sign-in code sent (medium)",
      path: "src/routes/auth.js",
      code: authRoute("/session/ping", `  await sendPingRequest(req.body.url);
  await prisma.ping.create({ data: { url: req.body.url } });
  res.status(204).end();`),
      errors: [{ line: 6, severity: "medium" }],
    },
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
      errors: [{ line: 5, path: "src/routes/v1/auth.route.js", severity: "high", data: { work: "checks a password (`bcrypt.compare`)" } }],
    },
    {
      name: "Express token refresh with no limiter is an auth route, not a route missing auth; redeeming an unguessable token is medium",
      path: "src/routes/auth.js",
      code: `const express = require("express");
const { prisma } = require("../db");
const router = express.Router();
router.post("/refresh-tokens", async (req, res) => {
  res.json(await prisma.token.findFirst({ where: { token: req.body.refreshToken, blacklisted: false } }));
});
module.exports = router;`,
      errors: [{ line: 4, severity: "medium", data: { why: "an auth route" } }],
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
      name: "Express signup with no limiter that only creates the account (medium: nothing to guess, nothing sent)",
      path: "src/routes/auth.js",
      code: `const express = require("express");
const { prisma } = require("../db");
const router = express.Router();
router.post("/signup", async (req, res) => {
  res.json(await prisma.user.create({ data: { email: req.body.email } }));
});
module.exports = router;`,
      errors: [{ line: 4, severity: "medium", data: { why: "an auth route", risk: "spam and resource exhaustion" } }],
    },
    {
      name: "near-miss: the same signup sending a verification link (high)",
      path: "src/routes/auth.js",
      code: `const express = require("express");
const { prisma } = require("../db");
const { sendVerificationEmail } = require("../mail");
const router = express.Router();
router.post("/signup", async (req, res) => {
  const user = await prisma.user.create({ data: { email: req.body.email } });
  await sendVerificationEmail(user.email);
  res.json(user);
});
module.exports = router;`,
      errors: [{ line: 5, severity: "high", data: { why: "an auth endpoint", work: "sends a sign-in link or code (`sendVerificationEmail`)" } }],
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

ruleTester(check, {
  valid: [
    {
      name: "near-miss: an anonymous route that also updates is no public form (missing-auth's finding, not this rule's)",
      path: "pages/api/reactions.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import prisma from "@/lib/prisma";
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  await prisma.reaction.create({ data: { viewId: req.body.viewId, type: req.body.type } });
  await prisma.view.update({ where: { id: req.body.viewId }, data: { reacted: true } });
  return res.status(200).json({ message: "ok" });
}`,
    },
  ],
  invalid: [
    {
      name: "a public form read from its code (it only adds a row and sends nothing back) is medium",
      path: "pages/api/reactions.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import prisma from "@/lib/prisma";
export default async function handle(req: NextApiRequest, res: NextApiResponse) {
  await prisma.reaction.create({ data: { viewId: req.body.viewId, type: req.body.type } });
  return res.status(200).json({ message: "Reaction recorded" });
}`,
      errors: [{ line: 3, severity: "medium", data: { why: "a public form or route", work: "writes to the database" } }],
    },
    {
      name: "a read-only GET of published content is medium",
      path: "server/routes/badge.ts",
      code: `import express from "express";
import { prisma } from "../prisma";
const router = express.Router();
router.get("/api/badge/:id", async (req, res) => {
  const id = Number(req.params.id);
  if (!(await isMonitorPublic(id))) return res.status(404).end();
  const info = await prisma.tlsInfo.findFirst({ where: { monitorId: id } });
  res.json({ days: info?.daysRemaining });
});
async function isMonitorPublic(monitorId: number) {
  return Boolean(await prisma.monitorGroup.findFirst({ where: { monitorId, public: true } }));
}
export default router;`,
      errors: [{ line: 4, severity: "medium" }],
    },
    {
      name: "a SAML assertion consumer is an auth route, medium when it checks no password or code",
      path: "server/routes/sso.ts",
      code: `import express from "express";
import { prisma } from "../prisma";
import { parseAssertion } from "../saml";
const router = express.Router();
router.post("/sso/saml/:connectorId", async (req, res) => {
  const connector = await prisma.ssoConnector.findUnique({ where: { id: req.params.connectorId } });
  if (!connector) return res.status(404).end();
  const profile = await parseAssertion(connector, req.body.SAMLResponse);
  res.redirect(\`/sso/complete?user=\${profile.id}\`);
});
export default router;`,
      errors: [{ line: 5, severity: "medium", data: { why: "an auth route" } }],
    },
  ],
});
