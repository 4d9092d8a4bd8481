// SPDX-License-Identifier: Apache-2.0
// Medians over the rounds, ratios within the one run, and the table `pnpm bench:envoy` prints.
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

export function summarise(cases) {
  const rows = cases.map((c) => {
    if (c.skip) return { name: c.name, module_bytes: c.moduleBytes, skipped: c.skip };
    const m = (key) => median(c.runs.map((r) => r[key]));
    return {
      name: c.name,
      baseline: c.baseline,
      cpu_us_per_req: round(m("cpuUsPerReq"), 2),
      p50_ms: round(m("p50Ms"), 3),
      p99_ms: round(m("p99Ms"), 3),
      rss_growth_kb: round(m("rssGrowthKb"), 0),
      module_bytes: c.moduleBytes,
      requests: m("requests"),
    };
  });
  for (const row of rows) {
    const base = rows.find((r) => r.name === row.baseline && !r.skipped);
    if (!row.skipped) row.ratio_to_native = base ? round(row.cpu_us_per_req / base.cpu_us_per_req, 2) : null;
  }
  return rows;
}

/**
 * Lines for stderr: each case's CPU per round, and for each BENCH_ENVOY_COMPARE case ("<x>-B") the
 * median over rounds of its run against the same round's run of <x>. Pairing by round cancels the
 * load that drifts between rounds on a shared machine, which medians taken apart do not.
 */
export function roundLines(cases) {
  const live = cases.filter((c) => !c.skip);
  const lines = live.map((c) => `${c.name}: ${c.runs.map((r) => r.cpuUsPerReq.toFixed(1)).join(" ")} us/req by round`);
  for (const b of live.filter((c) => /-B(-|$)/.test(c.name))) {
    const a = live.find((c) => c.name === b.name.replace(/-B(-|$)/, "$1"));
    if (!a) continue;
    const ratios = b.runs.map((r, i) => r.cpuUsPerReq / a.runs[i].cpuUsPerReq);
    lines.push(
      `${b.name} / ${a.name}, paired by round: median ${round(median(ratios), 3)} (${ratios.map((x) => x.toFixed(2)).join(" ")})`,
    );
  }
  return lines;
}

export function formatTable(rows) {
  const head = "| case | Envoy CPU µs/req | ratio | vs | p50 ms | p99 ms | RSS growth KB | module bytes |";
  const lines = [head, "|---|---:|---:|---|---:|---:|---:|---:|"];
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.name} | skipped: ${r.skipped} | | | | | | |`);
      continue;
    }
    const vs = r.baseline === r.name ? "(baseline)" : r.baseline;
    lines.push(
      `| ${r.name} | ${r.cpu_us_per_req.toFixed(1)} | ${r.ratio_to_native?.toFixed(2) ?? "-"}x | ${vs} | ${r.p50_ms.toFixed(2)} | ${r.p99_ms.toFixed(2)} | ${r.rss_growth_kb} | ${r.module_bytes.toLocaleString("en-US")} |`,
    );
  }
  return lines.join("\n");
}
