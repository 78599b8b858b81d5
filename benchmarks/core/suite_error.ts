/** The one error a suite or its data can raise before a run starts; the message names the field or file. */

/** A suite that fails its schema, names a missing file, or whose data fails a hash check. */
export class SuiteError extends Error {
  readonly code = "invalid_suite";
  override name = "SuiteError";
}
