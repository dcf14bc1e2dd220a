import { normaliseName, singularToken } from "./normalise.js";

/**
 * What kind of thing owns a field. The same word means different data on different objects:
 * `name` on a Patient is PHI, on a Project it is a label; `notes` on an Encounter is PHI.
 */

/** Nouns for a person, or a record about one person. */
export const PERSON_NOUNS: ReadonlySet<string> = new Set([
  "user", "patient", "customer", "member", "profile", "contact", "employee", "account", "person", "people",
  "individual", "human", "owner", "author", "assignee", "recipient", "sender", "invitee", "inviter", "referrer",
  "referee", "guest", "attendee", "applicant", "candidate", "student", "pupil", "teacher", "doctor", "physician",
  "clinician", "nurse", "practitioner", "caregiver", "driver", "passenger", "rider", "buyer", "seller", "shopper",
  "client", "subscriber", "donor", "volunteer", "beneficiary", "dependent", "dependant", "guardian", "parent",
  "child", "spouse", "partner", "kin", "signer", "signatory", "traveler", "traveller", "resident", "citizen",
  "worker", "staff", "contractor", "freelancer", "visitor", "participant", "speaker", "reviewer", "admin",
  "administrator", "founder", "lead", "prospect", "cardholder", "holder", "policyholder", "insured", "claimant",
  "tenant", "landlord", "borrower", "lender", "debtor", "payer", "payee", "consumer", "requester", "reporter",
  "respondent", "learner", "athlete", "player", "fan", "host", "agent", "rep", "representative", "manager",
  "supervisor", "contributor", "commenter", "follower", "friend", "teammate", "colleague",
  "victim", "witness", "suspect", "defendant", "plaintiff", "inmate", "officer", "enrollee",
  "registrant", "entrant", "winner", "recruit", "hire", "intern", "alumnus", "alumni", "baby", "infant", "kid",
  "minor", "adult", "senior", "mother", "father", "husband", "wife", "sibling", "relative", "userprofile",
  "username", "creator", "uploader", "actor", "originator", "approver", "inspector", "nominee", "sponsor",
]);

/** Objects whose own `name`, `title`, `address` or `notes` are not about a person. */
export const NON_PERSON_NOUNS: ReadonlySet<string> = new Set([
  "project", "plan", "document", "doc", "file", "folder", "directory", "team", "product", "widget", "view",
  "dashboard", "organisation", "organization", "org", "company", "business", "workspace", "repo", "repository",
  "board", "task", "page", "article", "post", "template", "setting", "config", "configuration", "category", "tag",
  "feature", "tier", "package", "app", "integration", "webhook", "channel", "group", "role", "permission",
  "course", "event", "model", "dataset", "report", "column", "field", "table", "schema", "label", "link", "store",
  "shop", "merchant", "venue", "office", "site", "website", "domain", "environment", "env", "milestone", "sprint",
  "issue", "commit", "branch", "release", "deployment", "service", "server", "host", "cluster", "node", "asset",
  "image", "video", "media", "attachment", "conversation", "thread", "room", "queue", "job", "worker", "bucket",
  "region", "zone", "namespace", "module", "component", "plugin", "extension", "theme", "layout", "menu", "item",
  "sku", "catalog", "catalogue", "collection", "list", "playlist", "album", "track", "song", "book", "chapter",
  "section", "lesson", "quiz", "question", "survey", "form", "campaign", "newsletter", "ad", "listing", "brand",
  "vendor", "supplier", "manufacturer", "warehouse", "facility", "building", "branch", "department", "division",
  "unit", "location", "city", "country", "currency", "language", "locale", "timezone", "metric", "chart", "graph",
  "api", "endpoint", "route", "key", "secret", "token", "flag", "experiment", "variant", "test", "suite", "step",
  "workflow", "pipeline", "stage", "state", "status", "type", "kind", "enum", "option", "preference", "version",
  "subscription", "price", "pricing", "coupon", "discount", "promo", "bundle", "offer", "deal", "inventory",
  "stock", "shipment", "carrier", "pharmacy", "clinic", "hospital", "lab", "laboratory", "practice", "payer",
  "insurer", "medication", "drug", "vaccine", "device", "view", "cohort", "segment", "audience", "tool", "agent",
  "assistant", "bot", "prompt", "completion", "embedding", "index", "cache", "session",
  "error", "exception", "log", "audit", "notification", "alert", "email", "message", "sms", "contract", "socket",
  "instance", "machine", "container", "process", "runner", "daemon", "executor", "pod", "browser", "method", "function",
  "procedure", "handler", "command", "operation", "resource", "connection", "source", "destination",
  "strategy", "adapter", "resolver", "controller", "middleware", "factory", "loader", "parser", "serializer",
  "transformer", "validator", "generator", "scheduler", "transport", "backend", "engine", "algorithm", "scheme",
  "protocol", "format", "rule",
]);

/**
 * Words that make a noun for a person or a machine (`worker`, `host`, `agent`) a machine:
 * `backgroundWorker`, `cronWorker`, `remoteHost`, `buildAgent`.
 */
const MACHINE_MODIFIERS: ReadonlySet<string> = new Set([
  "background", "cron", "queue", "build", "deploy", "deployment", "web", "service", "task", "job", "thread", "remote",
  "headless", "managed", "serverless", "edge", "cloud", "server", "runner", "ci", "worker", "instance", "group", "pool",
  "process", "machine", "container", "daemon", "proxy", "dev", "ssh", "docker", "compute",
]);

/**
 * Objects that hold health information: a field on one of them is in a health scope, where dates,
 * free text and person names are PHI.
 */
