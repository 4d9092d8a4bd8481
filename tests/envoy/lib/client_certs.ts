// SPDX-License-Identifier: Apache-2.0
// Client certificates for mutual-TLS tests (RFC 8705), signed leaves from the test PKI (lib/pki.ts),
// and the downstream TLS context that makes an Envoy listener require them.
import { createHash, X509Certificate } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CertificateAuthority, TestPki } from "./pki";

export interface ClientCertificate {
  /** PEM certificate and key, as node:https wants them. */
  cert: string;
  key: string;
  /** RFC 8705 `x5t#S256`: base64url SHA-256 of the DER certificate. */
  x5tS256: string;
}

/** A client certificate (EKU clientAuth) for `name`, signed by `ca`. */
export function clientCertificate(pki: TestPki, ca: CertificateAuthority, name: string): ClientCertificate {
  const { cert, key } = pki.signedLeaf(ca, name, [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature",
    "extendedKeyUsage=clientAuth",
  ]);
  const der = new X509Certificate(cert).raw;
  return {
    cert,
    key,
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
