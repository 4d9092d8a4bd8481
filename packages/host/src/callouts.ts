// SPDX-License-Identifier: Apache-2.0
// proxy_http_call as Envoy runs it (on the root context, configured clusters only) and the test-side handle to answer, fail or time out a call.
import { Status } from "./enums.js";
import { HeaderMap, type HeadersInit } from "./header_map.js";
import { decodePairs } from "./pairs.js";
import { utf8 } from "./memory.js";
import type { GuestVm, GuestCall } from "./guest_vm.js";
import type { RootContext } from "./contexts.js";
import {
  ROUTER_CONNECT_FAILURE,
  ROUTER_CONNECTION_TERMINATION,
  ROUTER_TIMEOUT,
  type RouterReply,
} from "./router_replies.js";

export interface CalloutResponse {
  headers: HeaderMap;
  body: Uint8Array;
  trailers: HeaderMap;
}

export interface HttpCallReply {
  /** Becomes `:status` (default 200) unless `headers` carries one. */
  status?: number;
  headers?: HeadersInit;
  body?: string | Uint8Array;
  trailers?: HeadersInit;
}

/** What an automatic responder may answer: a reply, or "reset"/"timeout" to simulate those outcomes. */
export type HttpCallOutcome = HttpCallReply | "reset" | "timeout";

/** A cluster for proxy_http_call; `hosts: 0` models a cluster without any host. */
export interface ClusterSpec {
  name: string;
  hosts?: number;
}

/** A reply Envoy's router builds itself (plain text), as the async client hands it to the plugin. */
function routerReply({ status, body }: RouterReply): HttpCallReply {
  return {
    status,
    headers: [
      ["content-length", String(Buffer.byteLength(body))],
      ["content-type", "text/plain"],
    ],
    body,
  };
}

/**
 * The 504 Envoy's async client produces when a call's timeout expires; it reaches the plugin through
 * the success path (shown in Envoy by tests/envoy differential row callout-timeout).
 */
export const TIMEOUT_REPLY: HttpCallReply = routerReply(ROUTER_TIMEOUT);

/** Envoy's reply when the cluster's host refuses the connection (differential row callout-dead). */
export const CONNECT_FAILURE_REPLY: HttpCallReply = routerReply(ROUTER_CONNECT_FAILURE);

/** Envoy's reply when the host closes the connection before the response headers (row callout-reset). */
export const CONNECTION_TERMINATION_REPLY: HttpCallReply = routerReply(ROUTER_CONNECTION_TERMINATION);

/** What http calls use of their VM: its calls, root context, status and the host's clusters and timer. */
export interface CalloutVm extends GuestVm {
  readonly root: RootContext | null;
  readonly failed: boolean;
  readonly call: GuestCall;
  readonly callouts: Map<number, PendingCall>;
  /** Last status for proxy_get_status (set by callout completions). */
  status: { code: number; message: string };
  /** Set only while proxy_on_http_call_response runs. */
  calloutResponse: CalloutResponse | null;
  nextHttpToken(): number;
  readonly core: {
    readonly clusters: ReadonlyMap<string, number>;
    readonly nowMs: number;
    settle<T>(fn: () => T): T;
    onCalloutCreated(call: PendingCall): void;
  };
}

export class PendingCall {
  private done = false;

  constructor(
    private readonly vm: CalloutVm,
    readonly token: number,
    readonly cluster: string,
    readonly headers: HeaderMap,
    readonly body: Uint8Array,
    readonly trailers: HeaderMap,
    readonly timeoutMs: number,
    /** Host timer time (ms) when the call times out, or null for no timeout. */
    readonly deadlineMs: number | null,
  ) {}

  get worker(): number {
    return this.vm.worker;
  }

  get pending(): boolean {
    return !this.done && this.vm.callouts.get(this.token) === this;
  }

  get bodyText(): string {
    return new TextDecoder().decode(this.body);
  }

