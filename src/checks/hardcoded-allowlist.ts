import { ts } from "ts-morph";
import { skipOuterExpressions, STRING_MATCH_METHODS } from "../review/analysis/facts.js";
import type { AnalysedFile, AnalysedProject } from "../review/analysis/project.js";
import { initialiserOf } from "../review/analysis/value-trace.js";
import { defineCheck } from "./define-check.js";
// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { SyntaxKind, isArrayLiteralExpression, isArrowFunction, isAsExpression, isBinaryExpression, isCallExpression, isCaseClause, isFunctionExpression, isIdentifier, isNewExpression, isNoSubstitutionTemplateLiteral, isNumericLiteral, isObjectLiteralExpression, isParenthesizedExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isSatisfiesExpression, isSpreadElement, isStringLiteral, isStringLiteralLike, isSwitchStatement, isVariableDeclaration } = ts;

/**
 * Identities written into code (emails, email domains, user ids) and compared against the caller
 * to grant access or a role: granting or revoking access then takes a deploy, leaves no audit
 * trail, and the list leaks with the source.
 */

type MessageId = "list" | "comparison";
type IdentityKind = "email" | "domain" | "user id";

const EMAIL = /^[^\s@'"`<>]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i;
const AT_DOMAIN = /^@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i;
/** A bare domain needs a real-looking top-level domain: `checkout.session.completed` and `email.link` are not domains. */
const DOMAIN =
  /^[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|net|org|io|co|dev|app|ai|edu|gov|mil|uk|de|fr|us|ca|au|in|jp|nl|se|ch|es|it|pl|br|xyz|tech|health|so|me|sh|gg|cloud|inc|biz|info|eu|ie|nz|sg|hk|fi|no|dk|be|at|pt|cz|il|kr|mx|za|ly|to|fm|tv|studio|design|team|work|company|agency|consulting|solutions|systems|digital|group|global|ventures|capital|finance|bank|care|clinic|hospital|law|legal|edu|school|university|ac)$/i;
const USER_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|user_[A-Za-z0-9]{16,}|(auth0|google-oauth2|github|windowslive|samlp|oidc)\|[\w.-]+|[0-9a-f]{24})$/i;
/** What the caller's identity looks like in code. */
const IDENTITY_TEXT = /e-?mail|user|\buid\b|\bsub\b|session|account|viewer|actor|caller|login|principal|identity|claims|profile|member|\bme\b|owner|domain/i;
const EMAIL_TEXT = /e-?mail/i;
/** Who a bare `domain` belongs to: with one of these beside it, the caller's (`session.user.domain`). */
const CALLER_TEXT = /user|session|account|viewer|actor|caller|login|principal|identity|claims|profile|member|\bme\b|owner/i;
const ID_TEXT = /\bid\b|Id\b|_id\b|\buid\b|\bsub\b|user/i;
/** Lists that keep people out rather than let them in, or that are not about access. */
const NOT_AN_ALLOWLIST = /block|deny|denied|ban(ned)?\b|disposable|temporary|throwaway|generic|webmail|freemail|consumer|spam|reserved|exclud|forbid|blacklist|suspend|bounce|notif|recipient|\bcc\b|bcc|sender|from|reply|contact|support|alert/i;
const ALLOWLIST_NAME = /allow|admin|beta|staff|super|whitelist|tester|owner|vip|internal|privileged|trusted|early|access|invite|team|employee|founder|moderator/i;
const MEMBERSHIP = new Set(["includes", "has", "indexOf", "lastIndexOf", "some", "every", "find", "findIndex", "filter", "get"]);
const STRING_MATCH = STRING_MATCH_METHODS;
const EQUALITY = new Set([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken]);

/** Public mail providers: anyone can have an address there, so their domain identifies no one (Gmail alias rules, "work email" checks). */
const PUBLIC_MAIL_DOMAIN = /^@?(gmail\.com|googlemail\.com|outlook\.com|hotmail\.com|live\.com|yahoo\.com|icloud\.com|me\.com|aol\.com|proton\.me|protonmail\.com|gmx\.(com|de|net)|mail\.com|yandex\.(com|ru)|zoho\.com)$/i;

