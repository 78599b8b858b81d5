/**
 * The judges of one engine: configured endpoints with their shared limiters, the templates, the
 * verdict cache and counters. `judge()` turns one validated item into a verdict or a no-verdict
 * (DESIGN.md §2): `upstream_unavailable` when the endpoint cannot be reached, times out or keeps
 * rate-limiting after retries; a verdict 0 with reason `judge_unparsable` when its answer cannot be
 * parsed after one retry (or a no-verdict, with `on_unparsable: "no_verdict"`).
 */
import type { RemoteItem, RemoteOutcome } from "../types.ts";
import { DataRoots } from "../_access/mod.ts";
import { Http1Pool } from "../_openai/mod.ts";
import { type CachedVerdict, cacheKey, JudgeCache } from "./cache.ts";
import {
  type ChatScoring,
  chatVerdict,
  type PassOutcome,
  RAW_OUTPUT_CHARS,
  samplingOf,
} from "./chat_judge.ts";
import { promptText, referenceText } from "./fill.ts";
import { ImageRequestError, type JudgeImage, judgeImageUrls, readJudgeImages } from "./images.ts";
import { JudgeLimiter } from "./limiter.ts";
import { requestReward, transformScore } from "./reward_model.ts";
import { type CallLimits, callWithRetries, ItemClock } from "./attempts.ts";
import {
  JudgeConfigError,
  type JudgeSettings,
  judgesOf,
  type JudgeTemplate,
  templateOf,
} from "./settings.ts";
import { SHIPPED_TEMPLATES } from "./templates.ts";

/** Bumped whenever the way a verdict is computed changes (part of every cache key). */
export const JUDGE_VERSION = "1.0.0";

/** What the service needs from the config. */
export interface JudgeServiceOptions {
  judges?: Record<string, unknown>;
  templates?: Record<string, unknown>;
  /** Folders that `images` paths may name (relative paths only). */
  dataRoots?: string[];
  /** SQLite file of the verdict cache (":memory:" by default). */
  cachePath?: string;
  env?: (name: string) => string | undefined;
}

/** An item as the judge sees it (validated by the engine): the engine's remote item. */
export type JudgeItem = RemoteItem;

/** A verdict, or a no-verdict / caller error with its code: the engine's remote outcome. */
export type JudgeOutcome = RemoteOutcome;

/** Counters for `/metrics`. */
export interface JudgeCounters {
  cacheHits: number;
  cacheMisses: number;
  /** judge name → outcome (scored, unparsable, upstream_unavailable, cancelled) → count */
  calls: Record<string, Record<string, number>>;
  /** judge name → HTTP attempts made */
  attempts: Record<string, number>;
  /** judge name → tokens reported by the endpoint */
  tokens: Record<string, number>;
  /** judge name → call-milliseconds in flight (its rate is the average number of calls in flight) */
  busyMs: Record<string, number>;
}

interface Judge {
  settings: JudgeSettings;
  limiter: JudgeLimiter;
}

/** The configured judges; create with `JudgeService.create`. */
export class JudgeService {
  private readonly counters = {
    calls: {} as Record<string, Record<string, number>>,
    attempts: {} as Record<string, number>,
    tokens: {} as Record<string, number>,
  };

  private readonly templateDigests = new Map<JudgeTemplate, string>();
  /** Kept-alive connections to plain-http judges (the others go through fetch). */
  private readonly client = new Http1Pool();
  private readonly keyPrefixes = new Map<string, string>();
  /** A cached verdict's result details, if correct and if not (see fromCache). */
  private readonly hitDetails = new WeakMap<
    CachedVerdict,
    [RemoteVerdictDetails, RemoteVerdictDetails]
  >();

  private constructor(
    private readonly judges: Map<string, Judge>,
    readonly templates: Record<string, JudgeTemplate>,
    private readonly dataRoots: DataRoots,
    private readonly cache: JudgeCache,
  ) {}

  /** Reads and checks the config; throws `JudgeConfigError` for a bad entry. */
  static create(options: JudgeServiceOptions = {}): JudgeService {
    const settings = judgesOf(options.judges ?? {}, options.env);
    const judges = new Map<string, Judge>();
    for (const [name, s] of settings) {
      judges.set(name, {
        settings: s,
        limiter: new JudgeLimiter(s.maxConcurrency, s.requestsPerMinute, s.tokensPerMinute),
      });
    }
    const templates: Record<string, JudgeTemplate> = { ...SHIPPED_TEMPLATES };
    for (const [name, raw] of Object.entries(options.templates ?? {})) {
      templates[name] = templateOf(name, raw);
    }
    const roots = new DataRoots(options.dataRoots ?? []);
    return new JudgeService(judges, templates, roots, new JudgeCache(options.cachePath));
  }

