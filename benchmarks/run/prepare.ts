/**
 * The first step of a run, before anything is sent anywhere: the suite loaded and confined, its
 * verifier known, the dataset's pinned hash and images checked, the items built and selected
 * (`--limit`, `--ids`), and the generation settings checked against their JSON Schema.
 */
import { Ajv } from "ajv";
import type { Engine } from "../../verifiers/mod.ts";
import { type AppliedOption, generationSchema, type GenerationSpec, SuiteError } from "../core/mod.ts";
import { type IdentifiedRecord, readDataset } from "../data/mod.ts";
import {
  applyRunOptions,
  type BenchItem,
  buildItems,
  checkDatasetHash,
  checkImages,
  type LoadedSuite,
  loadSuite,
  shapeRecords,
} from "../suite/mod.ts";
import { confineSuite } from "./access.ts";
import type { RunRequest } from "./request.ts";

const validateGeneration = new Ajv({ allErrors: false, strict: false, strictNumbers: true }).compile(
  generationSchema,
);

/** Checks generation settings (from a flag, a body or a suite); throws a SuiteError naming the field. */
export function checkGeneration(generation: unknown, where = "generation"): GenerationSpec {
  if (!validateGeneration(generation)) {
    const e = validateGeneration.errors![0];
    throw new SuiteError(`${where}${e.instancePath}: ${e.message}`);
  }
  return generation as GenerationSpec;
}

/** A suite ready to run. */
export interface PreparedRun {
  /** The suite, its spec as the run's options make it (`options`: the ones turned on). */
  suite: LoadedSuite;
  options: AppliedOption[];
  datasetSha256: string;
  records: IdentifiedRecord[];
  images: { imagesSha256: string | null; imagesChecked: boolean };
  /** Every item of the suite. */
  allItems: BenchItem[];
  /** The items this run holds. */
  items: BenchItem[];
  generation: GenerationSpec;
}

function selectItems(all: BenchItem[], request: RunRequest): BenchItem[] {
  let items = all;
  if (request.ids !== undefined) {
    const byId = new Map(all.map((item) => [item.id, item]));
    const unknown = request.ids.filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      throw new SuiteError(
        `--ids: ${unknown.length} ids are not items of the suite (${
          unknown.slice(0, 3).map((id) => JSON.stringify(id.slice(0, 64))).join(", ")
        })`,
      );
    }
    const wanted = new Set(request.ids);
    items = all.filter((item) => wanted.has(item.id));
  }
  if (request.limit !== undefined) {
    if (!Number.isInteger(request.limit) || request.limit < 1) {
      throw new SuiteError("--limit: a positive integer");
    }
    items = items.slice(0, request.limit);
  }
  return items;
}

/** Loads and checks everything a run needs from its suite. */
export async function prepareRun(engine: Engine, request: RunRequest): Promise<PreparedRun> {
  const loaded = loadSuite(request.suite, request.dataPath);
  confineSuite(loaded, request.access);
  const { spec, applied } = applyRunOptions(loaded.spec, request.options);
  const suite = { ...loaded, spec };
  if (spec.scoring.verifier && !engine.verifier(spec.scoring.verifier)) {
    throw new SuiteError(`scoring.verifier: unknown verifier "${spec.scoring.verifier}"`);
  }
  const generation = checkGeneration({ ...(spec.generation ?? {}), ...(request.generation ?? {}) });
  const samples = request.samples ?? 1;
  if (!Number.isInteger(samples) || samples < 1 || samples > 1024) {
    throw new SuiteError("--samples: an integer from 1 to 1024");
  }
  if (request.dataSha256 !== undefined && request.dataPath === undefined) {
    throw new SuiteError("--data-sha256 pins the file given with --data; give both");
  }
  const datasetSha256 = await checkDatasetHash(suite, request.dataSha256);
  const records = await shapeRecords(spec, await readDataset(spec.dataset, suite.dataPath), suite.imagesDir);
  const images = await checkImages(suite, records, request.endpoint !== undefined);
  const allItems = buildItems(spec, records);
  return {
    suite,
    options: applied,
    datasetSha256,
    records,
    images,
    allItems,
    items: selectItems(allItems, request),
    generation,
  };
}
