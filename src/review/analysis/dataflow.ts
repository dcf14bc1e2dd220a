import { ts } from "ts-morph";
import { classifyName, type NameClassification } from "../classification/index.js";
import { ownerKind } from "../classification/owners.js";
import type { Classification } from "../types.js";
import type { CallFact, FunctionFact } from "./facts.js";
import { chainOf, isFunctionNode, skipOuterExpressions } from "./facts.js";
import type { AnalysedFile } from "./project.js";
import type { Semantics } from "./semantics.js";
import { returnedExpressions, walk } from "./nodes.js";

// ts-morph re-exports the compiler through getters on a dictionary-mode object: read them once.
const { NodeFlags, SyntaxKind, isArrayLiteralExpression, isArrayTypeNode, isArrowFunction, isBinaryExpression, isBlock, isCallExpression, isCatchClause, isClassLike, isConditionalExpression, isConstructorDeclaration, isElementAccessExpression, isFunctionExpression, isFunctionLike, isIdentifier, isInterfaceDeclaration, isJsxElement, isJsxExpression, isJsxFragment, isJsxSelfClosingElement, isLiteralTypeNode, isNewExpression, isNumericLiteral, isForOfStatement, isObjectLiteralExpression, isParameterPropertyDeclaration, isPrefixUnaryExpression, isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isShorthandPropertyAssignment, isSourceFile, isSpreadAssignment, isSpreadElement, isStringLiteral, isStringLiteralLike, isTaggedTemplateExpression, isTemplateExpression, isTypeAliasDeclaration, isTypeLiteralNode, isTypeReferenceNode, isUnionTypeNode, isVariableDeclarationList } = ts;

/**
 * What data a value carries, followed inside a function through assignments, destructuring,
 * template strings, spreads and property access, and one level into the PR's own functions
 * (a helper's return value, a helper's parameters from its callers). No type checker: names,
 * owners (the model, type or variable a field is read from) and origins are what we know.
 */

/** A named piece of data read into a value (`input.ssn` → `ssn` owned by the intake payload). */
export interface FlowField {
  name: string;
  /** The model, type or variable it was read from, for classification (`patient`, `IntakePatient`). */
  owner?: string;
  /** The name of the object it was read from as written (`session` in `session.token`), when that differs from the owner. */
  via?: string;
  /**
   * The declared type of the value the field names (`candidate` in `for (const candidate of
   * this.candidates)` with `candidates: LagSource[]`): when it says what kind of object it is, it
   * owns what is read from the value, rather than the variable's name.
   */
  type?: string;
  node: ts.Node;
}

/** A whole record: a DB row of a model, or a variable or property named for a person (`user`, `patient`). */
export interface FlowObject {
  /** The name as written (`patient`, `session.user`). */
  name: string;
  /** The model or table when it comes from the database, else the name. */
  model: string;
  /** Fields known to be in it (written or validated), for severity. */
  keys: string[];
  node: ts.Node;
}

/** A raw request body or webhook event. */
export interface FlowPayload {
  /** How it reads in a message: `req.body`, `await request.json()`, `webhook event`. */
  label: string;
  /** The validating schema's name, when parsed (`intakeSchema`). */
  owner?: string;
  /** Field names known from the schema. */
  keys: string[];
  /** The request's headers (a member read from them is the header it names). */
  headers?: boolean;
  /** Validated by a schema whose keys are known: it holds those fields and no others. */
  validated?: boolean;
  node: ts.Node;
}

/** A parameter the value comes from, so a caller's argument can stand in for it. */
export interface FlowParam {
  fn: FunctionFact;
  index: number;
  /** Property path read from the parameter. */
  path: string[];
  name: string;
  owner?: string;
  /** Property names of its declared type, when the whole parameter is used (`input: { ssn: string }`). */
  keys?: string[];
  node: ts.Node;
}

export interface FlowValue {
  fields: FlowField[];
  objects: FlowObject[];
  payloads: FlowPayload[];
  params: FlowParam[];
  /** The value is (or contains) ciphertext from a KMS encrypt call. */
  encrypted: boolean;
  /** Decrypt calls whose plaintext flows into the value. */
  decrypted: CallFact[];
  /** Passed through a hash, mask or redaction: no longer the data itself. */
  sanitised: boolean;
  /** Array elements, for `const [a, b] = await Promise.all([...])`. */
  elements?: FlowValue[];
  /** The owner to give fields read from this value. */
  owner?: string;
}

export const EMPTY: FlowValue = Object.freeze({ fields: [], objects: [], payloads: [], params: [], encrypted: false, decrypted: [], sanitised: false }) as FlowValue;

function empty(): FlowValue {
  return { fields: [], objects: [], payloads: [], params: [], encrypted: false, decrypted: [], sanitised: false };
}

/**
 * Everything the values carry. An entry reached along several paths (a variable reassigned from
 * itself many times, `s = s.replace(…)`) is kept once: copies would multiply at each step, past
 * what a spread argument list can hold.
 */
export function union(...values: FlowValue[]): FlowValue {
  const out = empty();
  const seen = new Set<object>();
  const add = <T extends object>(into: T[], from: readonly T[]) => {
    for (const item of from) {
      if (seen.has(item)) continue;
      seen.add(item);
      into.push(item);
    }
  };
  for (const v of values) {
    add(out.fields, v.fields);
    add(out.objects, v.objects);
    add(out.payloads, v.payloads);
    add(out.params, v.params);
    out.encrypted ||= v.encrypted;
    add(out.decrypted, v.decrypted);
    out.sanitised ||= v.sanitised;
    out.owner ??= v.owner;
  }
  return out;
}

/** Methods whose result is some of their receiver's elements, each unchanged. */
const SUBSETS: ReadonlySet<string> = new Set(["filter", "slice", "sort", "reverse", "toSorted", "toReversed"]);

/** Nothing known of a value: no field, record, payload or parameter, no crypto state. */
function isOpaque(v: FlowValue): boolean {
  return v.fields.length === 0 && v.objects.length === 0 && v.payloads.length === 0 && v.params.length === 0 && !v.encrypted && !v.sanitised && v.decrypted.length === 0;
}

/**
 * One element of an array value: an array literal's elements merged (tuples position by position,
 * so `[["NAME", secret]]`'s element has the literal at 0 and the secret at 1), else the whole value
 * (a list of records: each element carries what the list does).
 */
function elementOf(value: FlowValue): FlowValue {
  const elements = value.elements;
  if (!elements || elements.length === 0) return { ...value, elements: undefined };
  const merged = union(...elements);
  if (elements.every((e) => e.elements)) {
    const width = Math.max(...elements.map((e) => e.elements!.length));
    merged.elements = Array.from({ length: width }, (_, i) => union(...elements.map((e) => e.elements![i] ?? EMPTY)));
  }
  return merged;
}

