import { tierRank, type Classification, type ClassifiedField, type FieldEvidence, type Tier } from "../types.js";
import { CATEGORIES, DATA_TYPES, type CategoryId, type DataType } from "./data-types.js";
import { normaliseName, singularToken } from "./normalise.js";
import { isObjectNoun, namesHealth, isPersonNoun, ownerKind, type OwnerKind } from "./owners.js";
import { PairMap } from "./pair-map.js";

/**
 * Name → data type → tier, with the owner and the PR's health context deciding the ambiguous
 * cases. The rule throughout: when the evidence is ambiguous, assume one tier higher.
 */

export interface ClassifyContext {
  /** The owning object or table (`Patient`, `patients`, `intake`). */
  owner?: string;
  /** The PR handles health data: dates, free text and person names next to it are PHI. */
  healthContext?: boolean;
}

export interface NameClassification {
  tier: Tier;
  dataType: string;
  category: string;
  reason: string;
}

/** Evidence fields the PR-level classification returns at most. */
export const MAX_EVIDENCE = 20;

// ── Compiled catalogue ─────────────────────────────────────────────────────────────────────

interface CompiledPattern {
  type: DataType;
  tokens: readonly string[];
  /** The pattern must be the whole name. */
  whole: boolean;
  /** Sort key: longer and whole-name patterns are more specific. */
  specificity: number;
}

/** Suffixes an identifier keeps its type with: `taxId`, `passportNumber`, `mrnNo`. */
const IDENTIFIER_SUFFIXES = ["id", "number", "no", "num", "nbr", "nr", "identifier"];

function patternTokens(pattern: string): string[] {
  return pattern
    .split(" ")
    .filter((t) => t.length > 0 && !/^\d+$/.test(t))
    .map(singularToken);
}

function compileCatalogue(): Map<string, CompiledPattern[]> {
  const byLastToken = new Map<string, CompiledPattern[]>();
  const add = (type: DataType, tokens: string[], whole: boolean) => {
    const last = tokens[tokens.length - 1];
    if (last === undefined) return;
    const list = byLastToken.get(last) ?? [];
    list.push({ type, tokens, whole, specificity: tokens.length * 2 + (whole ? 1 : 0) });
    byLastToken.set(last, list);
  };
  for (const type of DATA_TYPES) {
    for (const raw of type.patterns) {
      const whole = raw.startsWith("^");
      const tokens = patternTokens(whole ? raw.slice(1) : raw);
      add(type, tokens, whole);
      if (type.identifier && !IDENTIFIER_SUFFIXES.includes(tokens[tokens.length - 1] ?? "")) {
        for (const suffix of IDENTIFIER_SUFFIXES) add(type, [...tokens, suffix], whole);
      }
    }
  }
  for (const list of byLastToken.values()) {
    list.sort((a, b) => b.specificity - a.specificity || maxTier(b.type) - maxTier(a.type));
  }
  return byLastToken;
}

function maxTier(type: DataType): number {
  return Math.max(
    type.tier ? tierRank(type.tier) : -1,
    type.personTier ? tierRank(type.personTier) : -1,
    type.healthTier ? tierRank(type.healthTier) : -1,
  );
}

const CATALOGUE = compileCatalogue();
const TYPES_BY_ID = new Map(DATA_TYPES.map((t) => [t.id, t]));

// ── Name preparation ───────────────────────────────────────────────────────────────────────

type Qualifier = "encrypted" | "hashed" | "partial";

