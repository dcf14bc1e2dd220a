import { describe, expect, it } from "vitest";
import {
  CATEGORIES,
  DATA_TYPES,
  MAX_EVIDENCE,
  catalogueCategories,
  classifyFields,
  classifyName,
  detectHealthContext,
  type ClassifyContext,
} from "../../src/review/classification/index.js";
import type { FieldEvidence, Tier } from "../../src/review/types.js";

/** Unknown names and names the catalogue knows to be public both read as `public`. */
function tierOf(name: string, context?: ClassifyContext): Tier {
  return classifyName(name, context)?.tier ?? "public";
}

type Row = [name: string, context: ClassifyContext, tier: Tier, dataType?: string];

const NAMES: Row[] = [
  // Exclusions: a setting, flag, count or link about data is not the data.
  ["emailTemplate", {}, "public", "template"],
  ["notificationEmailEnabled", {}, "public", "flag"],
  ["emailVerified", {}, "public", "flag"],
  ["phoneFormat", {}, "public", "template"],
  ["avatarUrl", {}, "public", "url"],
  ["profileImageUrl", { owner: "User" }, "public", "url"],
  ["smsOptIn", { owner: "Patient" }, "public", "flag"],
  ["hasEmail", {}, "public", "flag"],
  ["isAdmin", {}, "public", "flag"],
  ["emailCount", {}, "internal", "count"],
  ["emailVerifiedAt", {}, "internal", "timestamp"],
  ["zipFile", {}, "public"],
  ["maxAge", {}, "public"],
  ["companyAddress", {}, "public"],
  ["contractAddress", {}, "public"],
  ["companyPhone", {}, "public"],
  ["storedProcedure", { owner: "Patient" }, "public"],
  ["temperature", { owner: "ChatCompletion" }, "public"],
  ["treatment", { owner: "Experiment" }, "public"],
  ["handle", { owner: "Product" }, "public"],
  ["visa", { owner: "AcceptedCardBrands" }, "public"],
  // Internal: ids, roles, timestamps.
  ["userId", {}, "internal", "internal-id"],
  ["patientId", {}, "internal", "internal-id"],
  ["labResultId", {}, "internal", "internal-id"],
  ["createdAt", {}, "internal", "timestamp"],
  ["completedAt", { owner: "Task" }, "internal", "timestamp"],
  ["role_updated_at", { owner: "profiles" }, "internal", "timestamp"],
  ["role", {}, "internal", "role"],
  ["status", {}, "internal", "status"],
  ["uuid", {}, "internal", "internal-id"],
  ["token", { owner: "shareLink" }, "internal", "opaque-token"],
  ["tokenHash", {}, "internal", "opaque-token"],
  ["passwordHash", {}, "internal", "password"],
  ["hashedPassword", {}, "internal", "password"],
  ["memberId", {}, "internal", "member-id"],
  ["metadata", {}, "internal", "metadata"],
  // Public content.
  ["title", { owner: "Plan" }, "public", "title"],
  ["name", { owner: "Project" }, "public", "object-name"],
  ["name", {}, "public", "object-name"],
  // A software component named after whom it serves is still a component: its head noun decides.
  ["name", { owner: "adminAuthenticationStrategy" }, "public", "object-name"],
  ["name", { owner: "userSessionAdapter" }, "public", "object-name"],
  ["fullName", { owner: "Repository" }, "public", "object-name"],
  ["displayName", { owner: "Project" }, "public", "object-name"],
  ["notes", { owner: "Project" }, "public"],
  ["description", { owner: "Product" }, "public", "free-text"],
  ["monthlyPriceCents", { owner: "Plan" }, "public", "price"],
  ["features", { owner: "Plan" }, "public", "feature"],
  ["slug", {}, "public", "slug"],
  ["companyName", {}, "public", "object-name"],
  ["fileName", {}, "public", "object-name"],
  // Sensitive personal data.
  ["invitee_email", { owner: "referrals" }, "sensitive", "email"],
  ["customer_email", {}, "sensitive", "email"],
  ["customerEmail", { owner: "support_tickets" }, "sensitive", "email"],
  ["email", {}, "sensitive", "email"],
  ["getUserEmail", {}, "sensitive", "email"],
  ["phone", {}, "sensitive", "phone"],
  ["mobileNumber", {}, "sensitive", "phone"],
  ["ipAddress", {}, "sensitive", "ip-address"],
  ["IPAddress", {}, "sensitive", "ip-address"],
  ["user_agent", {}, "sensitive", "user-agent"],
  ["deviceId", {}, "sensitive", "device-id"],
  ["lat", {}, "sensitive", "geo-coordinates"],
  ["dateOfBirth", {}, "sensitive", "date-of-birth"],
  ["date_of_birth", {}, "sensitive", "date-of-birth"],
  ["firstName", {}, "sensitive", "first-name"],
  ["lastName", { owner: "User" }, "sensitive", "last-name"],
  ["fullName", {}, "sensitive", "full-name"],
  ["preferredName", { owner: "Customer" }, "sensitive", "preferred-name"],
  ["name", { owner: "User" }, "sensitive", "person-name"],
  ["name", { owner: "contactRequest" }, "sensitive", "person-name"],
  ["name", { owner: "adminUser" }, "sensitive", "person-name"],
  ["customerName", {}, "sensitive", "person-name"],
  ["billingAddress", {}, "sensitive", "street-address"],
  ["address_line_1", {}, "sensitive", "street-address"],
  ["postalCode", {}, "sensitive", "postcode"],
  ["gender", {}, "sensitive", "gender"],
  ["ethnicity", {}, "sensitive", "ethnicity"],
  ["salary", {}, "sensitive", "income"],
  ["jobTitle", {}, "sensitive", "job-title"],
  ["title", { owner: "Employee" }, "sensitive", "person-title"],
  ["password", {}, "sensitive", "password"],
  ["apiKey", {}, "sensitive", "secret-key"],
  ["refresh_token", {}, "sensitive", "auth-token"],
  ["last4", {}, "sensitive", "card-last-four"],
  ["exp_month", {}, "sensitive", "card-expiry"],
  ["cardLast4", {}, "sensitive", "card-last-four"],
  ["notes", { owner: "Customer" }, "sensitive", "personal-note"],
  // Regulated: government, financial and health identifiers, and PHI.
  ["insuranceMemberId", {}, "regulated", "insurance-member-id"],
  ["insuranceMemberIdCiphertext", { owner: "Patient" }, "regulated", "insurance-member-id"],
  ["memberId", { owner: "Coverage" }, "regulated", "member-id"],
  ["memberId", { healthContext: true }, "regulated", "member-id"],
  ["ssn", {}, "regulated", "ssn"],
  ["ssnCiphertext", {}, "regulated", "ssn"],
  ["encryptedSsn", {}, "regulated", "ssn"],
  ["ssnLast4", {}, "regulated", "ssn"],
  ["socialSecurityNumber", {}, "regulated", "ssn"],
  ["taxId", {}, "regulated", "tax-id"],
  ["ein", {}, "regulated", "tax-id"],
  ["nationalId", {}, "regulated", "national-id"],
  ["passportNumber", {}, "regulated", "passport"],
  ["visaNumber", {}, "regulated", "visa"],
  ["driversLicenseId", {}, "regulated", "drivers-licence"],
  ["driver_license_number", {}, "regulated", "drivers-licence"],
  ["cardNumber", {}, "regulated", "card-number"],
  ["cvv2", {}, "regulated", "card-security-code"],
  ["iban", {}, "regulated", "iban"],
  ["accountNumber", {}, "regulated", "bank-account-number"],
  ["routingNumber", {}, "regulated", "routing-number"],
  ["creditScore", {}, "regulated", "credit-score"],
  ["diagnosisCodes", {}, "regulated", "diagnosis"],
  ["diagnosisCodesCiphertext", {}, "regulated", "diagnosis"],
  ["icd10Code", {}, "regulated", "icd-code"],
  ["medications", {}, "regulated", "medication"],
  ["allergies", {}, "regulated", "allergy"],
  ["labResults", {}, "regulated", "lab-result"],
  ["bloodType", {}, "regulated", "blood-type"],
  ["mrn", {}, "regulated", "medical-record-number"],
  ["medicalRecordId", {}, "regulated", "medical-record-number"],
  ["symptoms", {}, "regulated", "symptom"],
  ["immunizations", {}, "regulated", "immunization"],
  ["isPregnant", {}, "regulated", "pregnancy"],
  ["hasDiabetes", {}, "regulated", "chronic-disease"],
  ["clinicalNotes", {}, "regulated", "clinical-notes"],
  ["faceEmbedding", {}, "regulated", "face-biometric"],
  ["fingerprint", { owner: "User" }, "regulated", "fingerprint"],
  ["geneticTestResult", {}, "regulated", "genetic-data"],
  // Health context: one tier higher for dates, names and free text next to health data.
  ["dob", { healthContext: true }, "regulated", "date-of-birth"],
  ["dateOfBirth", { owner: "Patient" }, "regulated", "date-of-birth"],
  ["dob", {}, "sensitive", "date-of-birth"],
  ["notes", { owner: "Patient" }, "regulated", "personal-note"],
  ["notes", { owner: "Project", healthContext: true }, "public"],
  ["reason", { owner: "Appointment" }, "regulated", "free-text"],
  ["description", { owner: "Encounter" }, "regulated", "free-text"],
  ["name", { owner: "Patient" }, "regulated", "person-name"],
  ["firstName", { healthContext: true }, "regulated", "first-name"],
  ["patientFirstName", {}, "regulated", "first-name"],
  ["phone", { owner: "IntakePatient" }, "regulated", "phone"],
  ["date", { owner: "Appointment" }, "regulated", "record-date"],
  ["date", { owner: "Invoice" }, "internal", "timestamp"],
  ["visitDate", { healthContext: true }, "regulated", "health-date"],
  ["createdAt", { owner: "Patient", healthContext: true }, "internal", "timestamp"],
  ["weight", { owner: "Patient" }, "regulated", "body-measurement"],
  ["resultValue", { owner: "LabResult" }, "regulated", "test-result"],
  ["treatment", { owner: "Patient" }, "regulated", "treatment"],
];

