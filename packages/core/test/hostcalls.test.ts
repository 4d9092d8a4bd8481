// SPDX-License-Identifier: Apache-2.0
// Every host-call wrapper, OK and error paths, through the compiled hostcalls fixture running in
// @getwild/host. The fixture picks a scenario from the `x-op` request header and reports each result
// as an info log "key=value"; expectations follow the ABI reference (Envoy's behaviour).
import { describe, it, expect } from "vitest";
import type { Host, HttpStream } from "@getwild/host";
import { TARGETS, hostFor, report, reportAll, type Target } from "./harness";

const BASE = { rootId: "hostcalls", pluginConfig: "cfg", vmConfig: "vm-cfg", clusters: ["upstream"] };

async function start(target: Target, options: Record<string, unknown> = {}): Promise<Host> {
  return hostFor("hostcalls", target, { ...BASE, ...options });
}

/** Sends request headers with `x-op: op` plus `extra`; returns the stream and the action. */
function send(host: Host, op: string, extra: [string, string][] = [], endOfStream = true): { stream: HttpStream; action: string } {
  const stream = host.newHttpStream();
  const headers: [string, string][] = [[":method", "GET"], [":scheme", "http"], [":path", "/p?q=1"], [":authority", "example.com"], ["x-op", op], ...extra];
  const action = stream.sendRequestHeaders(headers, { endOfStream });
  return { stream, action };
}

