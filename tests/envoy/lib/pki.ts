// SPDX-License-Identifier: Apache-2.0
// A throw-away PKI for the IdP stand-in, made with the openssl CLI in a temp dir at test time: a test
// CA (handed to Envoy's UpstreamTlsContext through the `trustedCa` rewrite) and server certificates
// whose SAN is the host name a cluster's SNI and SAN matcher expect; lib/client_certs.ts makes its
// client certificates through the same `signedLeaf`. Fresh keys every run: no private key in git and
// no fixture that expires (tests/envoy/README.md says why).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CertificateAuthority {
  name: string;
  /** PEM file of the CA certificate (what `trusted_ca.filename` points at). */
  certFile: string;
  keyFile: string;
}

export interface LeafCertificate {
  /** PEM certificate, then key, as node:https wants them. */
  cert: string;
  key: string;
}

/** A leaf whose extensions make it a TLS server certificate. */
export type ServerCertificate = LeafCertificate;

export interface TestPki {
  dir: string;
  /** A new self-signed CA named `name`. */
  authority(name: string): CertificateAuthority;
  /**
   * A new P-256 leaf certificate with CN `subject` and the openssl extension lines `extLines`, signed
   * by `ca` (serials unique within this PKI). Server and client certificates differ only in those lines.
   */
  signedLeaf(ca: CertificateAuthority, subject: string, extLines: readonly string[]): LeafCertificate;
  /** A server certificate with SAN DNS:`host`, signed by `ca`. */
  serverCertificate(ca: CertificateAuthority, host: string): ServerCertificate;
  /** Removes the temp dir and every key in it. */
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  const run = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (run.error)
    throw new Error(
      `the Envoy suite makes its test CA with the openssl CLI, which could not run: ${run.error.message}`,
    );
  if (run.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${`${run.stderr}`.trim()}`);
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "getwild-pki-"));
  let serial = 0;
  function signedLeaf(ca: CertificateAuthority, subject: string, extLines: readonly string[]): LeafCertificate {
    const base = join(dir, `leaf-${++serial}`);
    writeFileSync(`${base}.ext`, [...extLines, ""].join("\n"));
    openssl(
      [
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        `${base}.key`,
        "-out",
        `${base}.csr`,
        "-subj",
        `/CN=${subject}`,
      ],
      dir,
    );
    openssl(
      [
        "x509",
        "-req",
        "-in",
        `${base}.csr`,
        "-CA",
        ca.certFile,
        "-CAkey",
        ca.keyFile,
        "-set_serial",
        String(1000 + serial),
        "-days",
        "2",
        "-extfile",
        `${base}.ext`,
        "-out",
        `${base}.pem`,
      ],
      dir,
    );
    return { cert: readFileSync(`${base}.pem`, "utf8"), key: readFileSync(`${base}.key`, "utf8") };
  }
  return {
    dir,
    authority(name) {
      const certFile = join(dir, `${name}.ca.pem`);
      const keyFile = join(dir, `${name}.ca.key`);
      openssl(
        [
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:P-256",
          "-nodes",
          "-days",
          "2",
          "-keyout",
          keyFile,
          "-out",
          certFile,
          "-subj",
          `/CN=${name}`,
          "-addext",
          "basicConstraints=critical,CA:TRUE",
          "-addext",
          "keyUsage=critical,keyCertSign,cRLSign",
        ],
        dir,
      );
      return { name, certFile, keyFile };
    },
    signedLeaf,
    serverCertificate(ca, host) {
      return signedLeaf(ca, host, [
        `subjectAltName=DNS:${host}`,
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature",
        "extendedKeyUsage=serverAuth",
      ]);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
