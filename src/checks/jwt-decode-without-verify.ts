import { ts } from "ts-morph";
import type { CallFact } from "../review/analysis/facts.js";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { Semantics } from "../review/analysis/semantics.js";
import { defineCheck } from "./define-check.js";
import { isTypeScript, replaceNode } from "./fixes.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { isPropertyAccessExpression } = ts;

/** A JWT's claims read without its signature being verified: anyone can mint a token with any claims. */

type MessageId = "decodeWithoutVerify";

function argText(call: CallFact): string | undefined {
  return call.args[0]?.getText().replace(/\s+/g, "");
}

function secretExpression(file: AnalysedFile): string {
  const env = /process\.env\.([A-Z0-9_]*(?:JWT|SECRET|SIGNING|TOKEN|AUTH)[A-Z0-9_]*)/.exec(file.text)?.[1] ?? "JWT_SECRET";
  return `process.env.${env}${isTypeScript(file) ? "!" : ""}`;
}

/** How many helpers deep a token handed on is followed to a verify call. */
const VERIFY_HELPER_DEPTH = 2;

/** A call into a project function that verifies a JWT itself, or through a helper it calls. */
function helperVerifies(sem: Semantics, file: AnalysedFile, call: CallFact, depth: number): boolean {
  const callee = sem.callee(file, call);
  if (callee.kind !== "function" || !callee.fn || depth >= VERIFY_HELPER_DEPTH) return false;
  return sem.callsWithin(callee.fn).some((inner) => sem.jwtCall(callee.file, inner) === "verify" || helperVerifies(sem, callee.file, inner, depth + 1));
}

export default defineCheck<MessageId>({
  id: "auth/jwt-decode-without-verify",
  title: "JWT decoded without signature verification",
  section: "5 (auth at the entry point)",
  severity: "critical",
  docs: "Flags `jwt.decode`, jose `decodeJwt` and `jwt-decode` whose claims are trusted without verifying the token; the fix verifies it (`jwt.verify(token, secret, { algorithms: [\"HS256\"] })` or jose `jwtVerify`).",
  messages: {
    decodeWithoutVerify:
      "`{{call}}` reads the token's claims without checking its signature: anyone can forge a token with any subject or role and it will be trusted.",
  },
  run({ project, sem, report }) {
    for (const file of project.files) {
      const calls = file.facts?.calls ?? [];
      const jwtCalls: Array<{ call: (typeof calls)[number]; kind: "decode" | "verify" | "header" }> = [];
      for (const call of calls) {
        const kind = sem.jwtCall(file, call);
        if (kind !== undefined) jwtCalls.push({ call, kind });
      }
      for (const { call, kind } of jwtCalls) {
        if (kind !== "decode") continue;
        const token = argText(call);
        // Decoding a token that the same function verifies (before or after, e.g. to read `kid`) is fine.
        const verified = jwtCalls.some((other) => other.kind === "verify" && other.call.fn === call.fn && argText(other.call) === token);
        if (verified) continue;
        // Or hands the same token to a helper that verifies it (an OIDC library's `getIdTokenClaims(idToken, …)`).
        if (token && call.fn && sem.callsWithin(call.fn).some((other) => other !== call && other.args.some((a) => a.getText().replace(/\s+/g, "") === token) && helperVerifies(sem, file, other, 0))) continue;

        const callText = call.node.getText().replace(/\s+/g, " ");
        const resolved = sem.callee(file, call);
        const isJose = resolved.kind === "module" && resolved.module === "jose";
        const tokenText = call.args[0]?.getText() ?? "token";
        const secret = secretExpression(file);
        let replacementText: string | undefined;
        let fix: string;
        if (isJose) {
          fix = `Verify the token with jose: \`const { payload } = await jwtVerify(${tokenText}, new TextEncoder().encode(${secret}), { algorithms: ["HS256"] })\` (or a JWKS from \`createRemoteJWKSet\`), and read the claims from \`payload\`.`;
          const inAsync = call.fn?.isAsync ?? false;
          if (inAsync) replacementText = `(await jwtVerify(${tokenText}, new TextEncoder().encode(${secret}), { algorithms: ["HS256"] })).payload`;
        } else {
          const receiver = isPropertyAccessExpression(call.callee) ? call.callee.expression.getText() : "jwt";
          replacementText = `${receiver}.verify(${tokenText}, ${secret}, { algorithms: ["HS256"] })`;
          fix = `Verify instead of decoding: \`${replacementText}\` throws on a forged or expired token; pin the algorithm your issuer uses.`;
          if (resolved.kind === "module" && resolved.module === "jwt-decode") {
            replacementText = undefined;
            fix = `\`jwt-decode\` never verifies. On the server, verify with \`jsonwebtoken\` (\`jwt.verify(${tokenText}, ${secret}, { algorithms: ["HS256"] })\`) or jose \`jwtVerify\` before trusting any claim.`;
          }
        }
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "decodeWithoutVerify",
          data: { call: callText.length > 80 ? `${callText.slice(0, 77)}...` : callText },
          fix,
          ...(replacementText ? { replacement: replaceNode(file, call.node, replacementText) } : {}),
        });
      }
    }
  },
});
