import check from "../../src/checks/open-redirect.js";
import { ruleTester } from "./tester.js";

const safeNextHelper = `export function safeNext(next: unknown, fallback = "/"): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//")) return fallback;
  return next;
}`;

/** A Stripe checkout route whose return URLs start with `origin`. */
const STRIPE_CHECKOUT = (origin: string) => `import { z } from "zod";
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_KEY!);
const schema = z.object({ plan: z.string(), baseUrl: z.string().url().startsWith("https://") });
export async function POST(request: Request) {
  const parsed = schema.safeParse(await request.json());
  if (!parsed.success) return Response.json({ error: "bad input" }, { status: 422 });
  const { baseUrl } = parsed.data;
  const checkout = await stripe.checkout.sessions.create({
    success_url: \`${origin}/billing?ok=1\`,
    cancel_url: \`${origin}/billing?ok=0\`,
    mode: "subscription",
  });
  return Response.json({ url: checkout.url, baseUrl });
}`;

/** A safe-action client whose input schema checks `returnPath` with `check`; the action sends it to Stripe. */
const SCHEMA_ACTION = (check: string, field = "returnPath") => ({
  "lib/redirect.ts": `export function toAppPath(value?: string | null): string | undefined {
  if (!value) return undefined;
  const probe = "https://probe.invalid";
  if (!value.startsWith("/")) return undefined;
  if (new URL(value, probe).origin !== probe) return undefined;
  return value;
}
export function hasSlash(value: string): boolean {
  return value.startsWith("/");
}`,
  "app/billing/actions.ts": `"use server";
import { z } from "zod";
import Stripe from "stripe";
import { authActionClient } from "@/lib/safe-action";
import { toAppPath, hasSlash } from "@/lib/redirect";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const returnPathSchema = z.string().${check};
export const upgrade = authActionClient
  .inputSchema(z.object({ period: z.string().optional(), ${field}: returnPathSchema.optional() }))
  .action(async ({ parsedInput }) => {
    const { returnPath } = parsedInput;
    const session = await stripe.checkout.sessions.create({ mode: "subscription", success_url: returnPath ?? "/billing", cancel_url: returnPath });
    return { url: session.url };
  });`,
});

