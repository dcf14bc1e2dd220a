import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import { reviewSnapshot } from "../../src/review/review.js";
import type { Finding } from "../../src/review/types.js";
import { pr } from "./pr-snapshot.js";

const config = ConfigSchema.parse({});

/** The same code reviewed with no base (`scan`): what the base review finds. */
function scanned(files: Record<string, string>): Finding[] {
  return reviewSnapshot({ repo: "acme/app", title: "", body: "", labels: [], commits: [], wholeFiles: true, files: Object.entries(files).map(([path, content]) => ({ path, status: "added", content })) }, config).findings;
}

const SESSION = `import jwt from "jsonwebtoken";

export function readSession(token: string) {
  const claims = jwt.decode(token);
  return claims;
}
`;

/** The same function, moved below a new one, reformatted, and with its parameter and local renamed. */
const SESSION_EDITED = `import jwt from "jsonwebtoken";

export function sessionCookieName(): string {
  return "session";
}

export function readSession(
  raw: string,
) {
  const decoded =
    jwt.decode(raw);
  return decoded;
}
`;

const DELETE_NOTE = `import { prisma } from "@/lib/prisma";
import { requireAuth } from "@/lib/auth";

export async function DELETE(_request: Request, { params }: { params: { id: string } }) {
  const user = await requireAuth();
  if (!user) return new Response(null, { status: 401 });
  await prisma.note.delete({ where: { id: params.id, ownerId: user.id } });
  return new Response(null, { status: 204 });
}
`;

const DELETE_NOTE_UNGUARDED = `import { prisma } from "@/lib/prisma";
import { requireAuth } from "@/lib/auth";

export async function DELETE(_request: Request, { params }: { params: { id: string } }) {
  await prisma.note.delete({ where: { id: params.id } });
  return new Response(null, { status: 204 });
}
`;

const PRISMA_MODULE = `import { PrismaClient } from "@prisma/client";
export const prisma = new PrismaClient();
`;

const AUTH_MODULE = `import { cookies } from "next/headers";
import { verifySession } from "./session";
export async function requireAuth() {
  const session = await verifySession((await cookies()).get("session")?.value);
  if (!session) throw new Response(null, { status: 401 });
  return session.user;
}
`;

