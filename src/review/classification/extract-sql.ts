import type { FieldEvidence } from "../types.js";

/**
 * Columns from SQL migrations: `create table` bodies and `alter table … add column`. Tolerant
 * rather than complete: it never throws, skips what it cannot read, and reports each column on
 * the line where it is declared.
 */

/** First words of a table-body item that is a constraint or option, not a column. */
const CONSTRAINT_WORDS = new Set([
  "primary", "constraint", "check", "unique", "foreign", "key", "index", "exclude", "like", "period", "fulltext",
  "spatial", "inherits", "partition", "unlogged",
]);

/** After `add`: things that are not a column. */
const ALTER_NON_COLUMNS = new Set([
  "constraint", "primary", "foreign", "unique", "check", "index", "key", "exclude", "fulltext", "spatial", "partition",
]);

const IDENTIFIER = String.raw`(?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`${IDENTIFIER}(?:\s*\.\s*${IDENTIFIER})*`;
const CREATE_TABLE = new RegExp(
  String.raw`\bcreate\s+(?:or\s+replace\s+)?(?:(?:global|local)\s+)?(?:(?:temporary|temp|unlogged)\s+)?table\s+(?:if\s+not\s+exists\s+)?(${QUALIFIED})\s*\(`,
  "gi",
);
const ALTER_TABLE = new RegExp(String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?(${QUALIFIED})\s+`, "gi");
const ADD_COLUMN = new RegExp(String.raw`^\s*add\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?(${IDENTIFIER})`, "i");
const RENAME_COLUMN = new RegExp(String.raw`^\s*rename\s+(?:column\s+)?${IDENTIFIER}\s+to\s+(${IDENTIFIER})`, "i");
const FIRST_IDENTIFIER = new RegExp(String.raw`^\s*(${IDENTIFIER})`);

function unquote(identifier: string): string {
  const trimmed = identifier.trim();
  const first = trimmed[0];
  if (first === '"' || first === "`" || first === "[") return trimmed.slice(1, -1);
  return trimmed;
}

/** The table name without its schema (`public.referrals` → `referrals`). */
function tableName(qualified: string): string {
  const parts = qualified.match(new RegExp(IDENTIFIER, "g")) ?? [qualified];
  return unquote(parts[parts.length - 1] ?? qualified);
}

/** Replaces comments with spaces (keeping newlines and offsets) so they never look like SQL. */
function blankComments(text: string): string {
  const out = text.split("");
  let i = 0;
  let quote: string | undefined;
  while (i < text.length) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      i++;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      i++;
    } else if (ch === "-" && text[i + 1] === "-") {
      while (i < text.length && text[i] !== "\n") out[i++] = " ";
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (; i < stop; i++) if (out[i] !== "\n") out[i] = " ";
    } else {
      i++;
    }
  }
  return out.join("");
}

interface Segment {
  text: string;
  start: number;
}

/**
 * Splits `text[from..)` on top-level commas until the bracket that closes depth 0 (or a
 * top-level `;` when `untilSemicolon`), skipping quoted strings.
 */
function splitTopLevel(text: string, from: number, untilSemicolon: boolean): Segment[] {
  const segments: Segment[] = [];
  let depth = 0;
  let start = from;
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") {
      if (depth === 0) {
        segments.push({ text: text.slice(start, i), start });
        return segments;
      }
      depth--;
    } else if (ch === "," && depth === 0) {
      segments.push({ text: text.slice(start, i), start });
      start = i + 1;
    } else if (ch === ";" && depth === 0 && untilSemicolon) {
      segments.push({ text: text.slice(start, i), start });
      return segments;
    }
  }
  segments.push({ text: text.slice(start), start });
  return segments;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/** Offset of the first non-space character of a segment. */
function firstCharOffset(segment: Segment): number {
  const lead = segment.text.length - segment.text.trimStart().length;
  return segment.start + lead;
}

export function extractSqlFields(path: string, text: string): FieldEvidence[] {
  const sql = blankComments(text);
  const starts = lineStarts(sql);
  const fields: FieldEvidence[] = [];
  const add = (name: string, owner: string, offset: number) => {
    if (name.length > 0) fields.push({ name, owner, path, line: lineAt(starts, offset), source: "sql" });
  };

  for (const match of sql.matchAll(CREATE_TABLE)) {
    const owner = tableName(match[1] ?? "");
    const bodyStart = (match.index ?? 0) + match[0].length;
    for (const segment of splitTopLevel(sql, bodyStart, false)) {
      const first = FIRST_IDENTIFIER.exec(segment.text);
      if (!first?.[1]) continue;
      const quoted = /^["`[]/.test(first[1]);
      if (!quoted && CONSTRAINT_WORDS.has(first[1].toLowerCase())) continue;
      add(unquote(first[1]), owner, firstCharOffset(segment));
    }
  }

  for (const match of sql.matchAll(ALTER_TABLE)) {
    const owner = tableName(match[1] ?? "");
    const actionsStart = (match.index ?? 0) + match[0].length;
    for (const segment of splitTopLevel(sql, actionsStart, true)) {
      const added = ADD_COLUMN.exec(segment.text) ?? RENAME_COLUMN.exec(segment.text);
      const column = added?.[1];
      if (!column) continue;
      if (!/^["`[]/.test(column) && ALTER_NON_COLUMNS.has(column.toLowerCase())) continue;
      const offset = segment.start + segment.text.indexOf(column);
      add(unquote(column), owner, offset);
    }
  }
  return fields;
}
