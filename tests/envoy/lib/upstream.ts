// SPDX-License-Identifier: Apache-2.0
// A local upstream for Envoy's clusters: records every request it gets (method, path, headers as
// sent on the wire, body) and answers with a handler of the test's choosing (default: 200 "upstream").
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  /** Header pairs in wire order, names lower-cased. */
  headers: Array<[string, string]>;
  body: string;
}

export type Handler = (request: ReceivedRequest, response: ServerResponse) => void;

export interface Upstream {
  address: string;
  port: number;
  received: ReceivedRequest[];
  /** Replaces the answer for the requests that follow. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** A message's header pairs in wire order, names lower-cased. */
export function headerPairs(message: IncomingMessage): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2)
    out.push([message.rawHeaders[i].toLowerCase(), message.rawHeaders[i + 1]]);
  return out;
}

export const answerUpstream: Handler = (_request, response) => {
  response.writeHead(200, { "content-type": "text/plain" });
  response.end("upstream");
};

export async function startUpstream(handler: Handler = answerUpstream): Promise<Upstream> {
  const received: ReceivedRequest[] = [];
  let current = handler;
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: headerPairs(request),
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      current(entry, response);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: "127.0.0.1",
    port,
    received,
    handle(next: Handler) {
      current = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The value of a header in a received request (the first occurrence), or undefined. */
export function header(request: ReceivedRequest, name: string): string | undefined {
  return request.headers.find(([n]) => n === name)?.[1];
}
