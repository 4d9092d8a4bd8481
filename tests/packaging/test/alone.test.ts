// SPDX-License-Identifier: Apache-2.0
// Each package installed on its own, by name, as a user will once they are published: a new project
// outside the workspace runs `npm i <one package>` against a local registry that serves only our
// tarballs (npm takes every other package from its usual registry). The dependencies each package
// declares must be enough (and no more is pulled in): @getwild/jwt alone builds a JwtAuthn filter,
// @getwild/getwild alone a responder, @getwild/core alone a filter of its own; the module then runs in @getwild/host.
// The registry is started by the global setup (test/global-setup.ts).
import { describe, it, expect, beforeAll, afterAll, inject } from "vitest";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHost, validateModule } from "@getwild/host";
import { run } from "../lib/pack.js";
import { b64url, hs } from "../lib/hs.js";

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "getwild-alone-"));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A new project with only `pkg` installed (npm adds its dependencies and peers). */
function installAlone(dir: string, pkg: string): string {
  const project = join(work, dir);
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: dir, version: "1.0.0", private: true, type: "module" }),
  );
  run("npm", ["i", pkg], project, { env: inject("registryEnv") });
  const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
  expect(Object.keys(manifest.dependencies)).toEqual([pkg]); // the user asked for this one package only
  return project;
}

/** The @getwild packages npm put in the project (what the one asked for pulled in). */
function installedOurs(project: string): string[] {
  return readdirSync(join(project, "node_modules", "@getwild")).sort();
}

/** Writes assembly/filter.ts and an asconfig extending core's, builds with the installed asc, returns the module. */
function build(project: string, source: string): Uint8Array {
  mkdirSync(join(project, "assembly"));
  writeFileSync(join(project, "assembly", "filter.ts"), source);
  const asconfig = {
    extends: "@getwild/core/asconfig.base.json",
    entries: ["assembly/filter.ts"],
    targets: { release: { outFile: "build/filter.wasm" } },
  };
  writeFileSync(join(project, "asconfig.json"), JSON.stringify(asconfig));
  run(join(project, "node_modules", ".bin", "asc"), ["--target", "release"], project);
  const wasm = new Uint8Array(readFileSync(join(project, "build", "filter.wasm")));
  expect(validateModule(wasm).errors).toEqual([]);
  return wasm;
}

describe("each package installed alone from the registry", () => {
  it("@getwild/jwt: its dependencies (core, json) and peer (assemblyscript) come with it; a JwtAuthn filter builds and verifies", async () => {
    const project = installAlone("jwt-only", "@getwild/jwt");
    expect(installedOurs(project)).toEqual(["core", "json", "jwt"]);
    const wasm = build(
      project,
      [
        'import { registerJwtAuthn } from "@getwild/jwt/assembly/filter";',
        'export * from "@getwild/core/assembly/exports";',
        'registerJwtAuthn("jwt_authn");',
      ].join("\n"),
    );
    const secret = randomBytes(32);
    const pluginConfig = {
      providers: {
        local: {
          issuer: "https://issuer.example",
          algorithms: ["HS256"],
          local_jwks: JSON.stringify({ keys: [{ kty: "oct", k: b64url(secret), alg: "HS256" }] }),
        },
      },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "local" } }],
    };
    const host = await createHost({ wasm, rootId: "jwt_authn", pluginConfig });
    const now = Math.floor(Date.now() / 1000);
    const token = hs("HS256", secret, { iss: "https://issuer.example", sub: "alice", iat: now, exp: now + 600 });
    const ok = await host.request(
      { method: "GET", path: "/", headers: { authorization: `Bearer ${token}` } },
      { status: 200 },
    );
    expect(ok.status).toBe(200);
    expect((await host.request({ method: "GET", path: "/" }, { status: 200 })).status).toBe(401);
  });

  it("@getwild/getwild: core and json (its JSON reader) come with it, jwt does not; the responder builds and answers", async () => {
    const project = installAlone("getwild-only", "@getwild/getwild");
    expect(installedOurs(project)).toEqual(["core", "getwild", "json"]);
    const wasm = build(
      project,
      [
        'import { RootContext, registerRootContext } from "@getwild/core/assembly";',
        'import { ResponderRoot } from "@getwild/getwild/assembly";',
        'export * from "@getwild/core/assembly/exports";',
        'registerRootContext((id: u32): RootContext => new ResponderRoot(id), "responder");',
      ].join("\n"),
    );
    const pluginConfig = { rules: [{ match: { prefix: "/teapot" }, status: 418, body: "short and stout" }] };
    const host = await createHost({ wasm, rootId: "responder", pluginConfig });
    const res = await host.request({ method: "GET", path: "/teapot" }, { status: 200 });
    expect([res.status, res.bodyText]).toEqual([418, "short and stout"]);
  });

  it("@getwild/core: a filter of one's own builds with the published asconfig base", async () => {
    const project = installAlone("core-only", "@getwild/core");
    const wasm = build(
      project,
      [
        'import { RootContext, StreamContext, Action, registerRootContext } from "@getwild/core/assembly";',
        'export * from "@getwild/core/assembly/exports";',
        "class Admin extends StreamContext {",
        "  onRequestHeaders(n: u32, end: bool): Action {",
        '    let path = this.requestHeaders.get(":path").value;',
        '    return path.startsWith("/admin") ? this.sendLocalResponse(403, "admin_forbidden") : Action.Continue;',
        "  }",
        "}",
        "class AdminRoot extends RootContext { createHttpContext(id: u32): StreamContext | null { return new Admin(id, this.id); } }",
        'registerRootContext((id: u32): RootContext => new AdminRoot(id), "admin");',
      ].join("\n"),
    );
    const host = await createHost({ wasm, rootId: "admin" });
    expect((await host.request({ method: "GET", path: "/admin/x" }, { status: 200 })).status).toBe(403);
    expect((await host.request({ method: "GET", path: "/" }, { status: 200 })).status).toBe(200);
  });

  it("@getwild/host: the library loads from ESM and CommonJS, and the getwild bin runs", () => {
    const project = installAlone("host-only", "@getwild/host");
    const esm = run(
      "node",
      [
        "--input-type=module",
        "-e",
        'import { createHost, buildFilter } from "@getwild/host"; console.log(typeof createHost, typeof buildFilter)',
      ],
      project,
    );
    const cjs = run(
      "node",
      ["-e", 'const { createHost } = require("@getwild/host"); console.log(typeof createHost)'],
      project,
    );
    expect([esm.trim(), cjs.trim()]).toEqual(["function function", "function"]);
    // The deploy tools come from their own subpath, not the root.
    const deployEsm = run(
      "node",
      [
        "--input-type=module",
        "-e",
        'import { runCheck, ExitCode } from "@getwild/host/deploy"; import * as root from "@getwild/host"; console.log(typeof runCheck, ExitCode.ModuleRefused, "runCheck" in root)',
      ],
      project,
    );
    const deployCjs = run(
      "node",
      ["-e", 'const { buildOciImage } = require("@getwild/host/deploy"); console.log(typeof buildOciImage)'],
      project,
    );
    expect([deployEsm.trim(), deployCjs.trim()]).toEqual(["function 4 false", "function"]);
    expect(run(join(project, "node_modules", ".bin", "getwild"), ["--help"], project)).toContain("init");
    expect(existsSync(join(project, "node_modules", "@getwild", "core"))).toBe(false); // the host stands alone
  });
});
