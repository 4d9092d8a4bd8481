// SPDX-License-Identifier: Apache-2.0
// Package root for `import ... from "@getwild/core"` (asc ignores `ascMain`): the public API.
export * from "./assembly/index";
