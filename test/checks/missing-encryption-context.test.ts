import check from "../../src/checks/missing-encryption-context.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "EncryptCommand with an EncryptionContext",
      path: "lib/crypto/kms.ts",
      code: `import { EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
const kms = new KMSClient({});
export async function encryptField(plaintext: string, context: { userId: string }) {
  return kms.send(new EncryptCommand({ KeyId: "k", Plaintext: Buffer.from(plaintext), EncryptionContext: { userId: context.userId } }));
}`,
    },
    {
      name: "parameters built in a variable that carries the context",
      path: "lib/crypto/kms.ts",
      code: `import { DecryptCommand, KMSClient } from "@aws-sdk/client-kms";
const kms = new KMSClient({});
export async function decryptField(blob: Uint8Array, userId: string) {
  const params = { CiphertextBlob: blob, EncryptionContext: { userId } };
  return kms.send(new DecryptCommand(params));
}`,
    },
    {
      name: "near miss: an EncryptCommand of another library",
      path: "lib/jobs.ts",
      code: `import { EncryptCommand } from "@acme/queue";
export const job = new EncryptCommand({ id: 1 });`,
    },
    {
      name: "near miss: encrypt on something that is not KMS",
      path: "lib/cipher.ts",
      code: `import { box } from "./box";
export function seal(data: string) {
  return box.encrypt({ data });
}`,
    },
  ],
  invalid: [
    {
      name: "EncryptCommand without a context in a shared helper (no owner id in scope)",
      path: "lib/crypto/kms.ts",
      code: `import { EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
export const kms = new KMSClient({});
export async function encryptField(plaintext: string) {
  const result = await kms.send(new EncryptCommand({
    KeyId: process.env.KEY_ID,
    Plaintext: Buffer.from(plaintext, "utf8"),
  }));
  return result.CiphertextBlob;
}`,
      errors: [{ line: 4, messageId: "missingContext" }],
    },
    {
      name: "DecryptCommand in a function with a userId: the property is added on its own line",
      path: "lib/crypto/kms.ts",
      code: `import { DecryptCommand, KMSClient } from "@aws-sdk/client-kms";
const kms = new KMSClient({});
export async function decryptFor(userId: string, blob: Uint8Array) {
  const { Plaintext } = await kms.send(new DecryptCommand({
    CiphertextBlob: blob
  }));
  return Plaintext;
}`,
      errors: [{ line: 4, replacement: "    CiphertextBlob: blob,\n    EncryptionContext: { userId }," }],
    },
    {
      name: "one-line parameters get the context inline",
      path: "lib/crypto/kms.ts",
      code: `import { EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
const kms = new KMSClient({});
export async function seal(userId: string, text: string) {
  return kms.send(new EncryptCommand({ KeyId: "k", Plaintext: Buffer.from(text) }));
}`,
      errors: [{ line: 4, replacement: `  return kms.send(new EncryptCommand({ KeyId: "k", Plaintext: Buffer.from(text), EncryptionContext: { userId } }));` }],
    },
    {
      name: "aws-sdk v2 kms.decrypt without a context",
      path: "lib/crypto/legacy.js",
      code: `const AWS = require("aws-sdk");
const kms = new AWS.KMS();
async function reveal(blob) {
  const out = await kms.decrypt({ CiphertextBlob: blob }).promise();
  return out.Plaintext;
}
module.exports = { reveal };`,
      errors: [{ line: 4 }],
    },
    {
      name: "a KMS call on an unchanged line is pre-existing",
      path: "lib/crypto/kms.ts",
      code: `import { EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
const kms = new KMSClient({});
export const seal = (text: string) => kms.send(new EncryptCommand({ KeyId: "k", Plaintext: Buffer.from(text) }));
export const added = 1;`,
      patches: { "lib/crypto/kms.ts": "@@ -3,0 +4,1 @@\n+export const added = 1;" },
      errors: [{ line: 3, new: false }],
    },
  ],
});
