// SPDX-License-Identifier: Apache-2.0
// Body buffers outside their callback, as current Envoy answers: an empty buffer (OK, 0 bytes), writes refused with BAD_ARGUMENT.
import { describe, it, expect } from "vitest";
import { filterHost, req } from "./helpers.js";

describe("buffers outside a body callback (Envoy Context::getBuffer + cpp-host get_buffer_*)", () => {
  it("bodies, network data and the gRPC buffer read as empty (OK); callout body and plugin configuration are NOT_FOUND", async () => {
    const host = await filterHost();
    const stream = host.newHttpStream();
    stream.sendRequestHeaders(req("buffers-outside"), { endOfStream: false });
    expect(host.logs("info")).toContain(
      "outside request_body=0/Ok response_bytes=0/Ok set=BadArgument network=0/Ok grpc=0/Ok callout_body=-1/NotFound plugin_config=-1/NotFound",
    );
    stream.sendRequestBody("abcdef", { endOfStream: true });
    // A start at or past the end reads nothing, OK (cpp-host clamps the length to 0).
    expect(host.logs("info")).toContain("inside past_end=0/Ok at_end=0/Ok tail=1/Ok");
    expect(stream.upstreamRequest.body).toEqual(new TextEncoder().encode("abcdef"));
    stream.sendResponseHeaders({ ":status": "200" }, { endOfStream: true });
    // After the request body continued, Envoy forgot it; the response body never existed.
    expect(host.logs("info")).toContain("response_headers request_body=0/Ok response_body=0/Ok append=BadArgument");
    expect(stream.clientResponse.body.length).toBe(0);
    stream.complete();
    expect(host.failures).toEqual([]);
  });
});