function identityKind(text: string): IdentityKind | undefined {
  if (PUBLIC_MAIL_DOMAIN.test(text)) return undefined;
  if (EMAIL.test(text)) return "email";
  if (AT_DOMAIN.test(text)) return "domain";
  if (USER_ID.test(text)) return "user id";
  if (DOMAIN.test(text)) return "domain";
  return undefined;
}

/** Whether an expression that is compared with an identity literal stands for the caller. */
function comparesCaller(kind: IdentityKind, comparand: string): boolean {
  if (kind === "email") return IDENTITY_TEXT.test(comparand);
  // A domain is the caller's when it comes from an email address or from the caller (not a link's or a site's configured domain).
  if (kind === "domain") return EMAIL_TEXT.test(comparand) || (/domain/i.test(comparand) && CALLER_TEXT.test(comparand));
  return ID_TEXT.test(comparand);
}

/** A compared expression's text, and for a variable, what it was set from (`const [, domain] = email.split("@")`). */
function withInitialiser(project: AnalysedProject, file: AnalysedFile, comparand: ts.Expression): string {
  const inner = skipOuterExpressions(comparand);
  const init = isIdentifier(inner) ? initialiserOf(project, file, inner) : undefined;
  return init ? `${inner.getText()} ${init.expr.getText()}` : comparand.getText();
}

interface Container {
  file: AnalysedFile;
  node: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression;
  /** The variable or property it is kept in, when named. */
  name?: string;
}

function nameOfContainer(node: ts.Node): string | undefined {
  let current: ts.Node = node.parent;
  for (let i = 0; i < 6 && current; i++, current = current.parent) {
    if (isVariableDeclaration(current) && isIdentifier(current.name)) return current.name.text;
    if (isPropertyAssignment(current)) return current.name.getText();
    if (!(isParenthesizedExpression(current) || isAsExpression(current) || isSatisfiesExpression(current) || isNewExpression(current) || isCallExpression(current))) break;
  }
  return undefined;
}

/** The array and object literals a value is built from: `new Set(LIST.map(f))`, `[...A, ...B]`, `config.admins`. */
function containersOf(project: AnalysedProject, file: AnalysedFile, expression: ts.Expression, depth = 0, out: Container[] = []): Container[] {
  if (depth > 8) return out;
  const expr = skipOuterExpressions(expression);
  if (isArrayLiteralExpression(expr)) {
    out.push({ file, node: expr, name: nameOfContainer(expr) });
    for (const element of expr.elements) if (isSpreadElement(element)) containersOf(project, file, element.expression, depth + 1, out);
  } else if (isObjectLiteralExpression(expr)) {
    out.push({ file, node: expr, name: nameOfContainer(expr) });
  } else if (isIdentifier(expr)) {
    const init = initialiserOf(project, file, expr);
    if (init && (!init.binding || init.binding.kind !== "var" || init.binding.path.length === 0)) containersOf(project, init.file, init.expr, depth + 1, out);
  } else if (isBinaryExpression(expr) && (expr.operatorToken.kind === SyntaxKind.QuestionQuestionToken || expr.operatorToken.kind === SyntaxKind.BarBarToken)) {
    // `process.env.ADMIN_EMAILS?.split(",") ?? ["ceo@corp.com"]`: the literal fallback still grants access.
    containersOf(project, file, expr.left, depth + 1, out);
    containersOf(project, file, expr.right, depth + 1, out);
  } else if (isNewExpression(expr)) {
    if (/^(Set|Map)$/.test(expr.expression.getText()) && expr.arguments?.[0]) containersOf(project, file, expr.arguments[0], depth + 1, out);
  } else if (isCallExpression(expr)) {
    const callee = skipOuterExpressions(expr.expression);
    if (isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (/^(map|filter|concat|slice|flat|flatMap|toSorted|sort|reverse)$/.test(method)) containersOf(project, file, callee.expression, depth + 1, out);
      if (method === "concat") for (const arg of expr.arguments) containersOf(project, file, arg, depth + 1, out);
      if (/^(Object\.freeze|Array\.from|Object\.keys|Object\.entries)$/.test(callee.getText()) && expr.arguments[0]) containersOf(project, file, expr.arguments[0], depth + 1, out);
    }
  } else if (isPropertyAccessExpression(expr)) {
    const owners = containersOf(project, file, expr.expression, depth + 1);
    for (const owner of owners) {
      if (!isObjectLiteralExpression(owner.node)) continue;
      const property = owner.node.properties.find((p): p is ts.PropertyAssignment => isPropertyAssignment(p) && p.name.getText() === expr.name.text);
      if (property) containersOf(project, owner.file, property.initializer, depth + 1, out);
    }
  }
  return out;
}

