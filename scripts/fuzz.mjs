// SPDX-License-Identifier: Apache-2.0
// `pnpm fuzz [--runs N] [--seed S] [--suite SUBSTRING]`: the reliability fuzz suites for long runs.
// N is the total number of cases (default 1,000,000), split over the suites by their shares;
// prints cases run and failures found per suite (with the counterexample and how to replay it).
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { buildFilters } from "../tests/reliability/lib/build.mjs";
import { allSuites, checkSuite } from "../tests/reliability/lib/suites.mjs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "1000000" }, seed: { type: "string" }, suite: { type: "string" } },
});
const total = Number(values.runs.replaceAll("_", ""));
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
await buildFilters();

const suites = allSuites().filter(({ suite }) => !values.suite || suite.name.includes(values.suite));
const shares = suites.reduce((sum, s) => sum + s.share, 0);
console.log(
  `fuzz: ${total} cases over ${suites.length} suites, seed ${seed}, node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
let cases = 0;
let failures = 0;
const started = performance.now();
for (const { suite, share } of suites) {
  const numRuns = Math.max(1, Math.round((total * share) / shares));
  const r = await checkSuite(suite, { numRuns, seed });
  cases += r.runs;
  if (r.failed) failures++;
  console.log(
    `${r.failed ? "FAIL" : "ok  "} ${r.name}: ${r.runs} cases in ${r.seconds.toFixed(1)} s${r.stats ? ` ${JSON.stringify(r.stats)}` : ""}`,
  );
  if (r.failed) {
    console.log(`     ${r.error}`);
    console.log(`     counterexample: ${JSON.stringify(r.counterexample)?.slice(0, 4000)}`);
    console.log(`     replay: pnpm fuzz --seed ${seed} --suite ${r.name} --runs ${numRuns}`);
  }
}
console.log(
  `cases run: ${cases}, failures found: ${failures}, ${((performance.now() - started) / 1000).toFixed(0)} s, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
process.exit(failures ? 1 : 0);
