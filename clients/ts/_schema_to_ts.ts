/**
 * JSON Schema → TypeScript type expressions, for the subset the verifiers' schemas use: `type`
 * (also lists), `enum`, `const`, `oneOf`/`anyOf`, `properties`/`required`/`additionalProperties`,
 * `items` (fixed-length arrays become tuples). Constraints the type system cannot express
 * (minimum, pattern, …) go into the doc comments. Used by `generate_types.ts` only.
 */

/** A JSON Schema object (the subset read here). */
export type Schema = Record<string, unknown>;

const LITERAL_TYPES: Record<string, string> = {
  string: "string",
  number: "number",
  integer: "number",
  boolean: "boolean",
  null: "null",
};

/** Longest fixed-length array written as a tuple rather than `T[]`. */
const MAX_TUPLE = 8;

const CONSTRAINTS = [
  "default",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "pattern",
  "uniqueItems",
];

/** A doc comment for a schema: its description, then its constraints, e.g. "(minimum: 0; default: 4)". */
export function docComment(schema: Schema, indent: string): string {
  const notes = CONSTRAINTS.filter((k) => k in schema).map((k) => `${k}: ${JSON.stringify(schema[k])}`);
  const description = typeof schema.description === "string" ? schema.description : "";
  const text = [description, notes.length ? `(${notes.join("; ")})` : ""].filter(Boolean).join(" ");
  if (!text) return "";
  return `${indent}/** ${text.replaceAll("*/", "*\\/")} */\n`;
}

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.length === 0) return "never";
  return unique.join(" | ");
}

function isObject(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A schema combined with one `oneOf`/`anyOf` branch (properties and `required` merged). */
function mergeBranch(base: Schema, branch: Schema): Schema {
  const { oneOf: _o, anyOf: _a, ...rest } = base;
  const properties = { ...(isObject(rest.properties) ? rest.properties : {}) };
  if (isObject(branch.properties)) Object.assign(properties, branch.properties);
  const required = [
    ...new Set([
      ...(Array.isArray(rest.required) ? rest.required : []),
      ...(Array.isArray(branch.required) ? branch.required : []),
    ]),
  ];
  return { ...rest, ...branch, properties, required };
}

function objectType(schema: Schema, indent: string): string {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required as string[] : []);
  const inner = indent + "  ";
  const lines = Object.entries(properties).map(([name, child]) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
    const optional = required.has(name) ? "" : "?";
    return `${docComment(child as Schema, inner)}${inner}${key}${optional}: ${
      schemaToType(child as Schema, inner)
    };\n`;
  });
  const extra = schema.additionalProperties;
  if (extra !== false) {
    const value = isObject(extra) ? schemaToType(extra, inner) : "unknown";
    lines.push(`${inner}[key: string]: ${value};\n`);
  }
  if (lines.length === 0) return "Record<string, never>";
  return `{\n${lines.join("")}${indent}}`;
}

function arrayType(schema: Schema, indent: string): string {
  const element = isObject(schema.items) ? schemaToType(schema.items, indent) : "unknown";
  const { minItems, maxItems } = schema;
  if (typeof minItems === "number" && minItems === maxItems && minItems > 0 && minItems <= MAX_TUPLE) {
    return `[${Array.from({ length: minItems }, () => element).join(", ")}]`;
  }
  return element.includes("|") || element.includes("&") ? `(${element})[]` : `${element}[]`;
}

/** The TypeScript type that the values valid against `schema` have (`indent` for nested objects). */
export function schemaToType(schema: Schema, indent = ""): string {
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return union(schema.enum.map((v) => JSON.stringify(v)));
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (Array.isArray(branches)) {
    const hasBase = "type" in schema || "properties" in schema;
    return union(branches.map((b) => schemaToType(hasBase ? mergeBranch(schema, b) : b, indent)));
  }
  if (schema.type === undefined) return "unknown";
  const types = Array.isArray(schema.type) ? schema.type as string[] : [schema.type as string];
  return union(types.map((type) => {
    if (type === "object") return objectType(schema, indent);
    if (type === "array") return arrayType(schema, indent);
    return LITERAL_TYPES[type] ?? "unknown";
  }));
}
