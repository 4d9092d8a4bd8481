// SPDX-License-Identifier: Apache-2.0
// A stand-in for httpbin.org behind examples/http-call's `httpbin` cluster: `GET /uuid` answers
// `{"uuid": "<v4>"}` as JSON. Its mode makes it misbehave for the filter's failure paths: answer
// 500, stall (never answer), reset the connection before answering, or send the headers and part of
// the body and then reset. It records what it received (method, path, headers) per request. With a
// certificate it speaks TLS, as the cluster's UpstreamTlsContext requires.
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { headerPairs } from "./upstream";

export type HttpbinMode = "uuid" | "status500" | "stall" | "reset" | "resetAfterHeaders";

export interface HttpbinRequest {
  method: string;
  path: string;
  /** Header pairs in wire order, names lower-cased. */
  headers: Array<[string, string]>;
}

export interface Httpbin {
  address: string;
  port: number;
  received: HttpbinRequest[];
  /** The uuid bodies sent so far, in order. */
  sent: string[];
  mode: HttpbinMode;
  close(): Promise<void>;
}

/** A TCP reset on the connection under the request (an RST, not a FIN), also under TLS. */
function reset(socket: Socket, raw: Map<Socket, Socket>): void {
  const tcp = raw.get(socket) ?? socket;
  tcp.resetAndDestroy();
}

export async function startHttpbin(tls?: { cert: string; key: string }): Promise<Httpbin> {
  const sockets = new Set<Socket>();
  // Under TLS the request's socket is the TLS wrapper; resetAndDestroy needs the TCP socket under it.
  const rawOf = new Map<Socket, Socket>();
  const state: Httpbin = {
    address: "127.0.0.1",
    port: 0,
    received: [],
    sent: [],
    mode: "uuid",
    close: async () => {},
  };
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    state.received.push({ method: request.method ?? "", path: request.url ?? "", headers: headerPairs(request) });
    request.resume();
    if (request.method !== "GET" || request.url !== "/uuid") {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found\n");
      return;
    }
    switch (state.mode) {
      case "uuid": {
        const body = JSON.stringify({ uuid: randomUUID() }, null, 2) + "\n";
        state.sent.push(body);
        response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        response.end(body);
        return;
      }
      case "status500":
        response.writeHead(500, { "content-type": "text/plain" });
        response.end("stand-in failure\n");
        return;
      case "stall":
        return; // never answers; the connection closes when Envoy gives up or the stand-in closes
      case "reset":
        reset(request.socket, rawOf);
        return;
      case "resetAfterHeaders":
        response.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        response.write('{"uuid": "cut', () => setTimeout(() => reset(request.socket, rawOf), 20));
        return;
    }
  };
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createHttpServer(handler);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (tlsSocket: Socket & { _parent?: Socket }) => {
    if (tlsSocket._parent) rawOf.set(tlsSocket, tlsSocket._parent);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
