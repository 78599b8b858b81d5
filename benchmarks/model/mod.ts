/**
 * The model under test: an OpenAI-compatible endpoint (through the shared client in
 * `verifiers/_openai/`), asked with adaptive concurrency and retries.
 */
export { generateAll, type GenerationEnd, type GenerationSettings, type GenerationTask } from "./generate.ts";
export { modelsUrl, type ServedModel, servedModel } from "./list_models.ts";
export { AdaptiveConcurrency, type BackoffSettings } from "./adaptive_concurrency.ts";
export {
  type ChatEndpoint,
  outcomeOfBody,
  type SamplingParams,
  splitReasoning,
} from "../../verifiers/mod.ts";
