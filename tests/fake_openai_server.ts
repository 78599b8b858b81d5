/**
 * A project-made fake of the endpoints a judge calls, on 127.0.0.1 only: OpenAI-compatible
 * `/v1/chat/completions`, vLLM's `/pooling`, and a generic one-score `/score`. A test decides each
 * answer with `reply` (content, logprobs, usage, latency, a status with Retry-After, a hang, a
 * malformed body) and reads back every request it received (templates, delimiters, image parts,
 * timing, how many were in flight at once).
 */

/** How the fake answers one request. */
export interface FakeReply {
  /** Chat: the answer's content. */
  content?: string;
  /** Chat: `choices[0].logprobs.content` entries. */
  logprobs?: { token: string; logprob: number; top_logprobs: { token: string; logprob: number }[] }[];
  /** Pooling: `data[0].data` (a number, a vector, or one row per token). Score: the score. */
  pooled?: unknown;
  score?: number;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  finishReason?: string;
  /** An error status (e.g. 429, 500) with an optional Retry-After header. */
  status?: number;
  retryAfter?: string;
  /** Sent as the body instead of a well-formed answer. */
  rawBody?: string;
  /** Overrides the server's latency for this answer. */
  delayMs?: number;
  /** Never answers (until the server closes). */
  hang?: boolean;
}

/** One request the fake received. */
export interface RecordedRequest {
  path: string;
  // deno-lint-ignore no-explicit-any
  body: any;
  authorization: string | null;
  /** `performance.now()` when it arrived. */
  at: number;
}

/** A running fake. */
export interface FakeServer {
  /** `http://127.0.0.1:PORT/v1` (the base URL a chat judge is configured with). */
  url: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  requests: RecordedRequest[];
  /** Decides the answer to a request (`n`: how many requests came before it on the same path). */
  reply: (request: RecordedRequest, n: number) => FakeReply;
  /** Latency of every answer unless the reply says otherwise. */
  latencyMs: number;
  maxInFlight: () => number;
  close: () => Promise<void>;
}

/** The text of the user message of a recorded chat request. */
// deno-lint-ignore no-explicit-any
export function userTextOf(body: any): string {
  const user = body?.messages?.find((m: { role: string }) => m.role === "user");
  if (!user) return "";
  if (typeof user.content === "string") return user.content;
  return user.content.filter((p: { type: string }) => p.type === "text").map((p: { text: string }) => p.text)
    .join("");
}

/** The image URLs of the user message of a recorded chat request. */
// deno-lint-ignore no-explicit-any
export function imageUrlsOf(body: any): string[] {
  const user = body?.messages?.find((m: { role: string }) => m.role === "user");
  if (!user || typeof user.content === "string") return [];
  return user.content.filter((p: { type: string }) => p.type === "image_url").map((
    p: { image_url: { url: string } },
  ) => p.image_url.url);
}

/**
 * Starts the fake with `reply` (default: every chat answer is "VERDICT: 7"). `record: false` keeps
 * no request (`requests` stays empty; a benchmark's long run then holds no memory per request).
 */
export function startFakeJudge(
  reply: (request: RecordedRequest, n: number) => FakeReply = () => ({ content: "VERDICT: 7" }),
  latencyMs = 0,
  { record = true }: { record?: boolean } = {},
): FakeServer {
  const controller = new AbortController();
  const closing = new Promise<void>((resolve) =>
    controller.signal.addEventListener("abort", () => resolve())
  );
  const counts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const fake: FakeServer = {
    url: "",
    origin: "",
    requests: [],
    reply,
    latencyMs,
    maxInFlight: () => maxInFlight,
    close: async () => {
      controller.abort();
      await server.finished;
    },
  };
  // Latency timers, ended at once when the server closes (one set, not one listener per request).
  const sleeping = new Map<ReturnType<typeof setTimeout>, () => void>();
  closing.then(() => {
    for (const [timer, resolve] of sleeping) {
      clearTimeout(timer);
      resolve();
    }
    sleeping.clear();
  });
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (controller.signal.aborted) return resolve();
      const timer = setTimeout(() => {
        sleeping.delete(timer);
        resolve();
      }, ms);
      sleeping.set(timer, resolve);
    });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen: () => {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      let body: unknown = null;
      try {
        body = await req.json();
      } catch {
        body = null;
      }
      const recorded: RecordedRequest = {
        path,
        body,
        authorization: req.headers.get("authorization"),
        at: performance.now(),
      };
      if (record) fake.requests.push(recorded);
      const n = counts.get(path) ?? 0;
      counts.set(path, n + 1);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const answer = fake.reply(recorded, n);
        if (answer.hang) {
          await closing;
          return new Response("closing", { status: 503 });
        }
        const delay = answer.delayMs ?? fake.latencyMs;
        if (delay > 0) await wait(delay);
        if (answer.status) {
          const headers: Record<string, string> = answer.retryAfter
            ? { "retry-after": answer.retryAfter }
            : {};
          return new Response(`{"error":{"message":"fake status ${answer.status}"}}`, {
            status: answer.status,
            headers,
          });
        }
        if (answer.rawBody !== undefined) return new Response(answer.rawBody, { status: 200 });
        return Response.json(bodyFor(path, answer));
      } finally {
        inFlight--;
      }
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  fake.origin = `http://127.0.0.1:${port}`;
  fake.url = `${fake.origin}/v1`;
  return fake;
}

function bodyFor(path: string, answer: FakeReply): unknown {
  const usage = answer.usage ?? { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105 };
  if (path === "/pooling") {
    return {
      id: "pool-1",
      object: "list",
      created: 0,
      model: "fake-rm",
      data: [{ index: 0, object: "pooling", data: answer.pooled ?? [0] }],
      usage: { prompt_tokens: usage.prompt_tokens, total_tokens: usage.prompt_tokens },
    };
  }
  if (path === "/score") return { score: answer.score ?? 0 };
  return {
    id: "chat-1",
    object: "chat.completion",
    model: "fake-judge",
    choices: [{
      index: 0,
      message: { role: "assistant", content: answer.content ?? "" },
      logprobs: answer.logprobs ? { content: answer.logprobs } : null,
      finish_reason: answer.finishReason ?? "stop",
    }],
    usage,
  };
}

/**
 * As a program (for perf/judge_bench.ts, so the fake's work does not share the measured process):
 * `deno run --allow-net tests/fake_openai_server.ts LATENCY_MS CONTENT` prints `listening URL`.
 */
if (import.meta.main) {
  const [latency = "0", content = "VERDICT: yes"] = Deno.args;
  const fake = startFakeJudge(() => ({ content }), Number(latency), { record: false });
  console.log(`listening ${fake.url}`);
}
