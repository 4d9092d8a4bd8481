// SPDX-License-Identifier: Apache-2.0
// An IdP stand-in for Envoy's JWKS clusters: serves a key set at one path over plain HTTP or HTTPS
// (node:https with a certificate from lib/pki.ts), counts the fetches, sends the Cache-Control the
// test chooses, can stop listening and come back on the same port, and can rotate its keys or its
// certificate. Every fetch is recorded with the SNI and :authority Envoy sent.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { ServerCertificate } from "./pki";

export interface JwksFetch {
  path: string;
  /** The Host / :authority header Envoy sent. */
  authority: string;
  /** SNI of the TLS connection ("" over plain HTTP). */
  servername: string;
  /** Date.now() when it arrived (for the interval between fetches). */
  at: number;
}

export interface IdpOptions {
  /** The path the key set is served at; any other path gets 404. */
  path: string;
  /** The key set (a JWKS object). */
  jwks: unknown;
  /** Serve over HTTPS with this certificate; plain HTTP without. */
  tls?: ServerCertificate;
  /** Cache-Control of the JWKS reply (none when undefined). */
  cacheControl?: string;
  /** false: take a port but do not listen yet (an IdP that is down when Envoy starts). Default true. */
  listening?: boolean;
}

export interface Idp {
  address: string;
  port: number;
  /** Every fetch of the key set path, in order. */
  fetches: JwksFetch[];
  /** Number of fetches of the key set path. */
  readonly hits: number;
  /** Requests for any other path. */
  strayRequests: string[];
  /** TLS handshakes the client aborted (e.g. Envoy refused the certificate). */
  readonly refusedHandshakes: number;
  setJwks(jwks: unknown): void;
  setCacheControl(value: string | undefined): void;
  /** true: take key set requests (they count) and never answer them, until set back to false. */
  setStalling(stalling: boolean): void;
  /** Swaps the served certificate for new connections (HTTPS only). */
  setCertificate(certificate: ServerCertificate): void;
  /** Stops listening and drops open connections: the IdP is down. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startIdp(options: IdpOptions): Promise<Idp> {
  let jwks = JSON.stringify(options.jwks);
  let cacheControl = options.cacheControl;
  let stalling = false;
  const stalled: ServerResponse[] = [];
  const fetches: JwksFetch[] = [];
  const strayRequests: string[] = [];
  const sockets = new Set<Socket>();
  let refusedHandshakes = 0;

  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? "";
    if (request.method !== "GET" || path !== options.path) {
      strayRequests.push(`${request.method} ${path}`);
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
      return;
    }
    fetches.push({
      path,
      authority: request.headers.host ?? "",
      servername: (request.socket as TLSSocket).servername || "",
      at: Date.now(),
    });
    if (stalling) {
      stalled.push(response);
      return;
    }
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (cacheControl !== undefined) headers["cache-control"] = cacheControl;
    response.writeHead(200, headers);
    response.end(jwks);
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : createHttpServer(handler);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A TLS handshake Envoy aborts (certificate refused) is not an error of the stand-in.
  server.on("tlsClientError", () => {
    refusedHandshakes++;
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stop = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  };

  await listen(0);
  const { port } = server.address() as AddressInfo;
  if (options.listening === false) await stop();

  return {
    address: "127.0.0.1",
    port,
    fetches,
    get hits() {
      return fetches.length;
    },
    strayRequests,
    get refusedHandshakes() {
      return refusedHandshakes;
    },
    setJwks(next) {
      jwks = JSON.stringify(next);
    },
    setCacheControl(value) {
      cacheControl = value;
    },
    setStalling(value) {
      stalling = value;
      // Requests held so far are dropped (their caller has given up on them by then).
      if (!value) for (const response of stalled.splice(0)) response.destroy();
    },
    setCertificate(certificate) {
      if (!options.tls) throw new Error("setCertificate: this IdP stand-in serves plain HTTP");
      (server as import("node:https").Server).setSecureContext({ cert: certificate.cert, key: certificate.key });
      // Connections made with the old certificate would keep serving: drop them.
      for (const socket of sockets) socket.destroy();
    },
    down: stop,
    up() {
      return server.listening ? Promise.resolve() : listen(port);
    },
    close: stop,
  };
}
