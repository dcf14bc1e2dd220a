import type { GitHubClient } from "./client.js";

/**
 * Octokit parses every JSON answer with json-with-bigint (to keep integers past 2^53 exact). Where
 * `JSON.parse` cannot hand a reviver the source text (Node 20), it runs a regular expression over
 * the whole answer first: 50–90 ms of the event loop that answers webhooks for one answer carrying
 * a 1 MB file or patch, ten times `JSON.parse`. GitHub's answers the app reads carry no integer past
 * 2^53 (ids, counts and sizes are far below it), so the review's client parses them with
 * `JSON.parse`, by the same content-type rules as Octokit's own parser.
 *
 * Every REST answer is parsed so. A GraphQL answer only when its request asks with
 * {@link NATIVE_JSON}: the retry plugin looks into a GraphQL answer's errors before this hook sees
 * it, and the callers that opt in handle a failed query themselves.
 */
export const NATIVE_JSON = { nativeJson: true } as const;

const parsedNatively = new WeakSet<object>();

export function parseResponsesNatively(octokit: GitHubClient): GitHubClient {
  if (parsedNatively.has(octokit)) return octokit;
  parsedNatively.add(octokit);
  octokit.hook.wrap("request", async (request, options) => {
    const asked = options.request as { parseSuccessResponseBody?: boolean; nativeJson?: boolean } | undefined;
    // A caller that asked for the stream gets it; GraphQL only when asked (see above).
    if (asked?.parseSuccessResponseBody === false || (/\/graphql$/.test(options.url) && asked?.nativeJson !== true)) return request(options);
    // The hooks inside this one were handed this same options object: it is changed in place.
    options.request = { ...options.request, parseSuccessResponseBody: false };
    const response = await request(options);
    response.data = await readBody(response.data, response.headers["content-type"]);
    return response;
  });
  return octokit;
}

function isStream(data: unknown): data is ReadableStream<Uint8Array> {
  return typeof data === "object" && data !== null && typeof (data as { getReader?: unknown }).getReader === "function";
}

/** What Octokit's own parser makes of a body: JSON parsed (kept as text when it is not JSON), text, or bytes. */
export async function readBody(data: unknown, contentType: string | undefined): Promise<unknown> {
  if (!isStream(data)) return data;
  const body = new Response(data);
  if (!contentType) return body.text();
  const [mime = "", ...parameters] = contentType.toLowerCase().split(";").map((part) => part.trim());
  if (mime === "application/json" || mime === "application/scim+json") {
    const text = await body.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (mime.startsWith("text/") || (parameters.includes("charset=utf-8") && mime !== "application/octet-stream")) return body.text();
  return body.arrayBuffer();
}