describe("differential review", () => {
  it("keeps a finding's fingerprint when its function moves, is reformatted and its names change: pre-existing, not new", () => {
    const [before] = scanned({ "lib/session.ts": SESSION });
    expect(before?.ruleId).toBe("auth/jwt-decode-without-verify");
    const review = reviewSnapshot(pr({ "lib/session.ts": { base: SESSION, head: SESSION_EDITED } }), config);
    const after = review.findings.find((finding) => finding.ruleId === "auth/jwt-decode-without-verify")!;
    expect(after.line).not.toBe(before!.line);
    expect(after.new).toBe(false);
    expect(after.fingerprint).toBe(before!.fingerprint);
    expect(review.fixed).toEqual([]);
    expect(review.verdict).toBe("pass");
  });

  it("tells apart functions passed to builder chains by the property they end up in, not their order", () => {
    const base = `import { router, publicProcedure } from "../trpc";
import { prisma } from "../db";
export const sessions = router({
  revoke: publicProcedure.input(String).mutation(async ({ input }) => {
    await prisma.session.delete({ where: { id: input } });
  }),
});
`;
    // A second unguarded procedure lands above the first: both are flagged, only the added one is new.
    const head = base.replace("export const sessions = router({\n", "export const sessions = router({\n  wipe: publicProcedure.mutation(async () => {\n    await prisma.session.deleteMany({});\n  }),\n");
    const before = scanned({ "server/sessions.ts": base }).find((finding) => finding.ruleId === "ingress/missing-auth")!;
    const review = reviewSnapshot(pr({ "server/sessions.ts": { base, head } }), config);
    const flagged = review.findings.filter((finding) => finding.ruleId === "ingress/missing-auth");
    expect(flagged.map((finding) => [finding.line, finding.new])).toEqual([
      [4, true],
      [7, false],
    ]);
    // The same fingerprint as before, so a comment already made on it is not made again.
    expect(flagged[1]!.fingerprint).toBe(before.fingerprint);
  });

  it("follows a renamed file: a finding the old path had is pre-existing at the new path", () => {
    const review = reviewSnapshot(pr({ "lib/session.ts": { base: SESSION, head: SESSION_EDITED, renamedTo: "lib/auth/session.ts" } }), config);
    const finding = review.findings.find((entry) => entry.ruleId === "auth/jwt-decode-without-verify")!;
    expect(finding.path).toBe("lib/auth/session.ts");
    expect(finding.new).toBe(false);
    expect(review.fixed).toEqual([]);
  });

  it("a guard taken out of an existing handler is new, names the removed call and its base line, and comments where the diff shows it", () => {
    const snapshot = pr({ "app/api/notes/[id]/route.ts": { base: DELETE_NOTE, head: DELETE_NOTE_UNGUARDED } }, { unchanged: { "lib/auth.ts": AUTH_MODULE, "lib/prisma.ts": PRISMA_MODULE } });
    const review = reviewSnapshot(snapshot, config);
    const finding = review.findings.find((entry) => entry.ruleId === "ingress/missing-auth")!;
    // The handler's declaration line is untouched: by lines alone this would not be the PR's doing.
    expect(finding.line).toBe(4);
    expect(finding.new).toBe(true);
    expect(finding.data).toMatchObject({ removedCall: "await requireAuth()", removedLine: "5" });
    expect(finding.message).toContain("This PR removed `await requireAuth()` (line 5 of the base).");
    // Where `requireAuth()` was: the first line the diff shows after it, inside the handler.
    expect(finding.commentLine).toBe(5);
    expect(finding.confidence).toBe("certain");
    expect(review.verdict).toBe("fail");
  });

  it("a finding the base review also made is new when the PR takes a refusing check out of its function; a check swapped for another is not", () => {
    const base = `import jwt from "jsonwebtoken";
import { verifyHmac, checkSignature } from "./hmac";
export function readSession(token: string, signature: string) {
  if (!verifyHmac(token, signature)) throw new Error("forged session");
  const claims = jwt.decode(token);
  return claims;
}
`;
    const removed = base.replace('  if (!verifyHmac(token, signature)) throw new Error("forged session");\n', "");
    const swapped = base.replace("if (!verifyHmac(token, signature))", "if (!checkSignature(token, signature))");
    // The rule flags the decode in the base too: by fingerprint alone it would be pre-existing.
    expect(scanned({ "lib/session.ts": base }).some((finding) => finding.ruleId === "auth/jwt-decode-without-verify")).toBe(true);

    const weakened = reviewSnapshot(pr({ "lib/session.ts": { base, head: removed } }), config);
    const finding = weakened.findings.find((entry) => entry.ruleId === "auth/jwt-decode-without-verify")!;
    expect(finding.new).toBe(true);
    expect(finding.message).toContain("This PR removed `verifyHmac(token, signature)` (line 4 of the base).");
    expect(weakened.notes).toContain("1 finding the base review also made counts as new: this PR removed a guard from its function.");

    const refactored = reviewSnapshot(pr({ "lib/session.ts": { base, head: swapped } }), config);
    expect(refactored.findings.find((entry) => entry.ruleId === "auth/jwt-decode-without-verify")?.new).toBe(false);
  });

  it("reports a finding the base had and the head no longer has as fixed by this PR, at its base line", () => {
    const review = reviewSnapshot(pr({ "app/api/notes/[id]/route.ts": { base: DELETE_NOTE_UNGUARDED, head: DELETE_NOTE } }, { unchanged: { "lib/auth.ts": AUTH_MODULE } }), config);
    expect(review.findings.filter((finding) => finding.ruleId === "ingress/missing-auth")).toEqual([]);
    expect(review.fixed?.map((finding) => [finding.ruleId, finding.path, finding.line, finding.new])).toEqual([["ingress/missing-auth", "app/api/notes/[id]/route.ts", 4, false]]);
    expect(review.notes.some((note) => note.includes("1 fixed by this PR"))).toBe(true);
  });

  it("lists what a deleted file had as fixed, and says so", () => {
    const review = reviewSnapshot(pr({ "lib/session.ts": { base: SESSION } }), config);
    expect(review.findings).toEqual([]);
    expect(review.fixed?.map((finding) => finding.ruleId)).toEqual(["auth/jwt-decode-without-verify"]);
    expect(review.notes.some((note) => note.includes("in files this PR deletes"))).toBe(true);
  });

  it("a base that is gone (force-push) still concludes: every finding counts as new, and the notes say why", () => {
    const snapshot = pr({ "lib/session.ts": { base: SESSION, head: SESSION_EDITED } }, { base: { unavailable: "the base commit 0123456789ab no longer exists (a force-push or a deleted branch)" } });
    const review = reviewSnapshot(snapshot, config);
    expect(review.findings.find((finding) => finding.ruleId === "auth/jwt-decode-without-verify")?.new).toBe(true);
    expect(review.baseline?.state).toBe("unavailable");
    expect(review.notes.some((note) => note.includes("force-push") && note.includes("every finding in the touched files counts as new"))).toBe(true);
    expect(review.fixed).toBeUndefined();
  });

  it("a base version it cannot read (binary, over the limits) is not compared: its file's findings count as new, named in the notes", () => {
    const review = reviewSnapshot(pr({ "lib/session.ts": { base: SESSION, head: SESSION_EDITED, baseSkipReason: "its base version is too large (2000000 bytes; limit 1000000)" } }), config);
    expect(review.findings.find((finding) => finding.ruleId === "auth/jwt-decode-without-verify")?.new).toBe(true);
    expect(review.baseline?.uncompared).toEqual([{ path: "lib/session.ts", reason: "its base version is too large (2000000 bytes; limit 1000000)" }]);
    expect(review.notes.some((note) => note.includes("`lib/session.ts` could not be compared"))).toBe(true);
  });

  it("a base version over the analysis limits is not compared either", () => {
    const minified = `export const x = "${"a".repeat(6_000)}";\n${SESSION}`;
    const review = reviewSnapshot(pr({ "lib/session.ts": { base: minified, head: SESSION } }), config);
    expect(review.findings.find((finding) => finding.ruleId === "auth/jwt-decode-without-verify")?.new).toBe(true);
    expect(review.baseline?.uncompared[0]?.path).toBe("lib/session.ts");
  });

  it("a rule that judges the change (an AI-generated PR's writes) stays new only on the lines the PR changes", () => {
    const base = `import { prisma } from "@/lib/prisma";
export async function archive(id: string) {
  await prisma.note.update({ where: { id }, data: { archived: true } });
}
`;
    const head = `${base}export async function restore(id: string) {
  await prisma.note.update({ where: { id }, data: { archived: false } });
}
`;
    const review = reviewSnapshot(pr({ "lib/notes.ts": { base, head } }, { labels: ["ai-generated"] }), config);
    const writes = review.findings.filter((finding) => finding.ruleId === "ai/unreviewed-mutation");
    expect(writes.map((finding) => [finding.line, finding.new])).toEqual([
      [3, false],
      [6, true],
    ]);
  });

  it("two identical findings in one function: adding a third makes exactly one new", () => {
    const base = `import jwt from "jsonwebtoken";
export function read(a: string, b: string) {
  return [
    jwt.decode(a),
    jwt.decode(b),
  ];
}
`;
    const head = `import jwt from "jsonwebtoken";
export function read(a: string, b: string, c: string) {
  return [
    jwt.decode(a),
    jwt.decode(c),
    jwt.decode(b),
  ];
}
`;
    const review = reviewSnapshot(pr({ "lib/read.ts": { base, head } }), config);
    const decodes = review.findings.filter((finding) => finding.ruleId === "auth/jwt-decode-without-verify");
    expect(decodes.length).toBe(3);
    // The call that reads the same as none of the base's is the new one, wherever it sits.
    expect(decodes.filter((finding) => finding.new).map((finding) => finding.snippet)).toEqual(["jwt.decode(c),"]);
    expect(new Set(decodes.map((finding) => finding.fingerprint)).size).toBe(3);
  });
});
