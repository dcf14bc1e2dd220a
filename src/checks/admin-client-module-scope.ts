import { ts } from "ts-morph";
import { adminClientCreations } from "../review/analysis/admin-clients.js";
import { startLineOf, statementOf } from "../review/analysis/value-trace.js";
import { skipOuterExpressions } from "../review/analysis/facts.js";
import type { AnalysedFile } from "../review/analysis/project.js";
import type { LineReplacement } from "../review/types.js";
import { defineCheck } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, canHaveModifiers, getModifiers, isClassStaticBlockDeclaration, isIdentifier, isPropertyDeclaration, isSourceFile, isVariableStatement } = ts;

/**
 * A service-role (admin) client created when the module loads is shared by every importer: any
 * code path that imports it acts with admin rights, with no admin check in between.
 */

type MessageId = "moduleScope";

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (canHaveModifiers(node) ? getModifiers(node) : undefined)?.some((m) => m.kind === kind) ?? false;
}

/** `export const admin = createClient(…)` → `export function createAdmin() { return createClient(…); }`, for the statement's exact lines. */
function factoryReplacement(file: AnalysedFile, call: ts.Node): { factory: string; name: string; replacement?: LineReplacement } | undefined {
  const statement = statementOf(call);
  if (!statement || !isVariableStatement(statement)) return undefined;
  const declarations = statement.declarationList.declarations;
  const decl = declarations[0];
  if (declarations.length !== 1 || !decl || !isIdentifier(decl.name) || !decl.initializer) return undefined;
  if (skipOuterExpressions(decl.initializer) !== call) return undefined;
  const name = decl.name.text;
  const factory = `create${capitalise(name)}`;
  const exported = hasModifier(statement, SyntaxKind.ExportKeyword) ? "export " : "";
  const returnType = decl.type ? `: ${decl.type.getText()}` : "";
  const body = call.getText().split("\n").map((line, i) => (i === 0 ? line : `  ${line}`)).join("\n");
  const startLine = startLineOf(statement);
  const sf = statement.getSourceFile();
  const endLine = sf.getLineAndCharacterOfPosition(statement.getEnd()).line + 1;
  const indent = /^\s*/.exec(file.lines[startLine - 1] ?? "")?.[0] ?? "";
  const after = (file.lines[endLine - 1] ?? "").slice(sf.getLineAndCharacterOfPosition(statement.getEnd()).character);
  if (after.trim() !== "") return { factory, name };
  const text = [`${indent}${exported}function ${factory}()${returnType} {`, `${indent}  return ${body};`, `${indent}}`].join("\n");
  return { factory, name, replacement: { startLine, endLine, text } };
}

export default defineCheck<MessageId>({
  id: "authz/admin-client-module-scope",
  title: "Admin client created at module scope",
  section: "5 (admin clients never at module scope)",
  severity: "critical",
  docs: "Flags a service-role / admin SDK client (Supabase `createClient` with the service-role key, credentialed firebase-admin `initializeApp`, an admin-client factory call) created when the module loads; the fix turns it into a factory called per request after `requireAdmin()` or inside `withAdmin(fn)`.",
  messages: {
    moduleScope:
      "`{{client}}` is an admin client created at module scope (`{{call}}`): every module that imports it gets admin rights that bypass row-level security, with no admin check on the way.",
  },
  run({ project, sem, report }) {
    for (const file of project.files) {
      for (const creation of adminClientCreations(sem, file)) {
        const { call } = creation;
        if (call.fn) continue;
        // A class field initialiser runs per instance, not when the module loads.
        if (isInClassBody(call.node)) continue;
        const factory = factoryReplacement(file, call.node);
        const client = factory?.name ?? creation.label;
        const factoryName = factory?.factory ?? "createAdminClient";
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "moduleScope",
          data: { client, call: creation.label },
          fix:
            `Do not keep the admin client in a module variable. Build it in a factory (\`${factoryName}()\`) that each privileged code path calls per request, only after the caller is verified as an admin (\`await requireAdmin()\` first, or inside \`withAdmin(async (admin) => …)\`), and change importers of \`${client}\` to call the factory there.`,
          ...(factory?.replacement ? { replacement: factory.replacement } : {}),
        });
      }
    }
  },
});

function isInClassBody(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (isPropertyDeclaration(current) || isClassStaticBlockDeclaration(current)) return isPropertyDeclaration(current) && !hasModifier(current, SyntaxKind.StaticKeyword);
    if (isSourceFile(current)) return false;
  }
  return false;
}
