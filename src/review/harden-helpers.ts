/**
 * Helpers the harden plan writes when a fix calls one the project does not define: each is small,
 * fails closed, and is written in TypeScript (stripped of types for a JavaScript project). A
 * helper's own dependencies on the project (`requireAuth`) are names the plan must find exported
 * by a project file; when it cannot, the helper is not written and the fix stays prose.
 */

export interface HelperTemplate {
  name: string;
  /** File name under the project's helper folder (`lib/`), without extension. */
  file: string;
  /** Project functions the helper calls, imported from wherever the project exports them. */
  needs: string[];
  /** Whether it fits the file that calls it (an Express middleware only where Express is used). */
  fits: (callerText: string) => boolean;
  /** TypeScript source, given the import lines of its `needs`. */
  source: (imports: string[]) => string;
  /** What the plan tells the reader about it: what it assumes and what to connect. */
  note: string;
}

const usesExpress = (text: string) => /from\s+["']express["']|require\(\s*["']express["']\s*\)/.test(text);

export const HELPER_TEMPLATES: readonly HelperTemplate[] = [
  {
    name: "requireAdmin",
    file: "require-admin",
    needs: ["requireAuth"],
    fits: (text) => !usesExpress(text),
    source: (imports) =>
      [
        ...imports,
        "",
        "export class ForbiddenError extends Error {}",
        "",
        "/** The signed-in caller, only when their session carries the admin role; throws otherwise (fails closed). */",
        "export async function requireAdmin() {",
        "  const session: { userId: string; role?: unknown } = await requireAuth();",
        '  if (session.role !== "admin") throw new ForbiddenError("Admin role required");',
        "  return session;",
        "}",
        "",
      ].join("\n"),
    note: "`requireAdmin` lets a caller through only when the session `requireAuth` returns has `role: \"admin\"`: until `requireAuth` returns the role, every caller is refused (it fails closed).",
  },
  {
    name: "requireRole",
    file: "require-role",
    needs: [],
    fits: usesExpress,
    source: () =>
      [
        'import type { NextFunction, Request, Response } from "express";',
        "",
        "/** Express middleware: 403 unless the authenticated caller (`req.auth`, set by the auth middleware) has `role`. */",
        "export function requireRole(role: string) {",
        "  return (req: Request, res: Response, next: NextFunction) => {",
        "    const auth = (req as Request & { auth?: { role?: unknown } }).auth;",
        "    if (auth?.role !== role) return res.status(403).end();",
        "    return next();",
        "  };",
        "}",
        "",
      ].join("\n"),
    note: "`requireRole` reads the role from `req.auth`, where the auth middleware puts the verified caller: until it carries `role`, every caller gets 403 (it fails closed).",
  },
  {
    name: "encryptField",
    file: "encrypt-field",
    needs: [],
    fits: () => true,
    source: () =>
      [
        'import { EncryptCommand, KMSClient } from "@aws-sdk/client-kms";',
        "",
        "const kms = new KMSClient({});",
        "",
        "/** KMS-encrypts one value, bound to its owner by the encryption context; returns base64 ciphertext. */",
        "export async function encryptField(value: unknown, context: Record<string, string>): Promise<string> {",
        "  const keyId = process.env.KMS_KEY_ID;",
        '  if (!keyId) throw new Error("KMS_KEY_ID is not set: refusing to store regulated data");',
        "  const { CiphertextBlob } = await kms.send(",
        "    new EncryptCommand({ KeyId: keyId, Plaintext: new TextEncoder().encode(JSON.stringify(value)), EncryptionContext: context }),",
        "  );",
        '  if (!CiphertextBlob) throw new Error("KMS returned no ciphertext");',
        '  return Buffer.from(CiphertextBlob).toString("base64");',
        "}",
        "",
      ].join("\n"),
    note: "`encryptField` needs the `@aws-sdk/client-kms` package and a `KMS_KEY_ID`; the table needs the `…Ciphertext` columns (a migration), and the code that reads them decrypts with the same context.",
  },
];
