// SPDX-License-Identifier: Apache-2.0
// Long runs: linear memory of a worker stays flat over many requests (the incremental GC reclaims per-request garbage).
import { expect, it } from "vitest";
import { filterHost } from "./helpers.js";

it("keeps memory flat over 2000 requests with header, body and callout work", async () => {
  const host = await filterHost({
    canary: false,
    httpCallHandler: () => ({ status: 200, headers: { "x-user": "u" } }),
  });
  const scenarios = ["headers", "buffer-body", "callout", "deny", "props"];
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const sc = scenarios[i % scenarios.length]!;
      await host.request(
        { headers: { "x-scenario": sc, "x-multi": "a" }, body: sc === "buffer-body" ? ["abc", "def"] : undefined },
        { body: "ok" },
      );
    }
  };
  await run(200);
  const warm = host.memoryBytes();
  const t0 = performance.now();
  await run(2000);
  const ms = performance.now() - t0;
  console.log(
    `memory after warm-up ${warm} B, after 2000 more requests ${host.memoryBytes()} B, ${(ms / 2000).toFixed(3)} ms/request`,
  );
  expect(host.memoryBytes()).toBeLessThanOrEqual(warm + 64 * 1024);
  expect(host.failures).toEqual([]);
});
