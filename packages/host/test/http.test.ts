// SPDX-License-Identifier: Apache-2.0
// HTTP streams through the compiled filter: header maps, bodies and buffering, trailers, actions and resume, local replies, close.
import { describe, expect, it } from "vitest";
import { filterHost, req, workerLogs } from "./helpers.js";

describe("header maps", () => {
  it("gives the first value, lower-cases added keys, counts bytes, and forwards the modified map", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    const headers: [string, string][] = [
      ...Object.entries(req("headers")),
      ["x-multi", "a"],
      ["x-multi", "b"],
      ["x-remove-me", "1"],
    ];
    expect(s.sendRequestHeaders(headers, { endOfStream: true })).toBe("Continue");
    const bytes = headers.reduce((n, [k, v]) => n + k.length + v.length, 0);
    expect(host.logs("info")).toContain(`first=a all=2 size=${bytes}`);
    // Absent key: NOT_FOUND; a map that does not exist yet in this callback: BAD_ARGUMENT; log level as configured.
    expect(host.logs("info")).toContain("absent=NotFound response_map_now=BadArgument log_level=2");
    const up = s.upstreamRequest;
    expect(up.headers!.get("x-added")).toBe("yes");
    expect(up.headers!.pairs().some(([k]) => k === "X-Added")).toBe(false);
    expect(up.headers!.has("x-remove-me")).toBe(false);
    expect(up.headers!.getAll("x-multi")).toEqual(["one"]);
    expect(up.complete).toBe(true);
  });

  it("reports the configured log level", async () => {
    const host = await filterHost({ canary: false, logLevel: "debug" });
    host.newHttpStream().sendRequestHeaders(req("headers"), { endOfStream: true });
    expect(host.logs("info").some((l) => l.endsWith("log_level=1"))).toBe(true);
  });

  it("passes num_headers as the entry count and end_of_stream", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("plain"), { endOfStream: false });
    expect(host.logs("info")).toContain("request_headers n=5 eos=0 path=/p?q=1");
  });
});

describe("map availability (current Envoy)", () => {
  it("drops a map when its callback returns Continue; on_log reads request/response headers but cannot write", async () => {
    const host = await filterHost({ canary: false });
    await host.request({ path: "/late", headers: { "x-scenario": "late-read" }, body: "b", trailers: { t: "1" } });
    const logs = host.logs("info");
    expect(logs).toContain("body_reads_request_header=<null>/BadArgument");
    // CEL attributes built from request headers disappear with them; response.code comes from stream info.
    expect(logs).toContain(
      "response_reads_request_header=<null>/BadArgument request_path_property=<null> response_code=200",
    );
    expect(logs).toContain("log_phase path=/late/Ok request_trailers=NotFound write=BadArgument");
  });
});

describe("bodies", () => {
  it("delivers chunks, accumulates while the filter pauses (body_size = total), and forwards the rewritten body", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("buffer-body"));
    expect(s.sendRequestBody("hel")).toBe("Pause");
    expect(s.lastStatus).toBe("StopIterationAndBuffer");
    expect(s.sendRequestBody("lo ")).toBe("Pause");
    expect(s.upstreamRequest.body.length).toBe(0);
    expect(s.sendRequestBody("world", { endOfStream: true })).toBe("Continue");
    expect(workerLogs(host, 0).filter((l) => l.startsWith("request_body"))).toEqual([
      "request_body size=3 eos=0",
      "request_body size=6 eos=0",
      "request_body size=11 eos=1",
    ]);
    expect(host.logs("info")).toContain("body=hello world");
    expect(new TextDecoder().decode(s.upstreamRequest.body)).toBe("HELLO WORLD");
    expect(s.upstreamRequest.complete).toBe(true);
  });

  it("answers 413 when a paused body exceeds the buffer limit, through the plugin's response callbacks", async () => {
    const host = await filterHost({ canary: false, bufferLimitBytes: 8 });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("buffer-body"));
    s.sendRequestBody("12345");
    s.sendRequestBody("67890");
    // Envoy adds the chunk to its buffer first: over the limit, the plugin is not called for it.
    expect(workerLogs(host, 0).filter((l) => l.startsWith("request_body"))).toEqual(["request_body size=5 eos=0"]);
    const r = s.clientResponse;
    expect(r.status).toBe(413);
    expect(r.bodyText).toBe("Payload Too Large");
    expect(r.headers.get("hello")).toBe("world");
    expect(s.responseCodeDetails).toBe("request_payload_too_large");
    expect(s.upstreamRequest.headers).not.toBeNull();
  });

  it("with watermark buffering (raw 2) shows each chunk alone, and forwards everything on Continue", async () => {
    const host = await filterHost({ canary: false, bufferLimitBytes: 4 });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("watermark-body"));
    expect(s.sendRequestBody("abc")).toBe("Pause");
    expect(s.lastStatus).toBe("StopIterationAndWatermark");
    s.sendRequestBody("defg");
    s.sendRequestBody("hi", { endOfStream: true });
    expect(workerLogs(host, 0).filter((l) => l.startsWith("request_body"))).toEqual([
      "request_body size=3 eos=0",
      "request_body size=4 eos=0",
      "request_body size=2 eos=1",
    ]);
    expect(s.upstreamRequest.complete).toBe(true);
    expect(new TextDecoder().decode(s.upstreamRequest.body)).toBe("abcdefghi");
  });

  it("applies set_buffer_bytes append to each chunk (start ≥ length appends)", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("append-body"));
    s.sendRequestBody("a");
    s.sendRequestBody("b", { endOfStream: true });
    expect(s.requestBodyText).toBe("a!b!");
  });

  it("lets the last body callback add trailers when the request had none", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("add-trailers"));
    s.sendRequestBody("x", { endOfStream: true });
    expect(s.upstreamRequest.trailers?.get("x-trailer-added")).toBe("yes");
  });

  it("calls the trailers callback and forwards trailers", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("plain"));
    s.sendRequestBody("x");
    expect(s.sendRequestTrailers({ "grpc-status": "0" })).toBe("Continue");
    expect(host.logs("info")).toContain("request_trailers n=1");
    expect(s.upstreamRequest.trailers?.get("grpc-status")).toBe("0");
    expect(s.upstreamRequest.complete).toBe(true);
  });
});

