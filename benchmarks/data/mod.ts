/** Reading a suite's data as published (JSON by id, JSONL, parquet), its images, and predictions files. */
export { imagePathsOf, type PreparedImage, prepareImages } from "./images.ts";
export { checkPredictions, type Prediction, readPredictionsFile } from "./predictions.ts";
export { type IdentifiedRecord, readDataset } from "./read_dataset.ts";
export { type DataRecord, labelsAt, valueAt } from "./record.ts";
export { jsonSyntaxProblem, readJsonLines } from "./jsonl.ts";