/** Trailing words that say how a value is stored, not what it is: `ssnCiphertext` holds an SSN. */
const TRAILING_QUALIFIERS: ReadonlyMap<string, Qualifier | undefined> = new Map<string, Qualifier | undefined>([
  ["ciphertext", "encrypted"],
  ["cipher", "encrypted"],
  ["encrypted", "encrypted"],
  ["enc", "encrypted"],
  ["crypt", "encrypted"],
  ["sealed", "encrypted"],
  ["hash", "hashed"],
  ["hashed", "hashed"],
  ["digest", "hashed"],
  ["hmac", "hashed"],
  ["sha", "hashed"],
  ["bcrypt", "hashed"],
  ["masked", "partial"],
  ["redacted", "partial"],
  ["partial", "partial"],
  ["truncated", "partial"],
  ["raw", undefined],
  ["plain", undefined],
  ["plaintext", undefined],
  ["value", undefined],
  ["list", undefined],
  ["array", undefined],
  ["json", undefined],
  ["str", undefined],
  ["string", undefined],
  ["input", undefined],
  ["normalized", undefined],
  ["normalised", undefined],
  ["lower", undefined],
  ["lowercase", undefined],
  ["formatted", undefined],
  ["e", undefined],
  ["blob", undefined],
  ["base", undefined],
  ["b", undefined],
  ["bytes", undefined],
  ["text", undefined],
]);

/** Leading words that qualify the value rather than name its subject (`encryptedSsn`, `primaryEmail`). */
const LEADING_MODIFIERS: ReadonlyMap<string, Qualifier | undefined> = new Map<string, Qualifier | undefined>([
  ["encrypted", "encrypted"],
  ["enc", "encrypted"],
  ["hashed", "hashed"],
  ["masked", "partial"],
  ["redacted", "partial"],
  ["truncated", "partial"],
  ["raw", undefined],
  ["plain", undefined],
  ["plaintext", undefined],
  ["normalized", undefined],
  ["normalised", undefined],
  ["formatted", undefined],
  ["primary", undefined],
  ["secondary", undefined],
  ["current", undefined],
  ["previous", undefined],
  ["old", undefined],
  ["new", undefined],
  ["original", undefined],
  ["confirm", undefined],
  ["temp", undefined],
  ["tmp", undefined],
  ["verified", undefined],
  ["unverified", undefined],
  ["pending", undefined],
  ["default", undefined],
  ["my", undefined],
  ["your", undefined],
  ["their", undefined],
  ["alt", undefined],
  ["alternate", undefined],
  ["alternative", undefined],
  ["backup", undefined],
  ["preferred", undefined],
  ["main", undefined],
  ["other", undefined],
]);

/** A leading verb of a boolean: `isPregnant`, `hasEmail`, `allowSms`. */
const FLAG_PREFIXES = new Set([
  "is", "has", "have", "can", "should", "was", "were", "did", "does", "do", "allow", "allows", "enable", "show",
  "use", "uses", "need", "needs", "want", "wants", "require", "requires", "include", "includes", "accept",
  "accepts", "collect", "ask", "hide", "send", "sync", "skip", "track", "had", "will", "must",
]);

/** Categories whose mere yes/no is itself the sensitive fact (`isPregnant`, `hasHiv`). */
const FLAG_REVEALS: ReadonlySet<CategoryId> = new Set<CategoryId>([
  "health-condition", "health-treatment", "genetic", "special-category", "criminal-record",
]);

interface Prepared {
  tokens: string[];
  qualifiers: Set<Qualifier>;
}

function prepare(rawTokens: readonly string[]): Prepared {
  const qualifiers = new Set<Qualifier>();
  const tokens: string[] = [];
  for (let i = 0; i < rawTokens.length; i++) {
    const token = rawTokens[i] ?? "";
    // `ssnLast4`, `last_four`: a partial value of what precedes it.
    if (token === "last" && (rawTokens[i + 1] === "4" || rawTokens[i + 1] === "four")) {
      qualifiers.add("partial");
      i++;
      continue;
    }
    if (/^\d+$/.test(token)) continue;
    tokens.push(singularToken(token));
  }
  return { tokens, qualifiers };
}

/**
 * Names prepared for matching, by name (null: no tokens at all). The evidence and the data flow
 * ask about the same few names again and again; a prepared name is shared, so nothing mutates it.
 */
