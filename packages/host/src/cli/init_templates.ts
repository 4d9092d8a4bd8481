// SPDX-License-Identifier: Apache-2.0
// The files `getwild init NAME` (and `npm create getwild NAME`) writes: a filter project that builds
// with the published packages alone, tests through @getwild/host after a fresh build, and serves,
// checks and packages the filter with the getwild command.

export interface ProjectSpec {
  /** npm package name of the new project. */
  name: string;
  /** The filter's root_id (Envoy `root_id`, Istio `pluginName`). */
  rootId: string;
  /** Version of the @getwild packages to depend on (the scaffolding host's own version). */
  version: string;
}

/** AssemblyScript and vitest as pinned by the getwild workspace that released these packages. */
export const ASSEMBLYSCRIPT_VERSION = "0.28.20";
export const VITEST_VERSION = "4.1.12";

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function packageJson(p: ProjectSpec): string {
  const wasm = "build/filter.wasm";
  return json({
    name: p.name,
    version: "0.1.0",
    private: true,
    description: "A proxy-wasm HTTP filter for Envoy and Istio, in AssemblyScript",
    type: "module",
    scripts: {
      build: "asc --target release && asc --target debug",
      test: "vitest run",
      serve: `asc --target release && getwild serve --filter ${wasm} --root-id ${p.rootId}`,
      check: `asc --target release && getwild check ${wasm}`,
      oci: `asc --target release && getwild oci ${wasm} -o build/${p.rootId}-oci.tar`,
    },
    dependencies: { "@getwild/core": `^${p.version}` },
    devDependencies: {
      "@getwild/host": `^${p.version}`,
      assemblyscript: ASSEMBLYSCRIPT_VERSION,
      vitest: VITEST_VERSION,
    },
  });
}

// Release and debug targets on top of core's options (reactor start, Envoy-safe abort, incremental GC).
const asconfig = json({
  extends: "@getwild/core/asconfig.base.json",
  entries: ["assembly/filter.ts"],
  targets: {
    release: { outFile: "build/filter.wasm" },
    debug: { outFile: "build/filter.debug.wasm" },
  },
});

// AssemblyScript's own types (u32, bool, unchecked, ...) for editors, as `asinit` sets them up.
const assemblyTsconfig = json({ extends: "assemblyscript/std/assembly.json", include: ["./**/*.ts"] });

// The Node side (tests, vitest.config.ts); assembly/ has its own tsconfig above.
const rootTsconfig = json({
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  },
  include: ["test/**/*.ts", "vitest.config.ts"],
});

function filterSource(p: ProjectSpec): string {
  return `// The filter: requests under /admin are refused with 403 before they reach the upstream, and every
// response carries \`x-filter: ${p.rootId}\`. Build: npm run build. Test: npm test.
import { RootContext, StreamContext, Action, registerRootContext } from "@getwild/core/assembly";
// Envoy calls these exports: the ABI version marker, the allocator and every proxy_on_* callback.
export * from "@getwild/core/assembly/exports";

// A stream that needs nothing from its root extends StreamContext; one that reads its root's
// configuration extends HttpContext<YourRoot> and reads \`this.root\` typed.
class Filter extends StreamContext {
  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    // Reads return a Result: \`value\` ("" when absent) and \`status\` (NotFound when absent).
    let path = this.requestHeaders.get(":path").value;
    // sendLocalResponse answers now and returns Action.Pause: the upstream is never contacted.
    if (path.startsWith("/admin")) return this.sendLocalResponse(403, "admin_forbidden");
    return Action.Continue;
  }

  onResponseHeaders(numHeaders: u32, endOfStream: bool): Action {
    this.responseHeaders.set("x-filter", "${p.rootId}");
    return Action.Continue;
  }
}

class FilterRoot extends RootContext {
  createHttpContext(contextId: u32): StreamContext | null {
    return new Filter(contextId, this.id);
  }
}

// "${p.rootId}" is the root_id Envoy's config (or Istio's pluginName) selects this filter with.
registerRootContext((id: u32): RootContext => new FilterRoot(id), "${p.rootId}");
`;
}

function testSource(p: ProjectSpec): string {
  return `// Runs the compiled build/filter.wasm in @getwild/host, which loads and drives it as Envoy does.
// vitest.config.ts builds it first (@getwild/host/global-setup), so this never tests a stale build.
import { describe, it, expect } from "vitest";
import { createHost } from "@getwild/host";

const start = () => createHost({ wasm: "build/filter.wasm", rootId: "${p.rootId}" });

describe("${p.rootId}", () => {
  it("refuses /admin with 403 and never calls the upstream", async () => {
    const host = await start();
    const res = await host.request({ method: "GET", path: "/admin/users" }, { status: 200, body: "upstream" });
    expect(res.status).toBe(403);
    expect(res.upstreamRequest).toBeNull();
  });

  it("lets other requests through and marks the response", async () => {
    const host = await start();
    const res = await host.request({ method: "GET", path: "/" }, { status: 200, body: "upstream" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-filter")).toBe("${p.rootId}");
  });
});
`;
}

const vitestConfig = `import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Builds the filter (asc --target release) before the tests, and again on every watch rerun.
    globalSetup: ["@getwild/host/global-setup"],
    // In watch mode, a change under assembly/ reruns the tests (which rebuild first).
    forceRerunTriggers: ["**/assembly/**"],
    include: ["test/**/*.test.ts"],
  },
});
`;

const gitignore = "node_modules/\nbuild/\n";

function readme(p: ProjectSpec): string {
  return `# ${p.name}

A proxy-wasm HTTP filter for Envoy and Istio, written in AssemblyScript with
[@getwild/core](https://www.npmjs.com/package/@getwild/core), tested with @getwild/host.

\`\`\`sh
npm install
npm test            # builds build/filter.wasm, then runs test/ against it
npm run serve       # the filter in front of a local echo upstream on http://127.0.0.1:10000
npm run check       # would Envoy load it? imports, exports, size
npm run oci         # build/${p.rootId}-oci.tar, a Wasm OCI image for Istio's WasmPlugin
\`\`\`

| file | what it is |
|---|---|
| \`assembly/filter.ts\` | the filter (root_id \`${p.rootId}\`) |
| \`assembly/tsconfig.json\` | AssemblyScript types (\`u32\`, \`bool\`, ...) for your editor |
| \`asconfig.json\` | build targets; options come from \`@getwild/core/asconfig.base.json\` |
| \`test/filter.test.ts\` | tests through \`@getwild/host\`, which runs the compiled \`.wasm\` as Envoy does |
| \`vitest.config.ts\` | \`@getwild/host/global-setup\` builds the filter before every test run |

In Envoy, load \`build/filter.wasm\` with \`envoy.filters.http.wasm\`, \`root_id: ${p.rootId}\` and
\`runtime: envoy.wasm.runtime.v8\`.
`;
}

/** Every file of a new project, by path relative to its folder. */
export function projectFiles(p: ProjectSpec): Record<string, string> {
  return {
    "package.json": packageJson(p),
    "asconfig.json": asconfig,
    "tsconfig.json": rootTsconfig,
    "assembly/tsconfig.json": assemblyTsconfig,
    "assembly/filter.ts": filterSource(p),
    "test/filter.test.ts": testSource(p),
    "vitest.config.ts": vitestConfig,
    ".gitignore": gitignore,
    "README.md": readme(p),
  };
}
