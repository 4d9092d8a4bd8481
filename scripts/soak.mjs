// SPDX-License-Identifier: Apache-2.0
// `pnpm soak [--requests N] [--filter NAME[,NAME]]`: N mixed requests (default 1,000,000) through each
// filter in @getwild/host (the examples, the user-built filter, JwtAuthn); prints the wasm memory at
// start, after warm-up and at the end, requests per second, and fails on growth past one 64 KiB page
// per 10k requests after warm-up. Needs `pnpm build` (for @getwild/host's dist) once.
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { buildFilters, literalPoolOff } from "../tests/reliability/lib/build.mjs";
import { soak } from "../tests/reliability/lib/soak.mjs";
import { ALL_FILTERS } from "../tests/reliability/lib/filters.mjs";

const { values } = parseArgs({
  options: { requests: { type: "string", default: "1000000" }, filter: { type: "string" }, warmup: { type: "string" } },
});
const requests = Number(values.requests.replaceAll("_", ""));
const names = values.filter ? values.filter.split(",") : ALL_FILTERS;
await buildFilters(names);

const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
let failed = 0;
console.log(
  `soak: ${requests} requests per filter${literalPoolOff ? " (GETWILD_LITERAL_POOL=0: built without core's literal pool)" : ""}, node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
for (const name of names) {
  const warmup = values.warmup ? Number(values.warmup) : Math.min(10_000, Math.floor(requests / 10));
  try {
    const r = await soak(name, {
      requests,
      warmup,
      progress: {
        every: 100_000,
        report: (i, bytes, s) =>
          console.log(`  ${name}: ${i} requests, memory ${kib(bytes)}, ${Math.round(i / s)} req/s`),
      },
    });
    const ok = r.growthPages <= r.allowedPages;
    if (!ok) failed++;
    console.log(
      `${ok ? "ok  " : "FAIL"} ${name}: ${r.requests} requests in ${r.seconds.toFixed(1)} s = ${Math.round(r.requestsPerSecond)} req/s; memory start ${kib(r.startBytes)}, after ${r.warmup} warm-up ${kib(r.warmBytes)}, end ${kib(r.endBytes)} (growth ${r.growthPages} pages, allowed ${r.allowedPages})`,
    );
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}: ${error.message}`);
  }
}
console.log(
  `load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
process.exit(failed ? 1 : 0);