const preparedCache = new Map<string, Prepared | null>();

function preparedName(name: string): Prepared | undefined {
  const cached = preparedCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const raw = normaliseName(name);
  const prepared = raw.length === 0 ? null : prepare(raw);
  if (preparedCache.size > 5_000) preparedCache.clear();
  preparedCache.set(name, prepared);
  return prepared ?? undefined;
}

/** The name with trailing storage qualifiers removed, one at a time, most specific first. */
function* tailVariants(prepared: Prepared): Generator<Prepared> {
  yield prepared;
  let tokens = prepared.tokens;
  const qualifiers = new Set(prepared.qualifiers);
  while (tokens.length > 1) {
    const last = tokens[tokens.length - 1] ?? "";
    if (!TRAILING_QUALIFIERS.has(last)) return;
    const qualifier = TRAILING_QUALIFIERS.get(last);
    if (qualifier) qualifiers.add(qualifier);
    tokens = tokens.slice(0, -1);
    yield { tokens, qualifiers: new Set(qualifiers) };
  }
}

// ── Matching ───────────────────────────────────────────────────────────────────────────────

interface Match {
  type: DataType;
  tier: Tier;
  /** Lifted to PHI by a health scope; `via` says which. */
  health?: "owner" | "name" | "context";
  /** Lifted by a person owner (free text about a person). */
  person: boolean;
  qualifiers: Set<Qualifier>;
  flag: boolean;
}

function endsWith(tokens: readonly string[], pattern: readonly string[]): boolean {
  if (pattern.length > tokens.length) return false;
  const offset = tokens.length - pattern.length;
  for (let i = 0; i < pattern.length; i++) if (tokens[offset + i] !== pattern[i]) return false;
  return true;
}

function stripModifiers(prefix: readonly string[], qualifiers: Set<Qualifier>): string[] {
  let start = 0;
  while (start < prefix.length && LEADING_MODIFIERS.has(prefix[start] ?? "")) {
    const q = LEADING_MODIFIERS.get(prefix[start] ?? "");
    if (q) qualifiers.add(q);
    start++;
  }
  return prefix.slice(start);
}

/** Whether a person attribute applies given the words before it and the owner. */
function personAttributeHolds(type: DataType, prefix: readonly string[], owner: OwnerKind | undefined): boolean {
  const rule = type.person;
  if (!rule) return true;
  if (prefix.length === 0) {
    return rule.bare === "person-owner" ? owner?.person === true : owner?.nonPerson !== true;
  }
  // The nearest noun before the pattern decides: `companyBillingAddress` is a company's.
  for (let i = prefix.length - 1; i >= 0; i--) {
    const token = prefix[i] ?? "";
    if (isPersonNoun(token)) return true;
    if (isObjectNoun(token)) return false;
  }
  return rule.prefix === "any";
}

const ACCOUNT_NOUNS = new Set(["user", "account", "profile", "employee", "staff", "admin", "operator", "author", "owner", "actor", "viewer", "session"]);

function isAccountOwner(owner: OwnerKind): boolean {
  return ACCOUNT_NOUNS.has(owner.tokens[owner.tokens.length - 1] ?? "");
}