/** Keys that wrap a whole record rather than name a field (`parsed.data`, `req.body`, `result.rows`). */
const WRAPPER_KEYS = new Set(["data", "body", "input", "values", "payload", "value", "parsed", "result", "record", "row", "rows", "json", "dataValues", "_doc", "object", "fields"]);
/** Functions and methods that return (a form of) their receiver or arguments. */
const TRANSFORMERS = new Set([
  "stringify", "String", "from", "format", "join", "concat", "toString", "toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase",
  "trim", "trimStart", "trimEnd", "replace", "replaceAll", "slice", "substring", "substr", "split", "map", "filter", "flat", "flatMap", "assign",
  "pick", "omit", "clone", "cloneDeep", "structuredClone", "encodeURIComponent", "encodeURI", "escape", "inspect", "toJSON", "valueOf", "padStart",
  "padEnd", "normalize", "at", "entries", "values", "all", "allSettled", "resolve", "render", "renderAsync", "toISOString", "toDateString",
  "toLocaleDateString", "toLocaleString", "toLocaleTimeString", "fromEntries", "reverse", "sort", "find", "then", "get", "parse", "safeParse",
  "parseAsync", "safeParseAsync", "validate", "validateSync", "cast", "create", "h", "createElement",
]);
/** The name a `get(key)` reads: the literal, or the constant's name. */
function headerKeyName(key: ts.Expression): string | undefined {
  if (isStringLiteralLike(key)) return key.text;
  if (isIdentifier(key)) return key.text;
  if (isPropertyAccessExpression(key)) return key.name.text;
  return undefined;
}

