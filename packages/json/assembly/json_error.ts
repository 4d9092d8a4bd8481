// SPDX-License-Identifier: Apache-2.0
// Why the JSON reader refused a text: stable codes and messages (append only, never renumber).

/** Why a JSON text was refused. Stable values. */
export const enum JsonError {
  None = 0,
  TooLarge = 1,
  TooDeep = 2,
  TooManyValues = 3,
  UnexpectedEnd = 4,
  UnexpectedCharacter = 5,
  InvalidNumber = 6,
  InvalidEscape = 7,
  LoneSurrogate = 8,
  InvalidUtf8 = 9,
  ControlCharacter = 10,
  DuplicateKey = 11,
  TrailingData = 12,
}

// @ts-ignore: decorator
@lazy const JSON_ERROR_MESSAGES: StaticArray<string> = [
  "ok",
  "JSON text is larger than allowed",
  "JSON nesting is deeper than allowed",
  "JSON text has more values than allowed",
  "JSON text ends early",
  "unexpected character in JSON text",
  "invalid JSON number",
  "invalid escape in JSON string",
  "lone UTF-16 surrogate escape in JSON string",
  "invalid UTF-8 in JSON text",
  "raw control character in JSON string",
  "duplicate member name in JSON object",
  "data after the JSON value",
];

/** The message for a JsonError; never traps. */
export function jsonErrorMessage(e: JsonError): string {
  const i = <i32>e;
  return i >= 0 && i < JSON_ERROR_MESSAGES.length ? unchecked(JSON_ERROR_MESSAGES[i]) : "unknown JSON error";
}
