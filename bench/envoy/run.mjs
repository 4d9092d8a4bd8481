// SPDX-License-Identifier: Apache-2.0
// `pnpm bench:envoy [--json FILE]`: what a request costs in a real Envoy (--concurrency 1) for each
// configuration in issue #11: router only, Envoy's native jwt_authn, our firebase-jwt and jwt-authn,
// hello and getwild, and peers written with proxy-wasm-go-sdk and proxy-wasm-rust-sdk. All cases run
// in one measured Envoy, back to back, interleaved round by round; we print medians.
// Per case: Envoy CPU (utime + stime from /proc/PID/stat) over the run divided by the requests Envoy
// completed on that listener, wrk's p50/p99 latency, Envoy's RSS growth over the run, module bytes.
// Knobs (environment): BENCH_ENVOY_ROUNDS (5), BENCH_ENVOY_WARM_REQUESTS (20000),
// BENCH_ENVOY_COLD_REQUESTS (2000), BENCH_ENVOY_CONNECTIONS (8), BENCH_ENVOY_ONLY (a regex on names),
// BENCH_ENVOY_COMPARE=firebase-jwt:FILE[,hello:FILE...] (another build of firebase-jwt, jwt-authn,
// hello or getwild, measured in the same run),
// BENCH_ENVOY_LOG=1 (print the measured Envoy's warnings and errors), BENCH_ENVOY_PERF=1 (record each
// run with `perf record -e cpu-clock` into .bench/envoy/perf-CASE.data; its figures then include perf's cost).
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findEnvoy, startEnvoy } from "../../packages/host/dist/envoy.js";
import {
  exampleConfig,
  jwtAuthnConfig,
  measuredBootstrap,
  nativeJwtAuthn,
  peerConfig,
  upstreamBootstrap,
  wasmFilter,
} from "./lib/bootstrap.mjs";
import { ensureWrk, runWrk } from "./lib/load.mjs";
import { buildGoPeer, buildRustPeer } from "./lib/peers.mjs";
import { sample, startPerf } from "./lib/proc.mjs";
import { makeKeys, mintTokens, tamper } from "./lib/tokens.mjs";
import { formatTable, roundLines, summarise } from "./lib/report.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const ROUNDS = Math.max(1, env("BENCH_ENVOY_ROUNDS", 5));
const WARM_REQUESTS = env("BENCH_ENVOY_WARM_REQUESTS", 20000);
const COLD_REQUESTS = env("BENCH_ENVOY_COLD_REQUESTS", 2000);
const CONNECTIONS = env("BENCH_ENVOY_CONNECTIONS", 8);
const WARMUP_REQUESTS = 500;
const MAX_SECONDS = 120; // per run: the time bound, never reached on a healthy machine
const ENVOY_LOG = process.env.BENCH_ENVOY_LOG === "1" ? (line) => console.error(`envoy: ${line}`) : undefined;
const PERF = process.env.BENCH_ENVOY_PERF === "1";
const ONLY = process.env.BENCH_ENVOY_ONLY ? new RegExp(process.env.BENCH_ENVOY_ONLY) : null;
const log = (line) => console.error(line);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv) {
  const at = argv.indexOf("--json");
  if (at < 0) return { json: null };
  if (!argv[at + 1]) throw new Error("--json needs a file name");
  // pnpm runs scripts from the repository root; a relative name is meant from where the command was typed.
  return { json: resolve(process.env.INIT_CWD ?? process.cwd(), argv[at + 1]) };
}

