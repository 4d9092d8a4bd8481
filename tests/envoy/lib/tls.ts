// SPDX-License-Identifier: Apache-2.0
// A throw-away certificate authority for the stand-ins behind the examples' TLS clusters: the tests
// give Envoy the CA (the `trusted_ca` rewrite of bootstrap.ts) and the stand-in a server certificate
// it signed, so those clusters run their real UpstreamTlsContext. Made once per test process with
// the openssl command (node can read certificates but not issue them), in a temp folder removed on exit.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCa {
  /** PEM file of the CA certificate (what Envoy's validation_context trusts). */
  caFile: string;
  /** PEM server certificate and key signed by the CA, for node's https/tls servers. */
  cert: string;
  key: string;
}

/** Names the server certificate is valid for: the examples' SNI names and the loopback address. */
const SERVER_NAMES = ["DNS:localhost", "DNS:httpbin.org", "DNS:www.googleapis.com", "DNS:login.example.com", "IP:127.0.0.1"];

let made: TestCa | undefined;

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`openssl ${args[0]} failed (the TLS stand-ins need the openssl command): ${stderr.trim()}`);
  }
}

/** The test CA and a server certificate (P-256, valid one day), made on first use. */
export function testCa(): TestCa {
  if (made !== undefined) return made;
  const dir = mkdtempSync(join(tmpdir(), "getwild-test-ca-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=getwild test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], dir);
  openssl(["req", "-new", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], dir);
  writeFileSync(join(dir, "server.ext"), `subjectAltName=${SERVER_NAMES.join(",")}\nextendedKeyUsage=serverAuth\n`);
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1",
    "-out", "server.pem", "-extfile", "server.ext"], dir);
  made = {
    caFile: join(dir, "ca.pem"),
    cert: readFileSync(join(dir, "server.pem"), "utf8"),
    key: readFileSync(join(dir, "server.key"), "utf8"),
  };
  return made;
}
