// Marks the built CLI executable, so `dist/cli.js` works as the package's `security-review` bin,
// and writes the config's JSON Schema (generated from the zod schema) at the package root.
import { chmodSync, existsSync, writeFileSync } from "node:fs";

if (existsSync("dist/cli.js")) chmodSync("dist/cli.js", 0o755);

const { CONFIG_SCHEMA_FILE, configJsonSchemaText } = await import("../dist/config/json-schema.js");
writeFileSync(CONFIG_SCHEMA_FILE, configJsonSchemaText());
