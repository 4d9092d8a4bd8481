// SPDX-License-Identifier: Apache-2.0
// Host-call wrappers on the stream: header maps, bodies, trailers, buffers, local replies, logs,
// properties, foreign functions, effective context, close and abort, OK and error paths, through the
// compiled hostcalls fixture in @getwild/host. The fixture picks a scenario from the `x-op` request
// header and reports each result as an info log "key=value"; expectations follow the ABI reference.
import { describe, it, expect } from "vitest";
import { TARGETS, report, reportAll, startScenarios, sendScenario } from "./harness";

describe.each(TARGETS)("host calls (%s build)", (target) => {
  it("lifecycle: vm start and configure read their buffers; root id via plugin_root_id", async () => {
    const host = await startScenarios(target);
    // Canary VM and worker VM each run start and configure (Envoy's order).
    expect(reportAll(host, "vm_start")).toEqual(["6,6", "6,6"]);
    expect(reportAll(host, "configure")).toEqual(["3,cfg", "3,cfg"]);
    // Configurations are read-only.
    expect(report(host, "configure_set_config")).toBe("BadArgument");
    const { stream } = sendScenario(host, "props");
    expect(report(host, "prop_root_id")).toBe("hostcalls");
    // HttpContext<ScenarioRoot>: the stream reads its root's configuration through a typed `root`.
    sendScenario(host, "typed-root");
    expect(report(host, "typed_root")).toBe("cfg");
    stream.sendResponseHeaders({ ":status": "200" }, { endOfStream: true });
    stream.complete();
    // Envoy's end-of-stream order: log, done, delete, all for the same context.
    const id = report(host, "on_log");
    expect(report(host, "on_done")).toBe(id);
    expect(report(host, "on_delete")).toBe(id);
    const order = host
      .logs("info")
      .map((l) => l.split("=")[0])
      .filter((k) => k!.startsWith("on_"));
    expect(order).toEqual(["on_log", "on_done", "on_delete"]);
    host.close();
    expect(reportAll(host, "root_done").length).toBe(1);
    expect(reportAll(host, "root_delete").length).toBe(1);
    expect(host.failures).toEqual([]);
  });

  it("onConfigure returning false rejects the configuration", async () => {
    await expect(startScenarios(target, { pluginConfig: "reject" })).rejects.toThrow(/configur/);
  });

  it("statusName names every Status value and calls any other code Unknown", async () => {
    const host = await startScenarios(target);
    sendScenario(host, "status-names");
    expect(report(host, "status_names")).toBe(
      "Ok,NotFound,BadArgument,SerializationFailure,ParseFailure,BadExpression,InvalidMemoryAccess,Empty," +
        "CasMismatch,ResultMismatch,InternalFailure,BrokenConnection,Unimplemented,Unknown,Unknown",
    );
  });

  it("header maps: get (case-insensitive, pseudo-headers), getAll, has, set, add, replace, remove, pairs, size", async () => {
    const host = await startScenarios(target);
    const extra: [string, string][] = [
      ["X-Mixed-Case", "mixed"],
      ["multi", "m1"],
      ["multi", "m2"],
      ["x-remove-me", "bye"],
    ];
    const { stream, action } = sendScenario(host, "headers", extra);
    expect(action).toBe("Continue");
    expect(report(host, "request_headers")).toBe("9,eos");
    expect(report(host, "get_path")).toBe("/p?q=1");
    expect(report(host, "get_method")).toBe("GET");
    expect(report(host, "get_authority")).toBe("example.com");
    expect(report(host, "get_mixed_case")).toBe("mixed");
    expect(report(host, "get_missing")).toBe("null/NotFound");
    expect(report(host, "get_bytes")).toBe("mixed");
    expect(report(host, "get_bytes_missing")).toBe("null/NotFound");
    expect(report(host, "get_all_multi")).toBe("m1|m2");
    expect(report(host, "get_all_missing")).toBe("0");
    expect(report(host, "has_multi")).toBe("true");
    expect(report(host, "has_missing")).toBe("false/NotFound");
    for (const k of ["set", "add", "add2", "replace_present", "remove", "remove_absent"])
      expect(report(host, k), k).toBe("Ok");
    expect(report(host, "replace_absent")).toBe("NotFound");
    expect(report(host, "get_all_add")).toBe("a1|a2");
    expect(report(host, "pairs")).toBe(
      ":method,:scheme,:path,:authority,x-op,x-mixed-case,multi,multi,x-set,x-add,x-add",
    );
    // Envoy reports the map's byte size (sum of name and value lengths), not a count.
    const after = stream.requestHeaders.pairs();
    expect(report(host, "byte_size")).toBe(
      String(after.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0)),
    );
    // The response map does not exist yet in a request callback.
    expect(report(host, "response_get")).toBe("null/BadArgument");
    expect(report(host, "response_pairs")).toMatch(/^0\/(Ok|BadArgument)$/);
    expect(report(host, "response_add")).toBe("BadArgument");
    expect(report(host, "response_set_pairs")).toBe("BadArgument");
    expect(report(host, "response_size")).toBe("0/BadArgument");
    expect(report(host, "response_get_all")).toMatch(/^0\/(Ok|BadArgument)$/);
    // What the upstream receives.
    expect(stream.requestHeaders.get("x-set")).toBe("two");
    expect(stream.requestHeaders.getAll("x-add")).toEqual(["a1", "a2"]);
    expect(stream.requestHeaders.has("x-remove-me")).toBe(false);
    expect(stream.requestHeaders.has("x-absent")).toBe(false);
    expect(host.failures).toEqual([]);
  });

  it("header values with non-ASCII text after ASCII blocks are written and read as UTF-8", async () => {
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "utf8");
    expect(report(host, "utf8_set")).toBe("Ok");
    expect(report(host, "utf8_set_pair")).toBe("Ok");
    expect(stream.requestHeaders.get("x-utf8")).toBe("abcdefgh-\u00e9\u2713\u{1f600}-ijkl");
    expect(stream.requestHeaders.get("x-utf8-pair")).toBe("abcd\u{1f600}");
    expect(report(host, "utf8_get")).toBe("abcdefgh-\u00e9\u2713\u{1f600}-ijkl");
    expect(host.failures).toEqual([]);
  });

  it("header maps: setPairs replaces the whole map (names lower-cased)", async () => {
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "set-pairs");
    expect(report(host, "set_pairs")).toBe("Ok");
    expect(report(host, "set_pairs_all")).toBe("1|2");
    expect(report(host, "set_pairs_path")).toBe("/rewritten");
    expect(report(host, "set_pairs_old")).toBe("null/NotFound");
    expect(stream.requestHeaders.pairs()).toEqual([
      [":method", "POST"],
      [":path", "/rewritten"],
      [":authority", "h"],
      ["x-new", "1"],
      ["x-new", "2"],
    ]);
  });

  it("response headers, response body (buffered until end of stream, then replaced)", async () => {
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "response-body");
    expect(stream.sendResponseHeaders({ ":status": "200", server: "up" }, { endOfStream: false })).toBe("Continue");
    expect(report(host, "status")).toBe("200");
    expect(report(host, "response_set")).toBe("Ok");
    expect(report(host, "response_remove")).toBe("Ok");
    // Envoy forgets the request header map once onRequestHeaders continues (decodeHeaders sets
    // request_headers_ = nullptr): a response callback cannot read it.
    expect(report(host, "request_in_response")).toBe("null/BadArgument");
    expect(stream.sendResponseBody("part1 ", { endOfStream: false })).toBe("Pause");
    expect(stream.sendResponseBody("part2", { endOfStream: true })).toBe("Continue");
    expect(reportAll(host, "response_body")).toEqual(["6,more", "11,eos"]);
    expect(report(host, "response_body_read")).toBe("part1 part2");
    expect(report(host, "response_body_set")).toBe("Ok");
    stream.complete();
    expect(stream.clientResponse.bodyText).toBe("changed body");
    expect(stream.clientResponse.headers.get("x-response")).toBe("yes");
    expect(stream.clientResponse.headers.has("server")).toBe(false);
  });

  it("request body: read, replace, append, prepend, bad range, partial read", async () => {
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "body", [], false);
    expect(stream.sendRequestBody("hello ", { endOfStream: false })).toBe("Pause");
    expect(stream.sendRequestBody("world", { endOfStream: true })).toBe("Continue");
    expect(reportAll(host, "body_read")).toEqual(["hello ", "hello world"]);
    expect(report(host, "body_set")).toBe("Ok");
    expect(report(host, "body_append")).toBe("Ok");
    expect(report(host, "body_prepend")).toBe("Ok");
    expect(report(host, "body_bad_range")).toBe("BadArgument");
    expect(report(host, "body_after")).toBe("head+REPLACED+tail");
    expect(report(host, "body_size")).toBe("18");
    expect(report(host, "body_partial")).toBe("REP");
    expect(stream.requestBodyText).toBe("head+REPLACED+tail");
  });

  it("bodies outside their callback are empty (Envoy's answer), missing buffers null/-1 with the host's status, never a trap", async () => {
    const host = await startScenarios(target);
    sendScenario(host, "buffers");
    // Current Envoy: an empty body buffer, not an error; writing to it is BadArgument.
    expect(report(host, "buffer_response_body")).toBe("0/Ok");
    expect(report(host, "buffer_request_body")).toBe("0/Ok");
    expect(report(host, "buffer_request_size")).toBe("0/Ok");
    expect(report(host, "buffer_replace_unavailable")).toBe("BadArgument");
    expect(report(host, "buffer_append_unavailable")).toBe("BadArgument");
    expect(report(host, "buffer_size_missing")).toBe("0/NotFound");
    expect(report(host, "buffer_bad_type")).toBe("null/BadArgument");
    expect(report(host, "buffer_set_config")).toBe("NotFound");
    expect(host.failures).toEqual([]);
  });

  it("trailers: request and response, read and modified", async () => {
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "trailers", [], false);
    stream.sendRequestBody("b", { endOfStream: false });
    stream.sendRequestTrailers({ "x-trailer": "tr" });
    expect(report(host, "request_trailers")).toBe("1");
    expect(report(host, "trailer_get")).toBe("tr");
    expect(report(host, "trailer_add")).toBe("Ok");
    stream.sendResponseHeaders({ ":status": "200" }, { endOfStream: false });
    stream.sendResponseBody("rb", { endOfStream: false });
    stream.sendResponseTrailers({ "x-resp-trailer": "rt" });
    expect(report(host, "response_trailer_get")).toBe("rt");
    expect(report(host, "response_trailer_set")).toBe("Ok");
    expect(stream.requestTrailers!.get("x-added-trailer")).toBe("t");
    expect(stream.responseTrailers!.get("x-resp-added")).toBe("r");
  });

  it("onLog can still read request and response headers", async () => {
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "log-phase");
    stream.sendResponseHeaders({ ":status": "204" }, { endOfStream: true });
    stream.complete();
    expect(report(host, "log_request_path")).toBe("/p?q=1");
    expect(report(host, "log_response_status")).toBe("204");
  });

  it("local response: deferred, Pause, details/body/headers passed, later continue refused", async () => {
    const host = await startScenarios(target);
    const { stream, action } = sendScenario(host, "local");
    expect(action).toBe("Pause");
    expect(stream.localResponse).toMatchObject({
      status: 403,
      details: "denied_by_test",
      bodyText: "nope",
      headers: [["x-reason", "test"]],
      grpcStatus: null,
    });
    expect(stream.clientResponse.status).toBe(403);
    expect(stream.clientResponse.headers.get("x-reason")).toBe("test");
    expect(stream.clientResponse.bodyText).toBe("nope");
  });

  it("local response: the callback is answered with Pause even if it returned Continue; continue is refused", async () => {
    const host = await startScenarios(target);
    const { stream, action } = sendScenario(host, "local-continue");
    expect(action).toBe("Pause");
    expect(report(host, "continue_after_local")).toBe("BadArgument");
    expect(stream.localResponse?.status).toBe(401);
    expect(stream.upstreamRequest.complete && !stream.localResponse).toBe(false);
  });

  it("local response with a gRPC status", async () => {
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "local-grpc");
    expect(stream.localResponse?.grpcStatus).toBe(16);
  });

  it("properties: strings, NotFound, set/get, int64 and bool with malformed values as values", async () => {
    const host = await startScenarios(target);
    sendScenario(host, "props");
    expect(report(host, "prop_root_id")).toBe("hostcalls");
    expect(report(host, "prop_plugin_name")).toBe("hostcalls");
    expect(report(host, "prop_request_path")).toBe("/p?q=1");
    expect(report(host, "prop_missing")).toBe("null/NotFound");
    expect(report(host, "prop_missing_bytes")).toBe("null");
    expect(report(host, "prop_set")).toBe("Ok");
    expect(report(host, "prop_get_set")).toBe("my value");
    expect(report(host, "prop_int")).toBe("-1234567890123");
    expect(report(host, "prop_int_bad")).toBe("7/ParseFailure");
    expect(report(host, "prop_bool")).toBe("true");
    expect(report(host, "prop_bool_bad")).toBe("true/ParseFailure");
    expect(report(host, "prop_bool_missing")).toBe("true");
  });

  it("time, log levels, log level query, bad level, UTF-8 messages", async () => {
    const host = await startScenarios(target, { logLevel: "warn" });
    sendScenario(host, "time");
    sendScenario(host, "log");
    // Core's one time unit: milliseconds since the epoch (the host's nanoseconds divided once).
    const ms = Number(report(host, "time"));
    expect(ms).toBeGreaterThan(1_600_000_000_000);
    expect(ms).toBeLessThan(1e14);
    expect(host.logs("trace")).toContain("trace message");
    expect(host.logs("debug")).toContain("debug message");
    expect(host.logs("warn")).toContain("warn message");
    expect(host.logs("error")).toContain("error message");
    expect(host.logs("critical")).toContain("critical message");
    expect(report(host, "log_bad_level")).toBe("BadArgument");
    expect(report(host, "log_level")).toBe("3");
    expect(report(host, "log_unicode")).toBe("héllo ✓ 😀");
  });

  it("foreign functions: unknown name is NotFound", async () => {
    const host = await startScenarios(target);
    sendScenario(host, "foreign");
    expect(report(host, "foreign_missing")).toBe("null/NotFound");
  });

  it("effective context: unknown id is BadArgument; pluginDone outside a deferred shutdown is NotFound", async () => {
    const host = await startScenarios(target);
    sendScenario(host, "effective");
    sendScenario(host, "done");
    expect(report(host, "effective_unknown")).toBe("BadArgument");
    expect(report(host, "plugin_done")).toBe("NotFound");
    expect(host.failures).toEqual([]);
  });

  it("closeStream resets the stream", async () => {
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "close");
    expect(report(host, "close")).toBe("Ok");
    await host.idle();
    expect(stream.resetReason).not.toBeNull();
  });

  it("an abort (out-of-range index) logs message and location at critical, then traps; Envoy fails the stream closed", async () => {
    const host = await startScenarios(target);
    const result = await host.request({ headers: { "x-op": "abort" } });
    expect(report(host, "abort_value")).toBeUndefined();
    expect(host.failures.length).toBe(1);
    expect(host.failures[0]!.criticalLog).toMatch(/^abort: Index out of range at ~lib\/array\.ts:\d+:\d+$/);
    expect(host.logs("critical")).toEqual([host.failures[0]!.criticalLog]);
    expect(result.status).toBe(503);
    // The debug build keeps the name section, so the trap's backtrace names the functions.
    if (target === "debug") expect(host.failures[0]!.stack).toMatch(/coreAbort[\s\S]*onRequestHeaders/);
  });
});
