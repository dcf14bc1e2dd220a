import { ts } from "ts-morph";
import { skipOuterExpressions, type CallFact } from "../review/analysis/facts.js";
import { isPublicByDesign, routeProfiles, signsInWithCredentials, type RouteProfile } from "../review/analysis/route-profile.js";
import type { Semantics } from "../review/analysis/semantics.js";
import type { LineReplacement } from "../review/types.js";
import { defineCheck, lostGuardSite, routeSite } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isBlock, isStringLiteralLike } = ts;

/**
 * A route that is open by design (auth endpoints, public forms, configured public routes) and
 * takes input or does per-request work with no rate limit: credential stuffing, OTP brute force,
 * email and SMS bombing, and spam cost nothing.
 */

type MessageId = "missingRateLimit" | "removedRateLimit";

/**
 * What an open route lets a caller guess or trigger, read from its code: a password checked against
 * a stored hash, a short code checked against a stored or computed value, a link or code sent by
 * email or SMS, a sign-in through a library that does one of those. Only these are worth high:
 * an auth-sounding path that does none of them (a cookie set, an OAuth flow started, a challenge or
 * secret issued, an unguessable token redeemed) has nothing to brute-force.
 */
interface GuessTarget {
  kind: "password" | "code" | "message" | "sign-in";
  /** What the route does, for the message: "checks a password (`bcrypt.compare`)". */
  what: string;
}

/** Password hashing packages whose compare / verify checks a password against its stored hash. */
const PASSWORD_HASH_MODULE = /^(bcrypt|bcryptjs|bcrypt-ts|@node-rs\/bcrypt|argon2|@node-rs\/argon2|@phc\/argon2|scrypt-kdf)$/;
const PASSWORD_CHECK_NAME = /^(verify|check|compare|match)\w*Passwords?(Hash)?(Async|Sync)?$|^(is|has)?(Valid|Correct)Password(Async)?$|^passwords?(Match(es)?|IsValid|Valid|Correct)$/i;
/** Provider sign-ins that take a password: Supabase, Firebase, Better Auth (`auth.api.signInEmail`). */
const PASSWORD_SIGN_IN_NAME = /^(signInWithPassword|signInWithEmailAndPassword|signInEmail|signInUsername|loginWithPassword|signInWithCredentials)$/;
/** Setting a new password is not checking one. */
const NEW_PASSWORD = /new_?password/i;
/** A hasher's own verify: `argon2.verify(hash, password)`, `passwordHasher.compare(…)`, `new Argon2id().verify(…)`. */
const HASHER_RECEIVER = /bcrypt|argon|scrypt|hasher|^password$/i;
/** A sign-in or check handed the submitted password: `authService.login(email, password)`, `verify(user, body.password)`. */
const SIGN_IN_CALL_NAME = /^(log_?in|sign_?in|authenticate|verify|check|compare|match)/i;
const SUBMITTED_PASSWORD = /\bpassword\b/i;
/** Checks of a password's strength or leaks, and setting one: nothing is guessed against an account. */
const NOT_A_PASSWORD_CHECK = /new_?password|confirm_?password|polic|strength|schema|rule|breach|pwned|leak|hash_?password|encrypt/i;
/** `verifyOtp`, `checkTotpCode`, `validateMfaCode`, `verify_otp`: each word of the code's name starts a camel-case word (not `verifyBarcode`). */
const CODE_CHECK_NAME =
  /^(verify|check|validate|consume|redeem|confirm)(\w*?[a-z0-9])?(Otp|OTP|Totp|TOTP|Hotp|Code|Pin|PIN|Passcode|TwoFactor|2fa|2FA|Mfa|MFA|BackupCodes?|RecoveryCodes?)(Token)?(Async|Sync)?$|^(verify|check|validate)_(\w+_)?(otp|totp|code|pin|passcode|mfa|2fa)$/;
