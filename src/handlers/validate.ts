import { z } from "zod";

/**
 * The shape each handler relies on, checked before it reads anything: a truncated payload, a field
 * of the wrong type or a missing object is answered with one log line naming the field, never a
 * crash. Only the fields the handlers use are checked; everything else passes through.
 */

const sha = z.string().regex(/^[0-9a-f]{7,64}$/i, "not a commit SHA");
const login = z.string().max(100);
const number = z.number().int().positive().max(2 ** 31);
const user = z.looseObject({ login: login.optional(), type: z.string().max(40).optional() }).nullable().optional();
const repository = z.looseObject({ name: z.string().min(1).max(100), owner: z.looseObject({ login: login.min(1) }) });
const installation = z.looseObject({ id: number }).optional();
const pullRef = z.looseObject({ number, head: z.looseObject({ sha }) });

const SCHEMAS: Record<string, z.ZodType> = {
  pull_request: z.looseObject({
    action: z.string().max(60),
    installation,
    repository,
    pull_request: z.looseObject({ number, state: z.string().max(20), head: z.looseObject({ sha }) }),
    label: z.looseObject({ name: z.string().max(256) }).optional(),
  }),
  issue_comment: z.looseObject({
    action: z.string().max(60),
    installation,
    repository,
    issue: z.looseObject({ number, pull_request: z.looseObject({}).nullable().optional() }),
    comment: z.looseObject({ id: number, body: z.string().nullable().optional(), user }),
  }),
  check_run: z.looseObject({
    action: z.string().max(60),
    installation,
    repository,
    check_run: z.looseObject({ name: z.string().max(200), head_sha: sha, pull_requests: z.array(pullRef).max(1_000) }),
  }),
  check_suite: z.looseObject({
    action: z.string().max(60),
    installation,
    repository,
    check_suite: z.looseObject({ head_sha: sha, pull_requests: z.array(pullRef).max(1_000) }),
  }),
  pull_request_review: z.looseObject({
    action: z.string().max(60),
    installation,
    repository,
    review: z.looseObject({ state: z.string().max(40), user }),
    pull_request: z.looseObject({ number, state: z.string().max(20), head: z.looseObject({ sha }) }),
  }),
};

/** `undefined` when the payload has what the handler of this event needs, else the first problem (a path and a reason, no values). */
export function payloadProblem(event: string, payload: unknown): string | undefined {
  const schema = SCHEMAS[event];
  if (!schema) return `no handler for ${event}`;
  const result = schema.safeParse(payload);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return issue ? `${issue.path.join(".") || "(payload)"}: ${issue.code}` : "invalid";
}
