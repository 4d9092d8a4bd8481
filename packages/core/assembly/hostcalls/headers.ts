// SPDX-License-Identifier: Apache-2.0
// The header maps of the current stream (spec: "HTTP fields"), one shared object per map type.
//
// Valid: request headers in onRequestHeaders and later request callbacks, and in onLog; request
// trailers in onRequestTrailers (and, to add trailers, in the last onRequestBody); response headers
// from onResponseHeaders on, and in onLog; response trailers likewise. Outside of those Envoy returns
// BadArgument (reads yield null/empty with `lastStatus()` BadArgument). The maps act on the
// effective context, so inside a callout callback they refer to the originating stream.
import { MapType } from "../abi/enums";
import { HeaderMap } from "../headers/header_map";

export const requestHeaders = new HeaderMap(MapType.HttpRequestHeaders);
export const requestTrailers = new HeaderMap(MapType.HttpRequestTrailers);
export const responseHeaders = new HeaderMap(MapType.HttpResponseHeaders);
export const responseTrailers = new HeaderMap(MapType.HttpResponseTrailers);
/** Headers of an HTTP callout reply: only inside the callout callback. */
export const httpCallResponseHeaders = new HeaderMap(MapType.HttpCallResponseHeaders);
/** Trailers of an HTTP callout reply: only inside the callout callback. */
export const httpCallResponseTrailers = new HeaderMap(MapType.HttpCallResponseTrailers);
