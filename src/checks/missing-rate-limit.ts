import { ts } from "ts-morph";
import { isPublicByDesign, routeProfiles, type RouteProfile } from "../review/analysis/route-profile.js";
import type { LineReplacement } from "../review/types.js";
import { defineCheck, lostGuardSite } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isBlock } = ts;

/**
 * A route that is open by design (auth endpoints, public forms, configured public routes) and
 * takes input or does per-request work with no rate limit: credential stuffing, OTP brute force,
 * email and SMS bombing, and spam cost nothing.
 */

type MessageId = "missingRateLimit" | "removedRateLimit";

function limiterReplacement(profile: RouteProfile): LineReplacement | undefined {
  const { route } = profile;
  const handler = route.handler;
  if (!handler?.isAsync || route.kind !== "next-app") return undefined;
  const body = handler.node.body;
  if (!body || !isBlock(body) || body.statements.length === 0) return undefined;
  const sf = handler.node.getSourceFile();
  const openLine = sf.getLineAndCharacterOfPosition(body.getStart(sf)).line + 1;
  const text = route.file.lines[openLine - 1] ?? "";
  if (!text.trimEnd().endsWith("{")) return undefined;
  const indent = /^\s*/.exec(route.file.lines[sf.getLineAndCharacterOfPosition(body.statements[0]!.getStart(sf)).line] ?? "")?.[0] ?? "  ";
  const request = handler.node.parameters[0]?.name.getText();
  const key = request && /^[A-Za-z_$][\w$]*$/.test(request) ? `${request}.headers.get("x-forwarded-for") ?? "anonymous"` : `"anonymous"`;
  return {
    startLine: openLine,
    endLine: openLine,
    text: [
      text,
      `${indent}const { success } = await ratelimit.limit(${key});`,
      `${indent}if (!success) return Response.json({ error: "Too many requests" }, { status: 429 });`,
    ].join("\n"),
  };
}

export default defineCheck<MessageId>({
  id: "ingress/missing-rate-limit",
  title: "Public route without a rate limit",
  section: "6 (shared rate limiting)",
  severity: "medium",
  docs: "Flags an auth endpoint, public form or configured public route that takes input or does per-request work (DB access, email, SMS) with no rate-limit call; the fix limits it per IP and per account with a shared store (`ratelimit.limit(ip)` from `@upstash/ratelimit`, or a Redis-backed limiter).",
  messages: {
    missingRateLimit: "`{{route}}` is open by design ({{why}}) and {{work}} with no rate limit: it can be hammered for {{risk}}.",
    removedRateLimit: "`{{route}}` is no longer rate-limited: {{change}}. Callers who are not signed in can now repeat it without limit.",
  },
  regressed({ routes, report }) {
    for (const compared of routes) {
      const { after, profile, route } = compared;
      const lost = compared.lost.rateLimit;
      // A limit taken off a route only signed-in users reach is a capacity concern, not this rule's; a
      // sign-in flow's own call (`authenticator.authenticate(…)`) is what callers are trying to pass, so it stays in scope.
      if (!lost || (after.authenticated && !after.webhookOnly && !profile?.authEndpoint)) continue;
      report({
        ...lostGuardSite(route, lost),
        messageId: "removedRateLimit",
        data: { route: compared.label, change: lost.change },
        fix: "Restore the rate limit the base had (per IP and per account, with a shared store), or say in the PR what limits the route now.",
        severity: profile === undefined || profile.authEndpoint || profile.capability || profile.takesInput ? "high" : "medium",
      });
    }
  },
  run({ sem, report }) {
    for (const profile of routeProfiles(sem)) {
      if (profile.authenticated || profile.rateLimited) continue;
      // Only routes open by design: an unauthenticated route that is not gets `missing-auth` instead.
      if ((!isPublicByDesign(profile) && !profile.capability) || profile.staticGet) continue;
      const work = profile.db.length > 0 || profile.egress.length > 0;
      if (!profile.takesInput && !work) continue;
      // Signing out checks no secret: there is nothing to guess.
      if (profile.signOut && !work) continue;
      // An OAuth callback's code is single-use and checked by the provider; it matters only when it does work of its own.
      if (profile.oauthCallback && !work) continue;
      const { route } = profile;
      const why = profile.authEndpoint ? "an auth endpoint" : "a public form or route";
      const workText = profile.egress.some((e) => e.kind === "email" || e.kind === "sms")
        ? `sends ${profile.egress.find((e) => e.kind === "email" || e.kind === "sms")!.kind} through ${profile.egress.find((e) => e.kind === "email" || e.kind === "sms")!.provider}`
        : profile.writes.length > 0
          ? "writes to the database"
          : profile.db.length > 0
            ? "queries the database"
            : "accepts input";
      const risk = profile.authEndpoint ? "credential stuffing, code guessing or account enumeration" : "spam and resource exhaustion";
      const replacement = limiterReplacement(profile);
      report({
        file: route.file,
        line: route.line,
        column: route.column,
        messageId: "missingRateLimit",
        data: { route: profile.label, why, work: workText, risk },
        fix: profile.authEndpoint
          ? "Limit attempts per client IP and per account (email / phone) in a shared store, e.g. `const { success } = await ratelimit.limit(ip)` with `@upstash/ratelimit` (or `express-rate-limit` with a Redis store), and answer 429 when it is exceeded."
          : "Limit submissions per client IP in a shared store (`@upstash/ratelimit`, or `express-rate-limit` with a Redis store) and answer 429 when exceeded; add a CAPTCHA for forms that send email.",
        ...(replacement ? { replacement } : {}),
        // Redeeming an unguessable token (a link's secret) is not guessing a password or a code: medium.
        severity: profile.authEndpoint && !profile.capability ? "high" : "medium",
      });
    }
  },
});
