// SPDX-License-Identifier: Apache-2.0
// The built-in echo upstream: answers every request with a JSON description of what reached it, so `getwild serve` works alone.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { headerRecord } from "./http_headers.js";

export interface EchoUpstream {
  url: URL;
  close(): Promise<void>;
}

/**
 * Starts the echo server on 127.0.0.1 (a free port). Reply: 200, `content-type: application/json`,
 * `x-echo-upstream: getwild`, body `{ method, path, headers, body }` with the request headers as
 * received (after the filter) and the body as UTF-8 text.
 */
export async function startEchoUpstream(): Promise<EchoUpstream> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = headerRecord<string | string[]>();
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!.toLowerCase();
        const value = req.rawHeaders[i + 1]!;
        const prev = headers[name];
        headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      }
      const body =
        JSON.stringify(
          { method: req.method, path: req.url, headers, body: Buffer.concat(chunks).toString("utf8") },
          null,
          2,
        ) + "\n";
      res.writeHead(200, {
        "content-type": "application/json",
        "x-echo-upstream": "getwild",
        "content-length": Buffer.byteLength(body),
      });
      res.end(req.method === "HEAD" ? undefined : body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
