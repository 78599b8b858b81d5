/**
 * A lean HTTP/1.1 client for plain `http://` model servers (a vLLM or SGLang next to the trainer),
 * with kept-alive connections: a JSON POST costs about a third of `fetch`'s CPU here (no Request,
 * Headers, stream or signal objects per call), which decides how many judge calls one process can
 * keep going. It speaks only what such a call needs: one request per connection at a time, answers
 * with a Content-Length, chunked or read to the end, 1xx interim answers skipped, nothing
 * compressed (it asks for `identity`). Anything else (https, a proxy in the environment) is left to
 * `fetch` by `Http1Pool.handles`. Header lines are read as bytes; the body is returned as text.
 */
import { joinBytes } from "../../wasm/mod.ts";

/** An answer: status, lower-cased headers, the body's text (null when longer than the cap). */
export interface Http1Answer {
  status: number;
  headers: Map<string, string>;
  text: string | null;
}

/** Thrown for a connection that failed or an answer that is not HTTP/1.x. */
export class Http1Error extends Error {
  override name = "Http1Error";
}

interface Idle {
  conn: Deno.TcpConn;
  since: number;
}

/** How long an idle connection is reused (uvicorn closes them after 5 s by default). */
export const IDLE_REUSE_MS = 4000;

const CRLF2 = [13, 10, 13, 10];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Environment variables that make `fetch` use a proxy: with any of them set, fetch is used. */
const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

function proxyConfigured(): boolean {
  try {
    return PROXY_VARIABLES.some((name) => Deno.env.get(name));
  } catch {
    return true; // no permission to read the environment: cannot tell, so fetch decides
  }
}

/** Kept-alive connections by origin; `close()` ends them all. */
export class Http1Pool {
  private readonly idle = new Map<string, Idle[]>();
  private readonly open = new Set<Deno.TcpConn>();
  private closed = false;
  private readonly direct = !proxyConfigured();

  /** Whether this client takes `url` (plain http, no proxy configured). */
  handles(url: URL): boolean {
    return this.direct && url.protocol === "http:" && url.username === "" && url.password === "";
  }

  /** POSTs `body` to `url`; rejects with `Http1Error` (or the socket's error) on failure. */
  async post(
    url: URL,
    body: string,
    headers: [string, string][],
    signal: AbortSignal,
    maxBytes: number,
  ): Promise<Http1Answer> {
    const bytes = encoder.encode(body);
    let head = `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n` +
      `content-length: ${bytes.length}\r\naccept-encoding: identity\r\n`;
    for (const [name, value] of headers) {
      // A value with a line break would start another header (fetch refuses such values too).
      if (value.includes("\r") || value.includes("\n") || name.includes(":")) {
        throw new Http1Error(`the header ${JSON.stringify(name)} has a line break or a colon`);
      }
      head += `${name}: ${value}\r\n`;
    }
    const headBytes = encoder.encode(`${head}\r\n`);
    const request = new Uint8Array(headBytes.length + bytes.length);
    request.set(headBytes);
    request.set(bytes, headBytes.length);
    // A kept-alive connection the server has closed meanwhile fails before any answer byte: the
    // request is sent again once, on a new connection.
    for (let attempt = 0;; attempt++) {
      const reused = attempt === 0 ? this.take(url.host) : undefined;
      const conn = reused ?? await this.connect(url);
      const onAbort = () => conn.close();
      if (signal.aborted) {
        this.drop(conn);
        throw new Http1Error("aborted");
      }
      signal.addEventListener("abort", onAbort, { once: true });
      const received = { any: false };
      try {
        await writeAll(conn, request);
        const answer = await readAnswer(conn, maxBytes, received);
        signal.removeEventListener("abort", onAbort);
        if (answer.keepAlive && !this.closed) this.give(url.host, conn);
        else this.drop(conn);
        return answer.answer;
      } catch (error) {
        signal.removeEventListener("abort", onAbort);
        this.drop(conn);
        if (reused && !received.any && !signal.aborted) continue;
        throw error;
      }
    }
  }

  private async connect(url: URL): Promise<Deno.TcpConn> {
    if (this.closed) throw new Http1Error("the client is closed");
    const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    const conn = await Deno.connect({ hostname: host, port: Number(url.port || 80) });
    conn.setNoDelay(true);
    this.open.add(conn);
    return conn;
  }

  private take(origin: string): Deno.TcpConn | undefined {
    const list = this.idle.get(origin);
    const now = performance.now();
    while (list && list.length > 0) {
      const { conn, since } = list.pop()!;
      if (now - since < IDLE_REUSE_MS) return conn;
      this.drop(conn);
    }
    return undefined;
  }

  private give(origin: string, conn: Deno.TcpConn): void {
    let list = this.idle.get(origin);
    if (!list) this.idle.set(origin, list = []);
    list.push({ conn, since: performance.now() });
  }

  private drop(conn: Deno.TcpConn): void {
    if (!this.open.delete(conn)) return;
    try {
      conn.close();
    } catch {
      // already closed (an abort)
    }
  }

  /** Closes every connection; requests in progress fail. */
  close(): void {
    this.closed = true;
    for (const conn of [...this.open]) this.drop(conn);
    this.idle.clear();
  }
}

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}

/** Bytes read from a connection, consumed from the front. */
class Reader {
  buf = new Uint8Array(8192);
  start = 0;
  end = 0;

  constructor(private readonly conn: Deno.TcpConn, private readonly received: { any: boolean }) {}