describe("actions and resume", () => {
  it("maps Pause on headers to stop-all: body and trailers are held and not delivered", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    expect(s.sendRequestHeaders(req("pause-headers"))).toBe("Pause");
    expect(s.lastStatus).toBe("StopAllIterationAndWatermark");
    expect(s.sendRequestBody("abc")).toBe("Pause");
    s.sendRequestTrailers({ t: "1" });
    expect(host.logs("info").some((l) => l.startsWith("request_body"))).toBe(false);
    expect(s.upstreamRequest.headers).toBeNull();
    expect(s.requestPaused).toBe(true);
  });

  it("resumes after proxy_continue_stream (deferred to after the callback), delivering held body and trailers", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    expect(s.sendRequestHeaders(req("callout"))).toBe("Pause");
    s.sendRequestBody("abc");
    s.sendRequestTrailers({ t: "1" });
    const [call] = host.pendingCalls();
    call!.respond({ status: 200, headers: { "x-user": "alice" } });
    const logs = workerLogs(host, 0);
    expect(logs.slice(logs.indexOf("auth status=200 body= x-user=alice"))).toEqual([
      "auth status=200 body= x-user=alice",
      "after_continue add=BadArgument",
      "request_body size=3 eos=0",
      "request_trailers n=1",
    ]);
    // Envoy drops the request maps as soon as proxy_continue_stream is called.
    expect(logs).toContain("after_continue add=BadArgument");
    const up = s.upstreamRequest;
    expect(up.headers!.get("x-user")).toBe("alice");
    expect(up.headers!.has("x-late")).toBe(false);
    expect(new TextDecoder().decode(up.body)).toBe("abc");
    expect(up.trailers!.get("t")).toBe("1");
    expect(up.complete).toBe(true);
  });

  it("pauses and resumes the response side independently", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("pause-response"), { endOfStream: true });
    expect(s.sendResponseHeaders({ ":status": "200" })).toBe("Pause");
    expect(s.sendResponseBody("data", { endOfStream: true })).toBe("Pause");
    expect(s.clientResponse.headers.has(":status")).toBe(false);
    expect(s.responsePaused).toBe(true);
  });

  it("buffers the whole response body when the filter pauses until end of stream", async () => {
    const host = await filterHost({ canary: false });
    const r = await host.request({ headers: { "x-scenario": "rewrite-response" } }, { body: ["ab", "cd"] });
    expect(r.bodyText).toBe("[abcd]");
  });

  it("resets the stream on proxy_close_stream, then ends it (log, done, delete)", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("close"), { endOfStream: true });
    expect(s.resetReason).toBe("wasm_close_stream");
    expect(s.completed).toBe(true);
    expect(workerLogs(host, 0).slice(-3)).toEqual(["log 2 status=<null>", "done 2", "delete 2"]);
  });
});

