// Marks the built CLI executable, so `dist/cli.js` works as the package's `security-review` bin.
import { chmodSync, existsSync } from "node:fs";

if (existsSync("dist/cli.js")) chmodSync("dist/cli.js", 0o755);