/** The filter chains (one listener each) and the cases run on them. */
function plan(keys, peers) {
  const ex = (name) => join(repo, "examples", name, "build", "filter.wasm");
  const chains = {
    router: [],
    native: [nativeJwtAuthn(keys.jwksText)],
    "firebase-jwt": [
      wasmFilter({
        vmId: "bench-firebase-jwt",
        rootId: "firebase-jwt",
        file: ex("firebase-jwt"),
        configuration: exampleConfig(repo, "firebase-jwt"),
      }),
    ],
    "jwt-authn": [
      wasmFilter({
        vmId: "bench-jwt-authn",
        rootId: "jwt-authn",
        file: ex("jwt-authn"),
        configuration: jwtAuthnConfig(keys.jwksText),
      }),
    ],
    hello: [wasmFilter({ vmId: "bench-hello", rootId: "hello", file: ex("hello"), configuration: "" })],
    getwild: [wasmFilter({ vmId: "bench-getwild", rootId: "getwild", file: ex("getwild"), configuration: "" })],
  };
  const modules = {
    "firebase-jwt": ex("firebase-jwt"),
    "jwt-authn": ex("jwt-authn"),
    hello: ex("hello"),
    getwild: ex("getwild"),
  };
  for (const [name, built] of Object.entries(peers)) {
    if (built.file === undefined) continue;
    chains[name] = [
      wasmFilter({ vmId: `bench-${name}`, rootId: name, file: built.file, configuration: peerConfig(keys.jwks) }),
    ];
    modules[name] = built.file;
  }
  // BENCH_ENVOY_COMPARE=firebase-jwt:/path/a.wasm[,jwt-authn:/path/b.wasm,hello:...]: another build of an
  // example on its own listener ("<example>-B"), same configuration, measured in the same run (A/B).
  const compared = [];
  for (const item of (process.env.BENCH_ENVOY_COMPARE ?? "").split(",").filter(Boolean)) {
    const [example, file] = [item.slice(0, item.indexOf(":")), resolve(item.slice(item.indexOf(":") + 1))];
    const original = chains[example]?.[0]?.typed_config?.config;
    if (original === undefined || !["firebase-jwt", "jwt-authn", "hello", "getwild"].includes(example))
      throw new Error(`BENCH_ENVOY_COMPARE: ${example} is not firebase-jwt, jwt-authn, hello or getwild`);
    const name = `${example}-B`;
    chains[name] = [
      wasmFilter({
        vmId: `bench-${name}`,
        rootId: original.root_id,
        file,
        configuration: original.configuration.value,
      }),
    ];
    modules[name] = file;
    compared.push(name);
  }
  const cases = [
    { name: "router-only", listener: "router", tokens: "warm", auth: false, baseline: "router-only" },
    { name: "hello", listener: "hello", tokens: "warm", auth: false, baseline: "router-only" },
    { name: "getwild", listener: "getwild", tokens: "warm", auth: false, baseline: "router-only", status: 418 },
  ];
  // hello-B and getwild-B are measured as their originals above are; the JWT ones join the loop below.
  const comparedAuth = [];
  for (const name of compared) {
    const original = cases.find((c) => `${c.listener}-B` === name);
    if (original) cases.push({ ...original, name, listener: name });
    else comparedAuth.push(name);
  }
  for (const listener of ["native", "firebase-jwt", "jwt-authn", ...comparedAuth, "peer-go", "peer-rust"]) {
    const label = listener === "native" ? "native-jwt_authn" : listener;
    for (const mode of ["warm", "cold"]) {
      const c = { name: `${label}-${mode}`, listener, tokens: mode, auth: true, baseline: `native-jwt_authn-${mode}` };
      if (chains[listener] === undefined) c.skip = peers[listener]?.skip ?? "not built";
      cases.push(c);
    }
  }
  for (const c of cases) {
    c.moduleBytes = modules[c.listener] ? statSync(modules[c.listener]).size : 0;
    c.status ??= 200;
  }
  // BENCH_ENVOY_ONLY keeps the matching cases and the baselines their ratios need.
  const picked = cases.filter((c) => ONLY === null || ONLY.test(c.name));
  const baselines = new Set(picked.map((c) => c.baseline));
  return { chains, cases: cases.filter((c) => picked.includes(c) || baselines.has(c.name)) };
}

