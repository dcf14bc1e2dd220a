import check from "../../src/checks/hardcoded-allowlist.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "a list of temporary mail domains refused at sign-up, and a Gmail alias rule: public providers identify no one",
      path: "lib/email.ts",
      code: `export const temporaryEmailDomains = ["10minutemail.com", "temp-mail.org", "fakeinbox.com"];
export function canonical(email: string) {
  const [local, domain] = email.split("@");
  if (domain === "gmail.com" || domain === "googlemail.com") return local!.replaceAll(".", "") + "@gmail.com";
  return email;
}
export function isTemporary(email: string) {
  return temporaryEmailDomains.includes(email.split("@")[1]!);
}`,
    },
    {
      name: "near-miss: a list of roles is not a list of identities",
      path: "lib/auth.ts",
      code: `const STAFF_ROLES = ["admin", "owner", "support"];
export function isStaff(user: { role: string }) {
  return STAFF_ROLES.includes(user.role);
}`,
    },
    {
      name: "near-miss: feature flags, file extensions and page paths",
      path: "lib/rules.ts",
      code: `const FLAGS = new Set(["new-editor", "ai-summaries"]);
const IMAGE_TYPES = [".png", ".jpg", "image.webp"];
const PUBLIC_PATHS = ["/login", "/pricing"];
export const enabled = (flag: string) => FLAGS.has(flag);
export const isImage = (file: string) => IMAGE_TYPES.some((ext) => file.endsWith(ext));
export const isPublic = (path: string) => PUBLIC_PATHS.includes(path);`,
    },
    {
      name: "near-miss: an email constant used as a sender, never compared",
      path: "lib/email.ts",
      code: `const FROM = "noreply@acme.com";
const SUPPORT_EMAILS = ["support@acme.com", "help@acme.com"];
export function message(to: string) {
  return { from: FROM, to, cc: SUPPORT_EMAILS };
}`,
    },
    {
      name: "near-miss: a denylist of disposable domains keeps people out",
      path: "lib/signup.ts",
      code: `const DISPOSABLE_DOMAINS = ["mailinator.com", "10minutemail.com"];
export function rejectDisposable(email: string) {
  return DISPOSABLE_DOMAINS.includes(email.split("@")[1] ?? "");
}`,
    },
    {
      name: "an allowlist read from the database",
      path: "lib/beta.ts",
      code: `import { db } from "./db";
export async function hasBetaAccess(userId: string) {
  return (await db.betaAccess.findUnique({ where: { userId } })) !== null;
}`,
    },
    {
      name: "near-miss: a CORS origin list is not an identity",
      path: "src/cors.ts",
      code: `const ORIGINS = ["https://app.acme.com", "https://acme.com"];
export const allowed = (origin: string) => ORIGINS.includes(origin);`,
    },
    {
      name: "near-miss: dotted event names and sign-in methods are not domains",
      path: "app/api/webhooks/route.ts",
      code: `export function kind(event: { type: string }, loginMethod: string) {
  if (event.type === "checkout.session.completed") return "paid";
  return loginMethod === "email.link" ? "magic" : "password";
}`,
    },
    {
      name: "a link's configured domain compared with the product's own domain to normalise it, not the caller's identity",
      path: "pages/api/links/index.ts",
      code: `export function normalise(linkDomainData: { domain: string | null; slug: string | null }) {
  let { domain, slug } = linkDomainData;
  if (domain && domain === "papermark.com") {
    domain = null;
    slug = null;
  }
  return { domain, slug };
}`,
    },
  ],
  invalid: [
    {
      name: "near-miss: the caller's email domain kept in a variable, then compared",
      path: "lib/admin.ts",
      code: `export function isAdmin(session: { user: { email: string } }) {
  const domain = session.user.email.split("@")[1];
  return domain === "harborlight.co";
}`,
      errors: [{ line: 3, messageId: "comparison" }],
    },
    {
      name: "near-miss: a company's own domain compared with the caller's email domain to grant admin",
      path: "lib/admin.ts",
      code: `export function isAdmin(user: { email: string }) {
  return user.email.split("@")[1] === "harborlight.co";
}`,
      errors: [{ line: 2, messageId: "comparison" }],
    },
    {
      name: "beta testers' emails in a Set built from a list",
      path: "lib/auth/beta-access.ts",
      code: `const BETA_TESTER_EMAILS = [
  "priya@fieldnote.dev",
  "ops@harborlight.co",
];
const normalize = (email: string) => email.trim().toLowerCase();
const betaTesters = new Set(BETA_TESTER_EMAILS.map(normalize));
export function hasBetaAccess(email: string): boolean {
  return betaTesters.has(normalize(email));
}`,
      errors: [{ line: 2, messageId: "list", severity: "high", data: { list: "BETA_TESTER_EMAILS", what: "2 email addresses" } }],
    },
    {
      name: "an admin list in another file grants the admin role",
      files: {
        "lib/admins.ts": `export const ADMIN_EMAILS = ["ceo@acme.com", "cto@acme.com"] as const;`,
        "app/api/session/route.ts": `import { ADMIN_EMAILS } from "@/lib/admins";
import { auth } from "@/auth";
export async function GET() {
  const session = await auth();
  const role = (ADMIN_EMAILS as readonly string[]).includes(session?.user?.email ?? "") ? "admin" : "member";
  return Response.json({ role });
}`,
      },
      errors: [{ path: "lib/admins.ts", line: 1, data: { list: "ADMIN_EMAILS" } }],
    },
    {
      name: "a company domain checked with endsWith",
      path: "lib/staff.ts",
      code: `export function isStaff(session: { user: { email: string } }) {
  return session.user.email.endsWith("@acme.com");
}`,
      errors: [{ line: 2, messageId: "comparison", data: { value: "@acme.com" } }],
    },
    {
      name: "an === chain of emails is one finding, on the first literal",
      path: "lib/owner.ts",
      code: `export function canManageBilling(user: { email: string }) {
  if (user.email === "founder@acme.com" ||
      user.email === "finance@acme.com") return true;
  return false;
}`,
      errors: [{ line: 2 }],
    },
    {
      name: "user ids compared in a callback",
      path: "src/middleware/super.ts",
      code: `const SUPER_USERS = ["user_2aBcDeFgHiJkLmNoPqRsTuVw", "user_2zYxWvUtSrQpOnMlKjIhGfEd"];
export function isSuper(req: { auth: { userId: string } }) {
  return SUPER_USERS.some((id) => id === req.auth.userId);
}`,
      errors: [{ line: 1, data: { what: "2 user ids" } }],
    },
    {
      name: "allowed email domains compared with the part after @",
      path: "lib/signup.ts",
      code: `const ALLOWED_DOMAINS = ["acme.com", "acme.co.uk"];
export function mayJoin(email: string) {
  return ALLOWED_DOMAINS.includes(email.split("@")[1] ?? "");
}`,
      errors: [{ line: 1 }],
    },
    {
      name: "a literal fallback for an env allowlist still hard-codes an identity",
      path: "lib/admin.ts",
      code: `const ADMIN_EMAILS = process.env.ADMIN_EMAILS?.split(",") ?? ["ceo@acme.com"];
export const isAdmin = (email: string) => ADMIN_EMAILS.includes(email);`,
      errors: [{ line: 1 }],
    },
    {
      name: "an owner id constant compared with the session user",
      path: "lib/owner.ts",
      code: `const OWNER_ID = "8f14e45f-ceea-467f-a0e6-1b0d1c2a3b4c";
export function assertOwner(session: { user: { id: string } }) {
  if (session.user.id !== OWNER_ID) throw new Error("forbidden");
}`,
      errors: [{ line: 1, messageId: "comparison" }],
    },
    {
      name: "a pre-existing allowlist on an unchanged line",
      path: "lib/beta.ts",
      code: `const BETA = ["a@acme.com"];
export const hasBeta = (email: string) => BETA.includes(email);
export const BETA_LABEL = "beta";`,
      patches: { "lib/beta.ts": "@@ -2,0 +3,1 @@\n+export const BETA_LABEL = \"beta\";" },
      errors: [{ line: 1, new: false }],
    },
  ],
});