describe("classifyName", () => {
  it("has a large table of names", () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(80);
  });

  it.each(NAMES)("%s %j → %s", (name, context, tier, dataType) => {
    expect(tierOf(name, context)).toBe(tier);
    if (dataType) expect(classifyName(name, context)?.dataType).toBe(dataType);
  });

  it("returns undefined for names it does not know", () => {
    expect(classifyName("seatsIncluded")).toBeUndefined();
    expect(classifyName("x")).toBeUndefined();
    expect(classifyName("")).toBeUndefined();
  });

  it("says why, including the one-tier-higher rule and encryption", () => {
    expect(classifyName("notes", { owner: "Patient" })?.reason).toBe("free text on a health record (Patient): assumed PHI (one tier higher)");
    expect(classifyName("dob", { healthContext: true })?.reason).toMatch(/next to health data.*one tier higher/);
    expect(classifyName("ssnCiphertext")?.reason).toMatch(/stored encrypted/);
    expect(classifyName("passwordHash")?.reason).toMatch(/hashed/);
    expect(classifyName("title", { owner: "Plan" })?.reason).toMatch(/not personal data/);
  });

  it("reports the category of the data type", () => {
    expect(classifyName("ssn")).toMatchObject({ category: "government-id" });
    expect(classifyName("medications")).toMatchObject({ category: "health-treatment" });
    expect(classifyName("cardNumber")).toMatchObject({ category: "payment-card" });
  });
});

