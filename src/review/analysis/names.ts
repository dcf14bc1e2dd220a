/**
 * The names the engine recognises by default. Projects add their own in `.github/security-review.yml`
 * (`functions.*`); those are merged in `Semantics`.
 */

/** Calls that authenticate the caller. */
export const AUTH_FUNCTIONS = [
  "requireAuth",
  "requireUser",
  "requireSession",
  "getServerSession",
  "getSession",
  "currentUser",
  "validateRequest",
  "authenticate",
  "isAuthenticated",
  "ensureAuthenticated",
  "ensureLoggedIn",
  "jwtVerify",
  "verifyIdToken",
  "verifySessionCookie",
  "getToken",
  "expressjwt",
  "withAuth",
  "withSession",
  "withUser",
  "withApiAuthRequired",
  "withPageAuthRequired",
  "getAuth",
];

/** Guard-like project helper names, when their code is outside the PR. */
export const AUTH_NAME_PATTERN =
  /^(require|ensure|with|get|verify|assert|load|check)(Current|Server|Authenticated|Auth|Valid|Signed)?(Auth|User|Session|Admin|Role|Viewer|Principal|Member|Account|Actor|Caller)(enticated|enticatedUser|orized|Session|User|Id|OrThrow|OrRedirect|Context|Or401)?$/;

/** Calls that check a role or permission (they imply authentication). */
export const ROLE_FUNCTIONS = [
  "requireRole",
  "requireRoles",
  "requireAdmin",
  "requirePermission",
  "requirePermissions",
  "requireScope",
  "requireOwner",
  "requireOrgAdmin",
  "requireSuperAdmin",
  "requireStaff",
  "ensureAdmin",
  "ensureRole",
  "assertAdmin",
  "assertRole",
  "checkRole",
  "checkPermission",
  "checkPermissions",
  "hasRole",
  "hasPermission",
  "authorize",
  "withAdmin",
  "withRole",
  "withPermission",
  "adminOnly",
  "isAdmin",
];

export const ROLE_NAME_PATTERN =
  /^(require|ensure|assert|check|verify|with|has|is)(Org|Workspace|Team|Super|Platform)?(Role|Roles|Admin|Permission|Permissions|Scope|Scopes|Owner|Staff|Moderator)(Access|OrThrow|Or403)?$/;

/** Admin checks and wrappers that guard an admin client. */
export const ADMIN_FUNCTIONS = ["requireAdmin", "withAdmin", "assertAdmin", "ensureAdmin", "requireSuperAdmin", "withAdminClient", "adminOnly"];

export const ORG_CONTEXT_FUNCTIONS = ["withOrgContext", "withTenant", "withTenantContext", "withOrganization", "withOrg", "scopedToOrg", "setTenant", "withRls"];

export const AUDIT_NAME_PATTERN = /audit|logAdminAction/i;

export const ENCRYPT_FUNCTIONS = ["encryptField", "encryptPhi", "encryptValue", "kmsEncrypt", "encryptWithKms", "encrypt"];
export const DECRYPT_FUNCTIONS = ["decryptField", "decryptPhi", "decryptValue", "kmsDecrypt", "decryptWithKms", "decrypt"];

/** Rate limiters, and attempt counters that lock an account after failures (`withSentinel`, `lockout`): both stop guessing. */
export const RATE_LIMIT_NAME_PATTERN = /rate.?limit|ratelimit|limiter|throttle|slowDown|sentinel|lockout|brute.?force/i;

/** Request ids and trace context that count for `trace/missing-request-id`. */
export const REQUEST_ID_PATTERN =
  /x-request-id|request[-_]?id|traceparent|x-trace-id|trace[-_]?id|x-correlation-id|correlation[-_]?id|opentelemetry|\botel\b|registerOTel|genReqId|rtracer|dd-trace|x-amzn-trace-id|x-cloud-trace-context/i;

/** Logger knowledge lives in the catalogue; re-exported for the modules that read it from here. */
export { LOG_METHODS, LOGGER_PACKAGES, LOGGER_RECEIVER_PATTERN } from "../catalogue/loggers.js";

/** Email and SMS providers for `egress/phi-without-baa`. */
export const MESSAGE_PACKAGES = new Map<string, string>([
  ["resend", "Resend"],
  ["@sendgrid/mail", "SendGrid"],
  ["postmark", "Postmark"],
  ["twilio", "Twilio"],
  ["nodemailer", "nodemailer"],
  ["@aws-sdk/client-ses", "Amazon SES"],
  ["@aws-sdk/client-sesv2", "Amazon SES"],
  ["@aws-sdk/client-sns", "Amazon SNS"],
  ["mailgun.js", "Mailgun"],
  ["@mailchimp/mailchimp_transactional", "Mailchimp Transactional"],
  ["vonage", "Vonage"],
  ["@vonage/server-sdk", "Vonage"],
  ["messagebird", "MessageBird"],
  ["plivo", "Plivo"],
  ["@react-email/render", "React Email"],
]);

/** Model providers for `ai/unbounded-llm-call`. */
export const MODEL_PACKAGES = new Map<string, string>([
  ["openai", "OpenAI"],
  ["@anthropic-ai/sdk", "Anthropic"],
  ["ai", "AI SDK"],
  ["@ai-sdk/openai", "AI SDK"],
  ["@ai-sdk/anthropic", "AI SDK"],
  ["@google/generative-ai", "Google Gemini"],
  ["@google/genai", "Google Gemini"],
  ["@mistralai/mistralai", "Mistral"],
  ["cohere-ai", "Cohere"],
  ["groq-sdk", "Groq"],
  ["@langchain/openai", "LangChain"],
  ["@langchain/anthropic", "LangChain"],
]);

/** Names of checks that make a redirect destination safe (same-origin, relative, allowlisted). */
export const REDIRECT_SANITISER_NAME = /safe|saniti[sz]|validat|clean|verify|check|relative|local|sameorigin|same_origin|internal|allowed|trusted|whitelist|allowlist/i;

/** Words of an identifier or permission string: `canViewWebsite` → can, view, website; `website:view-only` → website, view, only. */
export function identifierWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}
