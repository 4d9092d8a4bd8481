// SPDX-License-Identifier: Apache-2.0
// Behaviours the differential check against real Envoy 1.40 settled (tests/envoy/test/differential.test.ts;
// the row that shows Envoy's answer is named in each test), through the compiled parity fixture.
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  createHost,
  fetchCallHandler,
  decodeHeaderValue,
  encodeHeaderValue,
  SystemClock,
  type Host,
  type HostOptions,
} from "../src/index.js";
import { fixturePath } from "./paths.js";

const PARITY = fixturePath("parity");

function parityHost(options: Partial<HostOptions> = {}): Promise<Host> {
  return createHost({ wasm: PARITY, rootId: "parity", vmId: "parity_vm", canary: false, ...options });
}

const info = (host: Host) => host.logs("info");

describe("local replies (rows local-twice, local-grpc)", () => {
  it("a second proxy_send_local_response answers OK and is ignored: the first reply is sent", async () => {
    const host = await parityHost();
    const r = await host.request({ headers: { "x-parity": "twice" } });
    expect(info(host)).toContain("rc1=0 rc2=0");
    expect(r.status).toBe(401);
    expect(r.bodyText).toBe("first");
  });

  it("percent-encodes grpc-message like Envoy: only bytes outside printable ASCII and '%'", async () => {
    const host = await parityHost();
    const r = await host.request({
      method: "POST",
      headers: { "x-parity": "grpc", "content-type": "application/grpc" },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("grpc-status")).toBe("7");
    expect(r.headers.get("grpc-message")).toBe("bad token: %C3%A9 /%25?%01");
  });
});

describe("VM-level calls (rows wasi, metrics, queue)", () => {
  it("fd_seek and fd_close answer success (0), as cpp-host's stubs do", async () => {
    const host = await parityHost();
    await host.request({ headers: { "x-parity": "wasi" } });
    expect(info(host)).toContain("seek=0 close=0");
  });

  it("metric ids: the first of each type is 4, 5, 6; a second definition of a name gets a new id", async () => {
    const host = await parityHost();
    await host.request({ headers: { "x-parity": "metrics" } });
    expect(info(host)).toContain("ids=4,8,5,6");
  });

  it("resolving a shared queue with an empty vm_id finds the caller's own vm_id's queue", async () => {
    const host = await parityHost();
    await host.request({ headers: { "x-parity": "queue" } });
    expect(info(host)).toContain("empty=0,same own=0");
  });
});

describe("header bytes that are not UTF-8 (row bytes)", () => {
  it("reach the filter, the upstream and back byte for byte", async () => {
    const host = await parityHost();
    const raw = new Uint8Array([0x61, 0xff, 0xfe, 0xc3, 0xa9, 0x7a]);
    const r = await host.request(
      { headers: { "x-parity": "bytes", "x-bin": decodeHeaderValue(raw) } },
      { status: 200 },
    );
    expect(info(host)).toContain("x-bin=0,61fffec3a97a");
    expect(encodeHeaderValue(r.upstreamRequest!.headers!.get("x-bin-up")!)).toEqual(raw);
  });

  it("decodeHeaderValue/encodeHeaderValue round-trip any bytes and keep UTF-8 readable", () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(encodeHeaderValue(decodeHeaderValue(all))).toEqual(all);
    expect(decodeHeaderValue(new Uint8Array([0xc3, 0xa9]))).toBe("é");
    expect(encodeHeaderValue("é")).toEqual(new Uint8Array([0xc3, 0xa9]));
    expect(encodeHeaderValue(decodeHeaderValue(new Uint8Array([0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80])))).toEqual(
      new Uint8Array([0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80]),
    );
  });
});

