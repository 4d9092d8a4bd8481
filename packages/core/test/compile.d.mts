// SPDX-License-Identifier: Apache-2.0
// Types for compile.mjs (used by the TypeScript global setup and tests).
export const packageRoot: string;
export const fixtureOutDir: string;
export function compileWithDiagnostics(entry: string, target: "release", outFile: string): Promise<string>;
export function compileFixture(entry: string, target?: "release" | "debug"): Promise<string>;
export function compileAllFixtures(): Promise<void>;
