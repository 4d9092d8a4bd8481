// SPDX-License-Identifier: Apache-2.0
// `getwild token --dpop METHOD --curl URL` against the jwt-authn example served with the dev IdP
// (provider users allows DPoP): the printed curl line's token is bound to the proof's key, the proof
// is for that method and URL (query dropped), jose accepts it as a DPoP proof, and the filter lets
// the request through once and refuses the same proof again.
import { describe, it, expect, beforeAll } from "vitest";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { runCli } from "../src/cli/command.js";
import { ExitCode } from "../src/cli/errors.js";
import { start } from "./serve_helpers.js";
import { packageRoot } from "./paths.js";

const JWT_AUTHN = join(packageRoot, "..", "..", "examples", "jwt-authn");
const decode = (segment: string) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

let keyFile: string;
beforeAll(() => {
  if (!existsSync(join(JWT_AUTHN, "build", "filter.wasm"))) {
    execFileSync(
      process.execPath,
      [join(JWT_AUTHN, "node_modules", "assemblyscript", "bin", "asc.js"), "--target", "release"],
      { cwd: JWT_AUTHN, stdio: "ignore" },
    );
  }
  keyFile = join(mkdtempSync(join(tmpdir(), "getwild-dpop-key-")), "keys.json");
});

async function token(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(["token", join(JWT_AUTHN, "plugin-config.json"), "--dev-key", keyFile, ...argv], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stopSignal: async () => {},
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The method, URL and headers of a printed curl line. */
function parseCurl(line: string) {
  const method = / -X (\w+) /.exec(line)?.[1] ?? "GET";
  const headers: Record<string, string> = {};
  for (const m of line.matchAll(/-H '([^:]+): ([^']*)'/g)) headers[m[1]!] = m[2]!;
  const url = /'(https?:[^']+)'$/.exec(line)![1]!;
  return { method, url, headers };
}

describe("getwild token --dpop", () => {
  it("needs --curl and a method", async () => {
    expect((await token(["--dpop", "GET"])).code).toBe(ExitCode.BadArguments);
    expect((await token(["--dpop", "get", "--curl", "http://localhost/"])).code).toBe(ExitCode.BadArguments);
  });

  it("prints a bound token and a proof for that request, which the filter accepts once", async () => {
    const server = await start({
      filter: join(JWT_AUTHN, "build", "filter.wasm"),
      config: join(JWT_AUTHN, "plugin-config.json"),
      rootId: "jwt-authn",
      devIdpClusters: ["login", "mesh_ca"],
      devKeyFile: keyFile,
    });
    const printed = await token(["--dpop", "POST", "--curl", `${server.url}/orders?page=2#x`]);
    expect(printed.code, printed.err).toBe(ExitCode.Ok);
    const { method, url, headers } = parseCurl(printed.out);
    expect(method).toBe("POST");
    const bearer = headers.authorization!.replace(/^DPoP /, "");
    const [head, claims] = headers.dpop!.split(".").map((s, i) => (i < 2 ? decode(s) : s));
    expect(head.typ).toBe("dpop+jwt");
    expect(claims.htm).toBe("POST");
    expect(claims.htu).toBe(`${server.url}/orders`);
    expect(claims.ath).toBe(createHash("sha256").update(bearer).digest("base64url"));
    const jwk = head.jwk as Record<string, string>;
    const thumbprint = createHash("sha256")
      .update(`{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`)
      .digest("base64url");
    expect(decode(bearer.split(".")[1]!).cnf).toEqual({ jkt: thumbprint });

    const first = await fetch(url, { method, headers });
    expect(first.status, await first.clone().text()).toBe(200);
    const again = await fetch(url, { method, headers });
    expect(again.status).toBe(401);
    expect(again.headers.get("www-authenticate")).toMatch(
      /^DPoP error="invalid_dpop_proof", error_description="DPoP proof was already used"/,
    );
  });
});
