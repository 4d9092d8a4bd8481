// SPDX-License-Identifier: Apache-2.0
// Domain parameters of P-256, P-384 and P-521 (FIPS 186-4 D.1.2 / SEC 2), as little-endian 32-bit
// limbs, plus the Montgomery constants derived from them (R = 2^(32·limbs); b and G already in
// Montgomery form). Derived offline with BigInt arithmetic and checked by the tests (G on the curve,
// n·G = infinity through the verification equation, Wycheproof and node:crypto agreement).

// P256: 8 limbs of 32 bits, R = 2^256
// @ts-ignore: decorator
@lazy export const P256_P: StaticArray<u32> = [
  0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000, 0x00000000, 0x00000001, 0xffffffff,
];
// @ts-ignore: decorator
@lazy export const P256_N: StaticArray<u32> = [
  0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
];
// @ts-ignore: decorator
@lazy export const P256_P_R2: StaticArray<u32> = [
  0x00000003, 0x00000000, 0xffffffff, 0xfffffffb, 0xfffffffe, 0xffffffff, 0xfffffffd, 0x00000004,
];
// @ts-ignore: decorator
@lazy export const P256_N_R2: StaticArray<u32> = [
  0xbe79eea2, 0x83244c95, 0x49bd6fa6, 0x4699799c, 0x2b6bec59, 0x2845b239, 0xf3d95620, 0x66e12d94,
];
// @ts-ignore: decorator
@lazy export const P256_B_MONT: StaticArray<u32> = [
  0x29c4bddf, 0xd89cdf62, 0x78843090, 0xacf005cd, 0xf7212ed6, 0xe5a220ab, 0x04874834, 0xdc30061d,
];
// @ts-ignore: decorator
@lazy export const P256_GX_MONT: StaticArray<u32> = [
  0x18a9143c, 0x79e730d4, 0x5fedb601, 0x75ba95fc, 0x77622510, 0x79fb732b, 0xa53755c6, 0x18905f76,
];
// @ts-ignore: decorator
@lazy export const P256_GY_MONT: StaticArray<u32> = [
  0xce95560a, 0xddf25357, 0xba19e45c, 0x8b4ab8e4, 0xdd21f325, 0xd2e88688, 0x25885d85, 0x8571ff18,
];
// -p^-1 and -n^-1 mod 2^32
// @ts-ignore: decorator
@lazy export const P256_P_INV32: u32 = 0x1;
// @ts-ignore: decorator
@lazy export const P256_N_INV32: u32 = 0xee00bc4f;

// P384: 12 limbs of 32 bits, R = 2^384
// @ts-ignore: decorator
@lazy export const P384_P: StaticArray<u32> = [
  0xffffffff, 0x00000000, 0x00000000, 0xffffffff, 0xfffffffe, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
  0xffffffff, 0xffffffff, 0xffffffff,
];
// @ts-ignore: decorator
@lazy export const P384_N: StaticArray<u32> = [
  0xccc52973, 0xecec196a, 0x48b0a77a, 0x581a0db2, 0xf4372ddf, 0xc7634d81, 0xffffffff, 0xffffffff, 0xffffffff,
  0xffffffff, 0xffffffff, 0xffffffff,
];
// @ts-ignore: decorator
@lazy export const P384_P_R2: StaticArray<u32> = [
  0x00000001, 0xfffffffe, 0x00000000, 0x00000002, 0x00000000, 0xfffffffe, 0x00000000, 0x00000002, 0x00000001,
  0x00000000, 0x00000000, 0x00000000,
];
// @ts-ignore: decorator
@lazy export const P384_N_R2: StaticArray<u32> = [
  0x19b409a9, 0x2d319b24, 0xdf1aa419, 0xff3d81e5, 0xfcb82947, 0xbc3e483a, 0x4aab1cc5, 0xd40d4917, 0x28266895,
  0x3fb05b7a, 0x2b39bf21, 0x0c84ee01,
];
// @ts-ignore: decorator
@lazy export const P384_B_MONT: StaticArray<u32> = [
  0x9d412dcc, 0x08118871, 0x7a4c32ec, 0xf729add8, 0x1920022e, 0x77f2209b, 0x94938ae2, 0xe3374bee, 0x1f022094,
  0xb62b21f4, 0x604fbff9, 0xcd08114b,
];
// @ts-ignore: decorator
@lazy export const P384_GX_MONT: StaticArray<u32> = [
  0x49c0b528, 0x3dd07566, 0xa0d6ce38, 0x20e378e2, 0x541b4d6e, 0x879c3afc, 0x59a30eff, 0x64548684, 0x614ede2b,
  0x812ff723, 0x299e1513, 0x4d3aadc2,
];
// @ts-ignore: decorator
@lazy export const P384_GY_MONT: StaticArray<u32> = [
  0x4b03a4fe, 0x23043dad, 0x7bb4a9ac, 0xa1bfa8bf, 0x2e83b050, 0x8bade756, 0x68f4ffd9, 0xc6c35219, 0x3969a840,
  0xdd800226, 0x5a15c5e9, 0x2b78abc2,
];
// -p^-1 and -n^-1 mod 2^32
// @ts-ignore: decorator
@lazy export const P384_P_INV32: u32 = 0x1;
// @ts-ignore: decorator
@lazy export const P384_N_INV32: u32 = 0xe88fdc45;