  /** Null when at least one judge is configured, else why the `judge` verifier is unavailable. */
  unavailableReason(): string | null {
    return this.judges.size > 0
      ? null
      : "no judges configured (add a judges: map to the config; see README, Model-based rewards)";
  }

  /** The judge an item names (or the only one configured). */
  private judgeFor(options: Record<string, unknown>): Judge | string {
    const name = typeof options.judge === "string"
      ? options.judge
      : this.judges.size === 1
      ? [...this.judges.keys()][0]
      : null;
    if (name === null) {
      return `options.judge: required when several judges are configured (${
        [...this.judges.keys()].join(", ")
      })`;
    }
    return this.judges.get(name) ??
      `options.judge: unknown judge "${name}"; configured: ${[...this.judges.keys()].join(", ") || "none"}`;
  }

  private templateFor(options: Record<string, unknown>): JudgeTemplate | string {
    const name = typeof options.template === "string" ? options.template : "quality_0_10";
    return this.templates[name] ??
      `options.template: unknown template "${name}"; known: ${Object.keys(this.templates).sort().join(", ")}`;
  }

  /** A caller error in an item's judge options, or null (checked before anything runs). */
  optionsProblem(options: Record<string, unknown>): string | null {
    const judge = this.judgeFor(options);
    if (typeof judge === "string") return judge;
    if (judge.settings.kind === "reward_model") return null;
    const template = this.templateFor(options);
    return typeof template === "string" ? template : null;
  }

  /**
   * The verdict the cache holds for an item, computed without I/O (counted as a hit), or null: not
   * cached (nothing counted: `judge()` counts the miss), or the key needs I/O (images are read and
   * hashed first), or the options are wrong (`judge()` says so). Cache hits thus settle in the
   * engine's loop without a promise per item.
   */
  cachedOutcome(item: JudgeItem): JudgeOutcome | null {
    if (item.images !== undefined) return null;
    const judge = this.judgeFor(item.options);
    if (typeof judge === "string") return null;
    const key = this.keyOf(judge.settings, item.options, inputsOf(item), NO_IMAGES);
    const hit = typeof key === "string" ? this.cache.peek(key) : null;
    return hit === null ? null : this.fromCache(hit, thresholdOf(item.options));
  }

  /** Judges one item; never throws. `signal` aborts it when the batch's budget runs out. */
  async judge(item: JudgeItem, signal?: AbortSignal): Promise<JudgeOutcome> {
    const judge = this.judgeFor(item.options);
    if (typeof judge === "string") return { error: { code: "invalid_request", message: judge } };
    const s = judge.settings;
    let images: JudgeImage[];
    try {
      images = item.images === undefined ? [] : await readJudgeImages(item.images, this.dataRoots);
    } catch (error) {
      return imageProblem(error);
    }
    const inputs = inputsOf(item);
    const limits: Omit<CallLimits, "estimatedTokens"> = {
      limiter: judge.limiter,
      retries: s.retries,
      attemptTimeoutMs: s.timeoutMs,
      clock: new ItemClock(item.timeoutMs),
      signal,
      client: this.client,
    };
    const threshold = thresholdOf(item.options);
    const base = { judge: s.name, model: s.model, judge_kind: s.kind };
    const key = this.keyOf(s, item.options, inputs, images.map((i) => i.sha256));
    if (typeof key !== "string") return { error: { code: "invalid_request", message: key.problem } };
    const hit = this.cache.get(key);
    if (hit) return this.fromCache(hit, threshold);
    let imageUrls: string[];
    try {
      imageUrls = images.length === 0 ? [] : await judgeImageUrls(images, s.maxImageSide);
    } catch (error) {
      return imageProblem(error);
    }

    if (s.kind === "reward_model") {
      const call = await callWithRetries({
        ...limits,
        estimatedTokens: Math.ceil((inputs.prompt.length + inputs.response.length) / 4),
      }, async (timeoutMs, sig) => {
        const outcome = await requestReward(
          s,
          { ...inputs, images: imageUrls },
          timeoutMs,
          sig,
          this.client,
        );
        return outcome.ok ? { ok: true, value: outcome, tokens: outcome.tokens } : outcome;
      });
      this.count(
        s.name,
        call.ok ? "scored" : failureLabel(call.code, call.cancelled),
        call.attempts,
        call.ok ? call.tokens ?? 0 : 0,
      );
      if (!call.ok) return this.failure(s, call.code, call.message, call.attempts, call.cancelled);
      const score = transformScore(call.value.raw, s.transform);
      const details = {
        ...base,
        raw_score: call.value.raw,
        transform: s.transform.kind,
        score,
        tokens: call.value.tokens,
        latency_ms: call.value.latencyMs,
        attempts: call.attempts,
      };
      this.cache.put(key, { score, details });
      return this.scored(score, details, threshold);
    }

    const template = this.templateFor(item.options) as JudgeTemplate; // keyOf checked it
    const scoring = scoringOf(item.options);
    const started = performance.now();
    const verdict = await chatVerdict(s, template, inputs, imageUrls, scoring, limits);
    const pass = verdict.pass;
    const outcomeLabel = pass.kind === "failed" ? failureLabel(pass.code, pass.cancelled) : pass.kind;
    this.count(s.name, outcomeLabel, pass.attempts, pass.kind === "failed" ? 0 : pass.tokens);
    if (pass.kind === "failed") {
      return this.failure(s, pass.code, pass.message, pass.attempts, pass.cancelled);
    }
    const details: Record<string, unknown> = {
      ...base,
      template: template.name,
      template_version: template.version,
      scoring: scoring.mode,
      judge_output: pass.raw,
      tokens: pass.tokens,
      latency_ms: Math.round(performance.now() - started),
      attempts: pass.attempts,
    };
    if (verdict.swapped) {
      details.swapped_output = verdict.swapped.kind === "failed"
        ? null
        : verdict.swapped.raw.slice(-RAW_OUTPUT_CHARS);
      details.position_disagreement = verdict.disagreement;
    }
    if (pass.kind === "unparsable") return this.unparsable(pass, details, item.options);
    details.verdict = pass.value;
    details.score = pass.score;
    this.cache.put(key, { score: pass.score, details });
    return this.scored(pass.score, details, threshold);
  }

