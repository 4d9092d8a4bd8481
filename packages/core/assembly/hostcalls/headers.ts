// SPDX-License-Identifier: Apache-2.0
// The header maps of the current stream (spec: "HTTP fields"), one shared object per map type.
//
// Valid (Envoy): each map only in its own callback and, if that callback returned Pause, until
// the stream continues (e.g. in a callout callback): Envoy drops its reference to the request
// headers once onRequestHeaders continues, so onResponseHeaders cannot read them (BadArgument).
// Copy what later callbacks need into fields of your HttpContext. onLog sees request and response
// headers again. Request trailers can be added from the last onRequestBody of a request without
// trailers. Reads of an unavailable map are BadArgument (empty `value`). The maps act on the
// effective context, so inside a callout callback they refer to the originating stream.
import { MapType } from "../abi/enums";
import { HeaderMap } from "../headers/header_map";

// @lazy: a module holds (and makes at start) only the maps its code names.

// @ts-ignore: decorator
@lazy export const requestHeaders = new HeaderMap(MapType.HttpRequestHeaders);
// @ts-ignore: decorator
@lazy export const requestTrailers = new HeaderMap(MapType.HttpRequestTrailers);
// @ts-ignore: decorator
@lazy export const responseHeaders = new HeaderMap(MapType.HttpResponseHeaders);
// @ts-ignore: decorator
@lazy export const responseTrailers = new HeaderMap(MapType.HttpResponseTrailers);
/** Headers of an HTTP callout reply: only inside the callout callback. */
// @ts-ignore: decorator
@lazy export const httpCallResponseHeaders = new HeaderMap(MapType.HttpCallResponseHeaders);
/** Trailers of an HTTP callout reply: only inside the callout callback. */
// @ts-ignore: decorator
@lazy export const httpCallResponseTrailers = new HeaderMap(MapType.HttpCallResponseTrailers);
