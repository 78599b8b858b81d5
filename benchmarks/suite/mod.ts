/** A suite: its YAML loaded and checked, its data's pinned hashes checked, its items and prompts built. */
export { isSuiteName, listSuites, type LoadedSuite, loadSuite, parseSuite, suitePathOf } from "./load.ts";
export { applyRunOptions } from "./run_options.ts";
export { type BenchItem, buildItems, verificationItem } from "./items.ts";
export { checkDatasetHash, checkImages, type IntegrityReport } from "./integrity.ts";
export { renderPrompt } from "./template.ts";
export { explodeRecords, shapeRecords } from "./derive.ts";
export { imageSizeOf } from "./image_size.ts";
export { parsePythonList } from "./python_list.ts";
