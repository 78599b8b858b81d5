/**
 * A suite's run options (`run_options` in its YAML): named switches a run turns on that change how it
 * is scored (e.g. `mathvista_testmini`'s `execute_code`). Applying them gives the suite as the run
 * scores it: the options' scoring keys merged over the suite's, checked like the suite's own.
 */
import { Ajv } from "ajv";
import {
  type AppliedOption,
  scoringSchema,
  type ScoringSpec,
  SuiteError,
  type SuiteSpec,
} from "../core/mod.ts";

const validateScoring = new Ajv({ allErrors: false, strict: false }).compile(scoringSchema);

/** The suite's scoring with `changes` merged over it (a `null` removes the key); checked. */
function mergedScoring(spec: SuiteSpec, name: string): ScoringSpec {
  const merged: Record<string, unknown> = { ...spec.scoring };
  for (const [key, value] of Object.entries(spec.run_options![name].scoring)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  if (!validateScoring(merged)) {
    const e = validateScoring.errors![0];
    throw new SuiteError(
      `Suite ${spec.name} is invalid: run_options/${name}/scoring${e.instancePath} (merged with scoring): ${e.message}`,
    );
  }
  return merged as ScoringSpec;
}

/** Checks every run option of a freshly parsed suite (its merged scoring is a valid scoring). */
export function checkRunOptions(spec: SuiteSpec): void {
  for (const name of Object.keys(spec.run_options ?? {})) mergedScoring(spec, name);
}

/**
 * The suite as a run with `options` scores it, and the options applied (in the suite's order; an
 * option set to false is not applied). An option the suite does not define, or a value that is not
 * a boolean, is a SuiteError naming the suite's options.
 */
export function applyRunOptions(
  spec: SuiteSpec,
  options: Record<string, unknown> | undefined,
): { spec: SuiteSpec; applied: AppliedOption[] } {
  const defined = spec.run_options ?? {};
  const names = Object.keys(defined);
  for (const [name, value] of Object.entries(options ?? {})) {
    if (!Object.hasOwn(defined, name)) {
      throw new SuiteError(
        `options: suite ${spec.name} has no option "${name.slice(0, 64)}" (${
          names.length > 0 ? `its options: ${names.join(", ")}` : "it defines none"
        })`,
      );
    }
    if (typeof value !== "boolean") throw new SuiteError(`options.${name}: expected true or false`);
  }
  const on = names.filter((name) => options?.[name] === true);
  if (on.length === 0) return { spec, applied: [] };
  let scoring = spec.scoring;
  for (const name of on) scoring = mergedScoring({ ...spec, scoring }, name);
  return {
    spec: { ...spec, scoring },
    applied: on.map((name) => ({ name, description: defined[name].description })),
  };
}
