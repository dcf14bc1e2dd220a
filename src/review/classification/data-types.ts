import type { Tier } from "../types.js";

/**
 * The catalogue of data types the classifier recognises, grouped by category.
 *
 * A pattern is a sequence of singular, lower-case tokens that must END the normalised field name
 * (`customer_email` ends with "email"; `emailTemplate` ends with "template", so it is not an
 * email). A leading `^` means the pattern must be the whole name (`^date`). Longer patterns win,
 * so `ipAddress` is an IP address and not a postal address, and `taxId` is a tax id rather than an
 * internal id. Names that end in a template, format, flag, count or URL word are claimed by the
 * configuration, metric and public types at the end of the list: those are the exclusions.
 */

export type CategoryId =
  | "person-name"
  | "contact"
  | "postal-address"
  | "geolocation"
  | "online-identifier"
  | "demographics"
  | "special-category"
  | "family"
  | "employment"
  | "education"
  | "criminal-record"
  | "government-id"
  | "tax-id"
  | "vehicle"
  | "bank-account"
  | "payment-card"
  | "financial-profile"
  | "health-condition"
  | "health-treatment"
  | "health-measurement"
  | "health-record"
  | "health-insurance"
  | "genetic"
  | "biometric"
  | "personal-content"
  | "credentials"
  | "free-text"
  | "internal-identifier"
  | "access-control"
  | "timestamp"
  | "metric"
  | "public-content"
  | "configuration";

export interface Category {
  id: CategoryId;
  label: string;
  /** Data about a person (drives "GDPR / CCPA (personal data)" at the sensitive tier). */
  personal: boolean;
  /** Health information: a match makes the PR a health context and, when regulated, HIPAA data. */
  health: boolean;
  /** The regulation named when a field of this category is regulated (or, for special categories, sensitive). */
  regulation?: string;
}

export const CATEGORIES: Readonly<Record<CategoryId, Category>> = {
  "person-name": { id: "person-name", label: "person name", personal: true, health: false },
  contact: { id: "contact", label: "contact details", personal: true, health: false },
  "postal-address": { id: "postal-address", label: "postal address", personal: true, health: false },
  geolocation: { id: "geolocation", label: "geolocation", personal: true, health: false },
  "online-identifier": { id: "online-identifier", label: "online identifier", personal: true, health: false },
  demographics: { id: "demographics", label: "demographics", personal: true, health: false },
  "special-category": {
    id: "special-category",
    label: "special-category data",
    personal: true,
    health: false,
    regulation: "GDPR Art. 9 (special-category data)",
  },
  family: { id: "family", label: "family and relationships", personal: true, health: false },
  employment: { id: "employment", label: "employment", personal: true, health: false },
  education: { id: "education", label: "education records", personal: true, health: false, regulation: "FERPA" },
  "criminal-record": {
    id: "criminal-record",
    label: "criminal records",
    personal: true,
    health: false,
    regulation: "GDPR Art. 10 (criminal records)",
  },
  "government-id": {
    id: "government-id",
    label: "government id",
    personal: true,
    health: false,
    regulation: "state breach-notification laws (government ids)",
  },
  "tax-id": { id: "tax-id", label: "tax identifier", personal: true, health: false, regulation: "state SSN protection laws" },
  vehicle: { id: "vehicle", label: "vehicle identifier", personal: true, health: false },
  "bank-account": { id: "bank-account", label: "bank account", personal: true, health: false, regulation: "GLBA" },
  "payment-card": { id: "payment-card", label: "payment card", personal: true, health: false, regulation: "PCI DSS" },
  "financial-profile": { id: "financial-profile", label: "financial profile", personal: true, health: false, regulation: "GLBA" },
  "health-condition": { id: "health-condition", label: "health condition", personal: true, health: true, regulation: "HIPAA" },
  "health-treatment": { id: "health-treatment", label: "treatment and medication", personal: true, health: true, regulation: "HIPAA" },
  "health-measurement": { id: "health-measurement", label: "lab results and vitals", personal: true, health: true, regulation: "HIPAA" },
  "health-record": { id: "health-record", label: "medical record", personal: true, health: true, regulation: "HIPAA" },
  "health-insurance": { id: "health-insurance", label: "health insurance", personal: true, health: true, regulation: "HIPAA" },
  genetic: { id: "genetic", label: "genetic data", personal: true, health: true, regulation: "HIPAA" },
  biometric: {
    id: "biometric",
    label: "biometric data",
    personal: true,
    health: false,
    regulation: "BIPA and state biometric privacy laws",
  },
  "personal-content": { id: "personal-content", label: "personal content", personal: true, health: false },
  credentials: { id: "credentials", label: "credentials and secrets", personal: false, health: false },
  "free-text": { id: "free-text", label: "free text", personal: false, health: false },
  "internal-identifier": { id: "internal-identifier", label: "internal identifier", personal: false, health: false },
  "access-control": { id: "access-control", label: "role or status", personal: false, health: false },
  timestamp: { id: "timestamp", label: "timestamp", personal: false, health: false },
  metric: { id: "metric", label: "count or metric", personal: false, health: false },
  "public-content": { id: "public-content", label: "public content", personal: false, health: false },
  configuration: { id: "configuration", label: "configuration or flag", personal: false, health: false },
};

/**
 * How a person attribute (a name, an address) depends on what it is attached to.
 * `bare`: a name that is only the pattern (`name`, `address`) counts when the owner is a person
 * (`person-owner`) or unless the owner is a non-person object (`any`).
 * `prefix`: what may precede the pattern: only person nouns (`customerName`, not `fileName`), or
 * any word except a non-person object (`billingAddress`, not `companyAddress`).
 */