/** Bare names that say what they hold only with their object: `session.token`, `otp.code`, `secret.value` (not `secret.key`, a secret's name). */
const QUALIFIED_BY_OWNER = /^(token|code|value|cookie|pin)$/i;
/** Methods whose result is a part of their receiver; their arguments are keys, indexes or predicates. */
const RECEIVER_READS: ReadonlySet<string> = new Set(["get", "at", "find", "filter", "slice", "substring", "substr", "split", "sort", "padStart", "padEnd", "join", "trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "toString", "toISOString"]);
/** Functions that build a message body from their arguments (`renderLabEmail(result)`, `buildSmsText(p)`). */
const CONTENT_BUILDER = /^(render\w*|compose\w*|template|\w+Template|build\w*(Html|Text|Body|Message|Email|Sms|Content))$/;
/** Calls whose result is no longer the data (a hash, a mask, a count, a boolean). */
const SANITISER = /^(hash|hashed|sha\d*|md5|digest|hmac|importKey|createSecretKey|mask|redact|saniti[sz]e(?:d)?(?:Headers?|Logs?|ForLog\w*|Secrets?|Sensitive\w*|Error)?$|anonymi[sz]e|pseudonymi[sz]e|tokeni[sz]e|truncate|scrub|obfuscate|count|size|keys|isValid|validate[A-Z]\w*|test|has|includes|compare|equals|startsWith|endsWith|indexOf|some|every|length|last4|lastFour|bcrypt|argon2)/i;
const REQUEST_RECEIVER = /^(req|request|ctx\.req|c\.req|ctx\.request|context\.req|event|evt)$/;
const PERSON_VARIABLE = /^(user|patient|customer|member|profile|contact|employee|person|client|subscriber|applicant|caller|currentUser|sessionUser|authUser)s?$/i;
/** Checks that a value is a URL (`isUrl(v)`, `validator.isURL(v)`, `URL.canParse(v)`): what they are given is one. */
const URL_CHECK = /^(is_?(valid_?|http_?|https_?|web_?|absolute_?)?ur[il]|canParse)$/i;
/** Calls that read or remove a secret by its name in a store: `getSecret(schema, key)`, `deleteSecret(key)`. */
const SECRET_READ = /^(get|read|fetch|load|resolve|retrieve|lookup|find|delete|remove|has)(Secret|SecretValue|Credential)s?$/i;
/** Calls that write a secret under a name: `setSecret(key, value)`; the name is the first argument. */
const SECRET_WRITE = /^(set|put|store|write|save|upsert|update|create|rotate)(Secret|Credential)s?$/i;
/** A secret store, vault or keyring, whose `get(key)`/`set(key, value)` take the secret's name. */
const SECRET_STORE = /^(secrets?|\w*(Secrets?|Vault|Keyring|Keychain|Credentials?)(Store|Manager|Client|Service|Provider|Repository)?|vault|keyring|keychain|secretStore|secretsManager|credentialStore)$/;

/** Error objects: their message and code describe a failure, not a person. */
const ERROR_NAME = /^(err|error|e|ex|exc|exception|cause|\w+Error)$/;

export function isPersonName(name: string): boolean {
  if (PERSON_VARIABLE.test(name)) return true;
  // `currentPatient`, `invitedUser`; not `kid` (a key id) or `userProject`.
  const kind = ownerKind(name);
  return kind !== undefined && kind.tokens.length > 1 && !kind.nonPerson && /^(user|patient|customer|member|person|contact|employee)$/.test(kind.tokens[kind.tokens.length - 1] ?? "");
}

function propertyKey(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (isIdentifier(name) || isStringLiteralLike(name) || isNumericLiteral(name) || isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function typeNameOf(node: ts.ParameterDeclaration | ts.VariableDeclaration | ts.PropertyDeclaration): string | undefined {
  return typeNodeName(node.type);
}

function typeNodeName(node: ts.TypeNode | undefined): string | undefined {
  let type = node;
  while (type && isArrayTypeNode(type)) type = type.elementType;
  if (type && isTypeReferenceNode(type) && isIdentifier(type.typeName)) {
    const name = type.typeName.text;
    if (/^(Pick|Omit|Partial|Required|Readonly)$/.test(name) && type.typeArguments?.[0]) {
      const inner = type.typeArguments[0];
      if (isTypeReferenceNode(inner) && isIdentifier(inner.typeName)) return inner.typeName.text;
    }
    if (/^(Request|NextRequest|Response|Promise|Record|Array|Map|Set|Date|Buffer|FormData)$/.test(name)) return undefined;
    return name;
  }
  return undefined;
}

/** The text of a variable or property path, as read (`a?.b!.c` reads as `a.b.c`). */
function pathText(expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  if (isIdentifier(e)) return e.text;
  if (isPropertyAccessExpression(e)) {
    const base = pathText(e.expression);
    return base === undefined ? undefined : `${base}.${e.name.text}`;
  }
  if (isElementAccessExpression(e) && (isStringLiteralLike(e.argumentExpression) || isNumericLiteral(e.argumentExpression))) {
    const base = pathText(e.expression);
    return base === undefined ? undefined : `${base}.${e.argumentExpression.text}`;
  }
  return undefined;
}

/** A type name that says what kind of object it is: a person's record, a health record, or plainly not about a person. */
function decisiveType(name: string): boolean {
  const kind = ownerKind(name);
  return kind !== undefined && (kind.person || kind.nonPerson || kind.health);
}

/** The element type's name of a declared list type: `T[]`, `Array<T>`, `ReadonlyArray<T>`, `Set<T>`; not of any other type. */
function elementTypeName(type: ts.TypeNode | undefined): string | undefined {
  if (!type) return undefined;
  if (isArrayTypeNode(type)) return typeNodeName(type.elementType);
  if (isTypeReferenceNode(type) && isIdentifier(type.typeName) && /^(Array|ReadonlyArray|Set|ReadonlySet)$/.test(type.typeName.text)) return typeNodeName(type.typeArguments?.[0]);
  return undefined;
}

/** The declared type of a class's own field (`private readonly candidates: T[]`, or a constructor's parameter property) read as `this.name`. */
function classFieldType(at: ts.Node, name: string): ts.TypeNode | undefined {
  let node: ts.Node | undefined = at.parent;
  while (node && !isClassLike(node)) node = node.parent;
  if (!node || !isClassLike(node)) return undefined;
  for (const member of node.members) {
    if (isPropertyDeclaration(member) && propertyKey(member.name) === name) return member.type;
    if (isConstructorDeclaration(member)) {
      for (const p of member.parameters) if (isIdentifier(p.name) && p.name.text === name && isParameterPropertyDeclaration(p, member)) return p.type;
    }
  }
  return undefined;
}

/** Property names of a parameter's declared type: a type literal, `Pick<T, "a" | "b">`, or an interface or type alias of the same file. */
function declaredKeys(node: ts.ParameterDeclaration): string[] {
  const namesOf = (members: ts.NodeArray<ts.TypeElement>) => members.map((m) => (m.name && isIdentifier(m.name) ? m.name.text : undefined)).filter((k): k is string => k !== undefined);
  const membersOf = (type: ts.TypeNode | undefined, depth: number): string[] => {
    if (!type || depth > 3) return [];
    if (isTypeLiteralNode(type)) return namesOf(type.members);
    if (isTypeReferenceNode(type) && isIdentifier(type.typeName)) {
      const name = type.typeName.text;
      if (name === "Pick" && type.typeArguments?.[1]) {
        const keys = type.typeArguments[1];
        const literals = isUnionTypeNode(keys) ? keys.types : [keys];
        return literals.flatMap((t) => (isLiteralTypeNode(t) && isStringLiteral(t.literal) ? [t.literal.text] : []));
      }
      for (const statement of node.getSourceFile().statements) {
        if (isInterfaceDeclaration(statement) && statement.name.text === name) return namesOf(statement.members);
        if (isTypeAliasDeclaration(statement) && statement.name.text === name) return membersOf(statement.type, depth + 1);
      }
    }
    return [];
  };
  return membersOf(node.type, 0);
}

function schemaName(text: string): string {
  return text.replace(/(Schema|Validator|Input|Body|Dto|DTO)$/, "") || text;
}

export function isLiteral(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  return (
    isStringLiteralLike(e) ||
    isNumericLiteral(e) ||
    e.kind === SyntaxKind.NullKeyword ||
    e.kind === SyntaxKind.TrueKeyword ||
    e.kind === SyntaxKind.FalseKeyword ||
    (isIdentifier(e) && e.text === "undefined")
  );
}

/** An expression whose value is a boolean (`!!user`, `a === b`, `x instanceof Y`): whatever its key says, it holds no data. */
export function isBooleanExpression(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  if (isPrefixUnaryExpression(e)) return e.operator === SyntaxKind.ExclamationToken;
  if (!isBinaryExpression(e)) return false;
  switch (e.operatorToken.kind) {
    case SyntaxKind.EqualsEqualsToken:
    case SyntaxKind.EqualsEqualsEqualsToken:
    case SyntaxKind.ExclamationEqualsToken:
    case SyntaxKind.ExclamationEqualsEqualsToken:
    case SyntaxKind.LessThanToken:
    case SyntaxKind.LessThanEqualsToken:
    case SyntaxKind.GreaterThanToken:
    case SyntaxKind.GreaterThanEqualsToken:
    case SyntaxKind.InstanceOfKeyword:
    case SyntaxKind.InKeyword:
      return true;
    default:
      return false;
  }
}

export interface ClassifiedFlowField extends FlowField, NameClassification {}

/** Marks an expression whose value is being computed (a cycle reads it as empty). */
const IN_PROGRESS: FlowValue = Object.freeze({ ...EMPTY }) as FlowValue;

/** What a parameter declaration contributes to every read of it, worked out once (see `identifierValue`). */
interface ParamInfo {
  index: number;
  owner: string | undefined;
  /** Declared property names, looked up on the first read of the whole parameter. */
  keys?: string[];
}

const EXACT_EQUALITY: ReadonlySet<ts.SyntaxKind> = new Set([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken]);
/** A function that hashes or normalises a string key (`hash`, `sha256`, `digest`, `normalizeErrorFingerprint`, `toFingerprintKey`). */
const DIGEST_OR_NORMALISE = /^(hash|sha\d*|md5|digest|normali[sz]e)\w*$|^\w*(Hash|Digest)$/i;

export class Dataflow {
  /** Values by expression; {@link IN_PROGRESS} while one is being computed. */
  private readonly cache = new Map<ts.Node, FlowValue>();
  private readonly params = new Map<ts.ParameterDeclaration, ParamInfo>();
  private readonly assignments = new Map<ts.Node, Map<string, ts.Expression[]>>();
  private callers?: Map<FunctionFact, Array<{ file: AnalysedFile; call: CallFact }>>;
  private readonly classifyCache = new Map<string, NameClassification | null>();
  readonly healthContext: boolean;

  constructor(
    readonly sem: Semantics,
    readonly classification: Classification,
  ) {
    this.healthContext = classification.evidence.some((e) => /^health|^genetic/.test(e.category) || ownerKind(e.owner)?.health === true);
  }

  /** Classifies a field name with its owner; health context when the PR handles PHI or the owner is a health record. */
  classify(name: string, owner?: string): NameClassification | undefined {
    const key = `${name}\0${owner ?? ""}`;
    let hit = this.classifyCache.get(key);
    if (hit === undefined) {
      const health = this.healthContext || ownerKind(owner)?.health === true;
      hit = classifyName(name, { ...(owner ? { owner } : {}), healthContext: health }) ?? null;
      this.classifyCache.set(key, hit);
    }
    return hit ?? undefined;
  }

  /** Every named field a value carries, parameters included (by the name or path read). */
  fieldsOf(value: FlowValue): FlowField[] {
    const out = [...value.fields];
    for (const p of value.params) {
      const name = p.path.length > 0 ? p.path[p.path.length - 1]! : p.name;
      const owner = p.path.length > 1 ? p.path[p.path.length - 2] : (p.owner ?? (p.path.length > 0 ? p.name : undefined));
      out.push({ name, ...(owner ? { owner } : {}), node: p.node });
      if (p.path.length === 0) for (const key of p.keys ?? []) out.push({ name: key, owner: p.owner ?? p.name, node: p.node });
    }
    return out;
  }

  /** Fields at or above `sensitive` that are personal or health data (not credentials, ids or config). */
  personalFields(value: FlowValue): ClassifiedFlowField[] {
    const out: ClassifiedFlowField[] = [];
    const seen = new Set<string>();
    for (const field of this.fieldsOf(value)) {
      const c = this.classify(field.name, field.owner);
      if (!c || (c.tier !== "sensitive" && c.tier !== "regulated")) continue;
      if (/^(credentials|configuration|public-content|metric|timestamp|internal-identifier|access-control)$/.test(c.category)) continue;
      // An `address` the code parses or checks as a URL is a web address, not a postal one.
      if (c.category === "postal-address" && this.heldAsUrl(field.node)) continue;
      // Biometric samples never match exactly: a `fingerprint` used as an exact key is a digest (of an error, a device, a key).
      if (c.category === "biometric" && this.usedAsExactKey(field.node, field.name)) continue;
      if (seen.has(field.name)) continue;
      seen.add(field.name);
      out.push({ ...field, ...c });
    }
    return out;
  }

  /**
   * Fields that are credentials (passwords, secrets, API keys, session and access tokens, one-time
   * codes), not stored hashed. A bare name is read with the object it came from: `session.token`
   * is a session token, `otp.code` a one-time code, `invite.token` an invitation token.
   */
  credentialFields(value: FlowValue): ClassifiedFlowField[] {
    const out: ClassifiedFlowField[] = [];
    const seen = new Set<string>();
    for (const field of this.fieldsOf(value)) {
      let c = this.classify(field.name, field.owner);
      if (c?.category !== "credentials" || c.tier !== "sensitive") {
        const qualified = QUALIFIED_BY_OWNER.test(field.name) ? [field.via, field.owner].find((q) => q !== undefined && q !== field.name && this.classify(`${q}_${field.name}`)?.category === "credentials") : undefined;
        c = qualified !== undefined ? this.classify(`${qualified}_${field.name}`) : undefined;
      }
      if (c?.category !== "credentials" || c.tier !== "sensitive") continue;
      // A `secretKey` the code looks a secret up by is the secret's name in its store, not the secret.
      if (this.namesASecret(field.node)) continue;
      if (seen.has(field.name)) continue;
      seen.add(field.name);
      out.push({ ...field, ...c });
    }
    return out;
  }

  /**
   * Whether the value a node reads (a variable, a parameter, a property path) is given, in the same
   * function, as an argument that `accepts` takes: what a call is given there says what the value is.
   */
  private givenTo(node: ts.Node, accepts: (call: CallFact, index: number) => boolean): boolean {
    const file = this.sem.project.fileOf(node);
    if (!file) return false;
    const expr = isIdentifier(node) || isPropertyAccessExpression(node) || isElementAccessExpression(node) ? node : undefined;
    if (!expr) return false;
    let root: ts.Expression = expr;
    while (isPropertyAccessExpression(root) || isElementAccessExpression(root)) root = skipOuterExpressions(root.expression);
    if (!isIdentifier(root)) return false;
    const binding = this.sem.project.lookup(file, root.text, root);
    if (!binding) return false;
    // The calls of the function that declares the variable (or of the one reading the property path).
    let scope: ts.Node | undefined = binding.kind === "param" ? binding.fn.node : binding.kind === "var" && expr === root ? binding.decl : expr;
    while (scope && !isFunctionNode(scope)) scope = scope.parent;
    const fn = scope ? this.sem.project.functionOf(scope) : undefined;
    const calls = fn ? this.sem.project.callsWithin(fn) : (file.facts?.calls ?? []);
    const text = pathText(expr);
    for (const call of calls) {
      for (let i = 0; i < call.args.length; i++) {
        const arg = skipOuterExpressions(call.args[i]!);
        if (arg === expr || pathText(arg) !== text || !accepts(call, i)) continue;
        let argRoot: ts.Expression = arg;
        while (isPropertyAccessExpression(argRoot) || isElementAccessExpression(argRoot)) argRoot = skipOuterExpressions(argRoot.expression);
        if (isIdentifier(argRoot) && this.sem.project.lookup(file, argRoot.text, argRoot) === binding) return true;
      }
    }
    return false;
  }

  /** The code treats the value as a URL: it parses it (`new URL(v)`) or checks that it is one (`isUrl(v)`). */
  heldAsUrl(node: ts.Node): boolean {
    return this.givenTo(node, (call, index) => index === 0 && (call.isNew ? call.name === "URL" : URL_CHECK.test(call.name)));
  }

  /**
   * The value is used as an exact key: spliced into a composite key (a template whose literal text
   * has no spaces, `error:${x.fingerprint}`), compared for equality, or given to a hash or a string
   * normaliser (`createHash(…).update(x)`, `normalizeFingerprint(x)`). A biometric sample is
   * matched approximately, never so: a value handled this way is a digest or an id.
   */
  usedAsExactKey(node: ts.Node, name: string): boolean {
    // The field as read (`spec.fingerprint` when the value is `spec`, read for its `fingerprint`).
    let read: ts.Node = node;
    while (read.parent && isPropertyAccessExpression(read.parent) && read.parent.expression === read && !(isPropertyAccessExpression(read) && read.name.text === name)) read = read.parent;
    if (this.exactKeyUse(read)) return true;
    // The same path read elsewhere in the function (`if (a.fingerprint === b.fingerprint)` beside the log).
    if (!isPropertyAccessExpression(read)) return false;
    const text = read.getText();
    let scope: ts.Node | undefined = read.parent;
    while (scope && !isFunctionNode(scope) && !isSourceFile(scope)) scope = scope.parent;
    let found = false;
    if (scope) {
      walk(scope, (n) => {
        if (found) return "stop";
        if (n !== read && isPropertyAccessExpression(n) && n.name.text === name && n.getText() === text && this.exactKeyUse(n)) found = true;
        return undefined;
      });
    }
    return found;
  }

  private exactKeyUse(node: ts.Node): boolean {
    let at: ts.Node = node;
    while (at.parent && (ts.isParenthesizedExpression(at.parent) || ts.isNonNullExpression(at.parent) || ts.isAsExpression(at.parent))) at = at.parent;
    const parent = at.parent;
    if (parent && ts.isTemplateSpan(parent) && parent.expression === at) {
      const template = parent.parent;
      const text = [template.head.text, ...template.templateSpans.map((span) => span.literal.text)].join("");
      if (text.length > 0 && !/\s/.test(text)) return true;
    }
    if (parent && isBinaryExpression(parent) && EXACT_EQUALITY.has(parent.operatorToken.kind)) {
      const other = skipOuterExpressions(parent.left === at ? parent.right : parent.left);
      if (other.kind !== SyntaxKind.NullKeyword && !(isIdentifier(other) && other.text === "undefined")) return true;
    }
    return this.givenTo(at, (call) => !call.isNew && ((call.name === "update" && call.chain.includes("createHash")) || DIGEST_OR_NORMALISE.test(call.name)));
  }

  /**
   * The value is the name a secret is stored under: the code looks the secret up, removes or writes
   * it by that value (`store.getSecret(schema, key)`, `secrets.get(key)`, `setSecret(key, value)`).
   */
  namesASecret(node: ts.Node): boolean {
    return this.givenTo(node, (call, index) => {
      if (call.isNew) return false;
      if (SECRET_READ.test(call.name)) return true;
      if (SECRET_WRITE.test(call.name)) return index === 0 && call.args.length >= 2;
      const receiver = call.chain[call.chain.length - 2] ?? "";
      if (!SECRET_STORE.test(receiver)) return false;
      if (/^(get|has|delete|remove|read)$/.test(call.name)) return true;
      return /^(set|put|write)$/.test(call.name) && index === 0 && call.args.length >= 2;
    });
  }

  /** Whether a classified field is PHI: health data, or regulated data about a patient in a health context. */
  isPhi(field: ClassifiedFlowField): boolean {
    if (/^health|^genetic/.test(field.category)) return true;
    return field.tier === "regulated" && (this.healthContext || ownerKind(field.owner)?.health === true);
  }

  /** A whole object that is about a person, and whether it holds health data. */
  personObject(object: FlowObject): { person: boolean; health: boolean } {
    const kind = ownerKind(object.model);
    const health = kind?.health === true || object.keys.some((k) => this.classify(k, object.model)?.tier === "regulated");
    return { person: isPersonName(object.model) || isPersonName(object.name) || (kind?.person ?? false), health };
  }

  valueOf(file: AnalysedFile, expression: ts.Expression, depth = 0): FlowValue {
    const expr = skipOuterExpressions(expression);
    const cached = this.cache.get(expr);
    if (cached) return cached === IN_PROGRESS ? EMPTY : cached;
    if (depth > 40) return EMPTY;
    // One map for both the answer and the cycle guard: a lookup fewer per expression.
    this.cache.set(expr, IN_PROGRESS);
    let value: FlowValue;
    try {
      value = this.compute(file, expr, depth + 1);
    } catch (error) {
      this.cache.delete(expr);
      throw error;
    }
    this.cache.set(expr, value);
    return value;
  }

  /** A property read from a value: `base.key`. */
  select(base: FlowValue, key: string, node: ts.Node, via?: string): FlowValue {
    const out = empty();
    out.encrypted = base.encrypted;
    out.decrypted = [...base.decrypted];
    out.sanitised = base.sanitised;
    if (/^\d+$/.test(key) && base.elements) {
      const element = base.elements[Number(key)];
      if (element) return element;
    }
    if (/^\d+$/.test(key)) return { ...base, elements: undefined };
    const person = isPersonName(key);
    if (base.fields.some((f) => ERROR_NAME.test(f.name)) || base.params.some((p) => p.path.length === 0 && ERROR_NAME.test(p.name))) return { ...out, sanitised: true };
    const addField = (owner: string | undefined) => {
      if (person) out.objects.push({ name: key, model: key, keys: [], node });
      else out.fields.push({ name: key, ...(owner ? { owner } : {}), ...(via && via !== owner ? { via } : {}), node });
    };
    for (const field of base.fields) addField(field.type ?? field.name);
    for (const object of base.objects) {
      if (WRAPPER_KEYS.has(key)) out.objects.push(object);
      else addField(object.model);
    }
    for (const payload of base.payloads) {
      if (WRAPPER_KEYS.has(key) && !payload.headers) out.payloads.push(payload);
      else addField(payload.owner);
    }
    for (const param of base.params) out.params.push({ ...param, keys: undefined, path: [...param.path, key] });
    if (person) out.owner = key;
    else if (base.fields.length === 0 && base.objects.length === 0 && base.payloads.length === 0 && base.params.length === 0 && base.owner) {
      out.fields.push({ name: key, owner: base.owner, ...(via && via !== base.owner ? { via } : {}), node });
    }
    return out;
  }

  private compute(file: AnalysedFile, expr: ts.Expression, depth: number): FlowValue {
    if (isIdentifier(expr)) return this.identifierValue(file, expr, depth);
    if (isPropertyAccessExpression(expr) || isElementAccessExpression(expr)) {
      const key = isPropertyAccessExpression(expr)
        ? expr.name.text
        : isStringLiteralLike(expr.argumentExpression) || isNumericLiteral(expr.argumentExpression)
          ? expr.argumentExpression.text
          : undefined;
      const baseChain = chainOf(expr.expression);
      const baseText = baseChain.join(".");
      if (key === "body" && REQUEST_RECEIVER.test(baseText)) {
        return { ...empty(), payloads: [{ label: `${baseText}.body`, keys: [], node: expr }] };
      }
      // The request's headers, whole: its cookies and bearer token with them.
      if (key === "headers" && REQUEST_RECEIVER.test(baseText)) {
        return { ...empty(), payloads: [{ label: `${baseText}.headers`, keys: [], node: expr, headers: true }] };
      }
      if (key === "length") return { ...empty(), sanitised: true };
      const base = this.valueOf(file, expr.expression, depth);
      const via = baseChain[baseChain.length - 1];
      return key === undefined ? base : this.select(base, key, expr, via && /^[A-Za-z_$][\w$]*$/.test(via) ? via : undefined);
    }
    if (isCallExpression(expr) || isNewExpression(expr)) return this.callValue(file, expr, depth);
    if (isTemplateExpression(expr)) return union(...expr.templateSpans.map((s) => this.valueOf(file, s.expression, depth)));
    if (isTaggedTemplateExpression(expr)) return isTemplateExpression(expr.template) ? this.valueOf(file, expr.template, depth) : EMPTY;
    if (isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === SyntaxKind.PlusToken || op === SyntaxKind.QuestionQuestionToken || op === SyntaxKind.BarBarToken || op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.CommaToken) {
        return union(this.valueOf(file, expr.left, depth), this.valueOf(file, expr.right, depth));
      }
      if (op === SyntaxKind.EqualsToken) return this.valueOf(file, expr.right, depth);
      return EMPTY;
    }
    if (isConditionalExpression(expr)) return union(this.valueOf(file, expr.whenTrue, depth), this.valueOf(file, expr.whenFalse, depth));
    if (isObjectLiteralExpression(expr)) return this.objectValue(file, expr, depth);
    if (isArrayLiteralExpression(expr)) {
      const elements = expr.elements.map((e) => (isSpreadElement(e) ? this.valueOf(file, e.expression, depth) : this.valueOf(file, e, depth)));
      return { ...union(...elements), elements };
    }
    if (isSpreadElement(expr)) return this.valueOf(file, expr.expression, depth);
    if (isJsxElement(expr) || isJsxSelfClosingElement(expr) || isJsxFragment(expr)) return this.jsxValue(file, expr, depth);
    return EMPTY;
  }

  private jsxValue(file: AnalysedFile, node: ts.Node, depth: number): FlowValue {
    const parts: FlowValue[] = [];
    walk(node, (n) => {
      if (!isJsxExpression(n) || !n.expression) return undefined;
      parts.push(this.valueOf(file, n.expression, depth));
      return "skip";
    });
    return union(...parts);
  }

  private objectValue(file: AnalysedFile, expr: ts.ObjectLiteralExpression, depth: number): FlowValue {
    const parts: FlowValue[] = [];
    for (const property of expr.properties) {
      if (isSpreadAssignment(property)) parts.push(this.valueOf(file, property.expression, depth));
      else if (isShorthandPropertyAssignment(property)) parts.push(this.valueOf(file, property.name, depth));
      else if (isPropertyAssignment(property)) {
        const v = this.valueOf(file, property.initializer, depth);
        const key = propertyKey(property.name);
        const opaque = v.fields.length === 0 && v.objects.length === 0 && v.payloads.length === 0 && v.params.length === 0 && !v.encrypted && !v.sanitised && v.decrypted.length === 0;
        // `{ ssn: getSsn() }`: the key is the only evidence of what the value is.
        if (key && opaque && !isLiteral(property.initializer) && !isBooleanExpression(property.initializer) && !isFunctionNode(skipOuterExpressions(property.initializer))) {
          parts.push({ ...empty(), fields: [{ name: key, node: property.name }] });
        } else parts.push(v);
      }
    }
    return union(...parts);
  }

  private identifierValue(file: AnalysedFile, id: ts.Identifier, depth: number): FlowValue {
    if (id.text === "undefined") return EMPTY;
    const binding = this.sem.project.lookup(file, id.text, id);
    if (!binding) return EMPTY;
    if (binding.kind === "param") {
      if (binding.path.length === 0 && ERROR_NAME.test(binding.name)) return { ...empty(), sanitised: true };
      const fn = binding.fn;
      // Every read of a parameter asks the same of its declaration: its position, type name and declared keys.
      let info = this.params.get(binding.node);
      if (!info) {
        info = { index: fn.node.parameters.indexOf(binding.node), owner: typeNameOf(binding.node) };
        this.params.set(binding.node, info);
      }
      const { index, owner } = info;
      const name = isIdentifier(binding.node.name) ? binding.node.name.text : binding.name;
      const keys = binding.path.length === 0 ? (info.keys ??= declaredKeys(binding.node)) : [];
      const param: FlowParam = { fn, index, path: [...binding.path], name, ...(owner ? { owner } : {}), ...(keys.length > 0 ? { keys } : {}), node: id };
      const value: FlowValue = { ...empty(), params: [param] };
      // `(user) => …`, and a destructured `({ profile }) => …`: the name is the evidence of a person's record.
      if (binding.path.length === 0 ? isPersonName(name) : isPersonName(binding.name)) value.objects.push({ name: binding.name, model: binding.path.length === 0 ? (owner ?? name) : binding.name, keys: [], node: id });
      if (binding.path.length === 0 && REQUEST_RECEIVER.test(name)) value.owner = undefined;
      return value;
    }
    if (binding.kind !== "var") return EMPTY;
    const decl = binding.decl;
    if (isCatchClause(decl.parent)) return { ...empty(), sanitised: true };
    const sources: FlowValue[] = [];
    if (binding.init) sources.push(this.valueOf(file, binding.init, depth));
    for (const assigned of this.assignedValues(file, binding.name, decl)) sources.push(this.valueOf(file, assigned, depth));
    let value = union(...sources);
    const firstElements = sources.length === 1 ? sources[0]!.elements : undefined;
    if (firstElements) value.elements = firstElements;
    for (const key of binding.path) value = this.select(value, key, id);
    const opaque = value.fields.length === 0 && value.objects.length === 0 && value.payloads.length === 0 && value.params.length === 0 && !value.encrypted && !value.sanitised && value.decrypted.length === 0;
    const init = binding.init ? skipOuterExpressions(binding.init) : undefined;
    const literalInit = init !== undefined && binding.path.length === 0 && (isLiteral(init) || isObjectLiteralExpression(init) || isArrayLiteralExpression(init));
    // `let deletedUsers = 0; … deletedUsers++`: a counter, whatever it is named.
    if (init !== undefined && binding.path.length === 0 && (isNumericLiteral(init) || init.kind === SyntaxKind.TrueKeyword || init.kind === SyntaxKind.FalseKeyword)) {
      return { ...value, sanitised: true };
    }
    if (isPersonName(binding.name) && !literalInit && !value.sanitised && value.objects.length === 0 && value.fields.length === 0) {
      const owner = typeNameOf(decl);
      value = { ...value, objects: [{ name: binding.name, model: owner ?? binding.name, keys: [], node: id }], owner: owner ?? binding.name };
    } else if (opaque && !literalInit) {
      // `const ssn = readSsn()`: the variable's name is the evidence.
      const owner = typeNameOf(decl);
      // What is read from it belongs to its declared type when that type says what kind of object it is.
      const type = binding.path.length === 0 ? (owner ?? this.loopElementType(file, decl)) : undefined;
      value = { ...value, fields: [{ name: binding.name, ...(owner ? { owner } : {}), ...(type && decisiveType(type) ? { type } : {}), node: id }] };
    }
    if (value.owner === undefined) {
      const owner = typeNameOf(decl);
      if (owner) value = { ...value, owner };
    }
    return value;
  }

  /**
   * The element type of the list a `for (const x of list)` variable walks, when the list's type is
   * declared: a parameter or variable of type `T[]` (`Array<T>`, `Set<T>`), or a field of the
   * enclosing class (`this.candidates`, declared `candidates: T[]`).
   */
  private loopElementType(file: AnalysedFile, decl: ts.VariableDeclaration): string | undefined {
    const list = decl.parent;
    const loop = list?.parent;
    if (!isVariableDeclarationList(list) || !loop || !isForOfStatement(loop) || loop.initializer !== list || !isIdentifier(decl.name)) return undefined;
    const iterable = skipOuterExpressions(loop.expression);
    if (isIdentifier(iterable)) {
      const binding = this.sem.project.lookup(file, iterable.text, iterable);
      if (binding?.kind === "param" && binding.path.length === 0) return elementTypeName(binding.node.type);
      if (binding?.kind === "var" && binding.path.length === 0) return elementTypeName(binding.decl.type);
      return undefined;
    }
    if (isPropertyAccessExpression(iterable) && iterable.expression.kind === SyntaxKind.ThisKeyword) return elementTypeName(classFieldType(iterable, iterable.name.text));
    return undefined;
  }

  /** Right-hand sides of `name = …` assignments in the binding's scope (for `let body; body = await request.json()`). */
  private assignedValues(file: AnalysedFile, name: string, decl: ts.VariableDeclaration): ts.Expression[] {
    const list = decl.parent;
    if (!isVariableDeclarationList(list) || (list.flags & NodeFlags.Const) !== 0) return [];
    let scope: ts.Node = decl;
    while (scope.parent && !isFunctionNode(scope) && !isSourceFile(scope)) scope = scope.parent;
    let byName = this.assignments.get(scope);
    if (!byName) {
      byName = new Map();
      const found = byName;
      walk(scope, (node) => {
        if (isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(node.left)) {
          const list = found.get(node.left.text) ?? [];
          list.push(node.right);
          found.set(node.left.text, list);
        }
      });
      this.assignments.set(scope, byName);
    }
    return (byName.get(name) ?? []).filter((rhs) => {
      const left = (rhs.parent as ts.BinaryExpression).left as ts.Identifier;
      const binding = this.sem.project.lookup(file, name, left);
      return binding?.kind === "var" && binding.decl === decl;
    });
  }

  private callValue(file: AnalysedFile, expr: ts.CallExpression | ts.NewExpression, depth: number): FlowValue {
    // The file's own index of its calls first (no walk up to the source file); `callOf` for a node of another file.
    const own = file.facts?.callByNode.get(expr);
    const call = own ?? this.sem.project.callOf(expr);
    const args = expr.arguments ?? [];
    if (call) {
      if (this.sem.isEncryptCall(file, call)) return { ...empty(), encrypted: true };
      if (this.sem.isDecryptCall(file, call)) return { ...empty(), decrypted: [call] };
      const db = this.sem.dbOperation(file, call);
      if (db) {
        const model = db.table ?? call.chain[call.chain.length - 2] ?? "record";
        const keys: string[] = [];
        const values = db.values ? skipOuterExpressions(db.values) : undefined;
        if (values && isObjectLiteralExpression(values)) for (const p of values.properties) {
          const key = propertyKey(p.name);
          if (key) keys.push(key);
        }
        const modelName = model.replace(/^["'`]|["'`]$/g, "");
        return { ...empty(), objects: [{ name: modelName, model: modelName, keys, node: expr }], owner: modelName };
      }
      const egress = this.sem.egressOf(file, call);
      if (egress) return EMPTY;
    }
    const callee = skipOuterExpressions(expr.expression);
    const chain = chainOf(callee);
    const name = chain[chain.length - 1] ?? "";
    const receiverText = chain.slice(0, -1).join(".");
    // `request.headers.get("authorization")`, `req.get("user-agent")`, `req.header("cookie")`: the header named.
    // …and `formData.get("email")`, `searchParams.get("token")`: the field named, of whatever payload it is read from.
    // A key held in a constant (`headers.get(HEADERS.WORKER_SECRET)`) is named by the constant.
    const keyName = args[0] ? headerKeyName(skipOuterExpressions(args[0])) : undefined;
    if (/^(get|getAll|header)$/.test(name) && keyName !== undefined && isPropertyAccessExpression(callee)) {
      const key = keyName;
      if (REQUEST_RECEIVER.test(receiverText) || /(^|\.)headers(\.\(\))?$/.test(receiverText)) return { ...empty(), fields: [{ name: key, node: expr }] };
      const receiver = this.valueOf(file, callee.expression, depth);
      if (receiver.payloads.length > 0) return { ...empty(), fields: receiver.payloads.map((p) => ({ name: key, ...(p.owner ? { owner: p.owner } : {}), node: expr })) };
    }
    if (/^(json|formData|text|arrayBuffer|blob)$/.test(name) && REQUEST_RECEIVER.test(receiverText)) {
      return { ...empty(), payloads: [{ label: `await ${receiverText}.${name}()`, keys: [], node: expr }] };
    }
    if (/^(constructEvent|constructEventAsync|verifyWebhook|unwrap)$/.test(name) || (name === "verify" && /webhook|wh|svix/i.test(receiverText))) {
      return { ...empty(), payloads: [{ label: "the webhook event", keys: [], node: expr }] };
    }
    if (SANITISER.test(name) && name !== "hash" + "") return { ...empty(), sanitised: true };

    // The crypto state of arguments survives any call (`kms.send(new DecryptCommand(…))`).
    // A callback's value is what it returns (`rows.map((row) => decrypt(row.x))`).
    const argValues = args.map((a) => {
      const inner = skipOuterExpressions(a);
      return isArrowFunction(inner) || isFunctionExpression(inner) ? this.callbackValue(file, inner, depth) : this.valueOf(file, a, depth);
    });
    const crypto: FlowValue = { ...empty(), encrypted: argValues.some((v) => v.encrypted), decrypted: argValues.flatMap((v) => v.decrypted) };

    // A function of the PR: what it returns, with its parameters replaced by our arguments.
    if (isCallExpression(expr)) {
      // A call of this file has its callee resolved once per review (`sem.callee` resolves the same expression).
      const resolved = own ? this.sem.callee(file, own) : this.sem.project.resolve(file, callee);
      if (resolved.kind === "function" && resolved.fn && resolved.path.length === 0) {
        return union(crypto, this.returnedValue(resolved.file, resolved.fn, argValues, depth));
      }
    }

    if (/^(parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|cast)$/.test(name) && args[0]) {
      const schema = isPropertyAccessExpression(callee) ? callee.expression : undefined;
      const schemaText = schema && isIdentifier(skipOuterExpressions(schema)) ? (skipOuterExpressions(schema) as ts.Identifier).text : undefined;
      const keys = schema ? this.schemaKeys(file, schema) : [];
      const input = argValues[0]!;
      // Parsing something that is not a request payload (`JSON.parse(cookie)`, a queue message) makes
      // no payload of it: only a schema whose keys are known says what the parsed value holds.
      const sources = input.payloads.length > 0 ? input.payloads : keys.length > 0 ? [{ label: "the validated input", keys: [], node: expr } as FlowPayload] : [];
      const payloads = sources.map((p) => ({
        ...p,
        keys: [...p.keys, ...keys],
        ...(keys.length > 0 ? { validated: true } : {}),
        ...(schemaText ? { owner: schemaName(schemaText) } : {}),
      }));
      return { ...input, payloads, ...(schemaText ? { owner: schemaName(schemaText) } : {}) };
    }

    if (!TRANSFORMERS.has(name) && !CONTENT_BUILDER.test(name)) return crypto;
    const plainReceiver = isPropertyAccessExpression(callee) && !/^(JSON|Object|Buffer|Array|Promise|String|Number|React|Math)$/.test(receiverText);
    // `rows.map(({ email }) => email)`, `pairs.map(([name]) => name)`: the result holds what the
    // callback returns, its parameters bound to the receiver's elements, not the whole receiver.
    const mapper = args[0] ? skipOuterExpressions(args[0]) : undefined;
    if (plainReceiver && (name === "map" || name === "flatMap") && mapper && (isArrowFunction(mapper) || isFunctionExpression(mapper))) {
      const mapped = this.mappedValue(file, mapper, argValues[0]!, this.valueOf(file, callee.expression, depth));
      if (mapped) return union(crypto, mapped);
    }
    // A method that reads from its receiver (`map.get(userId)`, `rows.find(…)`, `s.slice(0, 8)`) returns part of the receiver, not its arguments.
    const method = isPropertyAccessExpression(callee) && !/^(JSON|Object|Buffer|Array|Promise|String|Number|React|Math)$/.test(receiverText);
    const parts: FlowValue[] = [crypto, ...(method && RECEIVER_READS.has(name) ? [] : argValues)];
    if (isPropertyAccessExpression(callee) && !/^(JSON|Object|Buffer|Array|Promise|String|Number|React|Math)$/.test(receiverText)) {
      parts.push(this.valueOf(file, callee.expression, depth));
    }
    const out = union(...parts);
    if ((name === "all" || name === "allSettled") && argValues[0]?.elements) out.elements = argValues[0].elements;
    // Some of the receiver's elements, each still whole (`pairs.filter(([, v]) => v).map(([k]) => k)`).
    if (plainReceiver && SUBSETS.has(name)) {
      const elements = parts[parts.length - 1]?.elements;
      if (elements) out.elements = elements;
    }
    return out;
  }

  /**
   * What `receiver.map(callback)` holds: the callback's returned value with its parameters bound to
   * an element of the receiver, the index and the receiver itself. Undefined when nothing is known
   * of the receiver's elements: the callback's parameter names are then the only evidence, kept.
   */
  private mappedValue(file: AnalysedFile, callback: ts.ArrowFunction | ts.FunctionExpression, returned: FlowValue, receiver: FlowValue): FlowValue | undefined {
    const fn = this.sem.project.functionOf(callback);
    const element = elementOf(receiver);
    if (!fn || isOpaque(element)) return undefined;
    const bound = this.substitute(returned, fn, [element, EMPTY, receiver]);
    // A property read from an element is exact on whole records (`user.id` of a row) and on tuple
    // positions (`[name]` of `[name, value]`); on anything else (an object literal's values merged,
    // a field) the element's structure is not known, so the receiver's data stays with the result.
    const exact = returned.params.every((p) => p.fn !== fn || p.index !== 0 || p.path.length === 0 || (/^\d+$/.test(p.path[0]!) && element.elements !== undefined) || (element.objects.length > 0 && element.fields.length === 0 && element.payloads.length === 0 && element.params.length === 0));
    return exact ? bound : union(bound, receiver);
  }

  private callbackValue(file: AnalysedFile, fn: ts.ArrowFunction | ts.FunctionExpression, depth: number): FlowValue {
    if (!isBlock(fn.body)) return this.valueOf(file, fn.body, depth);
    return union(...returnedExpressions(fn.body).map((expr) => this.valueOf(file, expr, depth)));
  }

  /** Keys of a zod-style object schema (`z.object({ ssn: … }).strict()`). */
  /** Keys of an object schema (zod-style), or none when they are not known. */
  schemaKeysOf(file: AnalysedFile, schema: ts.Expression): string[] {
    return this.schemaKeys(file, schema);
  }

  private schemaKeys(file: AnalysedFile, schema: ts.Expression, depth = 0): string[] {
    const expr = skipOuterExpressions(schema);
    if (depth > 6) return [];
    if (isIdentifier(expr)) {
      const binding = this.sem.project.lookup(file, expr.text, expr);
      return binding?.kind === "var" && binding.init ? this.schemaKeys(file, binding.init, depth + 1) : [];
    }
    if (isCallExpression(expr)) {
      const arg = expr.arguments[0] ? skipOuterExpressions(expr.arguments[0]) : undefined;
      const calleeName = chainOf(expr.expression).pop();
      if ((calleeName === "object" || calleeName === "extend" || calleeName === "strictObject") && arg && isObjectLiteralExpression(arg)) {
        return arg.properties.map((p) => propertyKey(p.name)).filter((k): k is string => k !== undefined);
      }
      // `z.discriminatedUnion("mode", [a, b])`, `z.union([a, b])`: the keys of every option.
      const options = calleeName === "discriminatedUnion" ? expr.arguments[1] : calleeName === "union" ? expr.arguments[0] : undefined;
      if (options && isArrayLiteralExpression(skipOuterExpressions(options))) {
        const lists = (skipOuterExpressions(options) as ts.ArrayLiteralExpression).elements.map((e) => this.schemaKeys(file, e, depth + 1));
        return lists.some((l) => l.length === 0) ? [] : [...new Set(lists.flat())];
      }
      const callee = skipOuterExpressions(expr.expression);
      if (isPropertyAccessExpression(callee)) return this.schemaKeys(file, callee.expression, depth + 1);
    }
    return [];
  }

  private returnedValue(file: AnalysedFile, fn: FunctionFact, args: FlowValue[], depth: number): FlowValue {
    const body = fn.node.body;
    if (!body) return EMPTY;
    return this.substitute(union(...returnedExpressions(body).map((r) => this.valueOf(file, r, depth))), fn, args);
  }

  /** Replaces a function's parameters in a value by the caller's arguments. */
  substitute(value: FlowValue, fn: FunctionFact, args: FlowValue[]): FlowValue {
    if (!value.params.some((p) => p.fn === fn)) return value;
    const parts: FlowValue[] = [{ ...value, params: value.params.filter((p) => p.fn !== fn), objects: value.objects.filter((o) => !value.params.some((p) => p.fn === fn && p.node === o.node)) }];
    for (const param of value.params) {
      if (param.fn !== fn) continue;
      let arg = args[param.index] ?? EMPTY;
      for (const key of param.path) arg = this.select(arg, key, param.node);
      parts.push(arg);
    }
    return union(...parts);
  }

  /** Calls of a function of the PR from anywhere in the PR. */
  callersOf(fn: FunctionFact): Array<{ file: AnalysedFile; call: CallFact }> {
    if (!this.callers) {
      this.callers = new Map();
      for (const file of this.sem.project.files) {
        for (const call of file.facts?.calls ?? []) {
          if (call.isNew) continue;
          const callee = skipOuterExpressions(call.callee);
          if (!isIdentifier(callee) && !isPropertyAccessExpression(callee)) continue;
          const r = this.sem.callee(file, call);
          if (r.kind !== "function" || !r.fn || r.path.length !== 0) continue;
          const list = this.callers.get(r.fn) ?? [];
          list.push({ file, call });
          this.callers.set(r.fn, list);
        }
      }
    }
    return this.callers.get(fn) ?? [];
  }
}

const instances = new WeakMap<Semantics, Dataflow>();

/** One data-flow cache per review, shared by the rules that follow values. */
export function dataflowOf(sem: Semantics, classification: Classification): Dataflow {
  let flow = instances.get(sem);
  if (!flow) {
    flow = new Dataflow(sem, classification);
    instances.set(sem, flow);
  }
  return flow;
}

/** Identifiers whose value binds a ciphertext to its owner, in order of preference. */
const OWNER_IDS = ["userId", "patientId", "ownerId", "accountId", "customerId", "memberId", "tenantId", "orgId"];

/** An owner id in scope at the call (`userId`, `session.userId`), for a suggestion that compiles. */
export function ownerContextAt(sem: Semantics, file: AnalysedFile, node: ts.Node): string | undefined {
  for (const name of OWNER_IDS) {
    const binding = sem.project.lookup(file, name, node);
    if (binding && binding.kind !== "import" && binding.kind !== "class") return name === "userId" ? "{ userId }" : `{ ${name} }`;
  }
  let fn: ts.Node | undefined = node;
  while (fn && !isFunctionLike(fn)) fn = fn.parent;
  const match = fn ? /\b(session|user|auth|ctx|context|claims)(\?)?\.(userId|user\.id|sub)\b/.exec(fn.getText()) : undefined;
  if (match) {
    const binding = sem.project.lookup(file, match[1]!, node);
    if (binding) return `{ userId: ${match[0]} }`;
  }
  return undefined;
}