describe("the catalogue", () => {
  it("is larger than Bearer's (122 data types in 23 categories)", () => {
    expect(DATA_TYPES.length).toBeGreaterThan(122);
    expect(catalogueCategories().length).toBeGreaterThanOrEqual(23);
  });

  it("has unique ids, known categories and at least one pattern per type", () => {
    const ids = DATA_TYPES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const type of DATA_TYPES) {
      expect(CATEGORIES[type.category], type.id).toBeDefined();
      expect(type.patterns.length, type.id).toBeGreaterThan(0);
      expect(type.tier ?? type.healthTier, type.id).toBeDefined();
    }
  });
});

function field(name: string, owner?: string, line = 1): FieldEvidence {
  return { name, path: "src/x.ts", line, source: "type", ...(owner ? { owner } : {}) };
}

describe("classifyFields", () => {
  it("puts a patient record with notes and dob in the regulated tier under HIPAA", () => {
    const result = classifyFields([field("id", "Patient"), field("dob", "Patient", 2), field("notes", "Patient", 3)]);
    expect(result.tier).toBe("regulated");
    expect(result.regulations).toContain("HIPAA");
    expect(result.evidence.map((f) => [f.name, f.tier])).toEqual([
      ["dob", "regulated"],
      ["notes", "regulated"],
      ["id", "internal"],
    ]);
  });

  it("lifts a bare dob to PHI when other fields are health data", () => {
    const result = classifyFields([field("dob"), field("diagnosisCodes")]);
    const dob = result.evidence.find((f) => f.name === "dob");
    expect(dob?.tier).toBe("regulated");
    expect(dob?.reason).toMatch(/health data/);
  });

  it("puts a contact form (name, email, message) in the sensitive tier", () => {
    const result = classifyFields([field("name", "contact"), field("email", "contact"), field("message", "contact")]);
    expect(result.tier).toBe("sensitive");
    expect(result.regulations).toEqual(["GDPR / CCPA (personal data)"]);
    expect(result.evidence.map((f) => f.name)).toEqual(["name", "email"]);
  });

  it("leaves a pricing plan (slug, title, monthlyPriceCents, features) public", () => {
    const result = classifyFields(["slug", "title", "monthlyPriceCents", "features"].map((n) => field(n, "Plan")));
    expect(result).toEqual({ tier: "public", evidence: [], regulations: [] });
  });

  it("puts { id, status, completedAt } in the internal tier", () => {
    const result = classifyFields(["id", "status", "completedAt"].map((n) => field(n, "task")));
    expect(result.tier).toBe("internal");
    expect(result.regulations).toEqual([]);
    expect(result.evidence).toHaveLength(3);
  });

  it("is public with no evidence", () => {
    expect(classifyFields([])).toEqual({ tier: "public", evidence: [], regulations: [] });
  });

  it("names card, bank and SSN regulations", () => {
    expect(classifyFields([field("cardNumber")]).regulations).toContain("PCI DSS");
    expect(classifyFields([field("iban")]).regulations).toContain("GLBA");
    expect(classifyFields([field("ssn")]).regulations).toContain("state SSN protection laws");
    expect(classifyFields([field("taxId")]).regulations).toContain("state SSN protection laws");
    expect(classifyFields([field("ssn")]).regulations).not.toContain("HIPAA");
  });

  it("deduplicates by name and owner, keeps the highest tier first and caps the evidence", () => {
    const many = Array.from({ length: 40 }, (_, i) => field("email", `Customer${i}`));
    const result = classifyFields([field("ssn"), field("ssn"), ...many, field("createdAt")]);
    expect(result.evidence).toHaveLength(MAX_EVIDENCE);
    expect(result.evidence[0]?.name).toBe("ssn");
    expect(result.evidence.filter((f) => f.name === "ssn")).toHaveLength(1);
    expect(result.evidence.every((f) => f.tier !== "internal")).toBe(true);
  });

  it("keeps a project's notes out of a health PR's PHI", () => {
    const result = classifyFields([field("notes", "Project"), field("diagnosis", "Patient")]);
    expect(result.evidence.find((f) => f.name === "notes")).toBeUndefined();
  });
});

describe("detectHealthContext", () => {
  it("is true for a health owner or a health field, false otherwise", () => {
    expect(detectHealthContext([field("id", "Appointment")])).toBe(true);
    expect(detectHealthContext([field("medications")])).toBe(true);
    expect(detectHealthContext([field("email", "User"), field("dob")])).toBe(false);
    expect(detectHealthContext([field("invitee_email", "referrals")])).toBe(false);
  });

  it("reads a system's health (a liveness probe, an uptime monitor) as no health data, and a person's as health data", () => {
    for (const owner of ["HealthCheckResult", "healthMonitoring", "ServiceHealth", "readinessHealth", "cpuHealthStatus"]) {
      expect(detectHealthContext([field("status", owner)]), owner).toBe(false);
    }
    expect(classifyName("checkedAt", { owner: "HealthCheck" })?.tier).not.toBe("regulated");
    expect(classifyName("healthCheckDate")?.tier).not.toBe("regulated");
    for (const owner of ["HealthRecord", "PatientHealth", "healthSurvey", "MentalHealthNote"]) {
      expect(detectHealthContext([field("status", owner)]), owner).toBe(true);
    }
  });
});
