// SPDX-License-Identifier: Apache-2.0
// A throw-away CA and server certificate made with the openssl CLI in a temp dir, for an https:// stand-in
// that Envoy must verify: fresh keys every run, nothing private in git, nothing that expires in a fixture.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCa {
  /** PEM file of the CA certificate. */
  caFile: string;
  /** A server certificate for DNS:`host` signed by this CA: PEM certificate and key. */
  server(host: string): { cert: string; key: string };
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  const run = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (run.error || run.status !== 0)
    throw new Error(`openssl ${args.join(" ")} failed: ${run.error?.message ?? run.stderr}`);
}

export function createTestCa(name: string): TestCa {
  const dir = mkdtempSync(join(tmpdir(), "getwild-ca-"));
  const caFile = join(dir, "ca.pem");
  const caKey = join(dir, "ca.key");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(
    [
      "req",
      "-x509",
      ...ec,
      "-days",
      "2",
      "-keyout",
      caKey,
      "-out",
      caFile,
      "-subj",
      `/CN=${name}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  let serial = 0;
  return {
    caFile,
    server(host) {
      const base = join(dir, `server-${++serial}`);
      writeFileSync(
        `${base}.ext`,
        `subjectAltName=DNS:${host}\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n`,
      );
      openssl(["req", ...ec, "-keyout", `${base}.key`, "-out", `${base}.csr`, "-subj", `/CN=${host}`], dir);
      openssl(
        [
          "x509",
          "-req",
          "-in",
          `${base}.csr`,
          "-CA",
          caFile,
          "-CAkey",
          caKey,
          "-set_serial",
          String(100 + serial),
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
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