/** Codes that are not guessed by a caller signing in: an OAuth authorization code, a device code, an invitation or coupon. */
const NOT_A_SIGN_IN_CODE = /authori[sz]ation_?code|oauth|device_?code|invit|promo|coupon|discount|referral|status_?code|error_?code|zip_?code|postal|country|area_?code|currency|lang|locale|colou?r|qr_?code|bar_?code/i;
const OTP_RECEIVER = /^(totp|hotp|otp|authenticator|speakeasy|otplib)$/i;
const OTP_MODULE = /^(otplib|@otplib\/[\w-]+|speakeasy|otpauth|notp|totp-generator)$/;
/** A submitted code compared with a stored one: `record.code !== input.code`, `user.otp === otp`. */
const CODE_COMPARISON = /\b(code|otp|pin|passcode)\s*[!=]==?\s*[\w$.?]*\b(code|otp|pin|passcode)\b/i;
/** Helpers and provider calls that send a sign-in link or code: `sendVerificationEmail`, `signInWithOtp`, `resetPasswordForEmail`. */
const SEND_LINK_OR_CODE_NAME =
  /^send([A-Z]\w*?)?(Otp|OTP|Code|MagicLink|Link|Verification|Verify|Reset|Login|SignIn|Signin|Passcode|Pin|PIN)(?![a-z])\w*$|^send_(\w+_)?(otp|code|magic_link|link|verification|verify|reset|login|sign_in|passcode|pin)(_\w+)?$/;
const PROVIDER_SEND_NAME = /^(signInWithOtp|resetPasswordForEmail|sendPasswordResetEmail|sendSignInLinkToEmail|sendEmailVerification|requestPasswordReset|forgetPassword|signInMagicLink)$/;
/** Auth.js providers that email a sign-in link or code. */
const EMAIL_SIGN_IN_PROVIDER = /^(email|resend|nodemailer|sendgrid|postmark|http-email|mailgun|forwardemail|passkey-email)$/;
/** Passport / remix-auth strategies that check a password, or send and check a code or link. */
const PASSWORD_STRATEGY = /local|form|credential|password|user-?pass|ldap/i;
const CODE_STRATEGY = /email|magic|link|otp|totp|code/i;

function firstStringArg(call: CallFact): string | undefined {
  const first = call.args[0] ? skipOuterExpressions(call.args[0]) : undefined;
  return first && isStringLiteralLike(first) ? first.text : undefined;
}

function callText(call: CallFact): string {
  return call.chain.filter((c) => c !== "()").join(".") || call.name;
}

