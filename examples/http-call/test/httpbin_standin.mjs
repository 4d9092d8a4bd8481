// SPDX-License-Identifier: Apache-2.0
// A tiny local stand-in for httpbin.org: GET /uuid answers {"uuid": "<random v4>"} as JSON, plus a few
// failure paths (/status/NNN, /delay/MS, /drop) for trying the filter's error handling by hand.
//
// Run: node test/httpbin_standin.mjs [port]   (0 or nothing = a free port; prints the URL it listens on)
// Import: startStandin(port) → { url, close() } (used by the end-to-end test).
import http from "node:http";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";

/** `uuidDelayMs` holds each /uuid reply back; `uuidStatus` replaces its 200 (to try the filter's failures). */
function handler({ uuidDelayMs = 0, uuidStatus = 200 } = {}) {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://standin");
    if (req.method === "GET" && url.pathname === "/uuid") {
      const reply = () => uuid(res, uuidStatus);
      if (uuidDelayMs > 0) setTimeout(reply, uuidDelayMs).unref();
      else reply();
      return;
    }
    other(req, res, url);
  };
}

function uuid(res, status) {
  if (status !== 200) {
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(`status ${status}\n`);
    return;
  }
  const body = JSON.stringify({ uuid: randomUUID() }, null, 2) + "\n";
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function other(req, res, url) {
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  if (status) {
    res.writeHead(Number(status[1]), { "content-type": "text/plain" });
    res.end(`status ${status[1]}\n`);
    return;
  }
  const delay = /^\/delay\/(\d{1,5})$/.exec(url.pathname);
  if (delay) {
    setTimeout(() => res.end("late\n"), Number(delay[1])).unref();
    return;
  }
  if (url.pathname === "/drop") {
    req.socket.destroy();
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found\n");
}

/** Starts the stand-in on 127.0.0.1:port (0 = any free port); options as for `handler`. */
export function startStandin(port = 0, options = {}) {
  const server = http.createServer(handler(options));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address();
      resolve({
        url: `http://127.0.0.1:${bound}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const standin = await startStandin(Number(process.argv[2] ?? 0));
  console.log(`httpbin stand-in listening on ${standin.url}`);
}