export interface PersonAttribute {
  bare: "person-owner" | "any";
  prefix: "person" | "any";
}

export interface DataType {
  id: string;
  category: CategoryId;
  /** A few words for reasons: "date of birth", "insurance member id". */
  label: string;
  /** Tier wherever the name matches; absent: the type only exists in a health scope (`treatment`). */
  tier?: Tier;
  /** Tier when the owner (or a prefix) is a person: free-text notes about a person. */
  personTier?: Tier;
  /** Tier in a health scope: dates, names and notes on a patient record are PHI. */
  healthTier?: Tier;
  /**
   * Which health scope lifts it to `healthTier`: `owner` when the owner or the name itself is about
   * health (`Patient.date`, `patientPhone`); `context` also when the PR handles health data.
   */
  healthScope?: "owner" | "context";
  /** Token sequences (see the module comment). */
  patterns: readonly string[];
  /** An identifier: an `id` / `number` / `no` suffix keeps the type (`taxId`, `passportNumber`). */
  identifier?: boolean;
  person?: PersonAttribute;
  /** Words that, anywhere before the pattern, mean something else (`stored` procedure, `max` age). */
  exclusions?: readonly string[];
  /** Overrides the category's regulation. */
  regulation?: string;
}

/** Shorthand for catalogue rows: `type(id, category, tier, label, patterns, options)`. */
function type(
  id: string,
  category: CategoryId,
  tier: Tier | undefined,
  label: string,
  patterns: readonly string[],
  options: Partial<Omit<DataType, "id" | "category" | "tier" | "label" | "patterns">> = {},
): DataType {
  return { id, category, ...(tier ? { tier } : {}), label, patterns, ...options };
}

const PERSON_ANY: PersonAttribute = { bare: "any", prefix: "any" };
const PERSON_STRICT: PersonAttribute = { bare: "person-owner", prefix: "person" };
const PHI_CONTEXT = { healthTier: "regulated", healthScope: "context" } as const;
const PHI_OWNER = { healthTier: "regulated", healthScope: "owner" } as const;
/** Prefixes that make an "address" a network or machine address, not a postal one. */
const MACHINE_ADDRESS = [
  "contract", "bind", "listen", "socket", "memory", "base", "proxy", "smtp", "relay", "gateway", "peer", "node",
  "network", "hardware", "mac", "web", "url", "broadcast", "multicast", "loopback", "local", "server", "host",
  "wallet", "token", "bitcoin", "btc", "eth", "ethereum", "crypto", "ip", "email", "mail", "return", "reply",
  "sender", "from", "to", "cc", "bcc", "deposit", "withdrawal", "pool", "router", "dns", "dest", "destination",
  "source", "forwarding", "canonical", "api", "endpoint", "rpc", "service", "ws", "websocket", "redis",
];

