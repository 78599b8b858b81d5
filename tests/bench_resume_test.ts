/**
 * Killing `bench run` mid-run loses nothing already journaled: a subprocess is killed (SIGKILL)
 * while it generates; the same command then resumes and asks the model only for what the journal
 * lacks.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { MATH_MINI_ANSWERS, startFakeModel } from "./bench_fake_model.ts";

const cliTs = new URL("../cli/bench.ts", import.meta.url).pathname;

function benchCommand(args: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-run",
      cliTs,
      ...args,
    ],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
}

function journaledQuestions(journal: string): string[] {
  const db = new DatabaseSync(journal, { readOnly: true });
  try {
    const rows = db.prepare(
      "SELECT i.data FROM generations g JOIN items i ON i.gen_key = g.gen_key WHERE g.error_code IS NULL",
    ).all() as { data: string }[];
    return rows.map((r) => /Question: ([^\n]*)/.exec(JSON.parse(r.data).prompt.user)![1]);
  } finally {
    db.close();
  }
}

Deno.test("bench run killed mid-run resumes without regenerating what was journaled", async () => {
  const runsDir = await Deno.makeTempDir();
  const model = startFakeModel(new Map(MATH_MINI_ANSWERS.map(([q, answer]) => [q, { answer }])), 150);
  try {
    const args = ["run", "math_mini", "--model-url", model.url, "--runs-dir", runsDir, "--concurrency", "1"];
    const child = benchCommand(args).spawn();
    // Wait until a few answers are journaled, then kill the process without warning.
    let journal = "";
    let done: string[] = [];
    for (let i = 0; i < 200 && done.length < 4; i++) {
      await new Promise((r) => setTimeout(r, 50));
      for await (const entry of Deno.readDir(runsDir)) journal = `${runsDir}/${entry.name}/journal.sqlite`;
      try {
        done = journal ? journaledQuestions(journal) : [];
      } catch { /* the journal is being created */ }
    }
    child.kill("SIGKILL");
    const killed = await child.output();
    assert.equal(killed.success, false);
    const journaled = journaledQuestions(journal);
    assert.ok(journaled.length >= 4 && journaled.length < 12, `journaled ${journaled.length}`);
    const askedBefore = new Map(model.requests);

    const resumed = await benchCommand(args).output();
    const stdout = new TextDecoder().decode(resumed.stdout);
    const stderr = new TextDecoder().decode(resumed.stderr);
    assert.equal(resumed.code, 0, stderr);
    assert.match(stdout, /^run: math_mini-fake-vlm-[0-9a-f]{12}$/m);
    assert.match(stdout, /^accuracy: 75\.0% \(9\/12\)$/m);
    assert.match(stdout, /^question_type\n/m);
    assert.match(stderr, /generating \[#+\] \d+\/\d+ +100%.*ETA/);
    // Every item journaled before the kill was asked exactly as often as before it.
    for (const question of journaled) {
      assert.equal(model.requests.get(question), askedBefore.get(question), question);
    }
    assert.equal(model.requests.size, 12);
  } finally {
    await model.close();
    await Deno.remove(runsDir, { recursive: true });
  }
});