  /**
   * An item's cache key: its judge's fixed parts (model, kind, template and its version, sampling,
   * scoring) and its filled inputs with the digests of its images; a wrong template is a problem.
   */
  private keyOf(
    s: JudgeSettings,
    options: Record<string, unknown>,
    inputs: JudgeInputs,
    imageDigests: string[],
  ): string | { problem: string } {
    if (s.kind === "reward_model") {
      const fixed = this.keyPrefix(`reward_model\u0000${s.name}`, () => [
        JUDGE_VERSION,
        "reward_model",
        s.model,
        s.api,
        s.transform,
        s.scoreIndex,
        s.maxImageSide,
      ]);
      return this.cache.key(fixed, [inputs, imageDigests]);
    }
    const template = this.templateFor(options);
    if (typeof template === "string") return { problem: template };
    const scoring = scoringOf(options);
    const fixed = this.keyPrefix(
      `chat\u0000${s.name}\u0000${template.name}\u0000${scoring.mode}\u0000${scoring.swap}`,
      () => [
        JUDGE_VERSION,
        "chat",
        s.model,
        this.templateDigest(template),
        samplingOf(s, scoring),
        scoring,
        s.maxImageSide,
      ],
    );
    return this.cache.key(fixed, [inputs, imageDigests]);
  }

  /**
   * The JSON of a cache key's fixed parts (judge, template, sampling, scoring), made once per
   * combination: `id` names the combination (judges and templates are fixed for the service's life).
   */
  private keyPrefix(id: string, fixed: () => unknown[]): string {
    let json = this.keyPrefixes.get(id);
    if (json === undefined) {
      json = JSON.stringify(fixed());
      this.keyPrefixes.set(id, json);
    }
    return json;
  }

  /** The digest of a template's name, version and text (computed once per template). */
  private templateDigest(template: JudgeTemplate): string {
    let digest = this.templateDigests.get(template);
    if (digest === undefined) {
      digest = cacheKey([template.name, template.version, template.system, template.user, template.parse]);
      this.templateDigests.set(template, digest);
    }
    return digest;
  }

  private scored(score: number, details: Record<string, unknown>, threshold: number): JudgeOutcome {
    const correct = score >= threshold;
    return { verdict: { reward: score, correct, details: { reason: correct ? null : "wrong", ...details } } };
  }

  private fromCache(hit: CachedVerdict, threshold: number): JudgeOutcome {
    // As scored(hit.score, { ...hit.details, cached: true }), with the details made once per cached
    // verdict and outcome (frozen: every result of a hit shares them).
    const correct = hit.score >= threshold;
    let shared = this.hitDetails.get(hit);
    if (shared === undefined) {
      shared = [
        Object.freeze({ reason: null, ...hit.details, cached: true }),
        Object.freeze({ reason: "wrong", ...hit.details, cached: true }),
      ];
      this.hitDetails.set(hit, shared);
    }
    return { verdict: { reward: hit.score, correct, details: shared[correct ? 0 : 1] } };
  }

