// SPDX-License-Identifier: Apache-2.0
// What a user gets from `npm i`: every package under packages/ is packed with `pnpm pack` (once, by the
// global setup), installed with plain npm into a new project outside the workspace, and a custom filter using @getwild/core and
// @getwild/jwt (and @getwild/getwild) is built there with asc (published asconfig base) and run in the installed @getwild/host.
import { describe, it, expect, beforeAll, afterAll, inject } from "vitest";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { readPacks, run } from "../lib/pack.js";
import { b64url, hs } from "../lib/hs.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..", "..");
const fixture = join(here, "..", "fixture");
const packageDirs = readdirSync(join(repo, "packages")).filter((d) =>
  existsSync(join(repo, "packages", d, "package.json")),
);

let work: string;
let project: string;
const tarballs = new Map<string, string>(); // package name → tarball path
const manifests = new Map<string, Record<string, any>>(); // package name → packed package.json

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "getwild-packaging-"));
  expect(relative(repo, work).startsWith("..")).toBe(true); // outside the workspace
  expect(relative(repo, inject("packDir")).startsWith("..")).toBe(true);
  for (const [name, { tarball, manifest }] of readPacks(inject("packDir"))) {
    tarballs.set(name, tarball);
    manifests.set(name, manifest);
  }
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("published packages", () => {
  it("packs every package under packages/", () => {
    const names = packageDirs.map(
      (d) => JSON.parse(readFileSync(join(repo, "packages", d, "package.json"), "utf8")).name,
    );
    expect([...tarballs.keys()].sort()).toEqual(names.sort());
  });

  it("have name, version, license, files, exports and a README; no workspace: ranges; @getwild deps are packed", () => {
    for (const [name, m] of manifests) {
      expect(m.private, name).not.toBe(true);
      expect(m.version, name).toMatch(/^\d+\.\d+\.\d+/);
      expect(m.license, name).toBe("Apache-2.0");
      expect(Array.isArray(m.files) && m.files.length > 0, name).toBe(true);
      expect(m.exports, name).toBeTypeOf("object");
      const listing = execFileSync("tar", ["-tzf", tarballs.get(name)!], { encoding: "utf8" }).split("\n");
      expect(listing, name).toContain("package/README.md");
      const deps = { ...m.dependencies, ...m.peerDependencies, ...m.optionalDependencies };
      for (const [dep, range] of Object.entries<string>(deps)) {
        expect(range, `${name} → ${dep}`).not.toMatch(/^(workspace|file|link):/);
        // workspace:^ is published as ^VERSION of the sibling packed with it (Changesets versions them together).
        if (dep.startsWith("@getwild/"))
          expect([manifests.get(dep)?.version, `^${manifests.get(dep)?.version}`], `${name} → ${dep}`).toContain(range);
      }
    }
  });

  it("ship AssemblyScript sources at the paths asc resolves, and the host's JS, types and bin", () => {
    for (const [name, m] of manifests) {
      const listing = execFileSync("tar", ["-tzf", tarballs.get(name)!], { encoding: "utf8" }).split("\n");
      if (m.exports["./assembly"])
        expect(listing, name).toContain(`package/${m.exports["./assembly"].replace(/^\.\//, "")}`);
    }
    const host = manifests.get("@getwild/host")!;
    const hostFiles = execFileSync("tar", ["-tzf", tarballs.get("@getwild/host")!], { encoding: "utf8" }).split("\n");
    for (const target of [
      host.exports["."].import,
      host.exports["."].require,
      host.exports["."].types,
      ...Object.values<string>(host.bin ?? {}),
    ]) {
      expect(hostFiles).toContain(`package/${target.replace(/^\.\//, "")}`);
    }
    expect(manifests.get("@getwild/core")!.files).toContain("asconfig.base.json");
  });

  describe("in a new project outside the workspace", () => {
    const secret = randomBytes(32);
    let out: {
      results: { status: number; body: string; details: string | null }[];
      logs: string[];
      failures: number;
      imports: string[];
    };

    beforeAll(() => {
      project = join(work, "my-filter");
      cpSync(fixture, project, { recursive: true });
      writeFileSync(
        join(project, "package.json"),
        JSON.stringify({ name: "my-filter", version: "1.0.0", private: true, type: "module" }, null, 2),
      );
      // What a user types: npm i @getwild/core @getwild/jwt @getwild/getwild @getwild/host (here: the packed tarballs).
      run("npm", ["i", "assemblyscript@0.28.20", ...tarballs.values()], project);
      run(join(project, "node_modules", ".bin", "asc"), ["--target", "release"], project);
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: "https://issuer.example", sub: "alice", iat: now, exp: now + 600 };
      const tokens = [
        hs("HS256", secret, claims),
        hs("HS256", randomBytes(32), claims),
        hs("HS256", secret, { ...claims, iat: now - 7200, exp: now - 3600 }),
        hs("HS384", secret, claims),
        null,
      ];
      const jwks = JSON.stringify({ keys: [{ kty: "oct", k: b64url(secret), alg: "HS256" }] });
      out = JSON.parse(run("node", ["run.mjs"], project, { input: JSON.stringify({ jwks, tokens }) }));
    }, 300_000);

    it("installs the published versions from the tarballs (nothing from the workspace)", () => {
      for (const name of ["@getwild/core", "@getwild/jwt", "@getwild/host"]) {
        const installed = join(project, "node_modules", ...name.split("/"));
        expect(existsSync(join(installed, "package.json")), name).toBe(true);
        expect(relative(repo, installed).startsWith(".."), name).toBe(true);
      }
    });

    it("builds a filter that imports only what Envoy provides", () => {
      expect(out.imports.length).toBeGreaterThan(0);
      for (const imp of out.imports) expect(imp.startsWith("env.proxy_"), imp).toBe(true);
    });

    it("lets a valid token through and refuses forged, expired, wrong-algorithm and missing ones", () => {
      expect(out.failures).toBe(0);
      expect(out.results[0]).toEqual({ status: 200, body: "hello alice", details: null });
      expect(out.results.slice(1, 5).map((r) => [r.status, r.details])).toEqual([
        [401, "jwt_signature_invalid"],
        [401, "jwt_expired"],
        [401, "jwt_alg_not_allowed"],
        [401, "jwt_token_missing"],
      ]);
      expect(JSON.parse(out.results[1]!.body)).toEqual({ error: "signature_invalid" });
      expect(out.logs).toContain("refused: expired");
    });

    it("answers /teapot with @getwild/getwild's reply (the third AssemblyScript package resolves too)", () => {
      expect(out.results[5]).toMatchObject({ status: 418, body: "getwild" });
    });

    it("builds a test module with the installed host's buildFilter: core's published asconfig base, warnings refused", () => {
      // A folder without asconfig.json: buildFilter takes @getwild/core/asconfig.base.json as npm installed it.
      const tests = join(project, "fixtures");
      cpSync(join(project, "assembly"), tests, { recursive: true });
      writeFileSync(
        join(tests, "warns.ts"),
        "let p: usize = 1;\nexport function narrow(): i32 {\n  let i: i32 = p;\n  return i;\n}\n",
      );
      const script = [
        'import { buildFilter, validateModule } from "@getwild/host";',
        'import { readFileSync } from "node:fs";',
        'const [wasm] = await buildFilter({ cwd: "fixtures", entry: "filter.ts", outFile: "out/filter.wasm" });',
        "const exports = validateModule(readFileSync(wasm)).exports.map((e) => e.name);",
        'const refused = await buildFilter({ cwd: "fixtures", entry: "warns.ts" }).then(() => "", (e) => e.name + " " + e.output);',
        "console.log(JSON.stringify({ wasm, exports, refused }));",
      ].join("\n");
      const result = JSON.parse(run("node", ["--input-type=module", "-e", script], project));
      expect(result.wasm).toBe(join(tests, "out", "filter.wasm"));
      expect(result.exports).toEqual(
        expect.arrayContaining(["_initialize", "proxy_abi_version_0_2_1", "proxy_on_request_headers"]),
      );
      expect(result.refused).toMatch(/^FilterBuildError [\s\S]*AS201/);
    });

    it("runs the installed getwild bin: check passes the filter", () => {
      const stdout = run(join(project, "node_modules", ".bin", "getwild"), ["check", "build/filter.wasm"], project);
      expect(stdout).toContain("proxy-wasm ABI 0.2.1");
      expect(stdout).toContain("OK: Envoy would load this module");
    });
  });
});
