#!/usr/bin/env node
// Extracts the REST operations the app calls from GitHub's official OpenAPI description
// (@octokit/openapi, generated/api.github.com.deref.json) into test/e2e/openapi/github-operations.json,
// which the end-to-end fake GitHub uses to validate every request. The package is 385 MB, so it is
// not a project dependency: install it elsewhere and point this script at it:
//
//   npm install --prefix /tmp/openapi @octokit/openapi
//   node scripts/extract-openapi.mjs /tmp/openapi/node_modules/@octokit/openapi
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Every REST operation the app makes: method and path template as in the description. */
export const OPERATIONS = [
  ["post", "/app/installations/{installation_id}/access_tokens"],
  ["get", "/repos/{owner}/{repo}/contents/{path}"],
  ["get", "/repos/{owner}/{repo}/pulls"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/files"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/commits"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
  ["post", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
  ["patch", "/repos/{owner}/{repo}/pulls/comments/{comment_id}"],
  ["get", "/repos/{owner}/{repo}/git/blobs/{file_sha}"],
  ["get", "/repos/{owner}/{repo}/git/trees/{tree_sha}"],
  ["post", "/repos/{owner}/{repo}/check-runs"],
  ["patch", "/repos/{owner}/{repo}/check-runs/{check_run_id}"],
  ["get", "/repos/{owner}/{repo}/commits/{ref}/check-runs"],
  ["get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"],
  ["patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
  ["post", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"],
  ["get", "/repos/{owner}/{repo}/collaborators/{username}/permission"],
];

const packageDir = process.argv[2] ?? "/tmp/openapi/node_modules/@octokit/openapi";
const source = join(packageDir, "generated", "api.github.com.deref.json");
const description = JSON.parse(readFileSync(source, "utf8"));
const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));

const operations = OPERATIONS.map(([method, path]) => {
  const operation = description.paths[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in ${source}`);
  const parameters = (operation.parameters ?? [])
    .filter((parameter) => parameter.in === "path" || parameter.in === "query")
    .map(({ name, in: where, required, schema }) => ({ name, in: where, required: Boolean(required), schema }));
  const body = operation.requestBody?.content?.["application/json"]?.schema;
  return {
    method: method.toUpperCase(),
    path,
    operationId: operation.operationId,
    parameters,
    ...(body ? { requestBody: { required: Boolean(operation.requestBody.required), schema: body } } : {}),
  };
});

const target = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "e2e", "openapi", "github-operations.json");
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, JSON.stringify({ source: `@octokit/openapi@${version} generated/api.github.com.deref.json`, operations }, null, 2) + "\n");
console.log(`wrote ${operations.length} operations to ${target}`);
