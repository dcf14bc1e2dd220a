/** Data classification: field evidence from source files, and the tier it puts a PR in. */
export { normaliseName } from "./normalise.js";
export { CATEGORIES, DATA_TYPES, catalogueCategories, type Category, type CategoryId, type DataType } from "./data-types.js";
export {
  MAX_EVIDENCE,
  classifyField,
  classifyFields,
  classifyName,
  detectHealthContext,
  type ClassifyContext,
  type NameClassification,
} from "./classify.js";
export { MAX_DEPTH, extractFieldEvidence, type ExtractInput } from "./extract.js";