  private unparsable(
    pass: PassOutcome & { kind: "unparsable" },
    details: Record<string, unknown>,
    options: Record<string, unknown>,
  ): JudgeOutcome {
    if (options.on_unparsable === "no_verdict") {
      return {
        error: {
          code: "upstream_unavailable",
          message: `The judge's answer could not be parsed after one retry: ${pass.why}`,
        },
      };
    }
    return {
      verdict: {
        reward: 0,
        correct: false,
        details: { reason: "judge_unparsable", ...details, parse_error: pass.why },
      },
    };
  }

  private failure(
    s: JudgeSettings,
    code: string,
    message: string,
    attempts: number,
    cancelled: boolean,
  ): JudgeOutcome {
    if (cancelled) {
      return {
        error: { code: "overloaded", message: "The batch's budget_ms ran out while the judge was called" },
      };
    }
    if (code === "rejected_input") {
      // Caused by what the judge was given (typically a response longer than its context): a verdict,
      // so that a policy never learns that an oversized answer escapes a low reward (DESIGN.md §2).
      return {
        verdict: {
          reward: 0,
          correct: false,
          details: {
            reason: "too_complex",
            judge: s.name,
            model: s.model,
            message: `Judge "${s.name}" refused the input: ${message}`,
          },
        },
      };
    }
    if (code === "http_error" || code === "bad_body" || code === "too_large") {
      return {
        error: {
          code: "upstream_unavailable",
          message: `Judge "${s.name}" answered with an error (${code}): ${message}`,
        },
      };
    }
    return {
      error: {
        code: "upstream_unavailable",
        message: `Judge "${s.name}" unavailable after ${attempts} attempt(s) (${code}): ${message}`,
      },
    };
  }

  private count(judge: string, outcome: string, attempts: number, tokens: number): void {
    const byOutcome = this.counters.calls[judge] ??= {};
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
    this.counters.attempts[judge] = (this.counters.attempts[judge] ?? 0) + attempts;
    this.counters.tokens[judge] = (this.counters.tokens[judge] ?? 0) + tokens;
  }

  /** Cache and call counters (for `/metrics`). */
  stats(): JudgeCounters {
    const busyMs: Record<string, number> = {};
    for (const [name, judge] of this.judges) busyMs[name] = judge.limiter.busyMs;
    return {
      cacheHits: this.cache.hits,
      cacheMisses: this.cache.misses,
      ...structuredClone(this.counters),
      busyMs,
    };
  }

  /** The limiter of a judge (tests read its peak concurrency). */
  limiterOf(name: string): JudgeLimiter | undefined {
    return this.judges.get(name)?.limiter;
  }

  /** Rejects waiting calls, closes the judges' connections and the cache. */
  close(): void {
    for (const judge of this.judges.values()) judge.limiter.close();
    this.client.close();
    this.cache.close();
  }
}

export { JudgeConfigError };

type RemoteVerdictDetails = Readonly<Record<string, unknown> & { reason: string | null }>;

/** The filled inputs an item gives the judge (and its cache key). */
interface JudgeInputs {
  prompt: string;
  response: string;
  reference: string;
}

function inputsOf(item: JudgeItem): JudgeInputs {
  return {
    prompt: promptText(item.prompt),
    response: item.response,
    reference: referenceText(item.reference),
  };
}

const NO_IMAGES: string[] = [];

/** The score at or above which a verdict is `correct` (option `threshold`, default 0.5). */
function thresholdOf(options: Record<string, unknown>): number {
  return typeof options.threshold === "number" ? options.threshold : 0.5;
}

function scoringOf(options: Record<string, unknown>): ChatScoring {
  return { mode: options.scoring === "logprob" ? "logprob" : "verdict", swap: options.swap === true };
}

/** The outcome of an image that could not be read or resized (the caller's mistake, or internal). */
function imageProblem(error: unknown): JudgeOutcome {
  const code = error instanceof ImageRequestError ? "invalid_request" : "internal";
  return { error: { code, message: (error as Error).message } };
}

/** The `/metrics` outcome label of a failed call. */
function failureLabel(code: string, cancelled: boolean): string {
  return cancelled ? "cancelled" : code === "rejected_input" ? "rejected_input" : "upstream_unavailable";
}
