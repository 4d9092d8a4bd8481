// SPDX-License-Identifier: Apache-2.0
// HTTP callouts and ticks through the compiled hostcalls fixture: the request as sent, replies,
// resets, timeouts, replies for streams that are gone, argument errors, and root callouts from onTick.
import { describe, it, expect } from "vitest";
import { TARGETS, report, reportAll, startScenarios, sendScenario } from "./harness";

describe.each(TARGETS)("callouts and ticks (%s build)", (target) => {
  it("HTTP callout: request as sent, reply status/headers/body/trailers, stream resumed from the callback", async () => {
    const host = await startScenarios(target);
    const { stream, action } = sendScenario(host, "callout");
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
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "callout");
    host.pendingCalls()[0]!.fail();
    await host.idle();
    expect(report(host, "callout_failed")).toBe("true");
    expect(report(host, "callout_failure")).toBe("BrokenConnection/reset");
    expect(stream.requestPaused).toBe(false);
    expect(host.failures).toEqual([]);
  });

  it("HTTP callout timeout arrives as Envoy's 504 reply, not ok", async () => {
    const host = await startScenarios(target);
    sendScenario(host, "callout");
    host.pendingCalls()[0]!.timeout();
    await host.idle();
    expect(report(host, "callout_failed")).toBe("false");
    expect(report(host, "callout_status")).toBe("504");
    expect(report(host, "callout_ok")).toBe("false");
  });

  it("HTTP callout callback may answer the originating stream with a local response", async () => {
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "callout-local");
    host.pendingCalls()[0]!.respond({ status: 200 });
    await host.idle();
    expect(report(host, "callout_origin")).toBe("stream:callout-local");
    expect(report(host, "callout_continue_after_local")).toBe("BadArgument");
    expect(stream.localResponse).toMatchObject({ status: 401, details: "callout_said_no", bodyText: "denied" });
    expect(stream.clientResponse.status).toBe(401);
  });

  it("HTTP callout reply for a stream that is gone is dropped without a trap", async () => {
    const host = await startScenarios(target);
    const { stream } = sendScenario(host, "callout");
    stream.reset("client went away");
    const call = host.pendingCalls()[0];
    if (call && call.pending) call.respond({ status: 200 });
    await host.idle();
    expect(report(host, "callout_origin")).toBeUndefined();
    expect(host.failures).toEqual([]);
    // The VM keeps serving.
    const next = sendScenario(host, "headers");
    expect(next.action).toBe("Continue");
  });

  it("HTTP callout errors: unknown cluster, missing :path (BadArgument, nothing pending)", async () => {
    for (const op of ["callout-bad-cluster", "callout-no-path"]) {
      const host = await startScenarios(target);
      const { action } = sendScenario(host, op);
      expect(action).toBe("Continue");
      expect(report(host, "callout_start")).toBe("BadArgument");
      expect(host.pendingCalls()).toEqual([]);
    }
  });

  it("ticks: period set in onConfigure, onTick fires, root callout reaches its callback with the root as origin", async () => {
    const host = await startScenarios(target, { pluginConfig: "tick" });
    expect(report(host, "tick_set")).toBe("Ok");
    expect(host.tickPeriod()).toBe(100);
    expect(reportAll(host, "tick")).toEqual([]);
    host.advance(100);
    expect(reportAll(host, "tick").length).toBe(1);
    host.pendingCalls()[0]!.respond({ status: 200, body: "tock" });
    await host.idle();
    expect(report(host, "tick_callout")).toMatch(/^root:\d+,200,tock$/);
    host.advance(250);
    expect(reportAll(host, "tick").length).toBe(3);
  });

  it("tick period can be set from a stream callback (applies to its root)", async () => {
    const host = await startScenarios(target);
    sendScenario(host, "tick");
    expect(report(host, "tick_period")).toBe("Ok");
    expect(host.tickPeriod()).toBe(1000);
  });

  it("concurrent callouts from two streams: each reply reaches the callback of its own stream, in any order", async () => {
    const host = await startScenarios(target);
    const first = sendScenario(host, "callout");
    const second = sendScenario(host, "callout");
    const [callA, callB] = host.pendingCalls();
    expect(callA!.token).not.toBe(callB!.token);
    callB!.respond({ status: 202 });
    await host.idle();
    expect(second.stream.requestHeaders.get("x-callout-status")).toBe("202");
    expect(first.stream.requestPaused).toBe(true);
    callA!.respond({ status: 200 });
    await host.idle();
    expect(first.stream.requestHeaders.get("x-callout-status")).toBe("200");
    expect(first.stream.requestPaused).toBe(false);
    expect(reportAll(host, "callout_pending")).toEqual(["1", "2", "1", "0"]);
  });
});