describe("local replies", () => {
  it("sends the reply after the callback, forces stop, replaces whitespace in details, adds text/plain and content-length", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    expect(s.sendRequestHeaders(req("deny"), { endOfStream: true })).toBe("Pause");
    expect(s.localResponse).toMatchObject({
      status: 403,
      details: "access__denied_now",
      bodyText: "nope",
      headers: [["x-deny", "1"]],
      grpcStatus: null,
    });
    const r = s.clientResponse;
    expect(r.status).toBe(403);
    expect(r.headers.toObject()).toEqual({
      ":status": "403",
      "x-deny": "1",
      "content-length": "4",
      "content-type": "text/plain",
      hello: "world",
    });
    expect(r.bodyText).toBe("nope");
    expect(s.upstreamRequest.headers).toBeNull();
    // The plugin's own reply went through its response callbacks, like Envoy's encoder chain.
    expect(workerLogs(host, 0).slice(-2)).toEqual(["response_headers status=403 eos=0", "response_body size=4 eos=1"]);
  });

  it("can send local replies straight to the client instead (localReplyThroughFilter: false)", async () => {
    const host = await filterHost({ canary: false, localReplyThroughFilter: false });
    const r = await host.request({ headers: { "x-scenario": "deny" } });
    expect(r.status).toBe(403);
    expect(r.headers.has("hello")).toBe(false);
    expect(host.logs("info").some((l) => l.startsWith("response_headers"))).toBe(false);
  });

  it("strips content-type and content-length for an empty body", async () => {
    const host = await filterHost({ canary: false });
    const r = await host.request({ headers: { "x-scenario": "deny-empty" } });
    expect(r.status).toBe(204);
    expect(r.headers.has("content-type")).toBe(false);
    expect(r.headers.has("content-length")).toBe(false);
    expect(r.localResponse?.details).toBe("empty");
  });

  it("answers gRPC requests trailers-only with grpc-status and grpc-message", async () => {
    const host = await filterHost({ canary: false });
    const r = await host.request({
      method: "POST",
      headers: { "x-scenario": "deny-grpc", "content-type": "application/grpc" },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("grpc-status")).toBe("7");
    // Envoy's percent-encoding leaves spaces alone (tests/envoy differential row local-grpc).
    expect(r.headers.get("grpc-message")).toBe("no way");
    expect(r.body.length).toBe(0);
  });

  it("answers OK to a second local reply on the same stream, sends only the first, and still forces stop", async () => {
    // As Envoy does (tests/envoy differential row local-twice).
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    expect(s.sendRequestHeaders(req("deny-twice"), { endOfStream: true })).toBe("Pause");
    expect(host.logs("info")).toContain("second=Ok");
    expect(s.clientResponse.status).toBe(403);
  });

  it("answers a reply from the body callback (body dropped, request never reaches upstream)", async () => {
    const host = await filterHost({ canary: false });
    const r = await host.request({ headers: { "x-scenario": "body-deny" }, body: "xx" });
    expect(r.status).toBe(400);
    expect(r.upstreamRequest).toBeNull();
  });

  it("sends a reply from a response callback directly to the client", async () => {
    const host = await filterHost({ canary: false });
    const r = await host.request({ headers: { "x-scenario": "deny-response" } }, { status: 200, body: "upstream" });
    expect(r.status).toBe(502);
    expect(r.bodyText).toBe("");
    expect(r.localResponse?.details).toBe("late_reply");
    expect(host.logs("info").filter((l) => l.startsWith("response_headers"))).toEqual([
      "response_headers status=200 eos=0",
    ]);
  });

  it("answers OK and does nothing for stream operations on the root context", async () => {
    const host = await filterHost({ canary: false, pluginConfig: "tick-ops" });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("pause-headers"), { endOfStream: true });
    host.advance(10);
    expect(host.logs("info")).toContain("root_ops local=Ok continue=Ok");
    expect(s.requestPaused).toBe(true);
    expect(s.clientResponse.headers.has(":status")).toBe(false);
  });

  it("resets the stream when a reply comes after response headers went to the client", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("deny-late"), { endOfStream: true });
    expect(s.sendResponseHeaders({ ":status": "200" })).toBe("Continue");
    expect(s.sendResponseBody("x", { endOfStream: true })).toBe("Pause");
    expect(s.clientResponse.status).toBe(200);
    expect(s.clientResponse.complete).toBe(false);
    expect(s.resetReason).toBe("local_reply_after_response_started");
    expect(s.completed).toBe(true);
  });

  it("refuses an unknown effective context with BAD_ARGUMENT", async () => {
    const host = await filterHost({ canary: false });
    await host.request({ headers: { "x-scenario": "effective" } });
    expect(host.logs("info")).toContain("effective=BadArgument");
  });
});
