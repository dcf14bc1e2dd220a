import { ts } from "ts-morph";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { Semantics } from "../review/analysis/semantics.js";
import { authFunctionName, describeAccess, effectsBeyondData, isPublicByDesign, routeProfiles, touchesSensitiveData, type RouteProfile } from "../review/analysis/route-profile.js";
import type { LineReplacement } from "../review/types.js";
import { stateGatedTransition } from "../review/analysis/open-by-design.js";
import { defineCheck, lostGuardSite, routeSite } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isBlock } = ts;

/**
 * A route that reads or changes non-public data with no auth call on its path: anyone who can reach
 * the URL can call it. Auth endpoints and public forms are open by design (`missing-rate-limit`
 * checks those instead).
 */

type MessageId = "missingAuth" | "uncheckedSession" | "stubGuard" | "removedAuth";

/** The route reads or changes non-public data: DB access, the admin client, a customer's payment records, or input that leaves through egress. */
export function needsAuth(profile: RouteProfile): boolean {
  if (profile.staticGet) return false;
  // Starting a program the request names runs the caller's code on the server.
  if (profile.processLaunch) return true;
  if (profile.db.length > 0 || profile.adminClient) return true;
  if (profile.paymentAccount && profile.takesInput) return true;
  return profile.takesInput && profile.egress.some((e) => e.kind !== "http");
}

/** The line after the handler's opening brace gets the auth call, when the declaration line opens the body. */
function authReplacement(sem: Semantics, file: AnalysedFile, profile: RouteProfile, fnName: string): LineReplacement | undefined {
  const { route } = profile;
  const handler = route.handler;
  if (!handler) return undefined;
  const body = handler.node.body;
  if (!body || !isBlock(body) || body.statements.length === 0) return undefined;
  const sf = handler.node.getSourceFile();
  // The handler may be a controller imported from another file: its lines are read there.
  const handlerFile = sem.handlerFileOf(route);
  const openLine = sf.getLineAndCharacterOfPosition(body.getStart(sf)).line + 1;
  const text = handlerFile.lines[openLine - 1] ?? "";
  if (!text.trimEnd().endsWith("{")) return undefined;
  const first = body.statements[0]!;
  const indent = /^\s*/.exec(handlerFile.lines[sf.getLineAndCharacterOfPosition(first.getStart(sf)).line] ?? "")?.[0] ?? "  ";
  if (route.kind === "express" || route.kind === "hono" || route.kind === "fastify" || route.kind === "trpc") {
    // Middleware frameworks: put the guard in the registration, before the handler.
    const registration = route.registration;
    const pathArg = registration?.args[0];
    if (!registration || !pathArg || route.kind === "trpc" || route.kind === "fastify") return undefined;
    const line = registration.line;
    const lineText = file.lines[line - 1] ?? "";
    const pathText = pathArg.getText();
    const at = lineText.indexOf(pathText);
    const registrationSf = pathArg.getSourceFile();
    if (at < 0 || registrationSf.getLineAndCharacterOfPosition(pathArg.getStart(registrationSf)).line + 1 !== line) return undefined;
    const end = at + pathText.length;
    return { startLine: line, endLine: line, text: `${lineText.slice(0, end)}, ${fnName}${lineText.slice(end)}` };
  }
  // The fix replaces lines of the finding's file: only a handler declared there can take the call.
  // A Socket.IO handler has no request to fetch a session for: its check reads the socket (prose fix).
  if (!handler.isAsync || handlerFile !== file || route.kind === "sveltekit" || route.kind === "socketio") return undefined;
  return { startLine: openLine, endLine: openLine, text: `${text}\n${indent}const session = await ${fnName}();` };
}

