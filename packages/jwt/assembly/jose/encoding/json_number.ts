// SPDX-License-Identifier: Apache-2.0
// Exact conversion of JSON number text to whole seconds (JWT NumericDate) without going through f64.
//
// RFC 7519 §2 allows fractional NumericDate values; we floor them (a token valid until 10.9 s
// is valid until 10 s, the conservative reading for `exp`, and `iat`/`nbf` differ by < 1 s, far
// inside the clock skew). Magnitudes above 2^53 are refused rather than rounded, since f64-based
// verifiers would each round them differently. Exponent forms (1.3e9) are computed exactly too.

import { JsonKind, JsonValue } from "@getwild/json/assembly";

/** 2^53: the largest magnitude accepted (matches what every JavaScript verifier can represent). */
export const MAX_NUMERIC_DATE: i64 = 9007199254740992;

export const enum NumericDateError {
  None = 0,
  /** The value is not a JSON number (strings, booleans, null are refused, not coerced). */
  NotANumber = 1,
  /** |value| > 2^53. */
  OutOfRange = 2,
}

export class NumericDate {
  constructor(
    public seconds: i64,
    public error: NumericDateError,
  ) {}
  get ok(): bool {
    return this.error == NumericDateError.None;
  }
}

/** floor(value) of a JSON number, exactly; refused when not a number or beyond ±2^53. */
export function numericDateOf(v: JsonValue | null): NumericDate {
  if (v == null || v.kind != JsonKind.Number) return new NumericDate(0, NumericDateError.NotANumber);
  return floorNumberText(v.text);
}

/** Floors the text of a number that the JSON reader already validated. */
export function floorNumberText(text: string): NumericDate {
  const len = text.length;
  let i = 0;
  let negative = false;
  if (i < len && text.charCodeAt(i) == 0x2d) {
    negative = true;
    i++;
  }
  // Digits of the integer and fraction parts, in order, and where the decimal point sits.
  const digitsStart = i;
  const intDigits = digitRun(text, i);
  i += intDigits;
  let fracStart = i;
  let fracDigits = 0;
  if (i < len && text.charCodeAt(i) == 0x2e) {
    fracStart = ++i;
    fracDigits = digitRun(text, i);
    i += fracDigits;
  }
  let exponent: i64 = 0;
  if (i < len && (text.charCodeAt(i) | 0x20) == 0x65) {
    i++;
    let expNegative = false;
    if (i < len && (text.charCodeAt(i) == 0x2b || text.charCodeAt(i) == 0x2d)) {
      expNegative = text.charCodeAt(i) == 0x2d;
      i++;
    }
    while (i < len && <u32>text.charCodeAt(i) - 0x30 < 10) {
      // Clamp: any exponent this large already decides the outcome (0 or out of range).
      if (exponent < 1000000) exponent = exponent * 10 + <i64>(text.charCodeAt(i) - 0x30);
      i++;
    }
    if (expNegative) exponent = -exponent;
  }
  if (intDigits == 0 && fracDigits == 0) return new NumericDate(0, NumericDateError.NotANumber);

  const totalDigits = intDigits + fracDigits;
  const pointPos: i64 = <i64>intDigits + exponent; // digits before the point after scaling
  let whole: i64 = 0;
  let fractionNonZero = false;
  for (let k = 0; k < totalDigits; k++) {
    const at = k < intDigits ? digitsStart + k : fracStart + (k - intDigits);
    const d = <i64>(text.charCodeAt(at) - 0x30);
    if (<i64>k < pointPos) {
      whole = whole * 10 + d;
      if (whole > MAX_NUMERIC_DATE) return new NumericDate(0, NumericDateError.OutOfRange);
    } else if (d != 0) {
      fractionNonZero = true;
    }
  }
  if (whole != 0) {
    for (let k: i64 = totalDigits; k < pointPos; k++) {
      whole *= 10;
      if (whole > MAX_NUMERIC_DATE) return new NumericDate(0, NumericDateError.OutOfRange);
    }
  }
  if (negative) {
    whole = -whole;
    if (fractionNonZero) whole -= 1;
    if (whole < -MAX_NUMERIC_DATE) return new NumericDate(0, NumericDateError.OutOfRange);
  }
  return new NumericDate(whole, NumericDateError.None);
}

/** How many ASCII digits `text` has from `start` on (one scan for the integer and the fraction parts). */
function digitRun(text: string, start: i32): i32 {
  let i = start;
  while (i < text.length && <u32>text.charCodeAt(i) - 0x30 < 10) i++;
  return i - start;
}
