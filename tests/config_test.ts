/** Configuration: defaults, then the YAML file, then environment variables, then flags. */
import assert from "node:assert/strict";
import { ConfigError, defaultConfig, describeConfig, loadConfig } from "../config.ts";

Deno.test("loadConfig() without input is the embedded defaults", () => {
  assert.deepEqual(loadConfig(), defaultConfig);
  assert.equal(defaultConfig.host, "127.0.0.1");
  assert.equal(defaultConfig.port, 8787);
  assert.equal(defaultConfig.max_body_bytes, 64 * 1024 * 1024);
});

Deno.test("loadConfig() applies YAML, then environment, then flags", () => {
  const config = loadConfig({
    yamlText: "port: 9000\nworkers: 3\napi_keys: [a, b]\n",
    env: { ARBITER_PORT: "9100", ARBITER_HOST: "0.0.0.0" },
    flags: { port: "9200" },
  });
  assert.equal(config.port, 9200);
  assert.equal(config.host, "0.0.0.0");
  assert.equal(config.workers, 3);
  assert.deepEqual(config.api_keys, ["a", "b"]);
});

Deno.test("ARBITER_API_KEYS is a comma-separated list and is redacted when printed", () => {
  const config = loadConfig({ env: { ARBITER_API_KEYS: "k1, k2,," } });
  assert.deepEqual(config.api_keys, ["k1", "k2"]);
  assert.doesNotMatch(describeConfig(config), /k1/);
});

Deno.test("loadConfig() rejects unknown settings and bad numbers, quoting the value", () => {
  assert.throws(() => loadConfig({ yamlText: "prot: 1" }), ConfigError);
  assert.throws(
    () => loadConfig({ env: { ARBITER_PORT: "eighty" } }),
    /ARBITER_PORT: port must be a positive integer, got "eighty"/,
  );
});
