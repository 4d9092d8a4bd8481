// SPDX-License-Identifier: Apache-2.0
// The replies Envoy's router builds itself when the upstream fails, as Envoy 1.40 sends them: status,
// plain-text body and response code details. The same router sends them to a client (getwild serve
// plays that part) and to a plugin's http call (callouts.ts), so both read them from here.

export interface RouterReply {
  readonly status: number;
  readonly body: string;
  /** Envoy's response code details (the access log's %RESPONSE_CODE_DETAILS%). */
  readonly details: string;
}

const RESET_BEFORE_HEADERS = "upstream connect error or disconnect/reset before headers. reset reason: ";

/**
 * The host refused the connection. The details carry the socket's transport failure reason, which
 * for a refused TCP connect is "delayed_connect_error:_Connection_refused".
 */
export const ROUTER_CONNECT_FAILURE: RouterReply = {
  status: 503,
  body: `${RESET_BEFORE_HEADERS}remote connection failure`,
  details:
    "upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}",
};

/** The host closed the connection before the response headers. */
export const ROUTER_CONNECTION_TERMINATION: RouterReply = {
  status: 503,
  body: `${RESET_BEFORE_HEADERS}connection termination`,
  details: "upstream_reset_before_response_started{connection_termination}",
};

/** No response headers within the route's (or the call's) timeout. */
export const ROUTER_TIMEOUT: RouterReply = {
  status: 504,
  body: "upstream request timeout",
  details: "response_timeout",
};
