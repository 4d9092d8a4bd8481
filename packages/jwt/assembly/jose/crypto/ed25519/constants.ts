// SPDX-License-Identifier: Apache-2.0
// Curve constants of edwards25519 (RFC 8032 §5.1) as field elements in static memory (radix 2^25.5
// limbs, see field.ts), so nothing has to be computed or decoded at start-up.

/** d = -121665/121666 mod p. */
// @ts-ignore: decorator
@lazy export const FE_D: usize = memory.data<i32>([
  56195235, 13857412, 51736253, 6949390, 114729, 24766616, 60832955, 30306712, 48412415, 21499315,
]);

/** 2d, used by the addition formulas. */
// @ts-ignore: decorator
@lazy export const FE_D2: usize = memory.data<i32>([
  45281625, 27714825, 36363642, 13898781, 229458, 15978800, 54557047, 27058993, 29715967, 9444199,
]);

/** A square root of -1: 2^((p-1)/4). */
// @ts-ignore: decorator
@lazy export const FE_SQRT_M1: usize = memory.data<i32>([
  34513072, 25610706, 9377949, 3500415, 12389472, 33281959, 41962654, 31548777, 326685, 11406482,
]);

/** The base point B in extended coordinates (X, Y, Z = 1, T = XY), y = 4/5 and x even. */
// @ts-ignore: decorator
@lazy export const BASE_POINT: usize = memory.data<i32>([
  52811034, 25909283, 16144682, 17082669, 27570973, 30858332, 40966398, 8378388, 20764389, 8758491, 40265304, 26843545,
  13421772, 20132659, 26843545, 6710886, 53687091, 13421772, 40265318, 26843545, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 28827043,
  27438313, 39759291, 244362, 8635006, 11264893, 19351346, 13413597, 16611511, 27139452,
]);
