// SPDX-License-Identifier: Apache-2.0
// The SHA-2 functions JWS uses, by value. A file of its own so the algorithm table
// (jwt/algorithms.ts), which hash.ts reads, can name them without importing hash code.

export const enum HashAlg {
  SHA256 = 0,
  SHA384 = 1,
  SHA512 = 2,
}