interface IdentityLiteral {
  node: ts.Expression;
  kind: IdentityKind;
}

function identityLiterals(container: Container): IdentityLiteral[] {
  const out: IdentityLiteral[] = [];
  const idList = /(user|admin|staff|owner|member|tester|account)s?_?ids?$/i.test(container.name ?? "");
  if (isArrayLiteralExpression(container.node)) {
    for (const element of container.node.elements) {
      const inner = skipOuterExpressions(element as ts.Expression);
      if (isStringLiteralLike(inner)) {
        const kind = identityKind(inner.text);
        if (kind) out.push({ node: inner, kind });
      } else if (isNumericLiteral(inner) && idList) out.push({ node: inner, kind: "user id" });
    }
  } else {
    for (const property of container.node.properties) {
      const name = property.name;
      if (name && (isStringLiteral(name) || isNoSubstitutionTemplateLiteral(name))) {
        const kind = identityKind(name.text);
        if (kind) out.push({ node: name, kind });
      }
    }
  }
  return out;
}

function lineOfNode(node: ts.Node): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function short(text: string, max = 70): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

function describe(literals: IdentityLiteral[]): string {
  const kinds = new Set(literals.map((l) => l.kind));
  const kind = kinds.size === 1 ? [...kinds][0]! : undefined;
  const one = literals.length === 1;
  const word = kind === "email" ? (one ? "email address" : "email addresses") : kind === "domain" ? (one ? "domain" : "domains") : kind === "user id" ? (one ? "user id" : "user ids") : one ? "identity" : "identities";
  return `${literals.length} ${word}`;
}

function fixFor(name: string | undefined, literals: IdentityLiteral[]): string {
  const admin = /admin|staff|super|owner|moderator|role/i.test(name ?? "");
  const domains = literals.every((l) => l.kind === "domain");
  const store = admin
    ? "a role or `is_admin` flag on the user's row (or an `admins` table)"
    : domains
      ? "an `allowed_email_domains` table (or an organisation's verified domains)"
      : "a `beta_access` table keyed by user id (or an access flag on the user)";
  return `Keep the allowlist in the database: ${store}, checked with a query for the signed-in user and changed through an audited admin action, so access is granted and revoked without a deploy and no identities live in the code.`;
}

