/**
 * Test helpers for the scale-out tests: Debian's nginx (installed with apt-get when missing, as
 * root), the shipped `deploy/nginx/arbiter.conf` rewritten to given loopback ports, and Arbiter
 * replicas started as real `main.ts serve` processes.
 */
import { taskFlags } from "./_server.ts";

const repo = new URL("..", import.meta.url).pathname;
export const NGINX_SITE = new URL("../deploy/nginx/arbiter.conf", import.meta.url);

async function run(cmd: string, args: string[]): Promise<{ ok: boolean; text: string }> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    return { ok: out.success, text: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { ok: false, text: `${cmd}: not found` };
    throw error;
  }
}

/** The nginx binary; installs Debian's nginx-light when there is none (needs root and apt). */
export async function ensureNginx(): Promise<string> {
  for (const path of ["/usr/sbin/nginx", "/usr/bin/nginx"]) {
    if (await Deno.stat(path).then(() => true, () => false)) return path;
  }
  const install = ["install", "-y", "--no-install-recommends", "nginx-light"];
  if (!(await run("apt-get", install)).ok) {
    await run("apt-get", ["update"]);
    const second = await run("apt-get", install);
    if (!second.ok) throw new Error(`nginx is missing and could not be installed:\n${second.text}`);
  }
  return "/usr/sbin/nginx";
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * Writes a self-contained nginx prefix in `dir`: `arbiter.conf` is the shipped site with its
 * listen port and upstream servers replaced, included from a main `nginx.conf` that keeps the pid,
 * logs and temp files in `dir`. Returns the main config's path.
 */
export async function writeNginxConfig(dir: string, listen: number, replicas: number[]): Promise<string> {
  const site = await Deno.readTextFile(NGINX_SITE);
  const servers: string[] = site.match(/^ *server 127\.0\.0\.1:\d+ .*;$/gm) ?? [];
  const [first] = servers;
  if (first === undefined) throw new Error("deploy/nginx/arbiter.conf has no upstream server lines");
  const options = first.replace(/^ *server 127\.0\.0\.1:\d+/, "");
  const upstream = replicas.map((port) => `    server 127.0.0.1:${port}${options}`).join("\n");
  const rewritten = site
    .replace(servers.join("\n"), upstream)
    .replace(/listen 127\.0\.0\.1:\d+;/, `listen 127.0.0.1:${listen};`);
  await Deno.writeTextFile(`${dir}/arbiter.conf`, rewritten);
  for (const sub of ["body", "proxy"]) await Deno.mkdir(`${dir}/${sub}`, { recursive: true, mode: 0o777 });
  await Deno.chmod(dir, 0o755);
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    [
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      "worker_processes 1;",
      "events { worker_connections 256; }",
      "http {",
      "  access_log off;",
      `  client_body_temp_path ${dir}/body;`,
      `  proxy_temp_path ${dir}/proxy;`,
      `  include ${dir}/arbiter.conf;`,
      "}",
      "",
    ].join("\n"),
  );
  for (const sub of ["body", "proxy"]) await Deno.chmod(`${dir}/${sub}`, 0o777);
  return `${dir}/nginx.conf`;
}

/** `nginx -t` on a config; returns nginx's output, throws when the config is rejected. */
export async function checkNginxConfig(nginx: string, dir: string, config: string): Promise<string> {
  const out = await run(nginx, ["-t", "-p", dir, "-c", config]);
  if (!out.ok) throw new Error(out.text);
  return out.text;
}

/** A running process whose output is collected; `text()` is what it printed so far. */
export interface Running {
  child: Deno.ChildProcess;
  text(): string;
}

function collect(child: Deno.ChildProcess): Running {
  let text = "";
  const decoder = new TextDecoder();
  for (const stream of [child.stdout, child.stderr]) {
    (async () => {
      for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
    })().catch(() => {});
  }
  return { child, text: () => text };
}

/** Starts nginx in the foreground on a config written by `writeNginxConfig`. */
export function startNginx(nginx: string, dir: string, config: string): Running {
  return collect(
    new Deno.Command(nginx, {
      args: ["-p", dir, "-c", config, "-g", "daemon off;"],
      stdout: "piped",
      stderr: "piped",
    }).spawn(),
  );
}

/** Starts one replica (`main.ts serve`) on 127.0.0.1:`port`; resolves once it listens. */
export async function startReplica(port: number, workers: number, timeoutMs = 60_000): Promise<Running> {
  const running = collect(
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...taskFlags("start"),
        "main.ts",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--workers",
        String(workers),
      ],
      cwd: repo,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn(),
  );
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  running.child.status.then(() => exited = true);
  while (!running.text().includes("listening on")) {
    if (exited) throw new Error(`replica on ${port} exited before listening:\n${running.text()}`);
    if (Date.now() > deadline) {
      running.child.kill("SIGKILL");
      throw new Error(`replica on ${port} did not listen within ${timeoutMs} ms:\n${running.text()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return running;
}

/** Stops a process (once) and waits for it. */
export async function stop(running: Running, signal: Deno.Signal = "SIGTERM"): Promise<void> {
  try {
    running.child.kill(signal);
  } catch {
    // Already exited.
  }
  await running.child.status;
}
