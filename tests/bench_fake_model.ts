/**
 * A small OpenAI-compatible chat endpoint for the benchmark tests, on 127.0.0.1 only: it answers
 * each question deterministically from a table and can inject faults per question (429s, 500s,
 * timeouts, empty bodies, truncation, `<think>` reasoning, non-JSON garbage).
 */

/** How the fake model treats one question. */
export interface FakeBehavior {
  answer: string;
  /** The first `times` requests for this question fail this way (default: every request). */
  fault?: "429" | "500" | "timeout" | "empty" | "length" | "garbage";
  times?: number;
  /** Put the reasoning in `<think>` tags of the content, and a second part in `reasoning_content`. */
  think?: boolean;
}

/** A running fake endpoint. */
export interface FakeModel {
  url: string;
  /** Requests received per question (by its text). */
  requests: Map<string, number>;
  /** Highest number of requests in flight at once. */
  maxInFlight: () => number;
  /** Image parts received per question. */
  images: Map<string, number>;
  /** The `seed` of each request per question, in arrival order. */
  seeds: Map<string, unknown[]>;
  close: () => Promise<void>;
}

function questionOf(text: string): string {
  const match = /Question: ([^\n]*)/.exec(text);
  return (match ? match[1] : text).trim();
}

function userText(
  body: { messages: { role: string; content: unknown }[] },
): { text: string; images: number } {
  const user = body.messages.find((m) => m.role === "user");
  if (!user) return { text: "", images: 0 };
  if (typeof user.content === "string") return { text: user.content, images: 0 };
  const parts = user.content as { type: string; text?: string; image_url?: { url: string } }[];
  return {
    text: parts.filter((p) => p.type === "text").map((p) => p.text).join(""),
    images: parts.filter((p) => p.type === "image_url" && p.image_url?.url.startsWith("data:image/")).length,
  };
}

/**
 * Starts the fake endpoint; `delayMs` delays every answer (to make runs take time); `modelsEntry`
 * is what `GET /v1/models` lists (vLLM-like: `root` is the checkpoint, `created` the request time).
 */
export function startFakeModel(
  behaviors: Map<string, FakeBehavior>,
  delayMs = 0,
  modelsEntry: Record<string, unknown> = { id: "fake-vlm", owned_by: "vllm", root: "/ckpt/step-100" },
): FakeModel {
  const requests = new Map<string, number>();
  const seeds = new Map<string, unknown[]>();
  const images = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const controller = new AbortController();
  const pending = new Set<ReturnType<typeof setTimeout>>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(timer);
        resolve();
      }, ms);
      pending.add(timer);
    });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen: () => {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      if (req.method === "GET" && path === "/v1/models") {
        return Response.json({
          object: "list",
          data: [{ ...modelsEntry, object: "model", created: Date.now() }],
        });
      }
      if (req.method !== "POST" || path !== "/v1/chat/completions") {
        return new Response("not found", {
          status: 404,
        });
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const body = await req.json();
        const { text, images: imageCount } = userText(body);
        const question = questionOf(text);
        seeds.set(question, [...(seeds.get(question) ?? []), body.seed]);
        const n = (requests.get(question) ?? 0) + 1;
        requests.set(question, n);
        images.set(question, imageCount);
        if (delayMs > 0) await sleep(delayMs);
        const behavior = behaviors.get(question) ?? { answer: "I do not know." };
        const faulty = behavior.fault !== undefined && (behavior.times === undefined || n <= behavior.times);
        if (faulty) {
          switch (behavior.fault) {
            case "429":
              return new Response('{"error":"slow down"}', {
                status: 429,
                headers: { "retry-after": "0.05" },
              });
            case "500":
              return new Response("upstream failed", { status: 500 });
            case "timeout":
              await sleep(3000);
              break;
            case "empty":
              return new Response("", { status: 200, headers: { "content-type": "application/json" } });
            case "garbage":
              return new Response("<html>oops</html>", { status: 200 });
          }
        }
        const content = behavior.think
          ? `<think>Let me look at the image.</think>${behavior.answer}`
          : behavior.answer;
        return Response.json({
          id: `cmpl-${n}`,
          object: "chat.completion",
          model: "fake-vlm",
          choices: [{
            index: 0,
            message: {
              role: "assistant",
              content,
              ...(behavior.think ? { reasoning_content: "First I read the question." } : {}),
            },
            finish_reason: faulty && behavior.fault === "length" ? "length" : "stop",
          }],
          usage: { prompt_tokens: text.length, completion_tokens: behavior.answer.length, total_tokens: 0 },
        });
      } finally {
        inFlight--;
      }
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    requests,
    images,
    seeds,
    maxInFlight: () => maxInFlight,
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      controller.abort();
      await server.finished;
    },
  };
}

/** The twelve questions of the math_mini suite with deterministic answers (9 right, 3 wrong). */
export const MATH_MINI_ANSWERS: [string, string][] = [
  ["How many bars are taller than 3?", "Four bars. The answer is 4."],
  ["What is the sum of the two largest values?", "9 + 8 = 17"],
  ["What is the ratio of the red area to the whole image? Round to one decimal place.", "About 0.3"],
  ["What is the slope of the line? Round to two decimal places.", "The slope is 1.25"],
  ["Which color is the square?", "Answer: A"],
  ["Is the left bar taller than the right bar?", "Answer: A"],
  ["List the x-intercepts from left to right.", "[-2, 3]"],
  ["How many sides does the red shape have?", "It has 5 sides."],
  ["What is the area of the red square in square pixels?", "64"],
  ["Which quadrant holds the red square?", "Answer: B"],
  ["What is the mean of the values 2, 4 and 9?", "The mean is 5"],
  ["What is the value of f(2) if f(x) = 1.5x? Round to one decimal place.", "3.0"],
];
