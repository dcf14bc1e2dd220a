/**
 * Field names are matched as token lists, never as raw substrings: `emailTemplate` is
 * ["email", "template"], whose head noun is "template", so it is not an email address.
 */

/** Accessor prefixes that say nothing about the data (`getUserEmail` is an email). */
const ACCESSOR_PREFIXES = new Set(["get", "set"]);

/**
 * Splits a field, column or property name into lower-case word tokens.
 *
 * Boundaries: camelCase, PascalCase and acronyms (`insuranceMemberID`, `IPAddress`), `_`, `-`,
 * `.`, whitespace and any other punctuation, and letter/digit changes (`address1`, `cvv2`).
 * A leading `get`/`set` is dropped when other words follow.
 */
export function normaliseName(name: string): string[] {
  const tokens: string[] = [];
  for (const part of name.split(/[^A-Za-z0-9]+/)) {
    if (part.length === 0) continue;
    const spaced = part
      // "insuranceMember" → "insurance Member", "ssn4" → "ssn 4", "4digits" → "4 digits"
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      // "SSNCiphertext" → "SSN Ciphertext", "IPAddress" → "IP Address"
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
      .replace(/([A-Za-z])([0-9])/g, "$1 $2")
      .replace(/([0-9])([A-Za-z])/g, "$1 $2");
    for (const word of spaced.split(" ")) {
      if (word.length > 0) tokens.push(word.toLowerCase());
    }
  }
  if (tokens.length > 1 && ACCESSOR_PREFIXES.has(tokens[0] ?? "")) tokens.shift();
  return tokens;
}

/** Plural forms that do not lose a trailing "s", and irregular plurals. */
const SINGULAR_EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  ["diagnoses", "diagnosis"],
  ["prognoses", "prognosis"],
  ["analyses", "analysis"],
  ["people", "person"],
  ["children", "child"],
  ["men", "man"],
  ["women", "woman"],
  ["data", "data"],
  ["criteria", "criterion"],
  ["addresses", "address"],
  ["statuses", "status"],
  ["aliases", "alias"],
  ["biases", "bias"],
  ["viruses", "virus"],
  ["surgeries", "surgery"],
  ["allergies", "allergy"],
  ["therapies", "therapy"],
  ["histories", "history"],
  ["injuries", "injury"],
  ["policies", "policy"],
  ["pharmacies", "pharmacy"],
  ["countries", "country"],
  ["cities", "city"],
  ["companies", "company"],
  ["categories", "category"],
  ["entries", "entry"],
  ["replies", "reply"],
  ["retries", "retry"],
  ["properties", "property"],
  ["identities", "identity"],
  ["ethnicities", "ethnicity"],
  ["nationalities", "nationality"],
  ["disabilities", "disability"],
  ["pregnancies", "pregnancy"],
  ["procedures", "procedure"],
  ["indices", "index"],
  ["matrices", "matrix"],
]);

/** Words ending in "s" that are already singular (or have no useful singular). */
const ENDS_IN_S = new Set([
  "address", "status", "alias", "bias", "canvas", "news", "series", "species", "plus", "yes", "this", "has", "was",
  "is", "does", "analysis", "diagnosis", "prognosis", "basis", "genesis", "os", "ios", "aws", "kms", "sms", "gps",
  "dns", "cors", "https", "always", "less", "class", "access", "process", "pass", "miss", "loss", "gross", "bus",
  "virus", "census", "campus", "bonus", "focus", "consensus", "corpus", "thesis", "hypothesis", "atlas", "gas",
  "its", "us", "ms", "ns", "vitals", "lens", "metastasis", "psoriasis", "sclerosis", "tuberculosis", "arthritis",
  "hepatitis", "bronchitis", "herpes", "diabetes", "measles", "mumps", "rabies", "scabies", "aids", "ids", "mrs",
  "ss", "plus", "minus", "nexus", "sinus", "stimulus", "uterus", "fetus", "foetus", "rhesus", "previous", "various",
  "serious", "anonymous", "synchronous", "asynchronous", "continuous", "miscellaneous", "cross", "boss", "express",
  "kudos", "chaos", "ethos", "pathos", "thermos", "axis", "iris", "pelvis", "tennis", "chassis", "physics",
  "economics", "statistics", "analytics", "genetics", "genomics", "metrics", "ethics", "politics", "pediatrics",
  "paediatrics", "orthopedics", "orthopaedics", "obstetrics", "geriatrics", "psychiatrics", "diagnostics",
  "biometrics", "demographics",
]);

/**
 * A crude English singular, enough to let `medications`, `diagnoses` and `notes` meet the
 * catalogue's singular patterns. Applied token by token before matching.
 */
export function singularToken(token: string): string {
  const irregular = SINGULAR_EXCEPTIONS.get(token);
  if (irregular !== undefined) return irregular;
  if (token.length <= 3 || !token.endsWith("s") || ENDS_IN_S.has(token)) {
    // "ids" → "id" is the one short plural that matters.
    return token === "ids" ? "id" : token;
  }
  if (token.endsWith("ies") && token.length > 4) return `${token.slice(0, -3)}y`;
  if (token.endsWith("sses")) return token.slice(0, -2);
  if (token.endsWith("ss") || token.endsWith("us") || token.endsWith("is")) return token;
  if (/(?:x|ch|sh)es$/.test(token)) return token.slice(0, -2);
  return token.slice(0, -1);
}
