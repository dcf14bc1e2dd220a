import { describe, expect, it } from "vitest";
import { normaliseName } from "../../src/review/classification/index.js";
import { singularToken } from "../../src/review/classification/normalise.js";

describe("normaliseName", () => {
  it.each([
    ["insuranceMemberID", ["insurance", "member", "id"]],
    ["date_of_birth", ["date", "of", "birth"]],
    ["InsuranceMemberId", ["insurance", "member", "id"]],
    ["IPAddress", ["ip", "address"]],
    ["SSNCiphertext", ["ssn", "ciphertext"]],
    ["x-request-id", ["x", "request", "id"]],
    ["user.email", ["user", "email"]],
    ["address_line1", ["address", "line", "1"]],
    ["cvv2", ["cvv", "2"]],
    ["getUserEmail", ["user", "email"]],
    ["setPhoneNumber", ["phone", "number"]],
    ["get", ["get"]],
    ["settings", ["settings"]],
    ["__proto__", ["proto"]],
    ["Patient Notes", ["patient", "notes"]],
    ["", []],
  ])("%s → %j", (name, tokens) => {
    expect(normaliseName(name)).toEqual(tokens);
  });
});

describe("singularToken", () => {
  it.each([
    ["medications", "medication"],
    ["diagnoses", "diagnosis"],
    ["allergies", "allergy"],
    ["addresses", "address"],
    ["status", "status"],
    ["ids", "id"],
    ["notes", "note"],
    ["taxes", "tax"],
    ["diagnosis", "diagnosis"],
    ["sms", "sms"],
  ])("%s → %s", (token, singular) => {
    expect(singularToken(token)).toBe(singular);
  });
});
