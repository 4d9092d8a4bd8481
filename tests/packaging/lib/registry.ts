// SPDX-License-Identifier: Apache-2.0
// A read-only npm registry on 127.0.0.1 that serves only our packed tarballs, so a test can run
// `npm i @getwild/jwt` by name, as a user will once the packages are published, with npm resolving
// @getwild/* dependencies to these tarballs and everything else from the real registry. Point npm at
// it for the @getwild scope alone: `npm_config_@getwild:registry=<url>`.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { QUIET_NPM_ENV } from "./pack.js";

export interface PackedPackage {
  tarball: string;
  manifest: Record<string, any>;
}

export interface LocalRegistry {
  url: string;
  /** npm environment that sends the @getwild scope here (and keeps npm quiet). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startRegistry(packages: Iterable<PackedPackage>): Promise<LocalRegistry> {
  const byName = new Map<string, { manifest: Record<string, any>; bytes: Buffer; file: string }>();
  for (const p of packages) {
    const bytes = readFileSync(p.tarball);
    byName.set(p.manifest.name, {
      manifest: p.manifest,
      bytes,
      file: `${p.manifest.name.replace("/", "-").replace("@", "")}-${p.manifest.version}.tgz`,
    });
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!).slice(1);
    const tarball = /^(.+)\/-\/([^/]+\.tgz)$/.exec(path);
    const entry = byName.get(tarball ? tarball[1]! : path);
    if (!entry || (tarball && tarball[2] !== entry.file)) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    if (tarball) {
      res
        .writeHead(200, { "content-type": "application/octet-stream", "content-length": entry.bytes.length })
        .end(entry.bytes);
      return;
    }
    const { name, version } = entry.manifest;
    const dist = {
      tarball: `${origin}/${name}/-/${entry.file}`,
      shasum: createHash("sha1").update(entry.bytes).digest("hex"),
      integrity: `sha512-${createHash("sha512").update(entry.bytes).digest("base64")}`,
    };
    const packument = {
      name,
      "dist-tags": { latest: version },
      versions: { [version]: { ...entry.manifest, _id: `${name}@${version}`, dist } },
    };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(packument));
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    env: {
      "npm_config_@getwild:registry": `${origin}/`,
      ...QUIET_NPM_ENV,
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
