// SPDX-License-Identifier: Apache-2.0
// A/B of two builds of a crypto fixture in one process: `node bench/ab.mjs <kind> <dirA> <dirB> [rounds]`
// with kind ecdsa, ed25519, rsa or rsa_scalar, and each dir holding <kind>.wasm (e.g. build/test's
// file copied aside before a change, and the one built after it; a SIMD build such as ecdsa_simd.wasm
// copied under the kind's name). Same cases as the *.bench.mjs files; A, B and node:crypto are
// timed by CPU time (min over rounds), in alternating order round by round (whichever runs second in
// a round is otherwise ~1-5% slower on a busy machine). Prints each build's ratio to node:crypto
// and B/A. ONLY=<regex> limits the cases, IMPORT=1 adds key import,
// RSA_CASES=RS256-2048,... picks RSA cases. Run it both ways round (A B, then B A) and compare.
import { readFileSync } from "node:fs";
import { generateKeyPairSync, sign, verify, createPublicKey } from "node:crypto";
import loader from "@assemblyscript/loader";
import { signingInput } from "./signing_input.mjs";
const [kind, ...rest] = process.argv.slice(2);
const dirs = rest.filter((x) => isNaN(+x));
const rounds = +(rest.find((x) => !isNaN(+x)) ?? 15);
function load(path) {
  const { exports } = loader.instantiateSync(readFileSync(path), {
    env: {
      abort() {
        throw new Error("wasm abort");
      },
    },
  });
  exports._initialize?.();
  return { exports, bytes: (d) => exports.__pin(exports.__newArrayBuffer(d)) };
}
const cases = [];
if (kind === "ecdsa") {
  for (const [name, id, curve, hash] of [
    ["ES256", 0, "P-256", "sha256"],
    ["ES384", 1, "P-384", "sha384"],
    ["ES512", 2, "P-521", "sha512"],
  ]) {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: curve });
    const jwk = publicKey.export({ format: "jwk" });
    const msg = signingInput(name);
    const sig = sign(hash, msg, { key: privateKey, dsaEncoding: "ieee-p1363" });
    const x = Buffer.from(jwk.x, "base64url"),
      y = Buffer.from(jwk.y, "base64url");
    const fns = dirs.map((d) => {
      const fx = load(`${d}/ecdsa.wasm`);
      if (
        !fx.exports.benchSetup(id, fx.bytes(x), fx.bytes(y), fx.bytes(msg), fx.bytes(sig)) ||
        !fx.exports.benchVerify()
      )
        throw new Error("setup");
      return () => fx.exports.benchVerify();
    });
    const key = { key: publicKey, dsaEncoding: "ieee-p1363" };
    cases.push({ name, fns, native: () => verify(hash, msg, key, sig) });
    if (process.env.IMPORT) {
      const pj = { kty: "EC", crv: curve, x: jwk.x, y: jwk.y };
      const ifns = dirs.map((d) => {
        const fx = load(`${d}/ecdsa.wasm`);
        fx.exports.benchSetup(id, fx.bytes(x), fx.bytes(y), fx.bytes(msg), fx.bytes(sig));
        return () => fx.exports.benchImport();
      });
      cases.push({ name: name + "-imp", fns: ifns, native: () => createPublicKey({ format: "jwk", key: pj }) });
    }
  }
} else if (kind === "ed25519") {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const x = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url");
  const msg = signingInput("EdDSA");
  const sig = sign(null, msg, privateKey);
  const fns = dirs.map((d) => {
    const fx = load(`${d}/ed25519.wasm`);
    if (!fx.exports.benchSetup(fx.bytes(x), fx.bytes(msg), fx.bytes(sig)) || !fx.exports.benchVerify())
      throw new Error("setup");
    return () => fx.exports.benchVerify();
  });
  cases.push({ name: "EdDSA", fns, native: () => verify(null, msg, publicKey, sig) });
  if (process.env.IMPORT) {
    const ifns = dirs.map((d) => {
      const fx = load(`${d}/ed25519.wasm`);
      const p = fx.bytes(x);
      return () => fx.exports.benchImport(p);
    });
    cases.push({
      name: "EdDSA-imp",
      fns: ifns,
      native: () =>
        createPublicKey({
          format: "jwk",
          key: { kty: "OKP", crv: "Ed25519", x: publicKey.export({ format: "jwk" }).x },
        }),
    });
  }
} else if (kind === "rsa" || kind === "rsa_scalar") {
  const list = (process.env.RSA_CASES ?? "RS256-2048,PS256-2048,RS256-4096").split(",");
  const keys = new Map();
  for (const c of list) {
    const [alg, b] = c.split("-");
    const bits = +b;
    if (!keys.has(bits)) keys.set(bits, generateKeyPairSync("rsa", { modulusLength: bits }));
    const { publicKey, privateKey } = keys.get(bits);
    const H = { 256: [0, "sha256", 32], 384: [1, "sha384", 48], 512: [2, "sha512", 64] }[alg.slice(2)];
    const pss = alg.startsWith("PS");
    const msg = signingInput(alg);
    const pad = (key) => (pss ? { key, padding: 6, saltLength: H[2] } : key);
    const sig = sign(H[1], msg, pad(privateKey));
    const jwk = publicKey.export({ format: "jwk" });
    const fns = dirs.map((d) => {
      const fx = load(`${d}/${kind}.wasm`);
      const h = fx.exports.importKey(
        fx.bytes(Buffer.from(jwk.n, "base64url")),
        fx.bytes(Buffer.from(jwk.e, "base64url")),
        2048,
      );
      fx.exports.benchSetup(h, pss ? 1 : 0, H[0], fx.bytes(msg), fx.bytes(sig));
      if (!fx.exports.benchVerify()) throw new Error("setup");
      return () => fx.exports.benchVerify();
    });
    const nk = pad(publicKey);
    cases.push({ name: c, fns, native: () => verify(H[1], msg, nk, sig) });
  }
} else {
  throw new Error("kind: ecdsa, ed25519, rsa or rsa_scalar");
}
function cpu(fn, n) {
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / n;
}
const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
for (const c of cases) {
  if (only && !only.test(c.name)) continue;
  const all = [...c.fns, c.native];
  for (let i = 0; i < 200; i++) for (const f of all) f();
  const ns = all.map((f) => Math.max(5, Math.round(60000 / cpu(f, 5))));
  const best = all.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    const order = all.map((_, i) => i);
    if (r & 1) order.reverse();
    for (const i of order) best[i] = Math.min(best[i], cpu(all[i], ns[i]));
  }
  const nat = best[best.length - 1];
  const parts = c.fns.map(
    (_, i) => `${String.fromCharCode(65 + i)} ${best[i].toFixed(1)}us (${(best[i] / nat).toFixed(2)}x)`,
  );
  const rel = c.fns.length > 1 ? `  B/A ${(best[1] / best[0]).toFixed(3)}` : "";
  console.log(`${c.name.padEnd(11)} ${parts.join("  ")}  native ${nat.toFixed(1)}us${rel}`);
}
