import { ts } from "ts-morph";
import { ownerContextAt } from "../review/analysis/dataflow.js";
import type { CallFact } from "../review/analysis/facts.js";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { Semantics } from "../review/analysis/semantics.js";
import type { LineReplacement } from "../review/types.js";
import { objectLiteralOf } from "../review/analysis/nodes.js";
import { defineCheck } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isIdentifier, isSpreadAssignment, isStringLiteralLike } = ts;

/**
 * A KMS ciphertext with no encryption context can be decrypted for anyone: copied onto another
 * user's row it still decrypts. The context (`{ userId }`) binds it to its owner and is logged by
 * CloudTrail on every decrypt.
 */

type MessageId = "missingContext";

const KMS_COMMANDS = /^(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|GenerateDataKeyWithoutPlaintext|GenerateDataKeyPair)Command$/;
const KMS_METHODS = /^(encrypt|decrypt|reEncrypt|generateDataKey|generateDataKeyWithoutPlaintext)$/;
const CONTEXT_KEYS = /^(EncryptionContext|SourceEncryptionContext|DestinationEncryptionContext|encryptionContext|additionalAuthenticatedData)$/;

interface KmsCall {
  call: CallFact;
  operation: string;
  params?: ts.ObjectLiteralExpression;
}


/** A KMS encrypt/decrypt: an AWS SDK v3 command, a v2 `kms.encrypt(…)` or Google Cloud KMS `client.encrypt(…)`. */
function kmsCall(sem: Semantics, file: AnalysedFile, call: CallFact): KmsCall | undefined {
  const resolved = sem.callee(file, call);
  const module = resolved.kind === "module" ? (resolved.module ?? "") : "";
  if (call.isNew && KMS_COMMANDS.test(call.name)) {
    if (module && !/^@aws-sdk\/client-kms$/.test(module)) return undefined;
    return { call, operation: call.name.replace(/Command$/, ""), params: objectLiteralOf(sem, file, call.args[0]) };
  }
  if (!call.isNew && KMS_METHODS.test(call.name) && call.chain.length >= 2) {
    const receiver = call.chain[call.chain.length - 2] ?? "";
    const kmsModule = /^(aws-sdk|aws-sdk\/clients\/kms|@google-cloud\/kms)$/.test(module);
    const kmsOrigin = resolved.origins.some((o) => /\bKMS\b|KeyManagementServiceClient|KMSClient/.test(o.expression.getText()));
    if (!kmsModule && !kmsOrigin && !/^kms(Client)?$/i.test(receiver)) return undefined;
    return { call, operation: call.name, params: objectLiteralOf(sem, file, call.args[0]) };
  }
  return undefined;
}

function hasContext(params: ts.ObjectLiteralExpression): boolean {
  return params.properties.some((p) => {
    if (isSpreadAssignment(p)) return true; // unknown keys: give the benefit of the doubt
    const name = p.name && (isIdentifier(p.name) || isStringLiteralLike(p.name)) ? p.name.text : undefined;
    return name !== undefined && CONTEXT_KEYS.test(name);
  });
}

function replacementFor(file: AnalysedFile, params: ts.ObjectLiteralExpression, context: string): LineReplacement | undefined {
  const sf = params.getSourceFile();
  const last = params.properties[params.properties.length - 1];
  const property = `EncryptionContext: ${context}`;
  const startLine = sf.getLineAndCharacterOfPosition(params.getStart(sf)).line;
  const endLine = sf.getLineAndCharacterOfPosition(params.getEnd()).line;
  if (startLine === endLine || !last) {
    // One line: `{ KeyId, Plaintext }` → `{ KeyId, Plaintext, EncryptionContext: { userId } }`.
    const inner = params.properties.map((p) => p.getText()).join(", ");
    const text = inner ? `{ ${inner}, ${property} }` : `{ ${property} }`;
    const lineStart = sf.getPositionOfLineAndCharacter(startLine, 0);
    const before = file.text.slice(lineStart, params.getStart(sf));
    const after = (file.lines[endLine] ?? "").slice(sf.getLineAndCharacterOfPosition(params.getEnd()).character);
    return { startLine: startLine + 1, endLine: endLine + 1, text: `${before}${text}${after}` };
  }
  // Several lines: add the property on its own line after the last one.
  const lastLine = sf.getLineAndCharacterOfPosition(last.getEnd()).line;
  const lastText = file.lines[lastLine] ?? "";
  const indent = /^\s*/.exec(file.lines[sf.getLineAndCharacterOfPosition(last.getStart(sf)).line] ?? "")?.[0] ?? "  ";
  const hasComma = file.text.slice(last.getEnd()).trimStart().startsWith(",");
  const withComma = hasComma ? lastText : `${lastText.slice(0, sf.getLineAndCharacterOfPosition(last.getEnd()).character)},${lastText.slice(sf.getLineAndCharacterOfPosition(last.getEnd()).character)}`;
  return { startLine: lastLine + 1, endLine: lastLine + 1, text: `${withComma}\n${indent}${property},` };
}

export default defineCheck<MessageId>({
  id: "crypto/missing-encryption-context",
  title: "KMS call without an encryption context",
  section: "3 (KMS encryption for regulated fields)",
  severity: "high",
  docs: "Flags KMS encrypt/decrypt calls (`EncryptCommand`, `DecryptCommand`, `kms.encrypt`/`decrypt`) with no `EncryptionContext`; the fix binds each ciphertext to its owner with `EncryptionContext: { userId }` on both encrypt and decrypt.",
  messages: {
    missingContext:
      "`{{operation}}` runs without an `EncryptionContext`: the ciphertext is not bound to its owner, so a ciphertext copied onto another record still decrypts and CloudTrail cannot say whose data was read.",
  },
  run({ project, sem, report }) {
    for (const file of project.files) {
      for (const call of file.facts?.calls ?? []) {
        const kms = kmsCall(sem, file, call);
        if (!kms || !kms.params || hasContext(kms.params)) continue;
        const context = ownerContextAt(sem, file, call.node);
        const replacement = context ? replacementFor(file, kms.params, context) : undefined;
        const decrypt = /decrypt/i.test(kms.operation);
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "missingContext",
          data: { operation: call.isNew ? `new ${call.name}(…)` : `${call.chain.join(".")}(…)` },
          fix: context
            ? `Add \`EncryptionContext: ${context}\` to the ${kms.operation} parameters${decrypt ? ", the same context the value was encrypted with" : ", and pass the same context when decrypting"}.`
            : `Take the owner's id (e.g. a \`context: { userId: string }\` parameter) and add \`EncryptionContext: { userId: context.userId }\` to the ${kms.operation} parameters; ${decrypt ? "decryption must present the context used at encryption" : "decryption must present the same context"}.`,
          ...(replacement ? { replacement } : {}),
        });
      }
    }
  },
});
