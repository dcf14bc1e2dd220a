import check from "../../src/checks/decrypt-at-boundary.js";
import { ruleTester } from "./tester.js";

const KMS = `import { DecryptCommand, KMSClient } from "@aws-sdk/client-kms";
export const kms = new KMSClient({});
export async function decryptField(blob: string, userId: string) {
  const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(blob, "base64"), EncryptionContext: { userId } }));
  return Buffer.from(Plaintext!).toString("utf8");
}`;

/** A route (`path`, `method`) that decrypts a value into `name`, logs it after `label`, and answers `reply`. */
const loggedDecrypt = (path: string, method: string, name: string, label: string, reply: string) => ({
  "lib/crypto/kms.ts": KMS,
  [path]: `import { decryptField } from "@/lib/crypto/kms";
export async function ${method}() {
  const ${name} = await decryptField("blob", "u1");
  console.log(${label}, ${name});
  return Response.json(${reply});
}`,
});


/** A shared loader in a helper file decrypting `field` of an integration row and handing the plaintext back. */
const integrationLoader = (field: string) => ({
  "lib/crypto/kms.ts": KMS,
  "lib/integrations.ts": `import { decryptField } from "@/lib/crypto/kms";
export async function loadIntegration(row: { ${field}Ciphertext: string; userId: string }) {
  return { ${field}: await decryptField(row.${field}Ciphertext, row.userId) };
}`,
});