export const HEALTH_OWNER_NOUNS: ReadonlySet<string> = new Set([
  "patient", "appointment", "encounter", "clinic", "visit", "prescription", "medical", "medication", "diagnosis",
  "lab", "clinical", "health", "healthcare", "ehr", "emr", "phr", "treatment", "therapy", "vaccination",
  "immunization", "immunisation", "allergy", "symptom", "condition", "admission", "discharge", "hospital",
  "hospitalization", "hospitalisation", "triage", "intake", "consultation", "telehealth", "telemedicine",
  "vital", "surgery", "pharmacy", "prescriber", "physician", "doctor", "nurse", "clinician",
  "practitioner", "careplan", "coverage", "dental",
  "dentist", "optometry", "psychiatry", "psychiatric", "psychotherapy", "counseling", "counselling", "mental",
  "behavioral", "behavioural", "specimen", "radiology", "imaging", "pathology", "biopsy", "genetic", "genomic",
  "prenatal", "pregnancy", "maternity", "obstetric", "pediatric", "paediatric", "rx", "hipaa", "phi",
]);

/** Owners of an insurance identifier (`memberId` on a Coverage is an insurance member id). */
export const INSURANCE_OWNER_NOUNS: ReadonlySet<string> = new Set([
  "insurance", "coverage", "policy", "claim", "payer", "insurer", "benefit", "eligibility", "subscriber",
  "policyholder", "medicare", "medicaid", "plan",
]);

/**
 * Health words that are also common elsewhere (`visit` in analytics, `intake` in forms): they make
 * a health owner alone (`Visit`) or next to another health word, never as a modifier (`PageVisit`).
 */
const WEAK_HEALTH_NOUNS: ReadonlySet<string> = new Set([
  "visit", "intake", "coverage", "condition", "vital", "admission", "discharge",
]);

export interface OwnerKind {
  /** The owner's tokens, singular. */
  tokens: readonly string[];
  /** A person, or a record about one (`User`, `IntakePatient`, `contactRequest`, `profiles`). */
  person: boolean;
  /** An object that is plainly not about a person (`Project`, `Plan`, `Clinic`). */
  nonPerson: boolean;
  /** A health record or health-care object (`Patient`, `Appointment`, `labResult`). */
  health: boolean;
  /** An insurance object (`Coverage`, `InsurancePolicy`). */
  insurance: boolean;
}

const ownerCache = new Map<string, OwnerKind>();

export function tokensOf(name: string): string[] {
  return normaliseName(name).map(singularToken);
}

/** Decides what kind of object an owner name (type, model, table, schema variable) denotes. */
export function ownerKind(owner: string | undefined): OwnerKind | undefined {
  if (owner === undefined || owner.length === 0) return undefined;
  const cached = ownerCache.get(owner);
  if (cached) return cached;
  const tokens = tokensOf(owner);
  const head = tokens[tokens.length - 1] ?? "";
  const strongHealth = namesHealth(tokens);
  const weakHealth = tokens.filter((t) => WEAK_HEALTH_NOUNS.has(t)).length;
  const health = strongHealth || (weakHealth > 0 && (tokens.length === 1 || weakHealth > 1));
  // The head noun decides: `userProject` is a project, `contactRequest` is about a contact.
  // A noun of both kinds (`worker`, `host`, `agent`) is a machine next to a machine word (`backgroundWorker`, `workerInstance`).
  const machine = tokens.some((t, i) => PERSON_NOUNS.has(t) && NON_PERSON_NOUNS.has(t) && tokens.some((u, j) => j !== i && MACHINE_MODIFIERS.has(u)));
  const nonPerson = isObjectNoun(head) || (machine && !tokens.some((t) => PERSON_NOUNS.has(t) && !NON_PERSON_NOUNS.has(t)));
  const person = !nonPerson && tokens.some((t) => PERSON_NOUNS.has(t));
  const insurance =
    tokens.some((t) => INSURANCE_OWNER_NOUNS.has(t) && t !== "plan") || (tokens.includes("plan") && (health || tokens.includes("health")));
  const kind: OwnerKind = { tokens, person, nonPerson, health, insurance };
  if (ownerCache.size > 5_000) ownerCache.clear();
  ownerCache.set(owner, kind);
  return kind;
}

/** Whether a single token names a person (for prefixes such as `customer` in `customerName`). */
export function isPersonNoun(token: string): boolean {
  return PERSON_NOUNS.has(token);
}

/** Whether a single token names a non-person object (for prefixes such as `company` in `companyAddress`). */
export function isObjectNoun(token: string): boolean {
  return NON_PERSON_NOUNS.has(token) && !PERSON_NOUNS.has(token);
}

/** Whether a single token names health data or a health-care object (`patient` in `patientNotes`). */
export function isHealthNoun(token: string): boolean {
  return HEALTH_OWNER_NOUNS.has(token) && !WEAK_HEALTH_NOUNS.has(token);
}

/**
 * Words that make "health" a system's (`HealthCheckResult`, `healthMonitoring`, `serviceHealth`,
 * `readinessHealth`): a liveness probe or an uptime monitor, not a person's health.
 */
const SYSTEM_HEALTH_WORDS: ReadonlySet<string> = new Set([
  "check", "checker", "probe", "monitor", "monitoring", "endpoint", "live", "liveness", "ready", "readiness", "ping",
  "heartbeat", "uptime", "system", "server", "service", "cluster", "node", "instance", "container", "db", "database",
  "api", "app", "integration", "disk", "cpu", "queue", "worker", "job",
]);

/** Whether a name's tokens speak of health data or a health-care object; "health" next to a system word does not. */
export function namesHealth(tokens: readonly string[]): boolean {
  const systemHealth = tokens.includes("health") && tokens.some((t) => SYSTEM_HEALTH_WORDS.has(t));
  return tokens.some((t) => isHealthNoun(t) && !(systemHealth && t === "health"));
}