describe("properties (row properties)", () => {
  it("source, destination and connection of a plaintext loopback client; request.headers one entry per name", async () => {
    const host = await parityHost();
    await host.request(
      {
        headers: [
          ["x-parity", "props"],
          ["x-dup", "a"],
          ["x-dup", "b"],
        ],
      },
      { status: 200 },
    );
    const line = info(host).find((l) => l.startsWith("source.address="))!;
    expect(line).toMatch(
      /^source\.address=127\.0\.0\.1:(\d+);source\.port=\1;destination\.address=127\.0\.0\.1:10000;destination\.port=10000;connection\.id=1;connection\.mtls=false;connection\.requested_server_name=;connection\.tls_version=status1;upstream\.address=status1;/,
    );
    expect(line).toContain("x-dup=a,b|");
    expect(line).toMatch(/request\.size=0;request\.total_size=\d+;/);
    // In the response phase the request headers are an empty map (a count of 0), not absent.
    expect(info(host)).toContain("response request.headers=len4:");
  });

  it("takes the connection and upstream addresses from the options", async () => {
    const host = await parityHost({
      connection: {
        source: "10.0.0.7:5555",
        destination: "10.0.0.1:443",
        tls: { version: "TLSv1.3", serverName: "api.example", mtls: true },
      },
    });
    await host.request({ headers: { "x-parity": "props" } });
    const line = info(host).find((l) => l.startsWith("source.address="))!;
    expect(line).toContain(
      "source.address=10.0.0.7:5555;source.port=5555;destination.address=10.0.0.1:443;destination.port=443;",
    );
    expect(line).toContain(
      "connection.mtls=true;connection.requested_server_name=api.example;connection.tls_version=TLSv1.3;",
    );
  });
});

describe("callouts (rows callout-empty, callout-dead, callout-reset, callout-timeout)", () => {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  });

  async function listen(onSocket: (socket: Socket) => void): Promise<string> {
    const server = createServer((socket) => {
      sockets.add(socket);
      onSocket(socket);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  async function freePort(): Promise<string> {
    const url = await listen(() => undefined);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    return url;
  }

  it("a cluster without hosts refuses the call at once with InternalFailure (10), no callback", async () => {
    const host = await parityHost({ clusters: [{ name: "empty", hosts: 0 }] });
    const r = await host.request({ headers: { "x-parity": "callout", "x-cluster": "empty" } });
    expect(info(host)).toContain("dispatch=10");
    expect(r.status).toBe(500);
  });

  it("fetchCallHandler: a refused connection is Envoy's 503 reply, through the success path", async () => {
    const dead = await freePort();
    const host = await parityHost({
      clusters: ["dead"],
      httpCallHandler: fetchCallHandler({ dead }),
      clock: new SystemClock(),
    });
    await host.request({ headers: { "x-parity": "callout", "x-cluster": "dead" } });
    expect(info(host)).toContain(
      "reply headers=3 status=503 get_status=0 body=upstream connect error or disconnect/reset before headers. reset reason: remote connection failure",
    );
  });

  it("fetchCallHandler: a connection closed before the response headers is Envoy's other 503 reply", async () => {
    const closing = await listen((socket) => socket.once("data", () => socket.destroy()));
    const host = await parityHost({
      clusters: ["closing"],
      httpCallHandler: fetchCallHandler({ closing }),
      clock: new SystemClock(),
    });
    await host.request({ headers: { "x-parity": "callout", "x-cluster": "closing" } });
    expect(info(host)).toContain(
      "reply headers=3 status=503 get_status=0 body=upstream connect error or disconnect/reset before headers. reset reason: connection termination",
    );
  });

  it("fetchCallHandler: the call's timeout (real time) gives Envoy's 504", async () => {
    const silent = await listen(() => undefined);
    const host = await parityHost({
      clusters: ["silent"],
      httpCallHandler: fetchCallHandler({ silent }),
      clock: new SystemClock(),
    });
    await host.request({ headers: { "x-parity": "callout", "x-cluster": "silent" } });
    expect(info(host)).toContain("reply headers=3 status=504 get_status=0 body=upstream request timeout");
  });

  it("fetchCallHandler: sends exactly the call's headers (Host from :authority) and adds x-envoy-upstream-service-time to the reply", async () => {
    let seen = "";
    const ok = await listen((socket) =>
      socket.once("data", (d) => {
        seen = d.toString("latin1");
        socket.end(
          "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nkeep-alive: timeout=5\r\ncontent-length: 2\r\n\r\nok",
        );
      }),
    );
    const host = await parityHost({
      clusters: ["ok"],
      httpCallHandler: fetchCallHandler({ ok }),
      clock: new SystemClock(),
    });
    await host.request({ headers: { "x-parity": "callout", "x-cluster": "ok", "x-path": "/check" } });
    expect(seen.split("\r\n").slice(0, 2)).toEqual(["GET /check HTTP/1.1", "host: parity"]);
    expect(seen).not.toMatch(/user-agent|accept/i);
    // :status, content-type, content-length, x-envoy-upstream-service-time (keep-alive dropped as Envoy's codec does)
    expect(info(host)).toContain("reply headers=4 status=200 get_status=0 body=ok");
  });
});