function guessTarget(sem: Semantics, profile: RouteProfile): GuessTarget | undefined {
  const { route } = profile;
  for (const { file, call } of profile.reached) {
    const name = call.name;
    const shown = `\`${callText(call)}\``;
    if (signsInWithCredentials(call)) return { kind: "password", what: "signs in with Auth.js credentials" };
    const provider = name === "signIn" ? firstStringArg(call) : undefined;
    if (provider !== undefined && EMAIL_SIGN_IN_PROVIDER.test(provider)) return { kind: "message", what: `emails a sign-in link (Auth.js \`${provider}\` provider)` };
    if (name === "authenticate") {
      const strategy = firstStringArg(call);
      if (strategy !== undefined && PASSWORD_STRATEGY.test(strategy)) return { kind: "password", what: `checks a password (\`${strategy}\` strategy)` };
      if (strategy !== undefined && CODE_STRATEGY.test(strategy)) return { kind: "sign-in", what: `signs in by a sent link or code (\`${strategy}\` strategy)` };
    }
    // The arguments' text, read only for the calls whose name could make them a password check.
    const args = PASSWORD_CHECK_NAME.test(name) || SIGN_IN_CALL_NAME.test(name) ? call.args.map((a) => a.getText()).join(" ") : "";
    if (PASSWORD_SIGN_IN_NAME.test(name) || (call.chain.at(-2) === "signIn" && /^(email|username)$/.test(name))) return { kind: "password", what: `checks a password (${shown})` };
    if (PASSWORD_CHECK_NAME.test(name) && !NEW_PASSWORD.test(`${call.chain.join(".")} ${args}`)) return { kind: "password", what: `checks a password (${shown})` };
    if (/^(compare|compareSync|verify|verifySync)$/.test(name) && HASHER_RECEIVER.test(call.chain.at(-2) === "()" ? (call.chain.at(-3) ?? "") : (call.chain.at(-2) ?? ""))) {
      return { kind: "password", what: `checks a password (${shown})` };
    }
    if (SIGN_IN_CALL_NAME.test(name) && SUBMITTED_PASSWORD.test(args) && !NOT_A_PASSWORD_CHECK.test(`${call.chain.join(".")} ${args}`)) return { kind: "password", what: `checks a password (${shown})` };
    if (/^(compare|compareSync|verify|verifySync|check|validate|verifyDelta|checkDelta)$/.test(name)) {
      const resolved = sem.callee(file, call);
      const module = resolved.kind === "module" ? (resolved.module ?? "") : "";
      if (/^(compare|compareSync|verify|verifySync)$/.test(name) && PASSWORD_HASH_MODULE.test(module)) return { kind: "password", what: `checks a password (${shown})` };
      if (OTP_RECEIVER.test(call.chain.at(-2) ?? "") || OTP_MODULE.test(module)) return { kind: "code", what: `checks a one-time code (${shown})` };
    }
    if (CODE_CHECK_NAME.test(name) && !NOT_A_SIGN_IN_CODE.test(call.chain.join("."))) return { kind: "code", what: `checks a one-time code (${shown})` };
    // A provider's sign-up (`supabase.auth.signUp`, Better Auth's `signUpEmail`) emails a confirmation link.
    const providerSignUp = (name === "signUp" && call.chain.includes("auth")) || name === "signUpEmail";
    if (SEND_LINK_OR_CODE_NAME.test(name) || PROVIDER_SEND_NAME.test(name) || providerSignUp) return { kind: "message", what: `sends a sign-in link or code (${shown})` };
    // The Auth.js route handlers: their POST signs in (credentials, email links); their GET serves sessions and redeems callbacks.
    if (name === "POST" && call.chain.at(-2) === "handlers") return { kind: "sign-in", what: "signs in through Auth.js (credentials and email sign-in)" };
  }
  if (CODE_COMPARISON.test(route.handler?.node.getText() ?? "")) return { kind: "code", what: "compares a submitted code with a stored one" };
  // A sign-in link or code sent by email or SMS from an auth route (reset, magic link, OTP).
  const message = profile.egress.find((e) => e.kind === "email" || e.kind === "sms");
  if (message && profile.authEndpoint) return { kind: "message", what: `sends ${message.kind} through ${message.provider}` };
  return undefined;
}

const RISK: Record<GuessTarget["kind"], string> = {
  password: "credential stuffing and password guessing",
  code: "code guessing",
  message: "email or SMS bombing and account enumeration",
  "sign-in": "credential stuffing, code guessing or account enumeration",
};

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
      // Redeeming an unguessable token (a link's secret) is not guessing a password or a code: medium.
      const target = profile.capability ? undefined : guessTarget(sem, profile);
      // The path reads as auth but the code checks and sends nothing guessable: a public route like any other.
      const why = target ? "an auth endpoint" : profile.authEndpoint ? "an auth route" : "a public form or route";
      const workText = target
        ? target.what
        : profile.egress.some((e) => e.kind === "email" || e.kind === "sms")
        ? `sends ${profile.egress.find((e) => e.kind === "email" || e.kind === "sms")!.kind} through ${profile.egress.find((e) => e.kind === "email" || e.kind === "sms")!.provider}`
        : profile.writes.length > 0
          ? "writes to the database"
          : profile.db.length > 0
            ? "queries the database"
            : "accepts input";
      const risk = target ? RISK[target.kind] : "spam and resource exhaustion";
      const replacement = limiterReplacement(profile);
      report({
        ...routeSite(route),
        messageId: "missingRateLimit",
        data: { route: profile.label, why, work: workText, risk },
        fix: target
          ? "Limit attempts per client IP and per account (email / phone) in a shared store, e.g. `const { success } = await ratelimit.limit(ip)` with `@upstash/ratelimit` (or `express-rate-limit` with a Redis store), and answer 429 when it is exceeded."
          : "Limit submissions per client IP in a shared store (`@upstash/ratelimit`, or `express-rate-limit` with a Redis store) and answer 429 when exceeded; add a CAPTCHA for forms that send email.",
        ...(replacement ? { replacement } : {}),
        severity: target ? "high" : "medium",
      });
    }
  },
});