ruleTester(check, {
  valid: [
    {
      name: "a shared loader decrypting an integration's API key for the server to call it: a service secret, not regulated data",
      files: integrationLoader("apiKey"),
    },
    {
      name: "the route handler decrypts and returns the value",
      files: {
        "lib/crypto/kms.ts": KMS,
        "app/api/coverage/route.ts": `import { decryptField } from "@/lib/crypto/kms";
import { prisma } from "@/lib/prisma";
export async function GET() {
  const row = await prisma.coverage.findFirst({ where: { userId: "u1" } });
  const memberId = await decryptField(row!.memberIdCiphertext, "u1");
  return Response.json({ memberId });
}`,
      },
    },
    {
      name: "near miss: the decrypt helper itself returns plaintext (its callers are checked)",
      files: { "lib/crypto/kms.ts": KMS },
    },
    {
      name: "near miss: a store's private decrypt method (`#decrypt`) is the primitive too",
      files: {
        "lib/crypto/kms.ts": KMS,
        "lib/store/record-store.ts": `import { decryptField } from "@/lib/crypto/kms";
export class RecordStore {
  async #decrypt(blob: string, userId: string) {
    return await decryptField(blob, userId);
  }
}`,
      },
    },
    {
      name: "near miss: a decrypted webhook secret imported as an HMAC key; only the delivery's status is logged",
      files: {
        "lib/crypto/kms.ts": KMS,
        "lib/alerts/deliver.ts": `import { subtle } from "node:crypto";
import { decryptField } from "@/lib/crypto/kms";
import { safeFetch } from "@/lib/alerts/safe-fetch";
export async function deliver(url: string, secretCiphertext: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const secret = await decryptField(secretCiphertext, "u1");
  const key = await subtle.importKey("raw", Buffer.from(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signature = Buffer.from(await subtle.sign("HMAC", key, Buffer.from(body))).toString("hex");
  const response = await safeFetch(url, { method: "POST", headers: { "x-signature": signature }, body });
  if (!response.ok) console.info("alert webhook failed", { status: response.status });
}`,
        "lib/alerts/safe-fetch.ts": `export async function safeFetch(url: string, init: RequestInit) {\n  return fetch(url, init);\n}`,
      },
    },
    {
      name: "near miss: a loader that returns ciphertext for the page to decrypt",
      files: {
        "lib/crypto/kms.ts": KMS,
        "lib/patients/load-coverage.ts": `import { prisma } from "@/lib/prisma";
export async function loadCoverage(patientId: string) {
  return prisma.coverage.findUnique({ where: { patientId }, select: { memberIdCiphertext: true } });
}`,
        "app/patients/[id]/page.tsx": `import { decryptField } from "@/lib/crypto/kms";
import { loadCoverage } from "@/lib/patients/load-coverage";
export default async function Page() {
  const coverage = await loadCoverage("p1");
  const memberId = await decryptField(coverage!.memberIdCiphertext, "u1");
  return <p>{memberId.slice(-4)}</p>;
}`,
      },
    },
    {
      name: "near miss: a job that uses the plaintext itself without handing it back",
      files: {
        "lib/crypto/kms.ts": KMS,
        "lib/jobs/export.ts": `import { decryptField } from "@/lib/crypto/kms";
import { upload } from "./upload";
export async function exportClaims(rows: Array<{ memberIdCiphertext: string; userId: string }>) {
  for (const row of rows) {
    const memberId = await decryptField(row.memberIdCiphertext, row.userId);
    await upload({ memberId });
  }
}`,
      },
    },
  ],
  invalid: [
    {
      name: "near-miss: the same loader handing back a patient's date of birth",
      files: integrationLoader("dateOfBirth"),
      errors: [{ path: "lib/integrations.ts", line: 3, messageId: "sharedLoader" }],
    },
    {
      name: "a service secret that is logged is still a finding",
      files: loggedDecrypt("app/api/hooks/route.ts", "POST", "webhookSecret", `"signing with"`, "{ ok: true }"),
      errors: [{ path: "app/api/hooks/route.ts", line: 3, messageId: "logged" }],
    },
    {
      name: "a shared loader decrypts with KMS and returns the plaintext",
      files: {
        "lib/patients/load-coverage.ts": `import { DecryptCommand } from "@aws-sdk/client-kms";
import { kms } from "@/lib/crypto/kms";
import { prisma } from "@/lib/prisma";
export async function loadCoverage(patientId: string) {
  const coverage = await prisma.coverage.findUnique({ where: { patientId } });
  const { Plaintext } = await kms.send(new DecryptCommand({
    CiphertextBlob: Buffer.from(coverage!.memberIdCiphertext, "base64"),
  }));
  return { patientId, memberId: Buffer.from(Plaintext!).toString("utf8") };
}`,
        "app/patients/[id]/page.tsx": `import { loadCoverage } from "@/lib/patients/load-coverage";
export default async function Page() {
  const coverage = await loadCoverage("p1");
  return <p>{coverage.memberId}</p>;
}`,
      },
      errors: [{ path: "lib/patients/load-coverage.ts", line: 6, messageId: "sharedLoader", data: { fn: "loadCoverage" } }],
    },
    {
      name: "a helper maps rows through the decrypt helper for its callers",
      files: {
        "lib/crypto/kms.ts": KMS,
        "lib/patients.ts": `import { decryptField } from "@/lib/crypto/kms";
export async function withSsn(rows: Array<{ ssnCiphertext: string; userId: string }>) {
  return Promise.all(rows.map(async (row) => ({ ...row, ssn: await decryptField(row.ssnCiphertext, row.userId) })));
}`,
      },
      errors: [{ path: "lib/patients.ts", line: 3, messageId: "sharedLoader" }],
    },
    {
      name: "decryption in Next.js middleware",
      files: {
        "lib/crypto/kms.ts": KMS,
        "middleware.ts": `import { NextResponse, type NextRequest } from "next/server";
import { decryptField } from "@/lib/crypto/kms";
export async function middleware(request: NextRequest) {
  const dob = await decryptField(request.cookies.get("dob")?.value ?? "", "u1");
  const response = NextResponse.next();
  response.headers.set("x-dob", dob);
  return response;
}`,
      },
      errors: [{ path: "middleware.ts", line: 4, messageId: "middleware" }],
    },
    {
      name: "a handler that logs the plaintext",
      files: loggedDecrypt("app/api/ssn/route.ts", "GET", "ssn", `"decrypted"`, "{ last4: ssn.slice(-4) }"),
      errors: [{ path: "app/api/ssn/route.ts", line: 3, messageId: "logged" }],
    },
    {
      name: "a handler that decrypts and never uses the value",
      files: {
        "lib/crypto/kms.ts": KMS,
        "app/api/ssn/route.ts": `import { decryptField } from "@/lib/crypto/kms";
export async function GET() {
  const ssn = await decryptField("blob", "u1");
  return Response.json({ ok: true });
}`,
      },
      errors: [{ path: "app/api/ssn/route.ts", line: 3, messageId: "unused" }],
    },
    {
      name: "a decrypting loader on an unchanged line is pre-existing",
      files: {
        "lib/crypto/kms.ts": KMS,
        "lib/load.ts": `import { decryptField } from "@/lib/crypto/kms";
export async function loadSsn(blob: string) {
  return decryptField(blob, "u1");
}
export const added = 1;`,
      },
      patches: { "lib/load.ts": "@@ -4,0 +5,1 @@\n+export const added = 1;" },
      errors: [{ path: "lib/load.ts", line: 3, new: false }],
    },
  ],
});
