import { describe, expect, it } from "vitest";
import { ConfigSchema, type ConfigInput } from "../../src/config/schema.js";
import { scopeFiles } from "../../src/review/scope.js";
import type { SnapshotFile } from "../../src/snapshot.js";

const file = (path: string): SnapshotFile => ({ path, status: "added", content: "export const x = 1;\n" });
const analysed = (paths: string[], config: ConfigInput = {}) => scopeFiles(paths.map(file), ConfigSchema.parse(config)).analyse.map((scoped) => scoped.file.path);

describe("scopeFiles", () => {
  it("leaves out tests, scripts, seeds, fixtures and generated code by default", () => {
    expect(analysed(["src/lib/users.ts", "src/lib/users.test.ts", "scripts/migrate.ts", "prisma/seed.ts", "test/helpers.ts", "src/fixtures/a.ts", "src/generated/client.ts", "types/env.d.ts"])).toEqual(["src/lib/users.ts"]);
  });

  it("keeps a file-based router's route modules whatever their folder is called: they answer requests in production", () => {
    const routes = [
      "pages/api/seed.ts",
      "app/api/test/route.ts",
      "src/app/api/scripts/run/route.ts",
      "app/api/fixtures/[id]/route.ts",
      "src/routes/test/+server.ts",
      "server/api/seeds/reset.post.ts",
      "app/routes/test.tsx",
    ];
    expect(analysed(routes)).toEqual(routes);
    // Tests beside routes and build output stay out; a route the config excludes is excluded.
    expect(analysed(["pages/api/users.test.ts", "app/api/users/route.spec.ts", ".next/server/app/api/x/route.js", "app/api/test/route.ts"], { paths: { exclude: ["app/api/test/**"] } })).toEqual([]);
    expect(analysed(["app/api/test/route.ts"], { paths: { useDefaultExcludes: false } })).toEqual(["app/api/test/route.ts"]);
  });
});
