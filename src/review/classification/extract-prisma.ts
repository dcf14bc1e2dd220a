import type { FieldEvidence } from "../types.js";

/**
 * Fields of Prisma `model`, `type` (composite) and `view` blocks, read line by line. Enum values,
 * block attributes (`@@index`), generators and datasources are not fields.
 */

const BLOCK_START = /^(model|type|view|enum|generator|datasource)\s+([A-Za-z_]\w*)\s*\{/;
const FIELD = /^([A-Za-z_]\w*)\s+[A-Za-z_][\w.]*(?:\[\])?\??(?:\s|$)/;

export function extractPrismaFields(path: string, text: string): FieldEvidence[] {
  const fields: FieldEvidence[] = [];
  const lines = text.split(/\r?\n/);
  /** The model being read; undefined outside a block or inside one whose lines are not fields. */
  let owner: string | undefined;
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/\/\/.*$/, "").trim();
    if (line.length === 0) continue;
    if (!inBlock) {
      const start = BLOCK_START.exec(line);
      if (!start) continue;
      inBlock = !line.endsWith("}");
      owner = start[1] === "model" || start[1] === "type" || start[1] === "view" ? start[2] : undefined;
      continue;
    }
    if (line.startsWith("}")) {
      inBlock = false;
      owner = undefined;
      continue;
    }
    if (!owner || line.startsWith("@")) continue;
    const field = FIELD.exec(line);
    if (field?.[1]) fields.push({ name: field[1], owner, path, line: i + 1, source: "prisma" });
  }
  return fields;
}