function evaluate(
  candidate: CompiledPattern,
  tokens: readonly string[],
  qualifiers: Set<Qualifier>,
  owner: OwnerKind | undefined,
  healthContext: boolean,
): Match | undefined {
  const { type } = candidate;
  const localQualifiers = new Set(qualifiers);
  const prefix = stripModifiers(tokens.slice(0, tokens.length - candidate.tokens.length), localQualifiers);
  if (type.exclusions?.some((word) => prefix.includes(word))) return undefined;
  if (!personAttributeHolds(type, prefix, owner)) return undefined;

  let health: Match["health"];
  if (type.healthTier) {
    if (owner?.health || (type.category === "health-insurance" && owner?.insurance)) health = "owner";
    else if (namesHealth(prefix)) health = "name";
    // PR-wide health context reaches fields of unknown, person or health owners, not a Project's.
    // A login account (`User`, `Profile`, `Account`) is not a health record either: its display name is not PHI.
    else if (type.healthScope === "context" && healthContext && !(owner && !owner.health && (owner.nonPerson || isAccountOwner(owner)))) health = "context";
  }
  const personScope = owner?.person === true || prefix.some(isPersonNoun);

  let tier: Tier | undefined = type.tier;
  let person = false;
  if (health && type.healthTier && (!tier || tierRank(type.healthTier) > tierRank(tier))) {
    tier = type.healthTier;
  } else {
    health = undefined;
    if (personScope && type.personTier && (!tier || tierRank(type.personTier) > tierRank(tier))) {
      tier = type.personTier;
      person = true;
    }
  }
  if (!tier) return undefined;
  return { type, tier, ...(health ? { health } : {}), person, qualifiers: localQualifiers, flag: false };
}

function matchTokens(prepared: Prepared, owner: OwnerKind | undefined, healthContext: boolean): Match | undefined {
  for (const variant of tailVariants(prepared)) {
    const last = variant.tokens[variant.tokens.length - 1];
    if (last === undefined) continue;
    for (const candidate of CATALOGUE.get(last) ?? []) {
      if (!endsWith(variant.tokens, candidate.tokens)) continue;
      if (candidate.whole && candidate.tokens.length !== variant.tokens.length) continue;
      const match = evaluate(candidate, variant.tokens, variant.qualifiers, owner, healthContext);
      if (match) return match;
    }
  }
  return undefined;
}

function matchName(name: string, owner: OwnerKind | undefined, healthContext: boolean): Match | undefined {
  const prepared = preparedName(name);
  if (!prepared) return undefined;
  if (prepared.tokens.length === 0) {
    // A bare `last4` is the truncated card number payment providers hand back.
    const cardLastFour = TYPES_BY_ID.get("card-last-four");
    return prepared.qualifiers.has("partial") && cardLastFour
      ? { type: cardLastFour, tier: "sensitive", person: false, qualifiers: new Set(), flag: false }
      : undefined;
  }

  const first = prepared.tokens[0] ?? "";
  if (FLAG_PREFIXES.has(first) && prepared.tokens.length > 1) {
    const rest = matchTokens({ tokens: prepared.tokens.slice(1), qualifiers: prepared.qualifiers }, owner, healthContext);
    if (rest && FLAG_REVEALS.has(rest.type.category) && tierRank(rest.tier) >= tierRank("sensitive")) {
      return { ...rest, flag: true };
    }
    const flagType = TYPES_BY_ID.get("flag");
    return flagType ? { type: flagType, tier: "public", person: false, qualifiers: new Set(), flag: false } : undefined;
  }

  const cardLastFour = TYPES_BY_ID.get("card-last-four");
  if (prepared.qualifiers.has("partial") && prepared.tokens[prepared.tokens.length - 1] === "card" && cardLastFour) {
    return { type: cardLastFour, tier: "sensitive", person: false, qualifiers: new Set(), flag: false };
  }
  const match = matchTokens(prepared, owner, healthContext);
  if (!match) return undefined;
  // A stored hash of a secret is not the secret: `passwordHash` is internal.
  if (match.type.category === "credentials" && match.qualifiers.has("hashed")) return { ...match, tier: "internal" };
  // A truncated card number is not a PAN.
  if (match.type.id === "card-number" && match.qualifiers.has("partial") && cardLastFour) {
    return { ...match, type: cardLastFour, tier: "sensitive" };
  }
  return match;
}

// ── Reasons ────────────────────────────────────────────────────────────────────────────────

function describeOwner(owner: string | undefined): string {
  return owner ? ` (${owner})` : "";
}

