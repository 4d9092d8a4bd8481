// SPDX-License-Identifier: Apache-2.0
// Client certificates for mutual-TLS tests (RFC 8705), made with the openssl CLI in the test PKI's
// temp dir (lib/pki.ts), and the downstream TLS context that makes an Envoy listener require them.
import { spawnSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CertificateAuthority, TestPki } from "./pki";

export interface ClientCertificate {
  /** PEM certificate and key, as node:https wants them. */
  cert: string;
  key: string;
  /** RFC 8705 `x5t#S256`: base64url SHA-256 of the DER certificate. */
  x5tS256: string;
}

function openssl(args: string[], cwd: string): void {
  const run = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (run.error) throw new Error(`openssl could not run: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${`${run.stderr}`.trim()}`);
}

let serial = 0;

/** A client certificate (EKU clientAuth) for `name`, signed by `ca`. */
export function clientCertificate(pki: TestPki, ca: CertificateAuthority, name: string): ClientCertificate {
  const base = join(pki.dir, `client-${process.pid}-${++serial}`);
  writeFileSync(
    `${base}.ext`,
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=clientAuth",
      "",
    ].join("\n"),
  );
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
      `/CN=${name}`,
    ],
    pki.dir,
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
      String(5000 + serial),
      "-days",
      "2",
      "-extfile",
      `${base}.ext`,
      "-out",
      `${base}.pem`,
    ],
    pki.dir,
  );
  const cert = readFileSync(`${base}.pem`, "utf8");
  const der = new X509Certificate(cert).raw;
  return {
    cert,
    key: readFileSync(`${base}.key`, "utf8"),
    x5tS256: createHash("sha256").update(der).digest("base64url"),
  };
}

/** Writes `pem` into the PKI dir and returns the file name (Envoy reads certificates from files). */
export function pemFile(pki: TestPki, name: string, pem: string): string {
  const file = join(pki.dir, name);
  writeFileSync(file, pem);
  return file;
}

/** A DownstreamTlsContext transport socket: server certificate files, client certificates required and checked against `caFile`. */
export function requireClientCertificates(certFile: string, keyFile: string, caFile: string): Record<string, unknown> {
  return {
    name: "envoy.transport_sockets.tls",
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
      require_client_certificate: true,
      common_tls_context: {
        tls_certificates: [{ certificate_chain: { filename: certFile }, private_key: { filename: keyFile } }],
        validation_context: { trusted_ca: { filename: caFile } },
      },
    },
  };
}