async function statusOf(url, token) {
  const response = await fetch(url + "/", { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

/** Each listener answers as it should before anything is measured: a good token passes, no token and a forged one do not. */
async function checkCases(envoy, cases, warmToken) {
  for (const c of cases.filter((x) => !x.skip)) {
    const url = await envoy.url(c.listener);
    let status = 0;
    for (let i = 0; i < 100 && status !== c.status; i++) {
      status = await statusOf(url, warmToken);
      if (status !== c.status) await sleep(100); // firebase-jwt fetches its keys on the first requests
    }
    if (status !== c.status) throw new Error(`${c.name}: a valid token got ${status}, expected ${c.status}`);
    if (c.auth) {
      for (const [what, token] of [
        ["no token", null],
        ["a forged signature", tamper(warmToken)],
      ]) {
        const s = await statusOf(url, token);
        if (s !== 401) throw new Error(`${c.name}: ${what} got ${s}, expected 401`);
      }
    }
  }
}

async function measure(envoy, wrk, c, tokensFile, slice, requests) {
  const url = await envoy.url(c.listener);
  const counter = `http.${c.listener}.downstream_rq_completed`;
  const before = (await envoy.stats())[counter] ?? 0;
  const perf = PERF ? startPerf(envoy.pid, join(repo, ".bench", "envoy", `perf-${c.name}.data`)) : null;
  const s0 = sample(envoy.pid);
  const load = await runWrk({
    wrk,
    url,
    tokensFile,
    offset: slice.offset,
    count: slice.count,
    requests,
    connections: CONNECTIONS,
    maxSeconds: MAX_SECONDS,
  });
  await sleep(100); // requests wrk left in flight when it stopped finish inside the window
  const s1 = sample(envoy.pid);
  await perf?.stop();
  const completed = ((await envoy.stats())[counter] ?? 0) - before;
  const expectedErrors = c.status === 200 ? 0 : load.requests;
  if (load.status_errors !== expectedErrors)
    throw new Error(`${c.name}: ${load.status_errors} of ${load.requests} answers were not ${c.status}`);
  if (load.connect_errors + load.read_errors + load.write_errors + load.timeouts > 0)
    log(`${c.name}: wrk socket errors ${JSON.stringify(load)}`);
  if (load.requests < requests) log(`${c.name}: only ${load.requests} of ${requests} requests within ${MAX_SECONDS} s`);
  return {
    cpuUsPerReq: (s1.cpuUs - s0.cpuUs) / completed,
    p50Ms: load.p50_us / 1000,
    p99Ms: load.p99_us / 1000,
    rssGrowthKb: (s1.rssBytes - s0.rssBytes) / 1024,
    requests: completed,
  };
}

async function main() {
  const { json } = parseArgs(process.argv.slice(2));
  const found = findEnvoy({ installDir: join(repo, ".envoy", "venv"), log });
  if (!found.ok) throw new Error(found.error);
  const wrk = ensureWrk(log);
  const outDir = join(repo, ".bench", "envoy");
  mkdirSync(outDir, { recursive: true });
  const peersDir = join(here, "peers");
  const peers = { "peer-go": buildGoPeer(peersDir, outDir, log), "peer-rust": buildRustPeer(peersDir, outDir, log) };
  for (const [name, p] of Object.entries(peers)) if (p.skip) log(`${name}: SKIPPED: ${p.skip}`);

  const keys = makeKeys();
  const { chains, cases } = plan(keys, peers);
  const coldSlice = COLD_REQUESTS + CONNECTIONS; // a run may send up to `connections` requests past its limit
  const tokenCount = 1 + WARMUP_REQUESTS + ROUNDS * coldSlice;
  log(`minting ${tokenCount} RS256 tokens`);
  const tokens = await mintTokens(keys.privateKey, tokenCount);
  const tokensFile = join(outDir, "tokens.txt");
  writeFileSync(tokensFile, tokens.join("\n") + "\n");

  const started = [];
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => Promise.all(started.map((p) => p.stop().catch(() => {}))).then(() => process.exit(130)));
  }
  const upstream = await startEnvoy({
    envoy: found.envoy.path,
    bootstrap: upstreamBootstrap(keys.jwksText),
    concurrency: 1,
    logLevel: "warning",
  });
  started.push(upstream);
  let envoy;
  try {
    const ports = await upstream.listeners();
    envoy = await startEnvoy({
      envoy: found.envoy.path,
      bootstrap: measuredBootstrap(chains, ports.backend.port, ports.jwks.port),
      concurrency: 1,
      logLevel: "warning",
      onLog: ENVOY_LOG,
    });
    started.push(envoy);
    await checkCases(envoy, cases, tokens[0]);
    const live = cases.filter((c) => !c.skip);
    log(
      `${found.envoy.version}; ${live.length} cases x ${ROUNDS} rounds, ${CONNECTIONS} connections, warm ${WARM_REQUESTS} / cold ${COLD_REQUESTS} requests per run`,
    );
    for (const c of live) {
      const slice = c.tokens === "warm" ? { offset: 0, count: 1 } : { offset: 1, count: WARMUP_REQUESTS };
      await measure(envoy, wrk, c, tokensFile, slice, WARMUP_REQUESTS); // JIT tier-up, caches and keys in place
      c.runs = [];
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so no case always follows the same neighbour.
      const order = live.map((_, i) => live[(i + round) % live.length]);
      for (const c of order) {
        const cold = c.tokens === "cold";
        const slice = cold
          ? { offset: 1 + WARMUP_REQUESTS + round * coldSlice, count: coldSlice }
          : { offset: 0, count: 1 };
        c.runs.push(await measure(envoy, wrk, c, tokensFile, slice, cold ? COLD_REQUESTS : WARM_REQUESTS));
      }
      log(`round ${round + 1}/${ROUNDS} done`);
    }
  } finally {
    await envoy?.stop();
    await upstream.stop();
  }
  for (const line of roundLines(cases)) log(line);
  const rows = summarise(cases);
  console.log(
    `${found.envoy.version}\nEnvoy --concurrency 1, wrk -t1 -c${CONNECTIONS}, ${ROUNDS} rounds interleaved, medians; warm ${WARM_REQUESTS}, cold ${COLD_REQUESTS} requests per run`,
  );
  console.log(formatTable(rows));
  if (json !== null) {
    writeFileSync(
      json,
      JSON.stringify(
        rows.map(({ name, cpu_us_per_req, ratio_to_native, p99_ms, module_bytes, skipped }) =>
          skipped
            ? { name, cpu_us_per_req: null, ratio_to_native: null, p99_ms: null, module_bytes, skipped }
            : { name, cpu_us_per_req, ratio_to_native, p99_ms, module_bytes },
        ),
        null,
        2,
      ) + "\n",
    );
    console.log(`wrote ${json}`);
  }
}

await main();
