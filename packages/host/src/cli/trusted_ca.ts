// SPDX-License-Identifier: Apache-2.0
// The CA certificates `getwild serve --envoy` gives an https:// cluster to verify its server with: the
// system bundle, as a deployed Envoy is usually configured (Envoy has no default trust store of its own).
import { existsSync, readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { CliError, ExitCode } from "./errors.js";

/** Where Linux distributions and macOS (Homebrew OpenSSL) keep the system bundle, most common first. */
const SYSTEM_BUNDLES = [
  "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Alpine, Arch, the envoyproxy/envoy image
  "/etc/pki/tls/certs/ca-bundle.crt", // Fedora, RHEL, CentOS
  "/etc/ssl/ca-bundle.pem", // openSUSE
  "/etc/ssl/cert.pem", // macOS, Alpine
  "/usr/local/etc/openssl/cert.pem", // Homebrew
];

export interface TrustedCa {
  pem: string;
  /** Where it came from, for the start-up line. */
  source: string;
}

/**
 * `SSL_CERT_FILE` when set (OpenSSL's own variable: a custom or test CA), else the first system bundle
 * found, else the Mozilla roots built into Node. `extraPem` (a CA the command was given) is added.
 */
export function trustedCa(env: NodeJS.ProcessEnv = process.env, extraPem?: string): TrustedCa {
  const chosen = env.SSL_CERT_FILE ? env.SSL_CERT_FILE : SYSTEM_BUNDLES.find((path) => existsSync(path));
  let pem: string;
  let source: string;
  if (chosen !== undefined) {
    try {
      pem = readFileSync(chosen, "utf8");
    } catch (e) {
      throw new CliError(ExitCode.FileNotFound, `CA bundle ${chosen} (for https:// clusters): ${(e as Error).message}`);
    }
    source = chosen;
  } else {
    pem = rootCertificates.join("\n");
    source = "the Mozilla roots built into Node";
  }
  if (extraPem !== undefined) {
    pem = `${pem.trimEnd()}\n${extraPem}`;
    source += " and the given CA";
  }
  return { pem, source };
}