export default defineCheck<MessageId>({
  id: "authz/hardcoded-allowlist",
  title: "Hard-coded allowlist of identities",
  section: "5 (allowlists kept in a database)",
  severity: "high",
  docs: "Flags literal emails, email domains or user ids (arrays, Sets, `includes`/`has`, `endsWith(\"@corp.com\")`, `===` chains) compared against the caller's identity to grant access or a role; the fix keeps the allowlist in the database (a `beta_access` table, a role or flag on the user).",
  messages: {
    list: "`{{list}}` hard-codes {{what}} that `{{use}}` compares against the caller's identity to grant access: changing who gets in takes a deploy and leaves no audit trail.",
    comparison: "`{{use}}` grants access by comparing the caller's identity with the hard-coded {{what}} `{{value}}`: changing who gets in takes a deploy and leaves no audit trail.",
  },
  run({ project, report }) {
    const reported = new Set<ts.Node>();
    const reportList = (container: Container, literals: IdentityLiteral[], use: string) => {
      const first = literals[0]!;
      if (reported.has(container.node)) return;
      reported.add(container.node);
      report({
        file: container.file,
        line: lineOfNode(first.node),
        messageId: "list",
        data: { list: container.name ?? short(container.node.getText(), 40), what: describe(literals), use: short(use) },
        fix: fixFor(container.name, literals),
      });
    };

    for (const file of project.files) {
      const facts = file.facts;
      if (!facts) continue;

      // Membership: `ADMINS.includes(email)`, `betaTesters.has(normalize(email))`, `DOMAINS.some((d) => email.endsWith(d))`.
      for (const call of facts.calls) {
        if (call.isNew || !MEMBERSHIP.has(call.name)) continue;
        const callee = skipOuterExpressions(call.callee);
        if (!isPropertyAccessExpression(callee)) continue;
        const containers = containersOf(project, file, callee.expression);
        if (containers.length === 0) continue;
        const arg = call.args[0];
        if (!arg) continue;
        const argInner = skipOuterExpressions(arg);
        const comparand = isArrowFunction(argInner) || isFunctionExpression(argInner) ? argInner.body.getText() : arg.getText();
        if (isStringLiteralLike(argInner)) continue;
        for (const container of containers) {
          const literals = identityLiterals(container);
          if (literals.length === 0) continue;
          const listName = container.name ?? "";
          if (NOT_AN_ALLOWLIST.test(listName)) continue;
          const named = ALLOWLIST_NAME.test(listName) && literals.some((l) => l.kind !== "domain");
          if (!named && !literals.some((l) => comparesCaller(l.kind, comparand))) continue;
          reportList(container, literals, call.node.getText());
        }
      }

      // Direct comparisons: `user.email === "ceo@corp.com"`, `email.endsWith("@corp.com")`, `case "ceo@corp.com":`.
      // The facts walk recorded them in source order (a chain reports its first literal): no walk here.
      for (const node of facts.comparisons) {
        let literalSide: ts.Expression | undefined;
        let comparand: ts.Expression | undefined;
        let useNode: ts.Node = node;
        if (isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
          [literalSide, comparand] = identityValue(project, file, node.right) ? [node.right, node.left] : [node.left, node.right];
          useNode = conditionRoot(node);
        } else if (isCallExpression(node) && isPropertyAccessExpression(node.expression) && STRING_MATCH.has(node.expression.name.text) && node.arguments.length >= 1) {
          literalSide = node.arguments[0];
          comparand = node.expression.expression;
          useNode = conditionRoot(node);
        } else if (isCaseClause(node) && isSwitchStatement(node.parent.parent)) {
          literalSide = node.expression;
          comparand = node.parent.parent.expression;
          useNode = node.parent.parent;
        }
        if (!literalSide || !comparand) continue;
        const value = identityValue(project, file, literalSide);
        if (!value) continue;
        // A list's own membership was handled above; here only single values.
        if (isArrayLiteralExpression(skipOuterExpressions(comparand))) continue;
        if (!comparesCaller(value.kind, withInitialiser(project, file, comparand))) continue;
        if (NOT_AN_ALLOWLIST.test(value.name ?? "")) continue;
        if (reported.has(useNode) || reported.has(value.literal)) continue;
        reported.add(useNode);
        reported.add(value.literal);
        const literalFile = value.file;
        report({
          file: literalFile,
          line: lineOfNode(value.literal),
          messageId: "comparison",
          data: { use: short(useNode.getText()), what: value.kind === "email" ? "email address" : value.kind, value: value.text },
          fix: fixFor(value.name, [{ node: value.literal, kind: value.kind }]),
        });
      }
    }
  },
});

interface IdentityValue {
  file: AnalysedFile;
  literal: ts.Expression;
  text: string;
  kind: IdentityKind;
  name?: string;
}

/** A literal identity, or a constant holding one (`const OWNER_EMAIL = "ceo@corp.com"`). */
function identityValue(project: AnalysedProject, file: AnalysedFile, expression: ts.Expression): IdentityValue | undefined {
  const expr = skipOuterExpressions(expression);
  if (isStringLiteralLike(expr)) {
    const kind = identityKind(expr.text);
    return kind ? { file, literal: expr, text: expr.text, kind } : undefined;
  }
  if (isIdentifier(expr)) {
    const init = initialiserOf(project, file, expr);
    if (!init) return undefined;
    const inner = skipOuterExpressions(init.expr);
    if (!isStringLiteralLike(inner)) return undefined;
    const kind = identityKind(inner.text);
    return kind ? { file: init.file, literal: inner, text: inner.text, kind, name: expr.text } : undefined;
  }
  return undefined;
}

/** The whole `a || b || c` condition a comparison belongs to, so an `===` chain is one finding. */
function conditionRoot(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && (isParenthesizedExpression(current.parent) || (isBinaryExpression(current.parent) && (current.parent.operatorToken.kind === SyntaxKind.BarBarToken || current.parent.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken)) || isPrefixUnaryExpression(current.parent))) {
    current = current.parent;
  }
  return current;
}
