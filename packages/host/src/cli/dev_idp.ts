// SPDX-License-Identifier: Apache-2.0
// The development identity provider of `getwild serve --dev-idp CLUSTER`: a loopback server that answers
// every GET with the dev keys' JWKS, so a JWT filter's remote_jwks fetch succeeds wherever its path points.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { devJwks, type DevKeys } from "./dev_keys.js";

export interface DevIdp {
  url: URL;
  /** How many key-set requests it answered (the filter fetches once per proxy, then on refresh). */
  readonly fetches: number;
  close(): Promise<void>;
}

/** Starts the JWKS server on 127.0.0.1 (a free port). Keys are cached 5 minutes, like a typical IdP says. */
export async function startDevIdp(keys: DevKeys): Promise<DevIdp> {
  const body = devJwks(keys);
  let fetches = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    fetches++;
    res.writeHead(200, {
      "content-type": "application/json",
      "cache-control": "public, max-age=300",
      "content-length": Buffer.byteLength(body),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    get fetches() {
      return fetches;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
