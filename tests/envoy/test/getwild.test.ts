// SPDX-License-Identifier: Apache-2.0
// examples/getwild in Envoy, from its own envoy.yaml: a GET is answered 418 by the filter with
// `powered-by` and the Get Wild art, byte for byte as packages/getwild/assembly/getwild.ts defines it;
// every other method reaches the echo upstream with its body.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { envoyDescribe, startExample, type ExampleInEnvoy } from "../lib/envoy";
import { repoRoot } from "../lib/locate";
import { header, startUpstream, type Upstream } from "../lib/upstream";

/**
 * The reply as the filter's source defines it, read from that source rather than typed in here: the
 * art is the string array joined with "\n" (its literals are JSON-compatible strings), the header
 * values are the string constants next to it.
 */
function getWildFromSource(): { art: string; poweredBy: string; contentType: string } {
  const source = readFileSync(join(repoRoot, "packages", "getwild", "assembly", "getwild.ts"), "utf8");
  const array = /GET_WILD_ART: string = (\[[\s\S]*?\])\.join\("\\n"\);/.exec(source);
  const poweredBy = /GET_WILD_POWERED_BY = "([^"]*)"/.exec(source);
  const contentType = /\.header\("content-type", "([^"]*)"\)/.exec(source);
  if (array === null || poweredBy === null || contentType === null)
    throw new Error("getwild.ts no longer has the shape this test reads");
  const lines: string[] = JSON.parse(array[1].replace(/,\s*\]$/, "]"));
  return { art: lines.join("\n"), poweredBy: poweredBy[1], contentType: contentType[1] };
}

envoyDescribe("getwild in Envoy", () => {
  const expected = getWildFromSource();
  let upstream: Upstream;
  let proxy: ExampleInEnvoy;

  beforeAll(async () => {
    // The echo upstream: answers 200 with the method and the body it received.
    upstream = await startUpstream((request, response) => {
      response.writeHead(200, { "content-type": "text/plain", "x-upstream": "echo" });
      response.end(`${request.method} ${request.body}`);
    });
    proxy = await startExample("getwild", { clusters: { backend: upstream } });
  });
  afterAll(async () => {
    await proxy?.envoy.stop();
    await upstream?.close();
  });

  it("reads a non-trivial reply from the filter's source", () => {
    expect(expected.art.split("\n").length).toBeGreaterThan(10);
    expect(expected.art.endsWith("\n")).toBe(true);
  });

  it("answers GET with 418, powered-by and the art byte for byte, without the upstream", async () => {
    const before = upstream.received.length;
    const response = await fetch(`${proxy.url}/any/path?x=1`);
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(418);
    expect(response.headers.get("powered-by")).toBe(expected.poweredBy);
    expect(response.headers.get("content-type")).toBe(expected.contentType);
    expect(response.headers.get("content-length")).toBe(String(body.length));
    expect(body.equals(Buffer.from(expected.art, "ascii"))).toBe(true);
    expect(upstream.received.length).toBe(before);
  });

  it("answers a GET with a body the same way", async () => {
    // fetch refuses a GET body; Envoy's codec accepts one, so this goes over a raw request.
    const response = await rawRequest(
      proxy.url,
      "GET / HTTP/1.1\r\nhost: x\r\ncontent-length: 7\r\nconnection: close\r\n\r\nignored",
    );
    // Envoy 1.40's HTTP/1 codec has no reason phrase for 418 and writes "Unknown" (node writes
    // "I'm a Teapot"); clients read the code only.
    expect(response.split("\r\n")[0]).toBe("HTTP/1.1 418 Unknown");
    expect(response.split("\r\n\r\n").slice(1).join("\r\n\r\n")).toBe(expected.art);
  });

  it.each(["POST", "PUT", "DELETE", "PATCH"])("lets %s through to the upstream with its body", async (method) => {
    const response = await fetch(`${proxy.url}/items`, { method, body: `payload for ${method}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-upstream")).toBe("echo");
    expect(response.headers.get("powered-by")).toBeNull();
    expect(await response.text()).toBe(`${method} payload for ${method}`);
    const received = upstream.received.at(-1)!;
    expect(received.method).toBe(method);
    expect(received.path).toBe("/items");
    expect(received.body).toBe(`payload for ${method}`);
  });

  it("lets HEAD and OPTIONS through to the upstream", async () => {
    for (const method of ["HEAD", "OPTIONS"]) {
      const response = await fetch(`${proxy.url}/meta`, { method });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-upstream")).toBe("echo");
      expect(upstream.received.at(-1)!.method).toBe(method);
    }
  });

  it("reads :method, not headers that merely name a method", async () => {
    const response = await fetch(`${proxy.url}/forged`, {
      method: "POST",
      body: "b",
      headers: { "x-method": "GET", method: "GET", "x-http-method-override": "GET" },
    });
    expect(response.status).toBe(200);
    const received = upstream.received.at(-1)!;
    expect(received.path).toBe("/forged");
    expect(header(received, "x-method")).toBe("GET");
  });
});

/**
 * Sends raw bytes on a new connection and resolves with the response once its content-length body is
 * in (not at close: Envoy keeps a closing connection up to its 1 s delayed_close_timeout).
 */
async function rawRequest(url: string, text: string): Promise<string> {
  const { connect } = await import("node:net");
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.write(text));
    let received = Buffer.alloc(0);
    const complete = () => {
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) return false;
      const length = /\r\ncontent-length: (\d+)\r\n/i.exec(received.subarray(0, end + 2).toString("latin1"));
      return length !== null && received.length >= end + 4 + Number(length[1]);
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (complete()) {
        socket.destroy();
        resolve(received.toString("latin1"));
      }
    });
    socket.on("error", reject);
    socket.on("close", () =>
      reject(new Error(`connection closed before a complete response: ${received.toString("latin1")}`)),
    );
  });
}
