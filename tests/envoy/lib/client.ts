// SPDX-License-Identifier: Apache-2.0
// A client for requests through Envoy where the test needs more than fetch: a new TCP connection per
// request (so Envoy's workers both get some), and a bound after which a request that got no answer
// fails the test instead of hanging it (the "no hang" property; not a speed measurement).
import { request as httpRequest } from "node:http";

export interface Answer {
  status: number;
  /** Header names lower-cased; repeated headers joined with ", " as node does. */
  headers: Record<string, string>;
  body: string;
}

export function send(
  url: string,
  headers: Record<string, string> = {},
  options: { method?: string; noAnswerAfterMs?: number } = {},
): Promise<Answer> {
  const limit = options.noAnswerAfterMs ?? 10_000;
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? "GET", headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        clearTimeout(timer);
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers))
          out[name] = Array.isArray(value) ? value.join(", ") : `${value}`;
        resolve({ status: response.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString("utf8") });
      });
      response.on("error", reject);
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer from ${url} within ${limit} ms: the request was left hanging`));
    }, limit);
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}

/** Polls `probe` until it returns a value that is not undefined; fails after `limitMs` with `what`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  limitMs = 30_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting (${limitMs} ms) for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Sends the request until Envoy answers it 200 and returns that answer: keys reach the workers some
 * time after the key server is right again, so the first requests may still be refused.
 */
export function eventuallyGranted(
  what: string,
  url: string,
  headers: Record<string, string>,
  limitMs: number,
  everyMs: number,
  options: { noAnswerAfterMs?: number } = {},
): Promise<Answer> {
  return eventually(
    what,
    async () => {
      const answer = await send(url, headers, options);
      return answer.status === 200 ? answer : undefined;
    },
    limitMs,
    everyMs,
  );
}
