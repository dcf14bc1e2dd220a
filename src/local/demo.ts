import { readFile } from "node:fs/promises";
import { z } from "zod";
import { parseCommitTrailers, type PullRequestSnapshot } from "../snapshot.js";

/**
 * The bundled demo pull request (`fixtures/demo/`): its metadata and patches in `pr.json`, the head
 * content of each file under `files/`. `npm run demo` reviews it with no GitHub credentials.
 */

const DEMO_DIR = new URL("../../fixtures/demo/", import.meta.url);

const DemoSchema = z.object({
  repo: z.string(),
  number: z.number().int(),
  title: z.string(),
  body: z.string(),
  headSha: z.string(),
  baseSha: z.string(),
  branch: z.string(),
  author: z.object({ login: z.string(), type: z.string() }),
  labels: z.array(z.string()),
  commits: z.array(z.object({ sha: z.string(), message: z.string(), authorName: z.string() })),
  files: z.array(
    z.object({
      path: z.string(),
      status: z.enum(["added", "modified", "removed", "renamed"]),
      previousPath: z.string().optional(),
      patch: z.string().optional(),
    }),
  ),
});

/** Loads a fixture PR laid out like the demo (`pr.json` + `files/`). */
export async function loadDemoSnapshot(dir: URL = DEMO_DIR): Promise<{ snapshot: PullRequestSnapshot }> {
  const meta = DemoSchema.parse(JSON.parse(await readFile(new URL("pr.json", dir), "utf8")));
  const files = await Promise.all(
    meta.files.map(async (f) => ({
      ...f,
      ...(f.status === "removed" ? { skipReason: "deleted" } : { content: await readFile(new URL(`files/${f.path}`, dir), "utf8") }),
    })),
  );
  return {
    snapshot: {
      repo: meta.repo,
      number: meta.number,
      title: meta.title,
      body: meta.body,
      headSha: meta.headSha,
      baseSha: meta.baseSha,
      branch: meta.branch,
      author: meta.author,
      labels: meta.labels,
      commits: meta.commits.map((c) => ({ ...c, trailers: parseCommitTrailers(c.message) })),
      files,
    },
  };
}
