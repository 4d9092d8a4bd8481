// SPDX-License-Identifier: Apache-2.0
// Running a real Envoy for tests and `getwild serve --envoy`: writes the bootstrap as JSON, starts
// Envoy on loopback with its admin interface on a free port, waits for `/ready`, and reads back the
// ports its listeners got, its stats and its log. Listeners may ask for port 0; the admin API says
// which port each one was given, so no port is ever guessed.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface StartEnvoyOptions {
  /** Path of the Envoy executable (see findEnvoy). */
  envoy: string;
  /** The bootstrap, as the object a YAML or JSON file would hold. Its `admin` is replaced by one on 127.0.0.1:adminPort. */
  bootstrap: Record<string, unknown>;
  /** Worker threads (Envoy's --concurrency); default 1, so every request meets the same wasm VM. */
  concurrency?: number;
  /** Envoy's --log-level; default "info" (the level Envoy prints a filter's info logs at). */
  logLevel?: string;
  /** Envoy's --component-log-level, e.g. "wasm:debug". */
  componentLogLevel?: string;
  /** Working directory: relative paths in the bootstrap resolve from here (default: a new temp dir). */
  cwd?: string;
  /** How long to wait for /ready (default 60 s: V8 compiles each module when the listener starts). */
  readyTimeoutMs?: number;
  /** Called with each line Envoy logs. */
  onLog?: (line: string) => void;
  /** More command-line arguments, e.g. `["--file-flush-interval-msec", "20"]` so access logs arrive at once. */
  extraArgs?: string[];
  /** Keep only the last this many lines in `logs` (a long-running `getwild serve --envoy`); default: all. */
  logLimit?: number;
  /** Port of the admin interface on 127.0.0.1 (default 0: a free one). */
  adminPort?: number;
  /** Called with Envoy's pid as soon as it is spawned (its main thread's id in the log lines). */
  onSpawn?: (pid: number) => void;
}

export interface ListenerAddress {
  host: string;
  port: number;
}

export interface EnvoyProcess {
  pid: number;
  adminUrl: string;
  /** Every line Envoy has logged so far. */
  readonly logs: string[];
  /** Listener name -> the address Envoy bound it to. */
  listeners(): Promise<Record<string, ListenerAddress>>;
  /** http://127.0.0.1:PORT of a listener (the first one when no name is given). */
  url(listener?: string): Promise<string>;
  /** Counters and gauges from the admin `/stats`, by full name. */
  stats(): Promise<Record<string, number>>;
  /** The lines Envoy logged through a wasm filter's proxy_log, message only. */
  wasmLogs(): string[];
  /** Resolves with the first log line (from now on or already logged) that matches. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Stops Envoy (SIGTERM, then SIGKILL after 5 s) and removes its temp files. */
  stop(): Promise<void>;
  /** Resolves when Envoy exits, with its exit code (or the signal name). */
  readonly exited: Promise<number | string>;
}

const WASM_LOG = /\bwasm log(?: [^:]*)?: (.*)$/;

async function adminGet(adminUrl: string, path: string): Promise<string> {
  const response = await fetch(adminUrl + path);
  const text = await response.text();
  if (!response.ok) throw new Error(`envoy admin ${path}: ${response.status} ${text.slice(0, 200)}`);
  return text;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts Envoy and resolves once its admin answers /ready with LIVE; rejects with Envoy's last log lines if it exits first. */
export async function startEnvoy(options: StartEnvoyOptions): Promise<EnvoyProcess> {
  const dir = mkdtempSync(join(tmpdir(), "getwild-envoy-"));
  const adminPathFile = join(dir, "admin-address");
  const bootstrap = {
    ...options.bootstrap,
    admin: { address: { socket_address: { address: "127.0.0.1", port_value: options.adminPort ?? 0 } } },
  };
  const configFile = join(dir, "envoy.json");
  writeFileSync(configFile, JSON.stringify(bootstrap, null, 2));
  const args = [
    "-c",
    configFile,
    "--disable-hot-restart",
    "--concurrency",
    String(options.concurrency ?? 1),
    "--log-level",
    options.logLevel ?? "info",
    "--admin-address-path",
    adminPathFile,
  ];
  if (options.componentLogLevel) args.push("--component-log-level", options.componentLogLevel);
  if (options.extraArgs) args.push(...options.extraArgs);
  const child: ChildProcess = spawn(options.envoy, args, {
    cwd: options.cwd ?? dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const logs: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const onText = (stream: NodeJS.ReadableStream) => {
    let pending = "";
    stream.setEncoding("utf8");
    stream.on("data", (text: string) => {
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        logs.push(line);
        if (options.logLimit !== undefined && logs.length > options.logLimit)
          logs.splice(0, logs.length - options.logLimit);
        options.onLog?.(line);
        for (let i = waiters.length - 1; i >= 0; i--) {
          if (waiters[i].pattern.test(line)) waiters.splice(i, 1)[0].resolve(line);
        }
      }
    });
  };
  onText(child.stdout!);
  onText(child.stderr!);
  let exitValue: number | string | null = null;
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve((exitValue = code ?? signal ?? "unknown")));
    child.on("error", (error) => resolve((exitValue = `spawn error: ${error.message}`)));
  });

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let adminUrl = "";
  for (;;) {
    if (exitValue !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`envoy exited (${exitValue}) before it was ready:\n${logs.slice(-15).join("\n")}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `envoy was not ready after ${options.readyTimeoutMs ?? 60_000} ms:\n${logs.slice(-15).join("\n")}`,
      );
    }
    if (adminUrl === "" && existsSync(adminPathFile)) {
      const address = readFileSync(adminPathFile, "utf8").trim();
      if (address !== "") adminUrl = `http://${address}`;
    }
    if (adminUrl !== "") {
      const ready = await adminGet(adminUrl, "/ready").catch(() => "");
      if (ready.trim() === "LIVE") break;
    }
    await sleep(50);
  }

  const listeners = async (): Promise<Record<string, ListenerAddress>> => {
    const body = JSON.parse(await adminGet(adminUrl, "/listeners?format=json"));
    const out: Record<string, ListenerAddress> = {};
    for (const status of body.listener_statuses ?? []) {
      const socket = status.local_address?.socket_address;
      if (socket) out[status.name] = { host: socket.address, port: socket.port_value };
    }
    return out;
  };

  return {
    pid: child.pid!,
    adminUrl,
    logs,
    listeners,
    async url(name?: string) {
      const all = await listeners();
      const entry = name === undefined ? Object.values(all)[0] : all[name];
      if (entry === undefined)
        throw new Error(`envoy has no listener ${name ?? "at all"} (has: ${Object.keys(all).join(", ")})`);
      return `http://127.0.0.1:${entry.port}`;
    },
    async stats() {
      const body = JSON.parse(await adminGet(adminUrl, "/stats?format=json"));
      const out: Record<string, number> = {};
      for (const stat of body.stats ?? []) if (typeof stat.value === "number") out[stat.name] = stat.value;
      return out;
    },
    wasmLogs() {
      return logs.map((line) => WASM_LOG.exec(line)?.[1]).filter((m): m is string => m !== undefined);
    },
    waitForLog(pattern: RegExp, timeoutMs = 10_000) {
      const already = logs.find((line) => pattern.test(line));
      if (already !== undefined) return Promise.resolve(already);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.findIndex((w) => w.resolve === done);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`envoy logged no line matching ${pattern} in ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (line: string) => {
          clearTimeout(timer);
          resolve(line);
        };
        waiters.push({ pattern, resolve: done });
      });
    },
    async stop() {
      if (exitValue === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
    exited,
  };
}
