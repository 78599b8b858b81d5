/** Judge settings from the config: defaults, keys from the environment, and every bad entry refused by name. */
import assert from "node:assert/strict";
import { engineOptions, loadConfig } from "../config.ts";
import { JudgeConfigError, judgeSettingsOf, templateOf } from "../verifiers/judge/settings.ts";

Deno.test("judgeSettingsOf() fills defaults and reads the key from the named environment variable", () => {
  const s = judgeSettingsOf(
    "g",
    { url: "http://127.0.0.1:8000/v1", model: "m", api_key_env: "K" },
    (name) => name === "K" ? "secret" : undefined,
  );
  assert.equal(s.kind, "chat");
  assert.equal(s.apiKey, "secret");
  assert.equal(s.maxConcurrency, 8);
  assert.equal(s.requestsPerMinute, Infinity);
  assert.equal(s.retries, 2);
  assert.deepEqual(s.sampling, { temperature: 0, max_tokens: 512 });
  assert.deepEqual(s.transform, { kind: "sigmoid", scale: 1, shift: 0 });
});

Deno.test("bad judge and template entries are refused with the setting's name", () => {
  const env = () => undefined;
  const cases: [unknown, RegExp][] = [
    [{ url: "file:///etc/passwd", model: "m" }, /judges\.g\.url/],
    [{ url: "http://x", model: "" }, /judges\.g\.model/],
    [{ url: "http://x", model: "m", kind: "oracle" }, /judges\.g\.kind/],
    [{ url: "http://x", model: "m", max_concurrency: 0 }, /max_concurrency/],
    [{ url: "http://x", model: "m", transform: { kind: "minmax", min: 1, max: 1 } }, /transform/],
    [{ url: "http://x", model: "m", address: "http://y" }, /unknown setting "address"/],
    ["http://x", /must be a mapping/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(
      () => judgeSettingsOf("g", raw, env),
      (e: Error) => e instanceof JudgeConfigError && message.test(e.message),
    );
  }
  assert.throws(
    () => templateOf("t", { user: "no slot", parse: { kind: "scale", min: 0, max: 5 } }),
    /\{\{response\}\}/,
  );
  assert.throws(
    () => templateOf("t", { user: "{{response}}", parse: { kind: "labels", rewards: { a: 2 } } }),
    /\[0, 1\]/,
  );
  assert.equal(templateOf("t", { user: "{{response}}", parse: { kind: "pairwise" } }).version, "1");
});

Deno.test("the config's judges, judge_templates and judge_cache reach the engine options", () => {
  const config = loadConfig({
    yamlText: [
      "judges:",
      "  g: { url: 'http://127.0.0.1:9/v1', model: m }",
      "judge_templates:",
      "  t: { user: '{{response}}', parse: { kind: pairwise } }",
      "judge_cache: cache.sqlite",
      "data_roots: [images]",
    ].join("\n"),
  });
  const options = engineOptions(config);
  assert.deepEqual(Object.keys(options.judges!), ["g"]);
  assert.deepEqual(Object.keys(options.judgeTemplates!), ["t"]);
  assert.equal(options.judgeCache, "cache.sqlite");
  assert.equal(options.dataRoots!.length, 1);
  assert.throws(() => loadConfig({ yamlText: "judges: [1]" }), /judges must be a mapping/);
});
