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
  "larger than allowed",
  "nested deeper than allowed",
  "more values than allowed",
  "ends early",
  "unexpected character",
  "invalid number",
  "invalid escape in a string",
  "lone UTF-16 surrogate escape in a string",
  "invalid UTF-8",
  "raw control character in a string",
  "duplicate member name",
  "data after the value",
];

/** The message for a JsonError; never traps. */
export function jsonErrorMessage(e: JsonError): string {
  const i = <i32>e;
  return i >= 0 && i < JSON_ERROR_MESSAGES.length ? unchecked(JSON_ERROR_MESSAGES[i]) : "unknown error";
}
