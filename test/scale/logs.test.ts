import { Writable } from "node:stream";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { FakeGitHub } from "../e2e/fake-github.js";
import { example, OWNER, PRIVATE_KEY, pullRequestPayload, REPO, SECRET, sha, startApp, type AppUnderTest } from "./helpers.js";

/**
 * A PII-laden PR reviewed end to end with every log line captured at debug (Probot's HTTP and
 * GitHub request logs included, which log request bodies at that level): no PII value from the
 * fixture, no source line, no token, key or secret appears; every line about the review carries
 * the delivery id and the job id.
 */

const PII = ["Jane Q. Patient", "jane.patient@example.com", "123-45-6789", "4111 1111 1111 1111", "MRN-00424242", "+1 (555) 013-4242", "Type 2 diabetes", "1984-02-29", "742 Evergreen Terrace"];

const PATIENTS_TS = `import { prisma } from "@/lib/prisma";
import { logger } from "@/lib/logger";

const SEED = { name: "Jane Q. Patient", email: "jane.patient@example.com", ssn: "123-45-6789", card: "4111 1111 1111 1111" };

export async function POST(req: Request) {
  const body = await req.json();
  logger.info({ body, mrn: "MRN-00424242", phone: "+1 (555) 013-4242" }, "creating patient");
  const patient = await prisma.patient.create({ data: { ...SEED, diagnosis: "Type 2 diabetes", dob: "1984-02-29", address: "742 Evergreen Terrace" } });
  return Response.json(patient);
}
`;

const lines: string[] = [];
let fake: FakeGitHub;
let app: AppUnderTest;

beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  fake = new FakeGitHub(OWNER, REPO);
  await fake.start();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  app = await startApp(fake, createLogger({ level: "debug" }, sink), { concurrency: 2 });
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

describe("logs of a PII-laden review", () => {
  it("hold ids and actions only", async () => {
    const headSha = sha("pii:1");
    fake.addPull({
      number: 5,
      headSha,
      title: "Store Jane Q. Patient's chart (jane.patient@example.com)",
      body: "SSN 123-45-6789, card 4111 1111 1111 1111, MRN-00424242",
      files: [{ filename: "app/api/patients/route.ts", status: "added", content: PATIENTS_TS }],
      commits: [{ sha: headSha, message: "Add patient 123-45-6789 (Type 2 diabetes)" }],
    });
    fake.permissions.set("Codertocat", "write");
    expect((await app.send("pull_request", pullRequestPayload("opened", 5, headSha))).status).toBe(200);
    await app.runtime.queue.onIdle();
    const comment = example("issue_comment", "created");
    comment.issue.number = 5;
    comment.issue.pull_request = { url: "http://127.0.0.1/pulls/5" };
    comment.comment.body = "/security recheck\nJane Q. Patient, 742 Evergreen Terrace, +1 (555) 013-4242";
    expect((await app.send("issue_comment", comment)).status).toBe(200);
    await app.runtime.queue.onIdle();

    expect(fake.latestRun(headSha)).toMatchObject({ status: "completed", conclusion: "failure" });
    if (process.env.SCALE_LOG) (await import("node:fs")).writeFileSync(process.env.SCALE_LOG, lines.join("\n"));
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((line) => line.includes("GitHub request"))).toBe(true); // debug request logging was on
    const all = lines.join("\n");
    for (const value of PII) expect(all, value).not.toContain(value);
    for (const source of PATIENTS_TS.split("\n").map((line) => line.trim()).filter((line) => line.length > 12)) expect(all, source).not.toContain(source);
    for (const secret of ["ghs_fake", SECRET, PRIVATE_KEY.split("\n")[1]!]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/x-hub-signature|"headers"/);

    const reviewLines = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.pr !== undefined);
    expect(reviewLines.length).toBeGreaterThan(5);
    for (const entry of reviewLines) {
      expect(entry.deliveryId, entry.msg as string).toEqual(expect.any(String));
      expect(entry.jobId, entry.msg as string).toEqual(expect.any(String));
    }
  });
});
