/**
 * The one OpenAI-compatible chat client (vLLM, SGLang, Ollama, LM Studio, hosted APIs) that the
 * benchmark runner (the model under test) and the `judge` verifier (the grader) both use.
 */
export {
  chatBody,
  type ChatEndpoint,
  type ChatOutcome,
  type ChatPrompt,
  completionsUrl,
  logprobsOf,
  MAX_LOGPROB_TOKENS,
  outcomeOfBody,
  requestCompletion,
  type SamplingParams,
  type TokenLogprob,
} from "./chat_client.ts";
export { type SplitAnswer, splitReasoning } from "./think.ts";
export { MAX_ANSWER_BYTES, postJson, type PostOutcome, retryAfterMsOf } from "./http.ts";
export { Http1Pool } from "./http1.ts";
