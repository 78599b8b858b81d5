/**
 * Prompt templates: `{{field.path}}` inserts a value, `{{#field}}…{{/field}}` renders when the value
 * is present (once per element for a list, with `{{.}}`, `{{@letter}}` A, B, … and `{{@index}}`
 * 1, 2, …), `{{^field}}…{{/field}}` when it is absent or empty. Suite `variables` pick a text by
 * the first case whose `when` fields all equal the record's.
 *
 * ```yaml
 * template: "{{question}}{{#choices}}\n({{@letter}}) {{.}}{{/choices}}"
 * ```
 */
import { valueAt } from "../data/mod.ts";
import type { PromptSpec, VariableCase } from "../core/mod.ts";

interface Scope {
  context: Record<string, unknown>;
  item?: { value: unknown; index: number };
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === "") return false;
  return !(Array.isArray(value) && value.length === 0);
}

function lookup(scope: Scope, name: string): unknown {
  if (name === ".") return scope.item?.value;
  if (name === "@index") return scope.item ? scope.item.index + 1 : undefined;
  if (name === "@letter") return scope.item ? String.fromCharCode(65 + scope.item.index) : undefined;
  if (scope.item && name.startsWith(".")) return valueAt(scope.item.value, name.slice(1));
  return valueAt(scope.context, name);
}

function show(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(show).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Index of the `{{/name}}` closing the section opened before `from`, honouring nested ones. */
function closingOf(template: string, name: string, from: number): number {
  let depth = 1;
  const tag = /\{\{([#^/])\s*([^}]+?)\s*\}\}/g;
  tag.lastIndex = from;
  for (let m = tag.exec(template); m; m = tag.exec(template)) {
    if (m[2] !== name) continue;
    if (m[1] === "/") {
      if (--depth === 0) return m.index;
    } else depth++;
  }
  throw new Error(`template: section "${name}" is never closed with {{/${name}}}`);
}

function renderIn(template: string, scope: Scope): string {
  let out = "";
  let at = 0;
  const tag = /\{\{([#^/]?)\s*([^}]+?)\s*\}\}/g;
  while (true) {
    tag.lastIndex = at;
    const m = tag.exec(template);
    if (!m) return out + template.slice(at);
    out += template.slice(at, m.index);
    const [whole, kind, name] = m;
    if (kind === "/") throw new Error(`template: {{/${name}}} closes no section`);
    if (kind === "") {
      out += show(lookup(scope, name));
      at = m.index + whole.length;
      continue;
    }
    const bodyStart = m.index + whole.length;
    const close = closingOf(template, name, bodyStart);
    const body = template.slice(bodyStart, close);
    const value = lookup(scope, name);
    if (kind === "^") {
      if (!isPresent(value)) out += renderIn(body, scope);
    } else if (Array.isArray(value)) {
      value.forEach((v, index) => out += renderIn(body, { ...scope, item: { value: v, index } }));
    } else if (isPresent(value)) out += renderIn(body, scope);
    at = close + `{{/${name}}}`.length;
  }
}

/** Renders a template against a record (plus already resolved variables). */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  return renderIn(template, { context });
}

function caseMatches(record: Record<string, unknown>, when: Record<string, unknown> | undefined): boolean {
  if (!when) return true;
  return Object.entries(when).every(([path, expected]) => {
    const actual = valueAt(record, path);
    return Array.isArray(expected) ? expected.includes(actual) : actual === expected;
  });
}

/** Resolves each variable to the text of its first matching case ("" when none matches). */
export function resolveVariables(
  variables: Record<string, VariableCase[]> | undefined,
  record: Record<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, cases] of Object.entries(variables ?? {})) {
    const match = cases.find((c) => caseMatches(record, c.when));
    out[name] = match ? renderTemplate(match.text, record) : "";
  }
  return out;
}

/** The user prompt (and system prompt, if any) of one record. */
export function renderPrompt(
  prompt: PromptSpec,
  record: Record<string, unknown>,
): { user: string; system?: string } {
  const context = { ...record, ...resolveVariables(prompt.variables, record) };
  const user = renderTemplate(prompt.template, context);
  return prompt.system === undefined ? { user } : { user, system: renderTemplate(prompt.system, context) };
}
