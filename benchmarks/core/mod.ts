/**
 * The nouns every part of the benchmark runner shares, at the bottom of its folders: the suite's
 * shape, a run's meta and provenance, a scored sample, the suite error, and content hashes.
 */
export { SuiteError } from "./suite_error.ts";
export { type Sample, UNEXTRACTABLE_REASONS } from "./sample.ts";
export type { AppliedOption, Provenance, RunMeta } from "./run_meta.ts";
export {
  type DatasetSpec,
  type DeriveSpec,
  generationSchema,
  type GenerationSpec,
  type PromptSpec,
  type RunOptionSpec,
  scoringSchema,
  type ScoringSpec,
  suiteSchema,
  type SuiteSpec,
  type VariableCase,
} from "./suite_schema.ts";
export {
  contentKey,
  DATASET_EXTENSIONS,
  datasetFilesIn,
  sha256Dataset,
  sha256File,
  sha256Hex,
} from "./content_hash.ts";
export { encodeBase64 } from "./base64.ts";