export const DATA_TYPES: readonly DataType[] = [
  // ── Person names ──────────────────────────────────────────────────────────────────────────
  type("first-name", "person-name", "sensitive", "first name", ["first name", "firstname", "given name", "forename", "fname"], PHI_CONTEXT),
  type("last-name", "person-name", "sensitive", "last name", ["last name", "lastname", "surname", "family name", "lname", "sur name"], PHI_CONTEXT),
  type("middle-name", "person-name", "sensitive", "middle name", ["middle name", "middle initial", "middlename"], PHI_CONTEXT),
  type("maiden-name", "person-name", "sensitive", "maiden name", ["maiden name", "birth name", "mother maiden name"], PHI_CONTEXT),
  type("preferred-name", "person-name", "sensitive", "preferred name", ["preferred name", "nickname", "nick name", "legal name", "chosen name", "alias name"], PHI_CONTEXT),
  type("full-name", "person-name", "sensitive", "full name", ["full name", "fullname", "display name", "displayname", "real name"], {
    ...PHI_CONTEXT,
    person: { bare: "any", prefix: "any" },
  }),
  type("person-name", "person-name", "sensitive", "person's name", ["name"], { ...PHI_CONTEXT, person: PERSON_STRICT }),
  type("name-title", "person-name", "sensitive", "honorific", ["salutation", "honorific", "name prefix", "name suffix"], PHI_CONTEXT),

  // ── Contact details ───────────────────────────────────────────────────────────────────────
  type("email", "contact", "sensitive", "email address", ["email", "e mail", "email address", "email addr", "mail address"], PHI_OWNER),
  type("phone", "contact", "sensitive", "phone number", [
    "phone", "phone number", "phone no", "phonenumber", "telephone", "tel", "mobile", "mobile number", "mobile phone",
    "cell phone", "cell number", "cellphone", "msisdn", "sms number", "whatsapp", "whatsapp number", "contact number",
  ], { ...PHI_OWNER, person: PERSON_ANY }),
  type("fax", "contact", "sensitive", "fax number", ["fax", "fax number", "fax no"], { ...PHI_OWNER, person: PERSON_ANY }),

  // ── Postal address ────────────────────────────────────────────────────────────────────────
  type("street-address", "postal-address", "sensitive", "postal address", [
    "address", "street address", "street", "address line", "street line", "addr", "house number", "apartment",
    "apartment number", "apt", "po box", "post office box", "mailing address", "residential address",
  ], { ...PHI_OWNER, person: PERSON_ANY, exclusions: MACHINE_ADDRESS }),
  type("city", "postal-address", "sensitive", "city", ["city", "town", "city of residence", "home town", "hometown"], {
    ...PHI_OWNER,
    person: PERSON_ANY,
  }),
  type("postcode", "postal-address", "sensitive", "postcode", [
    "postcode", "post code", "postal code", "postalcode", "zip", "zip code", "zipcode", "pin code", "pincode", "postal",
  ], { ...PHI_OWNER, person: PERSON_ANY }),
  type("country-of-residence", "postal-address", "sensitive", "country of residence", ["country of residence", "residence country", "state of residence"]),

  // ── Geolocation ───────────────────────────────────────────────────────────────────────────
  type("geo-coordinates", "geolocation", "sensitive", "geolocation", [
    "latitude", "longitude", "lat", "lng", "lon", "geo", "geolocation", "geo location", "geo point", "coordinates",
    "coordinate", "coords", "gps", "gps location", "lat lng", "lat long", "latlng",
  ], { person: PERSON_ANY }),
  type("location", "geolocation", "sensitive", "location", ["location", "current location", "last known location", "precise location", "home location"], {
    person: { bare: "person-owner", prefix: "any" },
    exclusions: ["storage", "file", "bucket", "s3", "redirect", "header", "window", "cache", "log", "source", "code", "error", "event", "store", "office"],
  }),

  // ── Online identifiers ────────────────────────────────────────────────────────────────────
  type("ip-address", "online-identifier", "sensitive", "IP address", [
    "ip", "ip address", "ipv", "ip addr", "ipaddress", "client ip", "remote ip", "remote address", "remote addr",
    "forwarded for", "x forwarded for", "real ip", "source ip", "user ip",
  ], PHI_OWNER),
  type("mac-address", "online-identifier", "sensitive", "MAC address", ["mac address", "mac addr"]),
  type("device-id", "online-identifier", "sensitive", "device identifier", [
    "device id", "device identifier", "udid", "imei", "imsi", "iccid", "android id", "idfa", "idfv", "gaid", "aaid",
    "advertising id", "advertiser id", "device fingerprint", "browser fingerprint",
  ]),
  type("push-token", "online-identifier", "sensitive", "device push token", ["push token", "device token", "fcm token", "apns token", "registration token"]),
  type("user-agent", "online-identifier", "sensitive", "user agent", ["user agent", "useragent", "ua string"]),
  type("tracking-id", "online-identifier", "sensitive", "tracking identifier", ["anonymous id", "visitor id", "tracking id", "cookie id", "ga client id", "fingerprint id"]),
  type("username", "online-identifier", "sensitive", "username", [
    "username", "user name", "login name", "screen name", "user handle", "social handle", "twitter handle", "instagram handle",
    "user login", "login name", "gamertag",
  ], { person: PERSON_ANY, exclusions: ["error", "event", "click", "submit", "key", "change", "file", "window", "timer", "interval", "db", "stream"] }),

  // ── Demographics ──────────────────────────────────────────────────────────────────────────
  type("date-of-birth", "demographics", "sensitive", "date of birth", [
    "dob", "date of birth", "birth date", "birthdate", "birthday", "birth day", "born on", "born at", "birth",
  ], PHI_CONTEXT),
  type("birth-year", "demographics", "sensitive", "year of birth", ["birth year", "year of birth", "yob"]),
  type("age", "demographics", "sensitive", "age", ["age", "age range", "age group", "age bracket"], {
    ...PHI_OWNER,
    person: { bare: "any", prefix: "person" },
  }),
  type("gender", "demographics", "sensitive", "gender", ["gender", "sex", "gender identity", "sex at birth", "assigned sex", "biological sex"]),
  type("pronouns", "demographics", "sensitive", "pronouns", ["pronoun", "preferred pronoun"]),
  type("marital-status", "demographics", "sensitive", "marital status", ["marital status", "civil status", "relationship status"]),
  type("place-of-birth", "demographics", "sensitive", "place of birth", ["place of birth", "birth place", "birthplace", "country of birth", "birth country", "city of birth"]),
  type("nationality", "demographics", "sensitive", "nationality", ["nationality", "citizenship", "country of citizenship", "citizenship status"]),
  type("veteran-status", "demographics", "sensitive", "veteran status", ["veteran status", "veteran", "military status", "military service"]),
  type("death-date", "demographics", "sensitive", "date of death", ["date of death", "death date", "deceased date", "deceased at", "died at", "died on"], PHI_CONTEXT),

  // ── Special categories (GDPR Art. 9) ──────────────────────────────────────────────────────
  type("ethnicity", "special-category", "sensitive", "ethnicity or race", ["ethnicity", "ethnic origin", "ethnic group", "race", "racial origin", "ethnic background"]),
  type("religion", "special-category", "sensitive", "religion", ["religion", "religious belief", "religious affiliation", "faith", "religious preference"]),
  type("sexual-orientation", "special-category", "sensitive", "sexual orientation", ["sexual orientation", "sexuality", "sexual preference"]),
  type("political-opinion", "special-category", "sensitive", "political opinion", ["political affiliation", "political opinion", "political party", "political view"]),
  type("trade-union", "special-category", "sensitive", "trade-union membership", ["trade union", "union membership", "union member", "trade union membership"]),
  type("philosophical-belief", "special-category", "sensitive", "philosophical belief", ["philosophical belief", "belief system"]),

  // ── Family and relationships ──────────────────────────────────────────────────────────────
  type("emergency-contact", "family", "sensitive", "emergency contact", ["emergency contact", "next of kin", "emergency phone", "emergency contact phone"], PHI_OWNER),
  type("dependents", "family", "sensitive", "dependants", ["dependent", "dependant", "number of dependent", "household size", "child", "number of child"], {
    person: { bare: "person-owner", prefix: "person" },
  }),
  type("spouse", "family", "sensitive", "spouse or partner", ["spouse", "spouse name", "partner name", "husband", "wife"]),

  // ── Employment ────────────────────────────────────────────────────────────────────────────
  type("job-title", "employment", "sensitive", "job title", ["job title", "occupation", "job role", "position title", "profession", "job function"]),
  type("person-title", "employment", "sensitive", "a person's title", ["title"], { person: PERSON_STRICT }),
  type("employer", "employment", "sensitive", "employer", ["employer", "employer name", "workplace"]),
  type("employment-history", "employment", "sensitive", "employment history", ["employment history", "work history", "employment status", "employment record"]),
  type("performance-review", "employment", "sensitive", "performance review", ["performance review", "performance rating", "disciplinary action", "disciplinary record", "termination reason"]),

  // ── Education ─────────────────────────────────────────────────────────────────────────────
  type("education-record", "education", "sensitive", "education record", [
    "gpa", "grade point average", "academic transcript", "academic record", "exam score", "test score", "sat score",
    "act score", "enrollment status", "student record", "report card",
  ]),
  type("grade", "education", "sensitive", "grade", ["grade", "grades"], { person: PERSON_STRICT }),

  // ── Criminal records ──────────────────────────────────────────────────────────────────────
  type("criminal-record", "criminal-record", "sensitive", "criminal record", [
    "criminal record", "criminal history", "conviction", "arrest record", "criminal offense", "criminal offence",
    "background check", "background check result", "sex offender status",
  ]),

  // ── Government ids ────────────────────────────────────────────────────────────────────────
  type("ssn", "government-id", "regulated", "Social Security number", ["ssn", "social security", "social security number", "ssn last four"], {
    identifier: true,
    regulation: "state SSN protection laws",
  }),
  type("national-id", "government-id", "regulated", "national id", [
    "national id", "national identity", "national identification", "national identifier", "nin", "nino",
    "national insurance", "social insurance", "sin number", "personnummer", "bsn", "aadhaar", "aadhar", "cpf",
    "curp", "dni", "nric", "pesel", "hkid", "identity number", "identity card", "id card", "identity document",
    "id document", "government id", "gov id", "citizen id", "resident id", "residence permit",
  ], { identifier: true }),
  type("passport", "government-id", "regulated", "passport number", ["passport", "passport number"], { identifier: true }),
  type("drivers-licence", "government-id", "regulated", "driver's licence", [
    "driver license", "driver licence", "driving license", "driving licence", "dl number", "dln", "drivers license",
    "driver license number", "dl no",
  ], { identifier: true }),
  type("licence-number", "government-id", "sensitive", "licence number (driver's or professional)", ["license number", "licence number"]),
  type("state-id", "government-id", "regulated", "state id", ["state id", "state identification", "state identity card"], { identifier: true }),
  type("visa", "government-id", "regulated", "visa or immigration document", [
    "visa number", "visa document", "work permit", "green card", "green card number", "alien number", "alien registration",
    "alien registration number", "uscis number", "immigration number",
  ], { identifier: true, exclusions: ["card", "payment", "credit", "debit"] }),
  type("immigration-status", "government-id", "sensitive", "immigration status", ["immigration status", "visa status", "visa type", "residency status", "work authorization"]),
  type("voter-id", "government-id", "regulated", "voter id", ["voter id", "voter registration", "voter registration number", "elector number"], { identifier: true }),
  type("military-id", "government-id", "regulated", "military id", ["military id", "dod id", "service member id"], { identifier: true }),
  type("birth-certificate", "government-id", "regulated", "birth certificate number", ["birth certificate", "birth certificate number"], { identifier: true }),

  // ── Tax identifiers ───────────────────────────────────────────────────────────────────────
  type("tax-id", "tax-id", "regulated", "tax id", [
    "tax id", "tin", "ein", "itin", "fein", "tax identification", "tax identifier", "taxpayer id", "taxpayer identification",
    "tax number", "tax file number", "tfn", "employer identification", "tax reference", "utr",
  ], { identifier: true }),
  type("vat-number", "tax-id", "sensitive", "VAT number", ["vat number", "vat id", "vat registration", "gst number", "abn"], { identifier: true }),
  type("tax-return", "tax-id", "regulated", "tax return", ["tax return", "tax form", "tax document"]),

  // ── Vehicles ──────────────────────────────────────────────────────────────────────────────
  type("licence-plate", "vehicle", "sensitive", "licence plate", ["license plate", "licence plate", "number plate", "plate number", "registration plate", "vehicle registration"]),
  type("vin", "vehicle", "sensitive", "vehicle identification number", ["vin", "vehicle identification", "vehicle identification number"], { identifier: true }),

  // ── Bank accounts ─────────────────────────────────────────────────────────────────────────
  type("bank-account-number", "bank-account", "regulated", "bank account number", [
    "bank account", "account number", "acct number", "acct no", "account no", "bank account number", "checking account",
    "savings account", "ach account", "brokerage account", "investment account", "bank acct",
  ], { identifier: true }),
  type("routing-number", "bank-account", "regulated", "routing number", [
    "routing number", "aba", "aba routing", "aba number", "sort code", "bsb", "transit number",
    "bank code", "ifsc", "ifsc code", "clabe",
  ], { identifier: true }),
  type("iban", "bank-account", "regulated", "IBAN", ["iban", "iban number"], { identifier: true }),
  type("swift-bic", "bank-account", "regulated", "SWIFT/BIC code", ["swift code", "bic", "bic code", "swift bic"], { identifier: true }),

  // ── Payment cards ─────────────────────────────────────────────────────────────────────────
  type("card-number", "payment-card", "regulated", "card number (PAN)", [
    "card number", "credit card", "debit card", "^pan", "card pan", "primary account number", "cc number", "ccn",
    "card no", "card num", "payment card", "credit card number", "cc num", "cardnumber",
  ], { identifier: true }),
  type("card-security-code", "payment-card", "regulated", "card security code", ["cvv", "cvc", "csc", "cvn", "card security code", "card verification", "card verification value", "card code", "security code"], {
    exclusions: ["email", "sms", "otp", "login", "mfa", "phone", "verification"],
  }),
  // Expiry is cardholder data only stored with the PAN (PCI DSS); alone it is personal data.
  type("card-expiry", "payment-card", "sensitive", "card expiry", [
    "card expiry", "card expiration", "card exp", "exp month", "exp year", "expiry month", "expiry year",
    "expiration month", "expiration year", "card expiry date", "card expiration date", "card exp date",
  ]),
  type("card-pin", "payment-card", "regulated", "card PIN", ["card pin", "atm pin", "pin number", "pin block"]),
  type("card-track-data", "payment-card", "regulated", "card track data", ["track data", "magnetic stripe", "mag stripe", "card track", "track 2 data"]),
  type("card-last-four", "payment-card", "sensitive", "truncated card number", ["card last four", "masked pan", "masked card", "masked card number", "card mask", "truncated pan"]),
  type("cardholder-name", "payment-card", "sensitive", "cardholder name", ["cardholder name", "card holder name", "name on card", "card name"]),

  // ── Financial profile ─────────────────────────────────────────────────────────────────────
  type("credit-score", "financial-profile", "regulated", "credit score or report", ["credit score", "fico", "fico score", "credit rating", "credit report", "credit history", "credit check"], {
    regulation: "FCRA / GLBA",
  }),
  type("income", "financial-profile", "sensitive", "income or salary", [
    "income", "annual income", "household income", "salary", "wage", "compensation", "earnings", "net worth",
    "pay rate", "gross pay", "net pay", "payroll",
  ]),
  type("debt", "financial-profile", "sensitive", "debts and loans", ["debt", "loan amount", "mortgage", "bankruptcy", "outstanding debt", "credit limit", "debt to income"]),
  type("loan-number", "financial-profile", "regulated", "loan account number", ["loan number", "loan account", "mortgage number", "mortgage account"], { identifier: true }),
  type("account-balance", "financial-profile", "sensitive", "account balance", ["account balance", "bank balance", "available balance", "ledger balance"]),
  type("transaction-history", "financial-profile", "sensitive", "transaction history", ["transaction history", "purchase history", "spending history", "bank statement"]),
  type("crypto-wallet", "financial-profile", "sensitive", "crypto wallet address", ["wallet address", "crypto address", "bitcoin address", "btc address", "eth address", "ethereum address", "wallet"], {
    exclusions: ["apple", "google", "digital", "pass"],
  }),

  // ── Health: conditions ────────────────────────────────────────────────────────────────────
  type("diagnosis", "health-condition", "regulated", "diagnosis", ["diagnosis", "dx", "diagnosis code", "differential diagnosis", "primary diagnosis", "diagnosed condition"]),
  type("icd-code", "health-condition", "regulated", "ICD code", ["icd", "icd code", "icd cm"]),
  type("medical-condition", "health-condition", "regulated", "medical condition", [
    "medical condition", "health condition", "chronic condition", "pre existing condition", "preexisting condition",
    "comorbidity", "illness", "disease", "disorder", "ailment", "injury", "medical problem", "health problem",
  ], { exclusions: ["eating"] }),
  type("condition", "health-condition", undefined, "condition", ["condition"], {
    ...PHI_OWNER,
    exclusions: ["race", "if", "where", "filter", "search", "trigger", "match", "stop", "exit", "loop", "rule", "query", "product", "item", "weather", "road", "payment", "term", "sale", "error", "wait", "retry"],
  }),
  type("symptom", "health-condition", "regulated", "symptom", ["symptom", "chief complaint", "presenting complaint", "presenting problem", "symptom onset"]),
  type("complaint", "health-condition", undefined, "complaint", ["complaint"], PHI_OWNER),
  type("allergy", "health-condition", "regulated", "allergy", ["allergy", "allergen", "allergic reaction", "drug allergy", "food allergy"]),
  type("disability", "health-condition", "regulated", "disability", ["disability", "impairment", "handicap", "disability status", "accessibility need"]),
  type("mental-health", "health-condition", "regulated", "mental health", [
    "mental health", "psychiatric", "psychiatric history", "psychological", "depression", "anxiety", "ptsd",
    "suicide risk", "self harm", "psych eval", "mental health status", "behavioral health", "behavioural health",
  ]),
  type("pregnancy", "health-condition", "regulated", "pregnancy or reproductive health", [
    "pregnancy", "pregnant", "gestation", "gestational age", "trimester", "prenatal", "fertility", "ivf",
    "last menstrual period", "menstrual cycle", "pregnancy status", "abortion", "contraception", "miscarriage",
  ]),
  type("sexual-health", "health-condition", "regulated", "sexual health", ["hiv", "hiv status", "std", "sti", "sexual health", "std result", "sti result"]),
  type("substance-use", "health-condition", "regulated", "substance use", ["substance use", "alcohol use", "drug use", "smoking status", "smoker", "tobacco use", "addiction", "substance abuse"]),
  type("chronic-disease", "health-condition", "regulated", "chronic disease", ["diabetes", "cancer", "hepatitis", "asthma", "epilepsy", "dementia", "alzheimer", "hypertension", "copd"]),
  type("medical-history", "health-condition", "regulated", "medical history", [
    "medical history", "health history", "family history", "family medical history", "past medical history",
    "surgical history", "social history", "medical background",
  ]),

  // ── Health: treatment and medication ──────────────────────────────────────────────────────
  type("medication", "health-treatment", "regulated", "medication", [
    "medication", "medicine", "current medication", "rx", "pharmaceutical", "ndc", "ndc code", "prescribed medication",
    "medication name", "drug name",
  ]),
  type("drug", "health-treatment", undefined, "drug", ["drug", "med", "dosage", "dose", "refill", "pharmacy"], PHI_OWNER),
  type("prescription", "health-treatment", "regulated", "prescription", ["prescription", "prescription number", "rx number", "script number", "eprescription"], { identifier: true }),
  type("treatment", "health-treatment", undefined, "treatment", ["treatment", "therapy", "rehab", "intervention", "regimen"], {
    ...PHI_OWNER,
    exclusions: ["ab", "experiment", "control", "variant", "water", "surface", "color", "colour"],
  }),
  type("treatment-plan", "health-treatment", "regulated", "treatment plan", ["treatment plan", "care plan", "therapy plan", "treatment note", "physical therapy", "chemotherapy", "radiotherapy", "dialysis"]),
  type("procedure", "health-treatment", undefined, "medical procedure", ["procedure"], {
    ...PHI_OWNER,
    exclusions: ["stored", "sql", "remote", "db", "database", "rpc"],
  }),
  type("medical-procedure", "health-treatment", "regulated", "medical procedure", [
    "medical procedure", "surgical procedure", "surgery", "operation note", "cpt", "cpt code", "procedure code", "hcpcs", "hcpcs code",
  ]),
  type("immunization", "health-treatment", "regulated", "immunization", ["immunization", "immunisation", "vaccination", "vaccine", "vaccination status", "vaccine status", "vaccine dose", "vaccination record"]),
  type("visit-reason", "health-record", "regulated", "reason for visit", ["reason for visit", "visit reason", "appointment reason", "reason for appointment", "consultation reason", "referral reason"]),

  // ── Health: lab results and vitals ────────────────────────────────────────────────────────
  type("lab-result", "health-measurement", "regulated", "lab result", [
    "lab result", "lab value", "lab test", "lab", "lab report", "lab panel", "specimen", "biopsy", "pathology",
    "pathology report", "loinc", "loinc code", "blood test", "urine test", "culture result", "screening result",
  ]),
  type("test-result", "health-measurement", undefined, "test result", ["test result", "result", "reference range", "test name", "test code", "test type", "finding", "observation", "reading", "measurement"], PHI_OWNER),
  type("vital-signs", "health-measurement", "regulated", "vital signs", [
    "vitals", "vital sign", "blood pressure", "systolic", "diastolic", "heart rate", "pulse rate", "respiratory rate",
    "respiration rate", "oxygen saturation", "spo", "body temperature", "bmi", "body mass index", "blood oxygen",
  ]),
  type("body-measurement", "health-measurement", undefined, "body measurement", ["weight", "height", "temperature", "pulse", "bp", "waist", "body weight", "body height"], PHI_OWNER),
  type("blood-type", "health-measurement", "regulated", "blood type", ["blood type", "blood group", "rh factor", "blood typing"]),
  type("lab-marker", "health-measurement", "regulated", "lab marker", ["glucose", "blood sugar", "hba 1 c", "hb a 1 c", "a 1 c", "cholesterol", "ldl", "hdl", "triglyceride", "creatinine", "hemoglobin", "haemoglobin", "viral load", "cd count"]),
  type("imaging", "health-measurement", "regulated", "medical imaging", ["x ray", "xray", "mri", "ct scan", "radiology", "radiology report", "imaging result", "ultrasound", "mammogram", "ecg", "ekg", "eeg", "dicom"]),

  // ── Health: medical records ───────────────────────────────────────────────────────────────
  type("medical-record-number", "health-record", "regulated", "medical record number", [
    "mrn", "medical record", "medical record number", "health record", "health record number", "chart number",
    "patient number", "ehr", "emr", "nhs number", "health card", "health card number", "chi number", "phn",
  ], { identifier: true }),
  type("clinical-notes", "health-record", "regulated", "clinical notes", [
    "clinical note", "progress note", "soap note", "doctor note", "physician note", "nurse note", "nursing note",
    "visit note", "encounter note", "medical note", "therapy note", "psychotherapy note", "chart note",
    "discharge summary", "after visit summary", "care note", "clinical summary", "assessment and plan", "triage note",
    "provider note", "clinician note", "consult note",
  ]),
  type("health-date", "health-record", "internal", "date of care", [
    "visit date", "service date", "date of service", "admission date", "admit date", "admitted at", "discharge date",
    "discharged at", "appointment date", "appointment time", "appointment at", "encounter date", "procedure date",
    "surgery date", "treatment date", "diagnosis date", "diagnosed at", "date of diagnosis", "onset date",
    "date of admission", "date of discharge", "date of visit", "visit at", "seen at", "date of injury",
  ], PHI_CONTEXT),
  type("record-date", "health-record", undefined, "date", ["^date", "^day", "^datetime"], PHI_OWNER),
  type("care-provider", "health-record", undefined, "care provider", ["provider", "physician", "doctor", "clinician", "primary care provider", "pcp", "care team", "specialist", "attending"], {
    ...PHI_OWNER,
    exclusions: ["auth", "oauth", "identity", "email", "sms", "payment", "cloud", "storage", "llm", "ai", "model", "sso", "login", "data", "state", "theme", "context", "query"],
  }),
  type("npi", "health-record", "internal", "provider NPI (a public registry number)", ["npi", "npi number", "dea number"]),

  // ── Health insurance ──────────────────────────────────────────────────────────────────────
  type("insurance-member-id", "health-insurance", "regulated", "insurance member id", [
    "insurance member", "insurance id", "insurance number", "insurance card", "health insurance", "health insurance number",
    "health plan id", "health plan number", "medicare", "medicare number", "medicaid", "medicaid number", "mbi", "hicn",
    "beneficiary number", "health insurance claim number", "insurance member number",
  ], { identifier: true }),
  type("member-id", "health-insurance", "internal", "member id", ["member id", "member number", "subscriber id", "subscriber number", "enrollee id"], PHI_CONTEXT),
  type("policy-number", "health-insurance", "sensitive", "insurance policy number", ["policy number", "policy no", "policy id", "insurance policy", "insurance policy number"], {
    ...PHI_CONTEXT,
    exclusions: ["privacy", "retention", "password", "security", "cors", "csp", "iam", "access", "rate", "cache", "bucket", "content"],
  }),
  type("group-number", "health-insurance", undefined, "insurance group number", ["group number", "group no", "group id", "plan group"], PHI_CONTEXT),
  type("insurance-carrier", "health-insurance", "sensitive", "insurance carrier", ["insurance provider", "insurance carrier", "insurer", "insurance company", "payer name", "health plan"], PHI_CONTEXT),
  type("claim-number", "health-insurance", undefined, "insurance claim number", ["claim number", "claim id", "prior authorization", "prior authorization number", "authorization number"], PHI_OWNER),

  // ── Genetic data ──────────────────────────────────────────────────────────────────────────
  type("genetic-data", "genetic", "regulated", "genetic data", [
    "genetic", "genetic test", "genetic test result", "genetic marker", "genetic information", "dna", "dna sample",
    "dna sequence", "genome", "genotype", "gene variant", "genetic variant", "brca", "hereditary condition",
    "carrier status", "genomic data", "genetic profile",
  ]),

  // ── Biometric data ────────────────────────────────────────────────────────────────────────
  type("fingerprint", "biometric", "regulated", "fingerprint", ["fingerprint", "finger print", "thumbprint", "fingerprint template", "fingerprint image", "fingerprint scan"], {
    person: { bare: "person-owner", prefix: "person" },
  }),
  type("face-biometric", "biometric", "regulated", "face biometric", [
    "face template", "face encoding", "face embedding", "face id", "facial geometry", "facial recognition", "face scan",
    "face print", "faceprint", "face vector", "facial template", "face descriptor",
  ]),
  type("iris-retina", "biometric", "regulated", "iris or retina scan", ["iris scan", "retina scan", "retinal scan", "iris template", "iris code"]),
  type("voiceprint", "biometric", "regulated", "voiceprint", ["voiceprint", "voice print", "voice template", "voice biometric", "speaker embedding"]),
  type("palm-print", "biometric", "regulated", "palm or hand geometry", ["palm print", "palmprint", "hand geometry", "palm vein", "vein pattern"]),
  type("biometric-data", "biometric", "regulated", "biometric data", ["biometric", "biometric data", "biometric template", "biometric identifier", "biometric sample"]),

  // ── Personal content ──────────────────────────────────────────────────────────────────────
  type("photo", "personal-content", "sensitive", "photo of a person", ["photo", "selfie", "profile photo", "profile picture", "headshot", "portrait", "id photo", "passport photo", "face photo"], {
    person: PERSON_ANY,
  }),
  type("signature-image", "personal-content", "sensitive", "handwritten signature", ["signature image", "handwritten signature", "e signature", "wet signature", "signature data", "signature png"]),
  type("bio", "personal-content", "sensitive", "biography", ["bio", "biography", "about me", "personal statement"], { person: PERSON_ANY }),
  type("personal-note", "free-text", "public", "notes", ["note", "comment", "remark", "annotation", "memo", "internal note"], {
    personTier: "sensitive",
    ...PHI_CONTEXT,
  }),

  // ── Credentials and secrets (not personal data: sensitive so they are redacted, never regulated) ──
  type("password", "credentials", "sensitive", "password", ["password", "passwd", "pwd", "passphrase", "passcode", "new password", "password confirmation", "^pass"]),
  type("pin", "credentials", "sensitive", "PIN", ["^pin", "security pin", "login pin", "account pin"]),
  type("security-answer", "credentials", "sensitive", "security answer", ["security answer", "secret answer", "recovery answer", "security question answer", "secret question answer"]),
  type("secret-key", "credentials", "sensitive", "secret or private key", [
    "api key", "apikey", "access key", "secret key", "private key", "signing key", "encryption key", "master key",
    "service role key", "client secret", "secret", "app secret", "shared secret", "consumer secret", "secret access key",
    "license key", "webhook secret", "totp secret", "mfa secret", "otp secret", "seed phrase", "mnemonic", "recovery phrase",
  ]),
  type("auth-token", "credentials", "sensitive", "access or session token", [
    "access token", "refresh token", "id token", "auth token", "bearer token", "session token", "oauth token",
    "jwt", "personal access token", "api token", "reset token", "verification token", "magic link token",
    "invite token", "invitation token", "login token", "authorization", "session cookie", "auth cookie",
    "credential", "bearer",
  ]),
  type("one-time-code", "credentials", "sensitive", "one-time code", ["otp", "one time password", "otp code", "verification code", "totp code", "mfa code", "recovery code", "backup code", "sms code", "magic code"]),

  // ── Free text ─────────────────────────────────────────────────────────────────────────────
  type("free-text", "free-text", "public", "free text", [
    "description", "reason", "summary", "message", "body", "content", "text", "detail", "narrative",
    "instruction", "feedback", "answer", "response text", "free text", "explanation", "concern",
    "history", "story", "assessment", "plan of care",
  ], PHI_CONTEXT),

  // ── Internal identifiers ──────────────────────────────────────────────────────────────────
  type("internal-id", "internal-identifier", "internal", "internal id", ["id", "uuid", "guid", "uid", "^pk", "^sub", "ulid", "cuid", "object id", "^kid", "key id", "ref id"]),
  type("actor-reference", "internal-identifier", "internal", "reference to an actor", ["created by", "updated by", "deleted by", "accepted by", "approved by", "modified by", "owned by", "assigned to", "invited by"]),
  type("session-id", "internal-identifier", "internal", "session or request id", ["session id", "request id", "trace id", "span id", "correlation id", "transaction id", "job id", "message id"]),
  type("opaque-token", "internal-identifier", "internal", "opaque token (keep out of logs)", [
    "token", "share token", "csrf token", "xsrf token", "page token", "next token", "continuation token", "cursor",
    "nonce", "idempotency key", "etag", "state token", "invite code", "referral code",
  ]),
  type("external-reference", "internal-identifier", "internal", "external system reference", ["stripe customer", "customer ref", "external ref", "reference", "ref", "reference number", "confirmation number", "order number", "invoice number", "ticket number"]),
  type("metadata", "internal-identifier", "internal", "metadata", ["metadata", "meta", "app metadata", "extra", "context"]),
  type("audit-action", "internal-identifier", "internal", "audit action", ["action", "event type", "activity type", "audit action", "operation"]),

  // ── Roles and status ──────────────────────────────────────────────────────────────────────
  type("role", "access-control", "internal", "role or permission", ["role", "permission", "scope", "privilege", "access level", "entitlement", "grant", "acl"]),
  type("status", "access-control", "internal", "status", ["status", "^state", "stage", "lifecycle state", "workflow state", "phase"]),
  type("tenant", "access-control", "internal", "tenant", ["tenant", "org", "organisation", "organization", "workspace", "team"]),

  // ── Timestamps ────────────────────────────────────────────────────────────────────────────
  type("timestamp", "timestamp", "internal", "timestamp", [
    "at", "created on", "updated on", "deleted on", "modified on", "timestamp", "^ts", "time", "datetime", "date",
    "expiry", "expires", "expiration", "ttl", "deadline", "duration", "since", "until", "expires in", "valid until",
  ]),

  // ── Counts and metrics ────────────────────────────────────────────────────────────────────
  type("count", "metric", "internal", "count", ["count", "total", "number of", "attempt", "retry", "usage", "size", "length", "score", "rank", "position", "sort order", "index", "version", "revision", "prompt token", "completion token", "total token"]),

  // ── Public content ────────────────────────────────────────────────────────────────────────
  type("title", "public-content", "public", "title of a non-person object", ["title", "subtitle", "headline", "caption", "heading", "page title", "subject"]),
  type("object-name", "public-content", "public", "name of a non-person object", ["name", "label", "display label"]),
  type("slug", "public-content", "public", "slug", ["slug", "handle slug", "permalink"]),
  type("price", "public-content", "public", "price", ["price", "amount", "cost", "fee", "cent", "currency", "discount", "price cent", "unit price", "msrp", "rate"]),
  type("feature", "public-content", "public", "feature list", ["feature", "benefit", "highlight", "tag", "category", "keyword", "topic"]),
  type("url", "public-content", "public", "URL (not the data itself)", ["url", "uri", "link", "href", "website", "homepage", "image", "icon", "logo", "avatar", "thumbnail", "path", "endpoint", "route", "redirect", "callback"]),

  // ── Configuration and flags (the exclusions: a setting about data is not the data) ─────────
  type("template", "configuration", "public", "template or format", [
    "template", "format", "pattern", "regex", "placeholder", "hint", "mask", "validator", "validation", "type", "kind",
    "mode", "provider", "setting", "config", "configuration", "preference", "option", "field", "column", "domain",
    "locale", "language", "timezone", "color", "colour", "theme", "style", "frequency", "channel", "schedule",
    "error", "error message", "subject line", "layout", "widget",
  ]),
  type("flag", "configuration", "public", "flag", [
    "enabled", "disabled", "verified", "unverified", "confirmed", "opt in", "opt out", "optin", "optout", "opted in",
    "opted out", "consent", "consented", "allowed", "required", "visible", "hidden", "valid", "invalid", "active",
    "inactive", "locked", "blocked", "public", "private", "published", "featured", "shared", "sent", "opened",
    "clicked", "bounced", "delivered", "subscribed", "unsubscribed", "default", "highlighted", "on", "off", "flag",
    "toggle", "changed", "pending", "exists", "present", "missing", "set",
  ]),
];

/** Every category used by the catalogue, for documentation and tests. */
export function catalogueCategories(): CategoryId[] {
  return [...new Set(DATA_TYPES.map((t) => t.category))];
}