describe.each(TARGETS)("host calls (%s build)", (target) => {
  it("lifecycle: vm start and configure read their buffers; root id via plugin_root_id", async () => {
    const host = await start(target);
    // Canary VM and worker VM each run start and configure (Envoy's order).
    expect(reportAll(host, "vm_start")).toEqual(["6,6", "6,6"]);
    expect(reportAll(host, "configure")).toEqual(["3,cfg", "3,cfg"]);
    // Configurations are read-only.
    expect(report(host, "configure_set_config")).toBe("BadArgument");
    const { stream } = send(host, "props");
    expect(report(host, "prop_root_id")).toBe("hostcalls");
    stream.sendResponseHeaders({ ":status": "200" }, { endOfStream: true });
    stream.complete();
    // Envoy's end-of-stream order: log, done, delete, all for the same context.
    const id = report(host, "on_log");
    expect(report(host, "on_done")).toBe(id);
    expect(report(host, "on_delete")).toBe(id);
    const order = host.logs("info").map((l) => l.split("=")[0]).filter((k) => k!.startsWith("on_"));
    expect(order).toEqual(["on_log", "on_done", "on_delete"]);
    host.close();
    expect(reportAll(host, "root_done").length).toBe(1);
    expect(reportAll(host, "root_delete").length).toBe(1);
    expect(host.failures).toEqual([]);
  });

  it("onConfigure returning false rejects the configuration", async () => {
    await expect(start(target, { pluginConfig: "reject" })).rejects.toThrow(/configur/);
  });

  it("header maps: get (case-insensitive, pseudo-headers), getAll, has, set, add, replace, remove, pairs, size", async () => {
    const host = await start(target);
    const extra: [string, string][] = [["X-Mixed-Case", "mixed"], ["multi", "m1"], ["multi", "m2"], ["x-remove-me", "bye"]];
    const { stream, action } = send(host, "headers", extra);
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
    expect(report(host, "has_missing")).toBe("false");
    for (const k of ["set", "add", "add2", "replace_present", "remove", "remove_absent"]) expect(report(host, k), k).toBe("Ok");
    expect(report(host, "replace_absent")).toBe("NotFound");
    expect(report(host, "get_all_add")).toBe("a1|a2");
    expect(report(host, "pairs")).toBe(":method,:scheme,:path,:authority,x-op,x-mixed-case,multi,multi,x-set,x-add,x-add");
    // Envoy reports the map's byte size (sum of name and value lengths), not a count.
    const after = stream.requestHeaders.pairs();
    expect(report(host, "byte_size")).toBe(String(after.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0)));
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

  it("header maps: setPairs replaces the whole map (names lower-cased)", async () => {
    const host = await start(target);
    const { stream } = send(host, "set-pairs");
    expect(report(host, "set_pairs")).toBe("Ok");
    expect(report(host, "set_pairs_all")).toBe("1|2");
    expect(report(host, "set_pairs_path")).toBe("/rewritten");
    expect(report(host, "set_pairs_old")).toBe("null/NotFound");
    expect(stream.requestHeaders.pairs()).toEqual([[":method", "POST"], [":path", "/rewritten"], [":authority", "h"], ["x-new", "1"], ["x-new", "2"]]);
  });

  it("response headers, response body (buffered until end of stream, then replaced)", async () => {
    const host = await start(target);
    const { stream } = send(host, "response-body");
    expect(stream.sendResponseHeaders({ ":status": "200", server: "up" }, { endOfStream: false })).toBe("Continue");
    expect(report(host, "status")).toBe("200");
    expect(report(host, "response_set")).toBe("Ok");
    expect(report(host, "response_remove")).toBe("Ok");
    expect(report(host, "request_in_response")).toBe("response-body");
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
    const host = await start(target);
    const { stream } = send(host, "body", [], false);
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

  it("buffers that are not available are null/-1 with the host's status, never a trap", async () => {
    const host = await start(target);
    send(host, "buffers");
    expect(report(host, "buffer_response_body")).toBe("null/NotFound");
    expect(report(host, "buffer_size_missing")).toBe("-1/NotFound");
    expect(report(host, "buffer_bad_type")).toBe("null/BadArgument");
    expect(report(host, "buffer_set_config")).toMatch(/^(NotFound|BadArgument)$/);
    expect(host.failures).toEqual([]);
  });

  it("trailers: request and response, read and modified", async () => {
    const host = await start(target);
    const { stream } = send(host, "trailers", [], false);
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
    const host = await start(target);
    const { stream } = send(host, "log-phase");
    stream.sendResponseHeaders({ ":status": "204" }, { endOfStream: true });
    stream.complete();
    expect(report(host, "log_request_path")).toBe("/p?q=1");
    expect(report(host, "log_response_status")).toBe("204");
  });

  it("local response: deferred, Pause, details/body/headers passed, later continue refused", async () => {
    const host = await start(target);
    const { stream, action } = send(host, "local");
    expect(action).toBe("Pause");
    expect(stream.localResponse).toMatchObject({ status: 403, details: "denied_by_test", bodyText: "nope", headers: [["x-reason", "test"]], grpcStatus: null });
    expect(stream.clientResponse.status).toBe(403);
    expect(stream.clientResponse.headers.get("x-reason")).toBe("test");
    expect(stream.clientResponse.bodyText).toBe("nope");
  });

  it("local response: the callback is answered with Pause even if it returned Continue; continue is refused", async () => {
    const host = await start(target);
    const { stream, action } = send(host, "local-continue");
    expect(action).toBe("Pause");
    expect(report(host, "continue_after_local")).toBe("BadArgument");
    expect(stream.localResponse?.status).toBe(401);
    expect(stream.upstreamRequest.complete && !stream.localResponse).toBe(false);
  });

  it("local response with a gRPC status", async () => {
    const host = await start(target);
    const { stream } = send(host, "local-grpc");
    expect(stream.localResponse?.grpcStatus).toBe(16);
  });

  it("HTTP callout: request as sent, reply status/headers/body/trailers, stream resumed from the callback", async () => {
    const host = await start(target);
    const { stream, action } = send(host, "callout");
    expect(action).toBe("Pause");
    expect(report(host, "callout_start")).toBe("Ok");
    expect(report(host, "callout_token")).toBe("nonzero");
    expect(report(host, "callout_pending")).toBe("1");
    const [call] = host.pendingCalls();
    expect(call!.cluster).toBe("upstream");
    expect(call!.headers.get(":method")).toBe("GET");
    expect(call!.headers.get(":path")).toBe("/check");
    expect(call!.headers.get(":authority")).toBe("upstream.test");
    expect(call!.bodyText).toBe("call body");
    expect(call!.trailers.get("x-call-trailer")).toBe("ct");
    expect(call!.timeoutMs).toBe(5000);
    call!.respond({ status: 201, headers: { "x-reply": "r1" }, body: "reply body", trailers: { "x-t": "tv" } });
    await host.idle();
    expect(report(host, "callout_origin")).toBe("stream:callout");
    expect(report(host, "callout_failed")).toBe("false");
    expect(report(host, "callout_status")).toBe("201");
    expect(report(host, "callout_ok")).toBe("true");
    expect(report(host, "callout_header")).toBe("r1");
    expect(report(host, "callout_headers")).toBe(":status,x-reply");
    expect(report(host, "callout_body")).toBe("reply body");
    expect(report(host, "callout_trailers")).toBe("x-t:tv");
    expect(report(host, "callout_pending")).toBe("0");
    expect(report(host, "callout_continue")).toBe("Ok");
    expect(stream.requestPaused).toBe(false);
    expect(stream.requestHeaders.get("x-callout-status")).toBe("201");
  });

  it("HTTP callout failure (reset) is a value: failed, BrokenConnection/reset", async () => {
    const host = await start(target);
    const { stream } = send(host, "callout");
    host.pendingCalls()[0]!.fail();
    await host.idle();
    expect(report(host, "callout_failed")).toBe("true");
    expect(report(host, "callout_failure")).toBe("BrokenConnection/reset");
    expect(stream.requestPaused).toBe(false);
    expect(host.failures).toEqual([]);
  });

  it("HTTP callout timeout arrives as Envoy's 504 reply, not ok", async () => {
    const host = await start(target);
    send(host, "callout");
    host.pendingCalls()[0]!.timeout();
    await host.idle();
    expect(report(host, "callout_failed")).toBe("false");
    expect(report(host, "callout_status")).toBe("504");
    expect(report(host, "callout_ok")).toBe("false");
  });

  it("HTTP callout callback may answer the originating stream with a local response", async () => {
    const host = await start(target);
    const { stream } = send(host, "callout-local");
    host.pendingCalls()[0]!.respond({ status: 200 });
    await host.idle();
    expect(report(host, "callout_origin")).toBe("stream:callout-local");
    expect(report(host, "callout_continue_after_local")).toBe("BadArgument");
    expect(stream.localResponse).toMatchObject({ status: 401, details: "callout_said_no", bodyText: "denied" });
    expect(stream.clientResponse.status).toBe(401);
  });

  it("HTTP callout reply for a stream that is gone is dropped without a trap", async () => {
    const host = await start(target);
    const { stream } = send(host, "callout");
    stream.reset("client went away");
    const call = host.pendingCalls()[0];
    if (call && call.pending) call.respond({ status: 200 });
    await host.idle();
    expect(report(host, "callout_origin")).toBeUndefined();
    expect(host.failures).toEqual([]);
    // The VM keeps serving.
    const next = send(host, "headers");
    expect(next.action).toBe("Continue");
  });

  it("HTTP callout errors: unknown cluster, missing :path (BadArgument, nothing pending)", async () => {
    for (const op of ["callout-bad-cluster", "callout-no-path"]) {
      const host = await start(target);
      const { action } = send(host, op);
      expect(action).toBe("Continue");
      expect(report(host, "callout_start")).toBe("BadArgument");
      expect(host.pendingCalls()).toEqual([]);
    }
  });

  it("ticks: period set in onConfigure, onTick fires, root callout reaches its callback with the root as origin", async () => {
    const host = await start(target, { pluginConfig: "tick" });
    expect(report(host, "tick_set")).toBe("Ok");
    expect(host.tickPeriod()).toBe(100);
    expect(reportAll(host, "tick")).toEqual([]);
    host.advance(100);
    expect(reportAll(host, "tick").length).toBe(1);
    host.pendingCalls()[0]!.respond({ status: 200, body: "tock" });
    await host.idle();
    expect(report(host, "tick_callout")).toBe("root,200,tock");
    host.advance(250);
    expect(reportAll(host, "tick").length).toBe(3);
  });

  it("tick period can be set from a stream callback (applies to its root)", async () => {
    const host = await start(target);
    send(host, "tick");
    expect(report(host, "tick_period")).toBe("Ok");
    expect(host.tickPeriod()).toBe(1000);
  });

  it("metrics: counter, gauge, histogram; Envoy's error rules are values", async () => {
    const host = await start(target);
    send(host, "metrics");
    expect(report(host, "metric_defined")).toBe("true");
    expect(report(host, "counter_inc")).toBe("Ok");
    expect(report(host, "counter_inc_zero")).toBe("BadArgument");
    expect(report(host, "counter_get")).toBe("5");
    expect(report(host, "gauge_add")).toBe("Ok");
    expect(report(host, "gauge_get")).toBe("-3");
    expect(report(host, "gauge_set")).toBe("Ok");
    expect(report(host, "gauge_get2")).toBe("42");
    expect(report(host, "histogram_record")).toBe("Ok");
    expect(report(host, "counter_again_inc")).toBe("Ok");
    expect(report(host, "counter_again_get")).toBe("7,7");
    expect(host.metric("test_counter")).toBe(7);
    expect(host.metric("test_gauge")).toBe(42);
    expect(host.histogram("test_histogram")).toEqual([7]);
  });

  it("shared data: NotFound, set, get with CAS, CasMismatch on a stale CAS, unconditional and new-key writes", async () => {
    const host = await start(target);
    send(host, "shared");
    expect(report(host, "sd_missing")).toBe("NotFound");
    expect(report(host, "sd_set")).toBe("Ok");
    expect(report(host, "sd_get")).toBe("v1/cas");
    expect(report(host, "sd_set_cas_ok")).toBe("Ok");
    expect(report(host, "sd_set_cas_stale")).toBe("CasMismatch");
    expect(report(host, "sd_get2")).toBe("v2/newcas");
    expect(report(host, "sd_set_unconditional")).toBe("Ok");
    expect(report(host, "sd_set_new_with_cas")).toBe("Ok");
    expect(host.sharedData.get("sd-key")?.text).toBe("v4");
    expect(host.sharedData.get("sd-new")?.text).toBe("n");
  });

  it("shared queues: register, resolve, enqueue, dequeue, Empty, NotFound, onQueueReady", async () => {
    const host = await start(target);
    send(host, "queue");
    expect(report(host, "queue_register")).toBe("Ok");
    expect(report(host, "queue_resolve")).toBe("Ok/same");
    expect(report(host, "queue_resolve_missing")).toBe("NotFound");
    expect(report(host, "queue_enqueue")).toBe("Ok");
    expect(report(host, "queue_dequeue")).toBe("Ok/item1");
    expect(report(host, "queue_dequeue_empty")).toBe("Empty");
    expect(report(host, "queue_enqueue_missing")).toBe("NotFound");
    expect(report(host, "queue_dequeue_missing")).toBe("NotFound");
    expect(report(host, "queue_enqueue_notify")).toBe("Ok");
    await host.idle();
    expect(reportAll(host, "queue_ready")).toContain("Ok/item2");
  });

  it("properties: strings, NotFound, set/get, int64 and bool with malformed values as values", async () => {
    const host = await start(target);
    send(host, "props");
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
    const host = await start(target, { logLevel: "warn" });
    send(host, "time");
    send(host, "log");
    const ns = BigInt(report(host, "time")!);
    expect(ns > 1_600_000_000_000_000_000n).toBe(true);
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
    const host = await start(target);
    send(host, "foreign");
    expect(report(host, "foreign_missing")).toBe("null/NotFound");
  });

  it("effective context: unknown id is BadArgument; pluginDone outside a deferred shutdown is NotFound", async () => {
    const host = await start(target);
    send(host, "effective");
    send(host, "done");
    expect(report(host, "effective_unknown")).toBe("BadArgument");
    expect(report(host, "plugin_done")).toBe("NotFound");
    expect(host.failures).toEqual([]);
  });

  it("closeStream resets the stream", async () => {
    const host = await start(target);
    const { stream } = send(host, "close");
    expect(report(host, "close")).toBe("Ok");
    await host.idle();
    expect(stream.resetReason).not.toBeNull();
  });

  it("an abort (out-of-range index) logs message and location at critical, then traps; Envoy fails the stream closed", async () => {
    const host = await start(target);
    const result = await host.request({ headers: { "x-op": "abort" } });
    expect(report(host, "abort_value")).toBeUndefined();
    expect(host.failures.length).toBe(1);
    expect(host.failures[0]!.criticalLog).toMatch(/^abort: Index out of range at ~lib\/array\.ts:\d+:\d+$/);
    expect(host.logs("critical")).toEqual([host.failures[0]!.criticalLog]);
    expect(result.status).toBe(503);
  });
});
