/** What a run is: its id, its suite and where its numbers come from (the journal keeps it as `run`). */
import type { SuiteSpec } from "./suite_schema.ts";

/** The provenance record written with every run. */
export interface Provenance {
  arbiter_version: string;
  git_commit: string | null;
  git_dirty: boolean | null;
  deno: string;
  suite: { name: string; version: string; file: string; sha256: string; prompt_version: string };
  dataset: { path: string; sha256: string; images_sha256: string | null; images_checked: boolean };
  model: {
    kind: "endpoint" | "predictions";
    id: string;
    url?: string;
    predictions_sha256?: string;
    /** The checkpoint fingerprint: a hash of the endpoint's stable `/models` fields, and the fields. */
    fingerprint?: string;
    models_entry?: Record<string, unknown>;
  };
  parameters: Record<string, unknown>;
  verifiers: Record<string, string>;
  created_at: string;
}

/** A suite run option a run turned on (`run_options` in the suite), as its results and report name it. */
export interface AppliedOption {
  name: string;
  description: string;
}

/** What the journal keeps about a run besides its items and generations. */
export interface RunMeta {
  id: string;
  suite: SuiteSpec;
  provenance: Provenance;
  /** Items in the suite; the run holds fewer when limited (`--limit`, `--ids`). */
  suite_items?: number;
  /** The items of a limited run (absent: every item of the suite). */
  item_ids?: string[];
  /** Generations per item (absent: 1). */
  samples?: number;
  /** The suite's run options this run turned on (absent: none); `suite` is already the suite they give. */
  options?: AppliedOption[];
}
