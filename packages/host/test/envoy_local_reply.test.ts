// SPDX-License-Identifier: Apache-2.0
// HttpStream.sendEnvoyLocalReply: Envoy's own replies (route timeout, connect failure) on a stream, apart from the plugin's localResponse.
import { describe, it, expect } from "vitest";
import { filterHost, req } from "./helpers.js";

describe("sendEnvoyLocalReply", () => {
  it("answers the client through the plugin's response callbacks, without touching the plugin's localResponse", async () => {
    // Envoy's replies pass the filter even when the plugin's own replies are set to skip it.
    const host = await filterHost({ localReplyThroughFilter: false });
    const stream = host.newHttpStream();
    stream.sendRequestHeaders(req("none"), { endOfStream: true });
    expect(stream.upstreamRequest.complete).toBe(true);
    expect(
      stream.sendEnvoyLocalReply({
        status: 504,
        body: "upstream request timeout",
        details: "upstream_response_timeout",
      }),
    ).toBe(true);
    const res = stream.clientResponse;
    expect(res.status).toBe(504);
    expect(res.bodyText).toBe("upstream request timeout");
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.headers.get("content-length")).toBe("24");
    expect(res.headers.get("hello")).toBe("world"); // added by on_response_headers
    expect(res.complete).toBe(true);
    expect(host.logs("info")).toContain("response_headers status=504 eos=0");
    expect(stream.localResponse).toBeNull();
    expect(stream.envoyLocalReply).toMatchObject({
      status: 504,
      details: "upstream_response_timeout",
      bodyText: "upstream request timeout",
    });
    expect(stream.responseCodeDetails).toBe("upstream_response_timeout");
    // Answered already: a second reply does nothing.
    expect(stream.sendEnvoyLocalReply({ status: 503, details: "again" })).toBe(false);
    expect(stream.clientResponse.status).toBe(504);
    stream.complete();
    expect(host.failures).toEqual([]);
  });

  it("gives a gRPC client a trailers-only reply; after response headers went out it resets the stream", async () => {
    const host = await filterHost();
    const grpc = host.newHttpStream();
    grpc.sendRequestHeaders(req("none", { ":method": "POST", "content-type": "application/grpc" }), {
      endOfStream: true,
    });
    grpc.sendEnvoyLocalReply({ status: 503, body: "no healthy upstream", details: "no_healthy_upstream" });
    expect(grpc.clientResponse.status).toBe(200);
    expect(grpc.clientResponse.headers.get("grpc-status")).toBe("14");
    expect(grpc.clientResponse.headers.get("grpc-message")).toBe("no healthy upstream");
    expect(grpc.localResponse).toBeNull();

    const late = host.newHttpStream();
    late.sendRequestHeaders(req("none"), { endOfStream: true });
    late.sendResponseHeaders({ ":status": "200" }, { endOfStream: false });
    expect(late.sendEnvoyLocalReply({ status: 504, details: "upstream_response_timeout" })).toBe(true);
    expect(late.resetReason).toBe("local_reply_after_response_started");
  });

  it("the host's own replies are recorded there too (413 over the buffer limit), the plugin's reply only in localResponse", async () => {
    const host = await filterHost({ bufferLimitBytes: 4 });
    const big = await host.request({ headers: { "x-scenario": "buffer-body" }, body: ["abc", "defgh"] });
    expect(big.status).toBe(413);
    expect(big.localResponse).toBeNull();
    expect(big.stream.envoyLocalReply).toMatchObject({ status: 413, details: "request_payload_too_large" });
    const denied = await host.request({ headers: { "x-scenario": "deny" } });
    expect(denied.localResponse).toMatchObject({ status: 403 });
    expect(denied.stream.envoyLocalReply).toBeNull();
  });
});