  /** Reads more; false at the end of the stream. */
  async fill(): Promise<boolean> {
    if (this.start > 0 && this.start === this.end) this.start = this.end = 0;
    if (this.end === this.buf.length) {
      const size = this.end - this.start;
      const next = size * 2 > this.buf.length ? new Uint8Array(this.buf.length * 2) : this.buf;
      next.copyWithin(0, this.start, this.end);
      if (next !== this.buf) next.set(this.buf.subarray(this.start, this.end));
      this.buf = next;
      this.start = 0;
      this.end = size;
    }
    const n = await this.conn.read(this.buf.subarray(this.end));
    if (n === null) return false;
    this.received.any = true;
    this.end += n;
    return true;
  }

  /** Index of `pattern` in the unread bytes, or -1. */
  indexOf(pattern: number[]): number {
    const b = this.buf;
    outer: for (let i = this.start; i + pattern.length <= this.end; i++) {
      for (let k = 0; k < pattern.length; k++) if (b[i + k] !== pattern[k]) continue outer;
      return i;
    }
    return -1;
  }

  /** Reads up to and including the next `pattern`; returns the bytes before it. */
  async until(pattern: number[], limit: number): Promise<Uint8Array> {
    while (true) {
      const at = this.indexOf(pattern);
      if (at >= 0) {
        const out = this.buf.slice(this.start, at);
        this.start = at + pattern.length;
        return out;
      }
      if (this.end - this.start > limit) throw new Http1Error("an answer line or head is too long");
      if (!(await this.fill())) throw new Http1Error("the connection closed before the answer was complete");
    }
  }

  /** Takes exactly `n` bytes into `out` at `at`. */
  async take(n: number, out: Uint8Array, at: number): Promise<void> {
    while (n > 0) {
      if (this.start === this.end && !(await this.fill())) {
        throw new Http1Error("the connection closed before the answer was complete");
      }
      const k = Math.min(n, this.end - this.start);
      out.set(this.buf.subarray(this.start, this.start + k), at);
      this.start += k;
      at += k;
      n -= k;
    }
  }
}

const MAX_HEAD_BYTES = 64 * 1024;

function parseHead(bytes: Uint8Array): { status: number; version: string; headers: Map<string, string> } {
  const lines = decoder.decode(bytes).split("\r\n");
  const statusLine = lines[0];
  if (!statusLine.startsWith("HTTP/1.") || statusLine.length < 12 || statusLine[8] !== " ") {
    throw new Http1Error("the answer is not HTTP/1.x");
  }
  const status = Number(statusLine.slice(9, 12));
  if (!Number.isInteger(status) || status < 100 || status > 999) throw new Http1Error("bad status line");
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(":");
    if (colon <= 0) continue;
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim();
    const before = headers.get(name);
    headers.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  return { status, version: statusLine.slice(5, 8), headers };
}

async function readAnswer(
  conn: Deno.TcpConn,
  maxBytes: number,
  received: { any: boolean },
): Promise<{ answer: Http1Answer; keepAlive: boolean }> {
  const reader = new Reader(conn, received);
  let head;
  do head = parseHead(await reader.until(CRLF2, MAX_HEAD_BYTES)); while (
    head.status < 200 && head.status !== 101
  );
  const { status, headers } = head;
  const connection = (headers.get("connection") ?? "").toLowerCase();
  let keepAlive = head.version === "1.1" ? !connection.includes("close") : connection.includes("keep-alive");
  const encoding = (headers.get("transfer-encoding") ?? "").toLowerCase();
  const declared = headers.get("content-length");
  let body: Uint8Array | null;
  if (status === 204 || status === 304) body = new Uint8Array(0);
  else if (encoding.includes("chunked")) body = await readChunked(reader, maxBytes);
  else if (declared !== undefined) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) throw new Http1Error("bad content-length");
    if (length > maxBytes) body = null;
    else {
      body = new Uint8Array(length);
      await reader.take(length, body, 0);
    }
  } else {
    // No length: the body runs to the end of the connection.
    keepAlive = false;
    body = await readToEnd(reader, maxBytes);
  }
  if (body === null) keepAlive = false;
  if (reader.start !== reader.end) keepAlive = false; // bytes the server should not have sent
  return { answer: { status, headers, text: body === null ? null : decoder.decode(body) }, keepAlive };
}

async function readChunked(reader: Reader, maxBytes: number): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const line = decoder.decode(await reader.until([13, 10], 4096));
    const semicolon = line.indexOf(";");
    const hex = (semicolon >= 0 ? line.slice(0, semicolon) : line).trim();
    const size = hex.length > 0 && hex.length <= 12 && [...hex].every(isHexDigit) ? parseInt(hex, 16) : NaN;
    if (Number.isNaN(size)) throw new Http1Error("bad chunk size");
    if (size === 0) break;
    total += size;
    if (total > maxBytes) return null;
    const part = new Uint8Array(size);
    await reader.take(size, part, 0);
    parts.push(part);
    await reader.until([13, 10], 2);
  }
  // Trailers, up to the empty line.
  while ((await reader.until([13, 10], MAX_HEAD_BYTES)).length > 0);
  return joinBytes(parts);
}

async function readToEnd(reader: Reader, maxBytes: number): Promise<Uint8Array | null> {
  do {
    if (reader.end - reader.start > maxBytes) return null;
  } while (await reader.fill());
  return reader.buf.slice(reader.start, reader.end);
}

function isHexDigit(c: string): boolean {
  return (c >= "0" && c <= "9") || (c >= "a" && c <= "f") || (c >= "A" && c <= "F");
}
