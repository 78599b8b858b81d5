/** What a run is asked to do: the suite, the model or predictions, where to keep it, and what it may touch. */
import type { GenerationSpec } from "../core/mod.ts";
import type { Prediction } from "../data/mod.ts";
import type { BackoffSettings } from "../model/mod.ts";
import type { DataRoots, UrlAllowList } from "../../verifiers/_access/mod.ts";

/** What a request from the network may touch: files under `dataRoots`, endpoints on `modelUrls`. */
export interface RunAccess {
  dataRoots: DataRoots;
  modelUrls: UrlAllowList;
}

/** What to run. */
export interface RunRequest {
  /** A suite name (under benchmarks/suites/) or path. */
  suite: string;
  /** Dataset file replacing the suite's path (its pinned sha256 is still checked). */
  dataPath?: string;
  /** The sha256 the caller pins for `dataPath` (a published file where the suite ships a sample). */
  dataSha256?: string;
  /** The model under test… */
  endpoint?: { url: string; model?: string; apiKey?: string };
  /** …or predictions made elsewhere (a JSONL file, or rows given directly). */
  predictions?: { path?: string; rows?: Map<string, Prediction> };
  runsDir: string;
  /**
   * The suite's run options to turn on or off by name (`run_options` in the suite; e.g.
   * `{execute_code: true}`); they change how the run is scored, and are part of its derived id.
   */
  options?: Record<string, boolean>;
  /** Overrides of the suite's generation settings. */
  generation?: GenerationSpec;
  backoff?: BackoffSettings;
  /** A run id to use instead of the derived one. */
  runId?: string;
  /**
   * Set for requests from the network (the HTTP routes): every path must lie under the data roots
   * (built-in suites excepted) and the model URL must be on the allow-list.
   */
  access?: RunAccess;
  /** Generations per item (default 1); sample j is sent with seed `generation.seed + j`. */
  samples?: number;
  /** Only the first `limit` items of the suite (in dataset order). */
  limit?: number;
  /** Only these item ids (each must be an item of the suite). */
  ids?: string[];
  /** Continue a journaled run even if it was generated under a different identity. */
  allowIdentityChange?: boolean;
  /** Aborting stops new requests; what is journaled stays, and the run resumes later. */
  signal?: AbortSignal;
  /** Stop generating after this many consecutive failed items (endpoint down); default 10. */
  maxConsecutiveFailures?: number;
}
