// SPDX-License-Identifier: Apache-2.0
// Finds (or, once, installs) the Envoy that the `serve --envoy` suites run, before any test file starts, so
// that files running in parallel never install it side by side; they read the path with inject("envoyPath").
import type { TestProject } from "vitest/node";
import { envoyForTests } from "./envoy_binary.js";

export default function setup(project: TestProject): void {
  project.provide("envoyPath", envoyForTests("serve --envoy tests"));
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The Envoy binary, or "" when there is none (outside CI only; the suites then skip). */
    envoyPath: string;
  }
}
