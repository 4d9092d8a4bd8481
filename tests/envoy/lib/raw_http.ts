// SPDX-License-Identifier: Apache-2.0
// A minimal HTTP/1.1 client on a raw socket, for the differential test: it sends header bytes
// exactly as given (values that are not UTF-8 included) and reports the response as it was on the
// wire: header names and values as bytes (latin1 strings), how the body was framed
// (content-length, chunked, or until close), and whether the proxy answered at all before
// `waitMs` (a stalled stream is an observable too, not a test failure).
import { connect } from "node:net";

export interface RawRequest {
  method: string;
  path: string;
  /** Header pairs in order; values are latin1 strings, so "\xff" is the byte 0xFF on the wire. */
  headers: Array<[string, string]>;
  body?: string;
}

export interface RawResponse {
  stalled: boolean;
  /** The connection closed before the body was complete (the proxy reset the stream mid-response). */
  reset?: boolean;
  status: number;
  /** Header pairs in wire order, names lower-cased, values as latin1 strings (bytes). */
  headers: Array<[string, string]>;
  framing: "content-length" | "chunked" | "close" | "none";
  /** Body bytes as a latin1 string. */
  body: string;
}

function parseHead(head: string): { status: number; headers: Array<[string, string]> } {
  const lines = head.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? 0);
  const headers: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { status, headers };
}

/** Decodes a chunked body: the complete chunks so far, and whether the last chunk arrived. */
function dechunk(data: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  const partial = () => ({ body: Buffer.concat(parts), complete: false });
  for (;;) {
    const eol = data.indexOf("\r\n", at);
    if (eol < 0) return partial();
    const size = parseInt(data.subarray(at, eol).toString("latin1"), 16);
    if (Number.isNaN(size)) throw new Error("bad chunk size");
    at = eol + 2;
    if (size === 0) return data.indexOf("\r\n", at) < 0 ? partial() : { body: Buffer.concat(parts), complete: true };
    if (data.length < at + size + 2) return partial();
    parts.push(data.subarray(at, at + size));
    at += size + 2;
  }
}

export function rawRequest(port: number, request: RawRequest, waitMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = Buffer.alloc(0);
    let settled = false;
    const finish = (response: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(response);
    };
    const timer = setTimeout(
      () => finish({ stalled: true, status: 0, headers: [], framing: "none", body: "" }),
      waitMs,
    );
    const tryParse = (closed: boolean) => {
      const end = data.indexOf("\r\n\r\n");
      if (end < 0) {
        if (closed) finish({ stalled: false, status: 0, headers: [], framing: "none", body: "" });
        return;
      }
      const { status, headers } = parseHead(data.subarray(0, end).toString("latin1"));
      const rest = data.subarray(end + 4);
      const length = headers.find(([k]) => k === "content-length")?.[1];
      const chunked = headers.some(([k, v]) => k === "transfer-encoding" && /chunked/i.test(v));
      const headOnly = request.method === "HEAD" || status === 204 || status === 304;
      if (headOnly)
        return finish({
          stalled: false,
          status,
          headers,
          framing: length !== undefined ? "content-length" : "none",
          body: "",
        });
      if (length !== undefined) {
        if (rest.length >= Number(length))
          finish({
            stalled: false,
            status,
            headers,
            framing: "content-length",
            body: rest.subarray(0, Number(length)).toString("latin1"),
          });
        else if (closed)
          finish({
            stalled: false,
            reset: true,
            status,
            headers,
            framing: "content-length",
            body: rest.toString("latin1"),
          });
      } else if (chunked) {
        const { body, complete } = dechunk(rest);
        if (complete || closed)
          finish({
            stalled: false,
            reset: !complete,
            status,
            headers,
            framing: "chunked",
            body: body.toString("latin1"),
          });
      } else if (closed) {
        finish({
          stalled: false,
          status,
          headers,
          framing: rest.length > 0 ? "close" : "none",
          body: rest.toString("latin1"),
        });
      }
    };
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      tryParse(false);
    });
    socket.on("end", () => tryParse(true));
    socket.on("close", () => tryParse(true));
    socket.on("error", (error) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
    });
    const body = Buffer.from(request.body ?? "", "latin1");
    const lines = [`${request.method} ${request.path} HTTP/1.1`];
    for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
    if (body.length > 0) lines.push(`content-length: ${body.length}`);
    socket.write(Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1"), body]));
  });
}