ruleTester(check, {
  valid: [
    {
      name: "near-miss: Stripe return URLs built from the app's configured origin",
      path: "app/api/billing/checkout/route.ts",
      code: STRIPE_CHECKOUT("${process.env.APP_URL}"),
    },
    {
      name: "near-miss: the destination passes through the PR's safeNext",
      files: {
        "lib/safe-next.ts": safeNextHelper,
        "app/auth/signout/route.ts": `import { NextResponse, type NextRequest } from "next/server";
import { safeNext } from "@/lib/safe-next";
export async function POST(request: NextRequest) {
  const requested = request.nextUrl.searchParams.get("next");
  const destination = new URL(safeNext(requested, "/login"), request.url);
  return NextResponse.redirect(destination, { status: 303 });
}`,
      },
    },
    {
      name: "near-miss: a fixed login URL with the next path only as a search param",
      path: "middleware.ts",
      code: `import { NextResponse, type NextRequest } from "next/server";
export function middleware(request: NextRequest) {
  const loginUrl = new URL("/login", request.url);
  loginUrl.searchParams.set("next", request.nextUrl.pathname);
  return NextResponse.redirect(loginUrl);
}`,
    },
    {
      name: "an inline check of both conditions before the redirect",
      path: "app/(auth)/login/actions.ts",
      code: `"use server";
import { redirect } from "next/navigation";
export async function signIn(formData: FormData) {
  const next = String(formData.get("next") ?? "/");
  if (!next.startsWith("/") || next.startsWith("//")) redirect("/");
  redirect(next);
}`,
    },
    {
      name: "a sanitiser outside the PR named like one",
      path: "src/routes/auth.ts",
      code: `import { Router } from "express";
import { sanitizeRedirect } from "@acme/security";
export const router = Router();
router.get("/callback", (req, res) => {
  res.redirect(sanitizeRedirect(req.query.returnTo as string));
});`,
    },
    {
      name: "near-miss: a Stripe checkout URL is not user input",
      path: "app/billing/actions.ts",
      code: `"use server";
import { redirect } from "next/navigation";
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function checkout() {
  const session = await stripe.checkout.sessions.create({ mode: "subscription", line_items: [] });
  redirect(session.url!);
}`,
    },
    {
      name: "a ternary that checks the same-origin conditions",
      code: `import { NextResponse, type NextRequest } from "next/server";
export function GET(request: NextRequest) {
  const next = request.nextUrl.searchParams.get("next") ?? "";
  return NextResponse.redirect(new URL(next.startsWith("/") && !next.startsWith("//") ? next : "/", request.url));
}`,
    },
    {
      name: "near-miss: the auth callback appends next to the origin after checking it starts with a slash",
      path: "app/auth/callback/route.ts",
      code: `import { NextResponse } from "next/server";
export async function GET(request: Request) {
  const { searchParams, origin } = new URL(request.url);
  let next = searchParams.get("next") ?? "/";
  if (!next.startsWith("/")) next = "/";
  return NextResponse.redirect(\`\${origin}\${next}\`);
}`,
    },
    {
      name: "near-miss: a path built from a fixed prefix",
      path: "app/projects/actions.ts",
      code: `"use server";
import { redirect } from "next/navigation";
export async function open(formData: FormData) {
  const url = String(formData.get("url"));
  redirect(\`/projects/\${encodeURIComponent(url)}\`);
}`,
    },
    {
      name: "near-miss: a billing-portal url built with the request URL as its return_url",
      path: "app/api/billing/portal/route.ts",
      code: `import Stripe from "stripe";
import { NextResponse } from "next/server";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(request: Request) {
  const { url } = await stripe.billingPortal.sessions.create({ customer: "cus_1", return_url: new URL("/settings", request.url).toString() });
  return NextResponse.redirect(url, 303);
}`,
    },
    {
      name: "the action's input schema refines the destination with a same-origin helper",
      files: SCHEMA_ACTION("refine((path) => toAppPath(path) !== undefined, \"app-relative path\")"),
    },
    {
      name: "a procedure's input schema checks the destination with a regex: a slash not followed by another",
      path: "src/server/routers/auth.ts",
      code: `import { z } from "zod";
import { redirect } from "next/navigation";
import { protectedProcedure } from "../trpc";
export const finish = protectedProcedure
  .input(z.object({ next: z.string().regex(/^\\/(?!\\/)/) }))
  .mutation(({ input }) => {
    redirect(input.next);
  });`,
    },
    {
      name: "a body parsed with a schema whose refinement names the field",
      code: `import { z } from "zod";
import { NextResponse } from "next/server";
const schema = z.object({ returnTo: z.string() }).refine((v) => v.returnTo.startsWith("/") && !v.returnTo.startsWith("//"));
export async function POST(request: Request) {
  const parsed = schema.safeParse(await request.json());
  if (!parsed.success) return NextResponse.json({ error: "bad input" }, { status: 422 });
  return NextResponse.redirect(new URL(parsed.data.returnTo, request.url));
}`,
    },
    {
      name: "a redirect to the request's own URL with its pathname rewritten",
      path: "app/routes/orgs.$slug.legacy.$.ts",
      code: `import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  url.pathname = \`/orgs/\${params.slug}/projects/\${params["*"]}\`;
  return redirect(url.toString());
};`,
    },
  ],
  invalid: [
    {
      name: "near-miss of a schema check: the refinement only checks a leading slash (\"//evil.example\" passes)",
      files: SCHEMA_ACTION("refine(hasSlash)"),
      errors: [{ path: "app/billing/actions.ts", line: 12 }],
    },
    {
      name: "near-miss of a schema check: the same-origin refinement is on another field",
      files: SCHEMA_ACTION("refine((path) => toAppPath(path) !== undefined)", "fallbackPath"),
      errors: [{ path: "app/billing/actions.ts", line: 12 }],
    },
    {
      name: "near-miss of the request's own URL: its host is then set from the query",
      path: "app/routes/go.ts",
      code: `import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  url.host = url.searchParams.get("target") ?? url.host;
  return redirect(url.toString());
};`,
      errors: [{ line: 5 }],
    },
    {
      name: "near-miss of the request's own URL: a relative request URL resolved against a base keeps a protocol-relative path's host",
      path: "src/routes/trailing.js",
      code: `const { Router } = require("express");
const router = Router();
router.get("*", (req, res) => {
  res.redirect(new URL(req.url, "http://localhost").href);
});
module.exports = router;`,
      errors: [{ line: 4 }],
    },
    {
      name: "the destination carried in the OAuth state, decoded from the callback's query; the nonce is checked, the destination is not",
      path: "app/api/integrations/github/callback/route.ts",
      code: `import { NextResponse, type NextRequest } from "next/server";
import { decodeState } from "@/lib/oauth-state";
export async function GET(request: NextRequest) {
  const state = decodeState(request.nextUrl.searchParams.get("state"));
  if (!state || state.nonce !== request.cookies.get("nonce")?.value) return NextResponse.redirect(new URL("/settings", request.url));
  return NextResponse.redirect(new URL(state.returnTo, request.url));
}`,
      errors: [{ line: 6 }],
    },
    {
      name: "Stripe success and cancel URLs built from a body baseUrl (one finding, on the call)",
      path: "app/api/billing/checkout/route.ts",
      code: STRIPE_CHECKOUT("${baseUrl}"),
      errors: [{ line: 9 }],
    },
    {
      name: "server action redirects to the form's next with only a type check",
      path: "app/(auth)/login/actions.ts",
      code: `"use server";
import { redirect } from "next/navigation";
export async function signIn(_prev: unknown, formData: FormData) {
  const next = formData.get("next");
  redirect(typeof next === "string" && next.length > 0 ? next : "/notebooks");
}`,
      errors: [{ line: 5, messageId: "openRedirect", severity: "high", data: { key: "next" }, needs: ["safeNext"], replacement: `  redirect(safeNext(next, "/notebooks"));` }],
    },
    {
      name: "Express res.redirect to a query parameter",
      path: "src/routes/auth.js",
      code: `const { Router } = require("express");
const router = Router();
router.get("/login/done", (req, res) => {
  const { returnTo } = req.query;
  res.redirect(302, returnTo || "/");
});
module.exports = router;`,
      errors: [{ line: 5, data: { key: "returnTo" }, needs: ["safeNext"], replacement: `  res.redirect(302, safeNext(returnTo, "/"));` }],
    },
    {
      name: "NextResponse.redirect to new URL of a search param",
      code: `import { NextResponse, type NextRequest } from "next/server";
export async function GET(request: NextRequest) {
  const callbackUrl = request.nextUrl.searchParams.get("callbackUrl") ?? "/";
  return NextResponse.redirect(new URL(callbackUrl, request.url));
}`,
      errors: [{ line: 4, needs: ["safeNext"], replacement: `  return NextResponse.redirect(new URL(safeNext(callbackUrl), request.url));` }],
    },
    {
      name: "Hono c.redirect to a parsed body field",
      path: "src/routes/session.ts",
      code: `import { Hono } from "hono";
export const session = new Hono();
session.post("/login", async (c) => {
  const body = await c.req.json();
  return c.redirect(body.redirectTo);
});`,
      errors: [{ line: 5, data: { key: "redirectTo" } }],
    },
    {
      name: "client-side location.href from the URL's search params",
      path: "components/continue.tsx",
      code: `"use client";
import { useSearchParams } from "next/navigation";
export function useContinue() {
  const params = useSearchParams();
  return () => {
    window.location.href = params.get("continue") ?? "/";
  };
}`,
      errors: [{ line: 6, needs: ["safeNext"], replacement: `    window.location.href = safeNext(params.get("continue"), "/");` }],
    },
    {
      name: "near-miss of a sanitiser: a PR helper named safe that only checks the type",
      files: {
        "lib/safe.ts": `export function safeRedirect(value: unknown) {
  return typeof value === "string" ? value : "/";
}`,
        "app/go/route.ts": `import { redirect } from "next/navigation";
import { safeRedirect } from "@/lib/safe";
export async function GET(request: Request) {
  redirect(safeRedirect(new URL(request.url).searchParams.get("next")));
}`,
      },
      errors: [{ path: "app/go/route.ts", line: 4 }],
    },
    {
      name: "the auth callback appends an unchecked next to the origin",
      path: "app/auth/callback/route.ts",
      code: `import { NextResponse } from "next/server";
export async function GET(request: Request) {
  const { searchParams, origin } = new URL(request.url);
  const next = searchParams.get("next") ?? "/";
  return NextResponse.redirect(\`\${origin}\${next}\`);
}`,
      errors: [{ line: 5, needs: ["safeNext"], replacement: "  return NextResponse.redirect(`${origin}${safeNext(next)}`);" }],
    },
    {
      name: "a page redirects to its awaited searchParams' redirectTo",
      path: "app/login/page.tsx",
      code: `import { redirect } from "next/navigation";
import { auth } from "@/auth";
export default async function LoginPage({ searchParams }: { searchParams: Promise<{ redirectTo?: string }> }) {
  const { redirectTo } = await searchParams;
  if (await auth()) redirect(redirectTo ?? "/dashboard");
  return null;
}`,
      errors: [{ line: 5, data: { key: "redirectTo" }, needs: ["safeNext"], replacement: '  if (await auth()) redirect(safeNext(redirectTo, "/dashboard"));' }],
    },
    {
      name: "a cookie set earlier from the query is still user input",
      code: `import { cookies } from "next/headers";
import { redirect } from "next/navigation";
export async function GET() {
  const target = (await cookies()).get("returnTo")?.value;
  redirect(target ?? "/");
}`,
      errors: [{ line: 5 }],
    },
    {
      name: "a Location header built from the query",
      code: `export async function GET(request: Request) {
  const returnUrl = new URL(request.url).searchParams.get("returnUrl") ?? "/";
  return new Response(null, { status: 302, headers: { Location: returnUrl } });
}`,
      errors: [{ line: 3, needs: ["safeNext"], replacement: '  return new Response(null, { status: 302, headers: { Location: safeNext(returnUrl) } });' }],
    },
    {
      name: "a pre-existing open redirect on an unchanged line",
      code: `import { redirect } from "next/navigation";
export async function GET(request: Request) {
  redirect(new URL(request.url).searchParams.get("next") ?? "/");
}
export const runtime = "nodejs";`,
      patches: { "app/api/example/route.ts": "@@ -4,0 +5,1 @@\n+export const runtime = \"nodejs\";" },
      errors: [{ line: 3, new: false }],
    },
  ],
});
