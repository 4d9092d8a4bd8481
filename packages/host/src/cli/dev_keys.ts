// SPDX-License-Identifier: Apache-2.0
// The development signing keys shared by `getwild serve --dev-idp` (which publishes them as a JWKS) and
// `getwild token` (which signs with them): one RSA key (RS256) and one P-256 key (ES256), kept in a
// JSON file so separate processes agree. They are made on first use and are for local testing only.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CliError, ExitCode } from "./errors.js";

/** Where the keys live unless `--dev-key FILE` says otherwise (relative to the working directory). */
export const DEFAULT_DEV_KEY_FILE = ".getwild/dev-idp-keys.json";

export type DevAlg = "RS256" | "ES256";

export interface DevKey {
  alg: DevAlg;
  kid: string;
  privateKey: KeyObject;
  /** The public JWK as published in the JWKS (with kid, alg, use). */
  publicJwk: Record<string, unknown>;
}

export interface DevKeys {
  file: string;
  keys: DevKey[];
}

const KIDS: Record<DevAlg, string> = { RS256: "getwild-dev-rs256", ES256: "getwild-dev-es256" };

function newKeyFile(): string {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  return (
    JSON.stringify(
      {
        comment: "getwild development identity provider keys: for local testing only, never trust them anywhere else",
        keys: [
          { ...rsa.export({ format: "jwk" }), kid: KIDS.RS256, alg: "RS256" },
          { ...ec.export({ format: "jwk" }), kid: KIDS.ES256, alg: "ES256" },
        ],
      },
      null,
      2,
    ) + "\n"
  );
}

/**
 * Creates the file atomically when missing: written aside, then hard-linked into place, so two
 * processes starting together (pnpm start serves two JWT examples at once) end up with one key set.
 */
function createIfMissing(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, newKeyFile(), { mode: 0o600 });
  try {
    linkSync(temp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    unlinkSync(temp);
  }
  try {
    chmodSync(file, 0o600);
  } catch {
    // not ours to change (another user's file): reading it is enough
  }
}

function parseKeyFile(file: string, text: string): DevKeys {
  const fail = (why: string) =>
    new CliError(ExitCode.FileNotFound, `dev key file ${file}: ${why} (delete it to get a new one)`);
  let parsed: { keys?: Record<string, unknown>[] };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fail("not JSON");
  }
  const keys: DevKey[] = [];
  for (const jwk of parsed.keys ?? []) {
    const alg = jwk.alg as DevAlg;
    if (alg !== "RS256" && alg !== "ES256") continue;
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: jwk as never, format: "jwk" });
    } catch (e) {
      throw fail(`key ${String(jwk.kid)} is unusable: ${(e as Error).message}`);
    }
    const publicJwk = {
      ...createPublicKey(privateKey).export({ format: "jwk" }),
      kid: String(jwk.kid),
      alg,
      use: "sig",
    };
    keys.push({ alg, kid: String(jwk.kid), privateKey, publicJwk });
  }
  if (keys.length === 0) throw fail("no RS256 or ES256 key in it");
  return { file, keys };
}

/** Reads the dev keys from `file` (default DEFAULT_DEV_KEY_FILE), creating them on first use. */
export function loadDevKeys(file: string = DEFAULT_DEV_KEY_FILE): DevKeys {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new CliError(ExitCode.FileNotFound, `dev key file ${file}: ${(e as Error).message}`);
    }
    createIfMissing(path);
    text = readFileSync(path, "utf8");
  }
  return parseKeyFile(file, text);
}

/** The public key set the dev IdP serves. */
export function devJwks(keys: DevKeys): string {
  return JSON.stringify({ keys: keys.keys.map((k) => k.publicJwk) });
}

const base64url = (bytes: Buffer | string) => Buffer.from(bytes).toString("base64url");

/** A compact JWS over `payload` with the dev key for `alg` (header: alg, kid, typ JWT). */
export function signDevToken(keys: DevKeys, alg: DevAlg, payload: Record<string, unknown>): string {
  const key = keys.keys.find((k) => k.alg === alg);
  if (!key) throw new CliError(ExitCode.BadArguments, `dev key file ${keys.file} has no ${alg} key`);
  const input = `${base64url(JSON.stringify({ alg, kid: key.kid, typ: "JWT" }))}.${base64url(JSON.stringify(payload))}`;
  // ES256 signatures are r || s (JWS), not DER.
  const signature =
    alg === "RS256"
      ? sign("sha256", Buffer.from(input), key.privateKey)
      : sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${base64url(signature)}`;
}