function reasonFor(match: Match, owner: string | undefined): string {
  const { type, tier } = match;
  const category = CATEGORIES[type.category];
  const freeText = type.category === "free-text";
  let reason: string;
  if (match.flag) {
    reason = `a flag about ${type.label} reveals it: ${category.health ? "PHI" : tier}`;
  } else if (match.health === "owner") {
    reason = freeText
      ? `free text on a health record${describeOwner(owner)}: assumed PHI (one tier higher)`
      : `${type.label} on a ${type.category === "health-insurance" ? "health or insurance" : "health"} record${describeOwner(owner)}: PHI`;
  } else if (match.health === "name") {
    reason = `${type.label} of a patient or health record: PHI`;
  } else if (match.health === "context") {
    reason = freeText
      ? "free text next to health data in this PR: assumed PHI (one tier higher)"
      : `${type.label} next to health data in this PR: PHI (one tier higher)`;
  } else if (match.person) {
    reason = `${type.label} about a person${describeOwner(owner)}: may hold personal data (one tier higher)`;
  } else if (category.health && tier === "regulated") {
    reason = `${type.label}: PHI`;
  } else if (tier === "regulated") {
    reason = `${type.label} (${category.label}): regulated`;
  } else if (tier === "sensitive") {
    reason = type.category === "credentials" ? `${type.label}: a secret, redact it` : `${type.label}: personal data`;
  } else if (tier === "internal") {
    reason =
      type.category === "credentials" ? `${type.label}, stored hashed: internal` : `${type.label}: internal, not personal data`;
  } else {
    reason = `${type.label}: not personal data`;
  }
  if (match.qualifiers.has("encrypted")) reason += `; stored encrypted (ciphertext), still ${tier} data`;
  else if (match.qualifiers.has("hashed") && type.category !== "credentials") reason += "; stored hashed";
  if (match.qualifiers.has("partial")) reason += "; partial or masked value";
  return reason;
}

// ── Public API ─────────────────────────────────────────────────────────────────────────────

function toResult(match: Match, owner: string | undefined): NameClassification {
  return { tier: match.tier, dataType: match.type.id, category: match.type.category, reason: reasonFor(match, owner) };
}

/**
 * Classifies one field name. Returns undefined when the name matches no data type (unknown);
 * names the catalogue recognises as public (a plan's `title`, a `price`, an `emailTemplate`)
 * come back with tier `public` and the reason.
 */
export function classifyName(name: string, context: ClassifyContext = {}): NameClassification | undefined {
  const match = matchName(name, ownerKind(context.owner), context.healthContext === true);
  return match ? toResult(match, context.owner) : undefined;
}

/** Classifies one piece of evidence; undefined when its name is unknown. */
export function classifyField(evidence: FieldEvidence, healthContext = false): ClassifiedField | undefined {
  const result = classifyName(evidence.name, { owner: evidence.owner, healthContext });
  return result ? withResult(evidence, result) : undefined;
}

/**
 * `{ ...evidence, ...result }`, the same properties in the same order, built with `Object.assign`:
 * V8 adds properties to a spread copy through a slow path (microseconds a field). The two differ
 * only for an own `__proto__` key, which evidence never has.
 */
function withResult(evidence: FieldEvidence, result: NameClassification): ClassifiedField {
  return Object.assign({}, evidence, result);
}

/**
 * Whether a set of fields is health data: a field that is health information on its own
 * (diagnosis, medications, insurance member id), or an owner that is a health record (a patient,
 * appointment, encounter, clinic).
 */
export function detectHealthContext(evidence: readonly FieldEvidence[]): boolean {
  return scanHealth(distinctFields(evidence)) === true;
}

/**
 * The first field of each name and owner, in order (an absent owner is the empty one): repeats
 * of a name and owner match the same, so each pair is matched once.
 */
function distinctFields(evidence: readonly FieldEvidence[]): FieldEvidence[] {
  const seen = new PairMap<true>();
  const distinct: FieldEvidence[] = [];
  for (const field of evidence) {
    const owner = field.owner ?? "";
    if (seen.get(field.name, owner)) continue;
    seen.set(field.name, owner, true);
    distinct.push(field);
  }
  return distinct;
}

