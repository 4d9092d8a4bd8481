// SPDX-License-Identifier: Apache-2.0
// The checks `pnpm start` runs by itself in CI (or with --smoke): real requests to the served examples, one line per result.

async function request(url, init) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Checks per example: [description, request, verdict(response) -> null when fine or the problem, path
 * (default "/")]. An example's `prepare` may bring its own (the JWT examples: checks with fresh tokens).
 */
const CHECKS = {
  getwild: [
    [
      "GET  / -> 418 from the filter",
      { method: "GET" },
      (r) =>
        r.status !== 418
          ? `status ${r.status}, expected 418`
          : r.headers.get("powered-by") !== "getwild"
            ? `powered-by is ${r.headers.get("powered-by")}`
            : !/#####/.test(r.body)
              ? "no ASCII art in the body"
              : null,
    ],
    [
      "POST / -> 200 from the echo upstream",
      { method: "POST", body: "hi" },
      (r) => {
        const echo = parseJson(r.body);
        return r.status !== 200
          ? `status ${r.status}, expected 200`
          : r.headers.get("x-echo-upstream") !== "getwild" || echo?.method !== "POST"
            ? "the reply is not the echo upstream's"
            : echo.body !== "hi"
              ? `the upstream received body ${JSON.stringify(echo.body)}`
              : null;
      },
    ],
  ],
  hello: [
    [
      "GET  / -> 200 with hello: world",
      { method: "GET" },
      (r) =>
        r.status !== 200 ? `status ${r.status}` : r.headers.get("hello") !== "world" ? "no hello: world header" : null,
    ],
  ],
  "http-call": [
    [
      "GET  / -> 200 with a uuid from the cluster",
      { method: "GET" },
      (r) =>
        r.status !== 200
          ? `status ${r.status}: ${r.body.slice(0, 120)}`
          : !/uuid/.test(r.body)
            ? "no uuid in the body"
            : null,
    ],
  ],
};

/** Runs the checks of every served example; prints one line each; resolves to the number of failures. */
export async function runSmoke(served, print) {
  let failures = 0;
  for (const { name, url, example } of served) {
    const checks = example.smoke ??
      CHECKS[name] ?? [["GET  / answers", { method: "GET" }, (r) => (r.status > 0 ? null : "no answer")]];
    for (const [what, init, verdict, path = "/"] of checks) {
      let problem;
      let summary = "";
      try {
        const r = await request(`${url}${path}`, init);
        problem = verdict(r);
        summary = `${r.status} ${r.headers.get("content-type") ?? ""} ${Buffer.byteLength(r.body)} bytes`;
      } catch (e) {
        problem = `request failed: ${e.message}`;
      }
      if (problem) failures++;
      print(
        `smoke ${problem ? "FAIL" : "ok  "} ${name.padEnd(12)} ${what}${problem ? ` -- ${problem}` : ` (${summary.trim()})`}`,
      );
    }
  }
  return failures;
}