export default defineCheck<MessageId>({
  id: "ingress/missing-auth",
  title: "Route without authentication",
  section: "2, 5 (auth at the entry point)",
  severity: "high",
  docs: "Flags a route handler, server action or router registration that reads or changes non-public data with no auth call (`requireAuth()`, a role check, a verified webhook signature); the fix authenticates the caller first (`const session = await requireAuth();` or the `requireAuth` middleware) and scopes the query to them.",
  messages: {
    missingAuth: "`{{route}}` {{access}} with no auth call: anyone who can reach the URL can do it.",
    uncheckedSession: "`{{route}}` {{access}}, and the session it fetches (`{{call}}`) is never checked: anyone who can reach the URL can do it.",
    stubGuard: "`{{route}}` {{access}}, and the `{{call}}()` it calls checks nothing (its body never throws, refuses or calls anything): anyone who can reach the URL can do it.",
    removedAuth: "`{{route}}` no longer {{guard}}: {{change}}. It {{access}}, and now anyone who can reach the URL can do it.",
  },
  regressed({ routes, classification, report }) {
    for (const compared of routes) {
      const { before, profile, route } = compared;
      const lost = compared.lost.auth;
      if (!lost) continue;
      const critical = profile !== undefined && (profile.writes.length > 0 || profile.processLaunch !== undefined || touchesSensitiveData(profile, classification.evidence));
      report({
        ...lostGuardSite(route, lost),
        messageId: "removedAuth",
        data: { route: compared.label, guard: before.webhookOnly ? "verifies its caller's signature or secret" : "requires sign-in", change: lost.change, access: profile ? describeAccess(profile) : "handles the request" },
        fix: before.webhookOnly
          ? "Restore the verification the base had (the provider's signature or the shared secret, refusing the request when it does not match), or say in the PR why the route is meant to be open."
          : "Restore the guard the base had (or an equivalent sign-in check before any work), or, if the route is now public by design, list it under `publicRoutes` and rate-limit it.",
        severity: critical ? "critical" : "high",
      });
    }
  },
  run({ sem, classification, report }) {
    for (const profile of routeProfiles(sem)) {
      // A capability route (a signing or invitation link) admits whoever holds its secret: `missing-rate-limit` checks it instead.
      // Open by design (a ping, a status page, a sign-in step) does not extend to starting the program the caller names.
      if (profile.authenticated || (isPublicByDesign(profile) && !profile.processLaunch) || profile.capability) continue;
      // A handler that rate-limits its own callers was written to be called without signing in
      // (a licence or version check, a device-login start): asked about (open questions), not claimed.
      if (profile.ownRateLimit) continue;
      // Gated in front by a refusal the review cannot read as sign-in (a setup step, a feature switch): asked about, not claimed.
      if (sem.chainGated(profile.route)) continue;
      // A first-run setup or onboarding step: it only moves the instance's state row along, past an exit taken on that row.
      if (stateGatedTransition(sem, profile.db, effectsBeyondData(profile))) continue;
      if (!needsAuth(profile)) continue;
      // A call into code the review could not read may be the guard: asked about (open questions), not claimed.
      if (sem.unreadGuardCalls(profile.route).length > 0) continue;
      const { route } = profile;
      const file = route.file;
      const fnName = authFunctionName(sem, file);
      // A session fetched and never checked: say so, rather than that there is no auth call at all.
      const unchecked = profile.reached.find(({ call }) => sem.isUncheckedSession(call));
      // A guard by name whose body checks nothing (a placeholder): name it, so the fix lands in the helper.
      const stub = unchecked ? undefined : profile.reached.find(({ file: at, call }) => sem.namesGuard(call.name) && sem.stubGuard(at, call.callee) !== undefined);
      const critical = profile.writes.length > 0 || profile.processLaunch !== undefined || touchesSensitiveData(profile, classification.evidence);
      const middleware = route.kind === "express" || route.kind === "hono" || route.kind === "fastify";
      const fix = middleware
        ? `Add the auth middleware to the registration (\`${route.registration?.chain.join(".") ?? "router.post"}(path, ${fnName}, handler)\`) and filter the query by the caller's id; if the route is public by design, list it under \`publicRoutes\` and rate-limit it.`
        : route.kind === "trpc"
          ? "Build the procedure on `protectedProcedure` (or your authed procedure) and filter by `ctx.session.user.id`."
          : route.kind === "sveltekit" && route.method === "GET" && /\+(page|layout)\.server\.(ts|js)$/.test(route.file.path)
            ? "Check the caller in this `load` — `if (!locals.user) redirect(303, \"/login\");` with `locals.user` set by your `handle` hook from a verified session — or in the `handle` hook itself, and scope every query to `locals.user.id`. A layout's check does not cover this load unless it awaits `parent()` first: the two run side by side and this one's data is served either way."
          : route.kind === "sveltekit"
            ? "Check the caller first — `if (!locals.user) error(401, \"Sign in first\");` with `locals.user` set by your `handle` hook from a verified session — and scope every query to `locals.user.id`; if the route is public by design, list it under `publicRoutes` and rate-limit it."
            : route.kind === "socketio"
              ? "Authenticate the connection in the server's `io.use((socket, next) => …)` middleware (verify the handshake's token, refuse with `next(new Error(…))`), or check the socket's login first in the handler (a helper that throws unless the socket signed in, inside the `try` whose `catch` calls back the error); scope what it touches to the socket's user."
            : route.kind === "server-action"
              ? `Call \`const session = await ${fnName}();\` first in the action and scope every query to \`session.userId\`. Middleware and the page's own check do not cover it: Next.js runs a server action posted to any page.`
              : `Call \`const session = await ${fnName}();\` first in the handler and scope every query to \`session.userId\`; if the route is public by design, list it under \`publicRoutes\` and rate-limit it.`;
      const replacement = authReplacement(sem, file, profile, fnName);
      report({
        ...routeSite(route),
        ...(unchecked
          ? { messageId: "uncheckedSession" as const, data: { route: profile.label, access: describeAccess(profile), call: `${unchecked.call.chain.join(".").replace(/\.\(\)/g, "()")}()` } }
          : stub
            ? { messageId: "stubGuard" as const, data: { route: profile.label, access: describeAccess(profile), call: stub.call.name } }
            : { messageId: "missingAuth" as const, data: { route: profile.label, access: describeAccess(profile) } }),
        fix: unchecked
          ? `Check the session \`${unchecked.call.name}()\` returns before using it (\`if (!session?.user) return new Response(null, { status: 401 });\`, or call \`${fnName}()\`, which throws): for an anonymous caller \`session?.user.id\` is undefined, and an ORM drops an undefined filter, so the query matches every row.`
          : stub
            ? `Make \`${stub.call.name}()\` verify the caller — read the session from the request, and throw (or answer 401) when there is none — and scope every query to the user it returns.`
            : fix,
        ...(replacement ? { replacement } : {}),
        severity: critical ? "critical" : "high",
        // Data access recognised only by names (its client's module was not read) is likely, not certain.
        ...(profile.db.length > 0 && !profile.adminClient && profile.db.every((d) => sem.restsOnNamesAlone(d.file, d.call)) ? { confidence: "likely" as const } : {}),
      });
    }
  },
});