/**
 * {@link detectHealthContext} over distinct fields: true, or (no health data) each field's match
 * without a health context, which is then also its classification.
 */
function scanHealth(fields: readonly FieldEvidence[]): true | (Match | undefined)[] {
  const matches: (Match | undefined)[] = [];
  for (const field of fields) {
    const owner = ownerKind(field.owner);
    if (owner?.health) return true;
    const match = matchName(field.name, owner, false);
    if (match && match.tier === "regulated" && CATEGORIES[match.type.category].health) return true;
    matches.push(match);
  }
  return matches;
}

const REGULATION_ORDER = [
  "HIPAA",
  "PCI DSS",
  "GLBA",
  "FCRA / GLBA",
  "state SSN protection laws",
  "state breach-notification laws (government ids)",
  "BIPA and state biometric privacy laws",
  "FERPA",
  "GDPR Art. 9 (special-category data)",
  "GDPR Art. 10 (criminal records)",
  "GDPR / CCPA (personal data)",
];

/** Special categories name their regulation already at the sensitive tier. */
const REGULATED_WHEN_SENSITIVE: ReadonlySet<CategoryId> = new Set<CategoryId>(["special-category", "education", "criminal-record"]);

function regulationsOf(matches: readonly Match[]): string[] {
  const found = new Set<string>();
  for (const match of matches) {
    if (tierRank(match.tier) < tierRank("sensitive")) continue;
    const category = CATEGORIES[match.type.category];
    const regulation = match.type.regulation ?? category.regulation;
    if (match.tier === "regulated") {
      // A name, date or note lifted to PHI is HIPAA data whatever its category.
      if (category.health || match.health) found.add("HIPAA");
      else if (regulation) found.add(regulation);
    } else if (regulation && REGULATED_WHEN_SENSITIVE.has(match.type.category)) {
      found.add(regulation);
    }
    if (category.personal || match.person || match.health) found.add("GDPR / CCPA (personal data)");
  }
  return [...found].sort((a, b) => rank(a) - rank(b));
}

function rank(regulation: string): number {
  const index = REGULATION_ORDER.indexOf(regulation);
  return index === -1 ? REGULATION_ORDER.length : index;
}

/**
 * The PR-level classification: decides the health context, classifies every field with it, and
 * returns the highest tier, the fields that decide it (highest tier first, one per name and
 * owner, at most {@link MAX_EVIDENCE}; public fields are never evidence) and the regulations
 * that apply. No evidence at all is `public`.
 */
export function classifyFields(evidence: readonly FieldEvidence[]): Classification {
  // Evidence repeats names (one per use): a name and owner are matched once, with its first field
  // (a repeat would match the same, at the same tier, and never replace it).
  const fields = distinctFields(evidence);
  const plainMatches = scanHealth(fields);
  const healthContext = plainMatches === true;
  const entries: { field: ClassifiedField; match: Match }[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as FieldEvidence;
    // Without health data in the PR, the scan has matched every field already.
    const match = healthContext ? matchName(field.name, ownerKind(field.owner), true) : plainMatches[i];
    if (match) entries.push({ field: withResult(field, toResult(match, field.owner)), match });
  }
  const tier = entries.reduce<Tier>((top, { match }) => (tierRank(match.tier) > tierRank(top) ? match.tier : top), "public");
  const deciding = entries
    .map(({ field }) => field)
    .filter((field) => field.tier !== "public")
    // Array.prototype.sort is stable: fields of one tier keep the order they were seen in.
    .sort((a, b) => tierRank(b.tier) - tierRank(a.tier))
    .slice(0, MAX_EVIDENCE);
  return { tier, evidence: deciding, regulations: regulationsOf(entries.map(({ match }) => match)) };
}
