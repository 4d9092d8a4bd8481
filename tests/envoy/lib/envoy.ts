// SPDX-License-Identifier: Apache-2.0
// Starting an example in Envoy from a test: the example's envoy.yaml with the allowed rewrites, and a
// check that nothing else was changed. `envoyIt`/`envoyDescribe` skip when the global setup found no
// Envoy (only possible outside CI).
import { describe, inject } from "vitest";
import { startEnvoy, type EnvoyProcess, type StartEnvoyOptions } from "@getwild/host/envoy";
import { disallowedChanges, loadExampleBootstrap, rewriteBootstrap, type Rewrites } from "./bootstrap";

export function envoyPath(): string {
  return inject("envoyPath");
}

/** describe() that is skipped when there is no Envoy. */
export const envoyDescribe = (name: string, body: () => void) => describe.skipIf(envoyPath() === "")(name, body);

export interface ExampleInEnvoy {
  envoy: EnvoyProcess;
  /** http://127.0.0.1:PORT of the example's listener. */
  url: string;
}

export async function startExample(
  example: string,
  rewrites: Rewrites = {},
  options: Partial<Omit<StartEnvoyOptions, "envoy" | "bootstrap">> = {},
): Promise<ExampleInEnvoy> {
  const original = loadExampleBootstrap(example);
  const bootstrap = rewriteBootstrap(example, original, rewrites);
  if (rewrites.pluginConfiguration === undefined) {
    const extra = disallowedChanges(original, bootstrap);
    if (extra.length > 0)
      throw new Error(`the test changed ${example}/envoy.yaml beyond ports, endpoints and paths: ${extra.join(", ")}`);
  }
  const envoy = await startEnvoy({ envoy: envoyPath(), bootstrap, ...options });
  return { envoy, url: await envoy.url() };
}