  /** Delivers a response: proxy_on_http_call_response(root, token, n_headers, body_size, n_trailers). */
  respond(reply: HttpCallReply = {}): void {
    const headers = new HeaderMap(reply.headers);
    if (!headers.has(":status")) {
      const rest = headers.pairs();
      headers.replaceAll([[":status", String(reply.status ?? 200)], ...rest]);
    }
    const body = typeof reply.body === "string" ? utf8(reply.body) : (reply.body ?? new Uint8Array(0));
    this.complete({ headers, body, trailers: new HeaderMap(reply.trailers) }, null);
  }

  /** Connection failure: the callback sees 0 headers, proxy_get_status gives 11 (BrokenConnection) and "reset". */
  fail(message = "reset"): void {
    this.complete(null, { code: Status.BrokenConnection, message });
  }

  /** The timeout expired: Envoy answers 504 through the success path (TIMEOUT_REPLY). */
  timeout(): void {
    this.respond(TIMEOUT_REPLY);
  }

  /** Forget the call without a callback (root context deleted, VM replaced). */
  cancel(): void {
    this.done = true;
    this.vm.callouts.delete(this.token);
  }

  /**
   * Envoy sets the status only on failure (11, message) and clears just the message afterwards, so a
   * later successful callback still reads code 11 with an empty message; success leaves it as it was.
   */
  private complete(response: CalloutResponse | null, failure: { code: number; message: string } | null): void {
    if (!this.pending) throw new Error(`http call ${this.token} is not pending`);
    this.done = true;
    const vm = this.vm;
    vm.callouts.delete(this.token);
    vm.core.settle(() => {
      const root = vm.root;
      if (!root || vm.failed) return;
      if (failure) vm.status = { ...failure };
      vm.calloutResponse = response;
      try {
        const n = response ? response.headers.count : 0;
        const t = response ? response.trailers.count : 0;
        vm.call("proxy_on_http_call_response", root.id, root.id, this.token, n, response?.body.length ?? 0, t);
      } finally {
        vm.calloutResponse = null;
        if (failure) vm.status.message = "";
      }
    });
  }
}

export function calloutImports(vm: CalloutVm) {
  const core = vm.core;
  const mem = vm.mem;
  return {
    proxy_http_call(
      upPtr: number,
      upSize: number,
      hdrPtr: number,
      hdrSize: number,
      bodyPtr: number,
      bodySize: number,
      trlPtr: number,
      trlSize: number,
      timeoutMs: number,
      outTokenPtr: number,
    ): number {
      const cluster = mem.readString(upPtr, upSize);
      const hdrBytes = mem.read(hdrPtr, hdrSize);
      const body = mem.read(bodyPtr, bodySize);
      const trlBytes = mem.read(trlPtr, trlSize);
      if (cluster === null || hdrBytes === null || body === null || trlBytes === null)
        return Status.InvalidMemoryAccess;
      const hosts = core.clusters.get(cluster);
      if (hosts === undefined) return Status.BadArgument;
      const headers = new HeaderMap(decodePairs(hdrBytes) ?? []);
      if (!headers.has(":path") || !headers.has(":method") || !headers.has(":authority")) return Status.BadArgument;
      const timeout = timeoutMs | 0;
      if (timeout < 0) return Status.BadArgument;
      if (body.length > 0) headers.set("content-length", String(body.length));
      if (!vm.root) return Status.BadArgument;
      // No host to send to: Envoy's async client fails inside send(), so the call is refused.
      if (hosts <= 0) return Status.InternalFailure;
      const token = vm.nextHttpToken();
      if (!mem.writeU32(outTokenPtr, token)) return Status.InvalidMemoryAccess;
      const deadline = timeout > 0 ? core.nowMs + timeout : null;
      const call = new PendingCall(
        vm,
        token,
        cluster,
        headers,
        body,
        new HeaderMap(decodePairs(trlBytes) ?? []),
        timeout,
        deadline,
      );
      vm.callouts.set(token, call);
      core.onCalloutCreated(call);
      return Status.Ok;
    },
    proxy_get_status(outCodePtr: number, outMsgPtrPtr: number, outMsgSizePtr: number): number {
      if (!mem.writeU32(outCodePtr, vm.status.code)) return Status.InvalidMemoryAccess;
      return vm.copyOut(utf8(vm.status.message), outMsgPtrPtr, outMsgSizePtr);
    },
  };
}
