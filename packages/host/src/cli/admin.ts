// SPDX-License-Identifier: Apache-2.0
// The admin listener of `getwild serve`: the filter's metrics at /stats, on a port of its own as Envoy's
// admin interface is, so no path of the served filter is taken over.
//
//   GET /stats                  `name: value` lines, sorted (Envoy's text format); histograms as
//                               `name: count=N p50=... p99=... max=...` (Envoy prints quantiles too)
//   GET /stats?format=json      {"stats":[{"name","value"}...,{"name","histogram":{count,p50,p99,max}}]}
//   GET /stats?filter=REGEX     only the names REGEX matches (both formats)
//   GET /ready                  200 LIVE
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Metric } from "../index.js";
import { CliError, ExitCode } from "./errors.js";

export interface AdminServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function quantile(sorted: bigint[], q: number): string {
  if (sorted.length === 0) return "nan";
  return String(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
}

function summary(m: Metric) {
  const sorted = [...m.samples].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { count: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: quantile(sorted, 1) };
}

/** The body of /stats for `metrics` (already filtered). */
export function formatStats(metrics: Metric[], json: boolean): string {
  const sorted = [...metrics].sort((a, b) => a.name.localeCompare(b.name));
  if (json) {
    const stats = sorted.map((m) =>
      m.type === "histogram" ? { name: m.name, histogram: summary(m) } : { name: m.name, value: Number(m.value) },
    );
    return JSON.stringify({ stats }, null, 2) + "\n";
  }
  return sorted
    .map((m) => {
      if (m.type !== "histogram") return `${m.name}: ${m.value}\n`;
      const s = summary(m);
      return `${m.name}: count=${s.count} p50=${s.p50} p99=${s.p99} max=${s.max}\n`;
    })
    .join("");
}

/** Starts the admin listener on 127.0.0.1:`port`; `metrics()` is read on every request (the host may be reloaded). */
export async function startAdmin(port: number, metrics: () => Metric[]): Promise<AdminServer> {
  const server = http.createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? "/", "http://admin");
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (url.pathname === "/ready") return send(200, "text/plain", "LIVE\n");
    if (url.pathname !== "/stats")
      return send(404, "text/plain", "getwild serve admin: GET /stats (?format=json, ?filter=REGEX) or /ready\n");
    let selected = metrics();
    const filter = url.searchParams.get("filter");
    if (filter !== null) {
      let re: RegExp;
      try {
        re = new RegExp(filter);
      } catch (e) {
        return send(400, "text/plain", `filter: ${(e as Error).message}\n`);
      }
      selected = selected.filter((m) => re.test(m.name));
    }
    const json = url.searchParams.get("format") === "json";
    send(200, json ? "application/json" : "text/plain; charset=UTF-8", formatStats(selected, json));
  });
  const bound = await new Promise<number>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new CliError(
          ExitCode.PortUnavailable,
          `cannot listen on 127.0.0.1:${port} (admin): ${e.code === "EADDRINUSE" ? "the port is already in use" : e.message}`,
        ),
      ),
    );
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
