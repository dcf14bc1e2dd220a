import check from "../../src/checks/jwt-decode-without-verify.js";
import { ruleTester } from "./tester.js";

const OIDC_UTILS = (body: string) => `import { createRemoteJWKSet, jwtVerify } from "jose";
export async function getIdTokenClaims(idToken: string, jwksUri: string, issuer: string) {
  ${body}
}`;
const AZURE_CONNECTOR = `import { decodeJwt } from "jose";
import { getIdTokenClaims } from "./oidc-utils";
export async function userInfo(idToken: string, jwksUri: string, issuerTemplate: string) {
  const decoded = decodeJwt(idToken);
  const issuer = issuerTemplate.replace("{tenantid}", String(decoded.tid));
  const claims = await getIdTokenClaims(idToken, jwksUri, issuer);
  return { id: claims.sub };
}`;

ruleTester(check, {
  valid: [
    {
      name: "jwt.verify with a pinned algorithm",
      code: `import jwt from "jsonwebtoken";
export function readSession(token: string) {
  return jwt.verify(token, process.env.JWT_SECRET!, { algorithms: ["HS256"] });
}`,
    },
    {
      name: "decode only to read the kid header after verifying the same token",
      code: `import jwt from "jsonwebtoken";
export function requireAuth(token: string) {
  const claims = jwt.verify(token, process.env.JWT_SECRET!, { algorithms: ["HS256"] });
  const decoded = jwt.decode(token, { complete: true });
  return { claims, kid: decoded?.header.kid };
}`,
    },
    {
      name: "decode of the kid header before verifying the same token",
      code: `import jwt from "jsonwebtoken";
export function verifyWithRotation(token: string, keys: Record<string, string>) {
  const header = jwt.decode(token, { complete: true })?.header;
  return jwt.verify(token, keys[header?.kid ?? ""]!, { algorithms: ["RS256"] });
}`,
    },
    {
      name: "jose decodeJwt of a token that jwtVerify already checked",
      code: `import { decodeJwt, jwtVerify } from "jose";
export async function session(token: string, key: Uint8Array) {
  await jwtVerify(token, key);
  return decodeJwt(token);
}`,
    },
    {
      name: "decodeProtectedHeader reads only the header",
      code: `import { decodeProtectedHeader } from "jose";
export function kidOf(token: string) {
  return decodeProtectedHeader(token).kid;
}`,
    },
    {
      name: "a decode method of something that is not a JWT library",
      code: `import { decode } from "html-entities";
export const text = (s: string) => decode(s);`,
    },
    {
      name: "decoded to pick the issuer, then handed to a helper that verifies the same token",
      path: "sso/azure.ts",
      code: AZURE_CONNECTOR,
      context: { "sso/oidc-utils.ts": OIDC_UTILS("const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(jwksUri)), { issuer });\n  return payload;") },
    },
  ],
  invalid: [
    {
      name: "near-miss: the helper the token is handed to decodes it again instead of verifying",
      path: "sso/azure.ts",
      code: AZURE_CONNECTOR,
      context: { "sso/oidc-utils.ts": OIDC_UTILS("void jwksUri; void issuer;\n  return decodeJwt(idToken);").replace('import { createRemoteJWKSet, jwtVerify } from "jose";', 'import { decodeJwt } from "jose";') },
      errors: [{ line: 4 }],
    },
    {
      name: "jwt.decode trusted as the session",
      code: `import jwt from "jsonwebtoken";
export function readSession(token: string) {
  const claims = jwt.decode(token);
  return claims;
}`,
      errors: [{ line: 3, messageId: "decodeWithoutVerify", severity: "critical", replacement: `  const claims = jwt.verify(token, process.env.JWT_SECRET!, { algorithms: ["HS256"] });` }],
    },
    {
      name: "renamed named import still resolves to jsonwebtoken decode",
      code: `import { decode as d } from "jsonwebtoken";
export const userOf = (t: string) => d(t);`,
      errors: [{ line: 2, data: { call: "d(t)" } }],
    },
    {
      name: "require of jsonwebtoken in CommonJS",
      path: "src/auth.js",
      code: `const jwt = require("jsonwebtoken");
function user(req) {
  return jwt.decode(req.headers.authorization.slice(7));
}
module.exports = { user };`,
      errors: [{ line: 3, replacement: `  return jwt.verify(req.headers.authorization.slice(7), process.env.JWT_SECRET, { algorithms: ["HS256"] });` }],
    },
    {
      name: "jose decodeJwt in middleware, with a verify of a different token elsewhere",
      path: "middleware.ts",
      code: `import { decodeJwt, jwtVerify } from "jose";
export async function middleware(request: Request) {
  const token = request.headers.get("authorization") ?? "";
  const claims = decodeJwt(token);
  return claims.sub;
}
export async function other(t: string, k: Uint8Array) {
  return jwtVerify(t, k);
}`,
      errors: [{ line: 4, replacement: `  const claims = (await jwtVerify(token, new TextEncoder().encode(process.env.JWT_SECRET!), { algorithms: ["HS256"] })).payload;` }],
    },
    {
      name: "jwt-decode default import",
      path: "lib/session.ts",
      code: `import jwtDecode from "jwt-decode";
export function role(token: string) {
  return jwtDecode<{ role: string }>(token).role;
}`,
      errors: [{ line: 3 }],
    },
    {
      name: "a decode on an unchanged line is pre-existing",
      code: `import jwt from "jsonwebtoken";
export function readSession(token: string) {
  const claims = jwt.decode(token);
  return claims;
}
export const added = 1;`,
      patches: { "app/api/example/route.ts": "@@ -5,0 +6,1 @@\n+export const added = 1;" },
      errors: [{ line: 3, new: false }],
    },
  ],
});
