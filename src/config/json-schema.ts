import { z } from "zod";
import { ConfigSchema } from "./schema.js";

/**
 * The JSON Schema of `.github/security-review.yml`, generated from the zod schema that validates it,
 * so an editor (the YAML language server's `# yaml-language-server: $schema=…` line) checks and
 * documents the file with the same rules as the review. Written at build to
 * {@link CONFIG_SCHEMA_FILE} at the package root and shipped with the package; a test regenerates
 * it and compares. Draft 7, the draft editors support most widely. What JSON Schema cannot say
 * (a glob's nested extglobs) is left to the review's own validation.
 */

export const CONFIG_SCHEMA_FILE = "security-review.schema.json";

export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ConfigSchema, { target: "draft-7", io: "input" });
  const properties = generated.properties as Record<string, unknown>;
  return {
    ...generated,
    // Read by the app before validation (the file it names is merged under this one), so not a key of ConfigSchema.
    properties: { ...properties, _extends: { type: "string", description: "Another config this one extends: `repo`, `owner/repo` or `owner/repo:path.yml` (the app only; at most 3 deep)." } },
    title: "pr-security-review configuration (.github/security-review.yml)",
    description: "Every key is optional; a repository without the file gets the defaults. Unknown keys and rule ids are errors.",
  };
}

/** The schema file's text, as the build writes it. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