// P521: 17 limbs of 32 bits, R = 2^544
// @ts-ignore: decorator
@lazy export const P521_P: StaticArray<u32> = [
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x000001ff,
];
// @ts-ignore: decorator
@lazy export const P521_N: StaticArray<u32> = [
  0x91386409, 0xbb6fb71e, 0x899c47ae, 0x3bb5c9b8, 0xf709a5d0, 0x7fcc0148, 0xbf2f966b, 0x51868783, 0xfffffffa,
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x000001ff,
];
// @ts-ignore: decorator
@lazy export const P521_P_R2: StaticArray<u32> = [
  0x00000000, 0x00004000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
];
// @ts-ignore: decorator
@lazy export const P521_N_R2: StaticArray<u32> = [
  0x61c64ca7, 0x1163115a, 0x4374a642, 0x18354a56, 0x0791d9dc, 0x5d4dd6d3, 0xd3402705, 0x4fb35b72, 0xb7756e3a,
  0xcff3d142, 0xa8e567bc, 0x5bcc6d61, 0x492d0d45, 0x2d8e03d1, 0x8c44383d, 0x5b5a3afe, 0x0000019a,
];
// @ts-ignore: decorator
@lazy export const P521_B_MONT: StaticArray<u32> = [
  0x8014654f, 0xea35a81f, 0x78f7a28f, 0xc41e961a, 0x839ab9ef, 0x5e9dd8df, 0xbd8b2960, 0xa8f63f49, 0xf0ab0c9c,
  0xc8c77884, 0xf9dc5a44, 0x2dccd98a, 0x77516d39, 0xd05b42a0, 0x0fc94d10, 0xb0c70e4d, 0x0000015c,
];
// @ts-ignore: decorator
@lazy export const P521_GX_MONT: StaticArray<u32> = [
  0xb331a163, 0x18e172de, 0x4dfcbf3f, 0xe0c2b521, 0x6f19a459, 0x93d17fd4, 0x947f0ee0, 0x3bf7f3ac, 0xdd50a5af,
  0xb035a69e, 0x90fc1457, 0x9c829fda, 0x214e3240, 0xb311cada, 0xe6cf1f65, 0x5b820274, 0x00000103,
];
// @ts-ignore: decorator
@lazy export const P521_GY_MONT: StaticArray<u32> = [
  0x28460e4a, 0x3b4fe8b3, 0x20445f4a, 0x43513961, 0xb09a9e38, 0x809fd683, 0x2062a85c, 0x4caf7a13, 0x164bf739,
  0x8b939f33, 0x340bd7de, 0x24abcda2, 0xeccc7aa2, 0xda163e8d, 0x022e452f, 0x3c4d1de0, 0x000000b5,
];
// -p^-1 and -n^-1 mod 2^32
// @ts-ignore: decorator
@lazy export const P521_P_INV32: u32 = 0x1;
// @ts-ignore: decorator
@lazy export const P521_N_INV32: u32 = 0x79a995c7;
