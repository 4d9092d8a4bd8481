// SPDX-License-Identifier: Apache-2.0
// THE table of the differential check: each scenario is one request to the probe filter
// (fixtures/probe), what the upstream and callout clusters do for it, and what Envoy is expected
// to produce. differential.test.ts runs every row against real Envoy, @getwild/host (createHost)
// and `getwild serve`, asserts `expect` against Envoy, and asserts that each host observed the
// same thing as Envoy (after `normalize`, and minus the documented departures in `departures`).
//
// Rows run in order on one Envoy and one host: some rows read state earlier rows left (metric
// values, the stop flag after a local reply from a callout callback).
//
// Upstream behaviour is chosen by path on the one recording upstream (see UPSTREAM_PATHS): the
// route's cluster `backend` and the callout cluster `live` both point at it.

export interface ScenarioRequest {
  method?: string;
  path?: string;
  /** Header pairs in order; values are latin1 strings (bytes on the wire). */
  headers: Array<[string, string]>;
  body?: string;
}

/** What a target (Envoy, host, serve) produced for one request, after the common filtering. */
export interface Observed {
  /** No response before the wait ended (the stream stayed stopped). */
  stalled: boolean;
  /** The stream was reset after the response started (the client saw an incomplete response). */
  reset: boolean;
  status: number;
  /** Response headers in order, minus date/server/x-envoy-* and the framing headers (see framing). */
  headers: Array<[string, string]>;
  /** How the body was framed on the wire: content-length value, "chunked", or "none" (host: not observable). */
  framing: string;
  body: string;
  /** The probe's x-probe-report, if any (normalized). */
  report: string | null;
  /** Requests the upstream received (route and callouts), minus x-request-id/x-forwarded-proto (ENVOY_ADDED_UPSTREAM_HEADERS). */
  upstream: Array<{ method: string; path: string; headers: Array<[string, string]>; body: string }>;
  /** The probe's log lines ("probe ..."), normalized. */
  logs: string[];
}

export type Target = "host" | "serve";

export interface Scenario {
  name: string;
  /** What the row settles (the item of issue #10 it covers, in words). */
  shows: string;
  request: ScenarioRequest;
  /** Observables asserted against Envoy itself (partial). */
  expect: Partial<Observed> & { reportIncludes?: string[]; upstreamCount?: number };
  /** Targets that do not run this row, with the reason (e.g. serve has no cluster without hosts). */
  skip?: Partial<Record<Target, string>>;
  /** Documented departures: the fields of Observed a target differs in, and the host README Fidelity item that says why. */
  departures?: Partial<Record<Target, Departure>>;
}

export interface Departure {
  /** Left out of the comparison ("report" also leaves out the x-probe-report response header). */
  fields: Array<keyof Observed>;
  /** Or, narrower: a replacement made in the report, body, logs and headers of both sides before comparing. */
  replace?: [RegExp, string];
  /** The item of packages/host/README.md "Fidelity" that documents it. */
  readme: string;
}

/** The recording upstream's behaviour, by request path. */
export const UPSTREAM_PATHS = {
  /** Stays silent: the request times out at the caller. */
  stall: "/stall",
  /** Closes the connection without answering. */
  reset: "/reset",
  /** Answers like any path, 100 ms later (so every request a proxy sends for one stream arrives first). */
  slow: "/slow",
  /** Answers 200 with a body in two chunks, the second a moment later. */
  twoChunks: "/two-chunks",
} as const;

const probe = (scenario: string, more: Array<[string, string]> = []): Array<[string, string]> => [
  ["host", "probe.test"],
  ["x-probe", scenario],
  ...more,
];

const callout = (cluster: string, more: Array<[string, string]> = []) =>
  probe("callout", [["x-probe-cluster", cluster], ...more]);

/** Envoy's router reply for a callout whose connection failed (the async client delivers it as a response). */
export const CONNECT_FAILURE_BODY =
  "upstream%20connect%20error%20or%20disconnect/reset%20before%20headers.%20reset%20reason:%20remote%20connection%20failure";

export const SCENARIOS: Scenario[] = [
  {
    name: "pass",
    shows: "a request through the filter: what reaches the upstream, the response passes on_response_headers",
    request: {
      path: "/pass",
      headers: probe("pass", [
        ["x-repeated", "a"],
        ["x-repeated", "b"],
      ]),
    },
    expect: { status: 200, body: "upstream GET /pass", framing: "chunked" },
  },
  {
    name: "local-body",
    shows:
      "a local reply with a body and headers: order of the plugin's headers, content-length, content-type; it passes the sender's response callbacks",
    request: { path: "/local", headers: probe("local-body") },
    expect: {
      status: 403,
      body: "denied by probe\n",
      framing: "16",
      headers: [
        ["x-local", "1"],
        ["content-type", "text/plain"],
        ["x-probe-response", "seen"],
        ["x-probe-report", "rc=0"],
      ],
      upstream: [],
    },
  },
  {
    name: "local-empty",
    shows: "a local reply without a body: no content-type, and on the wire content-length: 0 (not chunked)",
    request: { path: "/local", headers: probe("local-empty") },
    expect: {
      status: 401,
      body: "",
      framing: "0",
      headers: [
        ["www-authenticate", 'Bearer realm="probe"'],
        ["x-probe-response", "seen"],
        ["x-probe-report", "rc=0"],
      ],
    },
  },
  {
    name: "local-twice",
    shows: "a second proxy_send_local_response on a stream answers OK and is ignored: the first reply is sent",
    request: { path: "/local", headers: probe("local-twice") },
    expect: { status: 401, body: "first", report: "rc1=0;rc2=0" },
  },
  {
    name: "local-grpc",
    shows:
      "a gRPC local reply: trailers-only 200, grpc-status as given, grpc-message percent-encoded like Envoy (only bytes outside printable ASCII and %)",
    request: {
      method: "POST",
      path: "/probe.Service/Call",
      headers: probe("local-grpc", [
        ["content-type", "application/grpc"],
        ["te", "trailers"],
      ]),
    },
    expect: {
      status: 200,
      framing: "0",
      headers: [
        ["content-type", "application/grpc"],
        ["grpc-status", "7"],
        ["grpc-message", "bad token: %C3%A9 /%25?%01"],
        ["x-probe-response", "seen"],
        ["x-probe-report", "rc=0"],
      ],
    },
  },
  {
    name: "local-grpc-default",
    shows: "a gRPC local reply without a gRPC status: derived from the HTTP status (401 -> 16)",
    request: {
      method: "POST",
      path: "/probe.Service/Call",
      headers: probe("local-grpc-default", [["content-type", "application/grpc"]]),
    },
    expect: {
      status: 200,
      headers: [
        ["content-type", "application/grpc"],
        ["grpc-status", "16"],
        ["grpc-message", "no token"],
        ["x-probe-response", "seen"],
        ["x-probe-report", "rc=0"],
      ],
    },
  },
  {
    name: "local-continue",
    shows: "the stop flag of proxy_send_local_response: the callback returned Continue, the request still stops",
    request: { path: "/local", headers: probe("local-continue") },
    expect: { status: 403, body: "stopped anyway", upstream: [] },
  },
  {
    name: "local-in-response",
    shows:
      "a local reply sent from on_response_headers (the upstream's response not yet sent downstream) replaces the response and goes straight to the client, without passing the sender again",
    request: { path: "/replace", headers: probe("local-in-response") },
    expect: {
      status: 502,
      body: "replaced by probe",
      headers: [["content-type", "text/plain"]],
      report: null,
      logs: ["probe local-in-response: rc=0;seen=1"],
    },
  },
  {
    name: "local-after-headers",
    shows:
      "a local reply from on_response_body, after the response headers went downstream: answers OK, then Envoy resets the stream (the client sees the 200 headers and an incomplete body)",
    request: { path: UPSTREAM_PATHS.twoChunks, headers: probe("local-after-headers") },
    expect: { status: 200, reset: true, logs: ["probe local-after-headers: rc=0"] },
  },
  {
    name: "callout-live",
    shows:
      "a callout to a listening cluster: what the cluster receives, the reply's headers, body and proxy_get_status",
    request: { path: "/c", headers: callout("live", [["x-probe-path", "/ok"]]) },
    expect: {
      status: 200,
      reportIncludes: ["dispatch=0", "get_status=0", ":status=200", "reply=upstream%20GET%20/ok"],
    },
  },
  {
    name: "callout-post",
    shows: "a callout with a body: content-length is added",
    request: {
      path: "/c",
      headers: callout("live", [
        ["x-probe-path", "/post"],
        ["x-probe-body", "hello"],
      ]),
    },
    expect: { status: 200, reportIncludes: ["dispatch=0", "reply=upstream%20POST%20/post%20hello"] },
  },
  {
    name: "callout-dead",
    shows:
      "a callout to a cluster that is not listening: a 503 reply with Envoy's body through the success path, not a reset",
    request: { path: "/c", headers: callout("dead") },
    expect: {
      status: 200,
      report: `dispatch=0;headers=3;body=98;trailers=0;get_status=0;message=;:status=503;names=:status%2Ccontent-length%2Ccontent-type;content-type=text/plain;reply=${CONNECT_FAILURE_BODY}`,
    },
  },
  {
    name: "callout-unhealthy",
    shows: "a cluster whose only host fails its health check: Envoy's panic mode still tries the host, so the same 503",
    request: { path: "/c", headers: callout("unhealthy") },
    expect: { status: 200, reportIncludes: ["dispatch=0", ":status=503", `reply=${CONNECT_FAILURE_BODY}`] },
  },
  {
    name: "callout-empty",
    shows: "a cluster with no host at all: proxy_http_call fails at once with InternalFailure (10), no callback",
    request: { path: "/c", headers: callout("empty") },
    expect: { status: 500, report: "dispatch=10" },
    skip: { serve: "getwild serve maps clusters to URLs; it has no cluster without hosts" },
  },
  {
    name: "callout-unknown",
    shows: "an unknown cluster: proxy_http_call answers BadArgument (2), no callback",
    request: { path: "/c", headers: callout("nope") },
    expect: { status: 500, report: "dispatch=2" },
  },
  {
    name: "callout-timeout",
    shows: "a callout past its timeout: Envoy's 504 'upstream request timeout' through the success path",
    request: {
      path: "/c",
      headers: callout("live", [
        ["x-probe-path", UPSTREAM_PATHS.stall],
        ["x-probe-timeout", "300"],
      ]),
    },
    expect: {
      status: 200,
      report:
        "dispatch=0;headers=3;body=24;trailers=0;get_status=0;message=;:status=504;names=:status%2Ccontent-length%2Ccontent-type;content-type=text/plain;reply=upstream%20request%20timeout",
    },
  },
  {
    name: "callout-reset",
    shows:
      "a callout whose upstream closes the connection before answering: a 503 reply (connection termination), not a reset",
    request: { path: "/c", headers: callout("live", [["x-probe-path", UPSTREAM_PATHS.reset]]) },
    expect: {
      status: 200,
      reportIncludes: [
        "headers=3",
        "get_status=0",
        ":status=503",
        "reply=upstream%20connect%20error%20or%20disconnect/reset%20before%20headers.%20reset%20reason:%20connection%20termination",
      ],
    },
  },
  {
    name: "callout-continue",
    shows: "a callout whose callback resumes the request: the upstream gets the header the callback added",
    request: { path: "/after-callout", headers: callout("live", [["x-probe-after", "continue"]]) },
    expect: { status: 200, body: "upstream GET /after-callout" },
  },
  {
    name: "callout-local-raw",
    shows:
      "a local reply sent from a callout callback with the raw ABI call (sets the VM's stop flag outside any stream callback)",
    request: { path: "/c", headers: callout("live", [["x-probe-after", "local-raw"]]) },
    expect: { status: 200, reportIncludes: [":status=200"] },
  },
  {
    name: "pass-after-callout-reply",
    shows: "the per-VM stop flag does not outlive the callout callback: the next stream on that VM is not stopped",
    request: { path: "/next", headers: probe("pass") },
    expect: { stalled: false, status: 200, body: "upstream GET /next" },
  },
  {
    name: "properties",
    shows:
      "source.*, connection.*, upstream.* (response phase), request.* and the shape of request.headers (one entry per name, repeated values joined with ',')",
    request: {
      path: "/props?q=1",
      headers: probe("properties", [
        ["x-dup", "a"],
        ["x-dup", "b"],
        ["user-agent", "probe-agent"],
      ]),
    },
    expect: {
      status: 200,
      reportIncludes: [
        "source.address=127.0.0.1:PORT",
        "source.port=PORT",
        "destination.address=127.0.0.1:PORT",
        "connection.id=ID",
        "connection.mtls=false",
        "connection.requested_server_name=",
        "connection.tls_version=status1",
        "upstream.address=status1",
        "request.total_size=N",
        "response=[upstream.address=127.0.0.1:PORT;upstream.port=PORT;response.code=200;response.code_details=via_upstream;request.path=status1;request.headers=bytes4{}]",
      ],
    },
  },
  {
    name: "metrics",
    shows: "metric ids (type in the low 2 bits, first id of each type 4/5/6), define/increment/record/get rules",
    request: { path: "/metrics", headers: probe("metrics") },
    expect: {
      status: 200,
      report:
        "define=0,0,0,0,2;ids=4,8,5,6;counter.inc1=0;counter.inc0=2;counter.incNeg=2;counter.again.inc2=0;counter.record5=0;counter.get=0,8;" +
        "gauge.record7=0;gauge.incNeg2=0;gauge.get=0,5;histogram.record42=0;histogram.inc1=2;histogram.get=2;unknown.inc=1;unknown.get=1",
    },
  },
  {
    name: "queue",
    shows: "shared queues: an empty vm_id resolves to the caller's own vm_id; Empty and NotFound codes; on_queue_ready",
    request: { path: "/queue", headers: probe("queue") },
    expect: {
      status: 200,
      report:
        "register=0;resolve.own=0,same;resolve.empty=0,same;resolve.other=1;resolve.unknown=1;enqueue=0;dequeue=0,item-1;dequeue.empty=7;enqueue.bad=1",
      logs: [
        "probe queue: register=0;resolve.own=0,same;resolve.empty=0,same;resolve.other=1;resolve.unknown=1;enqueue=0;dequeue=0,item-1;dequeue.empty=7;enqueue.bad=1",
        "probe queue ready",
      ],
    },
  },
  {
    name: "wasi",
    shows:
      "WASI fd_seek and fd_close answer success (0); fd_read ENOSYS (52), fd_prestat_get EBADF (8), fd_prestat_dir_name ENOSYS, path_open ENOENT (44)",
    request: { path: "/wasi", headers: probe("wasi") },
    expect: {
      status: 200,
      report:
        "fd_seek.1=0;fd_seek.9=0;fd_close.1=0;fd_close.9=0;others=[fd_read.0=52;fd_prestat_get.3=8;fd_prestat_dir_name.3=52;path_open=44]",
    },
  },
  {
    name: "continue-unstopped",
    shows:
      "proxy_continue_stream on a request that is not stopped answers OK, and Envoy then sends the request upstream twice (the client gets one response)",
    request: { path: UPSTREAM_PATHS.slow, headers: probe("continue-unstopped") },
    expect: { status: 200, body: `upstream GET ${UPSTREAM_PATHS.slow}`, report: "rc=0", upstreamCount: 2 },
    departures: {
      host: { fields: ["upstream"], readme: "proxy_continue_stream on a request that is not stopped" },
      serve: { fields: ["upstream"], readme: "proxy_continue_stream on a request that is not stopped" },
    },
  },
  {
    name: "buffer-outside",
    shows:
      "outside their callbacks the call-data buffer (8) reads as empty (OK, 0 bytes) and the callout body (4) is NotFound",
    request: { path: "/buffers", headers: probe("buffer-outside") },
    // status,size of proxy_get_buffer_status; status,length of proxy_get_buffer_bytes
    expect: { status: 200, report: "call_data=0,0;0,0;callout_body=1,0;1,0" },
  },
  {
    name: "log-levels",
    shows: "the filter's log lines at debug, info and warn: Envoy (log level info) prints info and warn only",
    request: { path: "/logs", headers: probe("log-levels") },
    expect: { status: 200, logs: ["probe log-levels: info", "probe log-levels: warn"] },
    departures: { host: { fields: ["logs"], readme: "Every log level is captured" } },
  },
  {
    name: "bytes",
    shows:
      "header values that are not UTF-8 pass through byte for byte: read by the filter, added to the upstream request and to the response",
    request: { path: "/bytes", headers: probe("bytes", [["x-bin", "a\xff\xfe\xc3\xa9z"]]) },
    expect: { status: 200, report: "x-bin=0,a%FF%FE%C3%A9z;add.upstream=0" },
  },
];

/**
 * Values that differ between runs or machines (ports, connection ids, request ids, the request's
 * byte size, which includes Envoy's own x-request-id) become placeholders on every target.
 */
export const NORMALIZE: Array<[RegExp, string]> = [
  [/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT"],
  [/\b(source|destination|upstream)\.port=\d+/g, "$1.port=PORT"],
  [/connection\.id=\d+/g, "connection.id=ID"],
  [/request\.total_size=\d+/g, "request.total_size=N"],
  [/,?x-request-id:[0-9a-f-]{36}/g, ""],
  [/,?x-forwarded-proto:http/g, ""],
];

/** Departures of a whole target, on every row (host README, Fidelity); none at present. */
export const TARGET_DEPARTURES: Partial<Record<Target, { readme: string; apply(observed: Observed): Observed }>> = {};

/** Request headers Envoy's connection manager and router add (see the host README, Fidelity). */
export const ENVOY_ADDED_UPSTREAM_HEADERS = new Set(["x-request-id", "x-forwarded-proto"]);
