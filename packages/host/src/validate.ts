// SPDX-License-Identifier: Apache-2.0
// Load-time validation in proxy-wasm-cpp-host's order and words: ABI marker, imports (names and types), allocator, callback export types.
import {
  parseWasm,
  formatSignature,
  sameSignature,
  WasmParseError,
  type FuncType,
  type ParsedModule,
} from "./wasm_parser.js";
import { hostImportType, KNOWN_EXPORTS, ABI_MARKERS, type WasiSet } from "./registry.js";

export interface ValidatedImport {
  module: string;
  name: string;
  kind: string;
  /** "i32 i32 -> i32" for functions. */
  signature?: string;
  /** Whether the host (Envoy/cpp-host) provides it with this exact signature. */
  provided: boolean;
}

export interface ValidatedExport {
  name: string;
  kind: string;
  signature?: string;
}

export interface ValidationResult {
  ok: boolean;
  /** Messages as Envoy/cpp-host logs them; the first one is what Envoy would report. */
  errors: string[];
  abiVersion: string | null;
  imports: ValidatedImport[];
  exports: ValidatedExport[];
}

export interface ValidateOptions {
  /** WASI functions linked: cpp-host HEAD's set as in Envoy 1.40 (default), or "stable" (Envoy before 1.33). */
  wasi?: WasiSet;
}

export const MSG_CORRUPTED = "Failed to parse corrupted Wasm module";
export const MSG_ABI = "Missing or unknown Proxy-Wasm ABI version";
export const MSG_MALLOC = "Wasm module is missing malloc function.";
export const MSG_BYTECODE = "Failed to load Wasm bytecode";

/**
 * Validates a module the way cpp-host loads it into Envoy. Never throws: malformed input yields
 * `ok: false` with "Failed to parse corrupted Wasm module".
 */
export function validateModule(bytes: Uint8Array | ArrayBuffer, options: ValidateOptions = {}): ValidationResult {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const result: ValidationResult = { ok: false, errors: [], abiVersion: null, imports: [], exports: [] };
  let parsed: ParsedModule;
  try {
    parsed = parseWasm(data);
  } catch (e) {
    result.errors.push(e instanceof WasmParseError ? `${MSG_CORRUPTED}: ${e.message}` : MSG_CORRUPTED);
    return result;
  }
  result.exports = parsed.exports.map((e) => ({
    name: e.name,
    kind: e.kind,
    signature: e.type ? formatSignature(e.type) : undefined,
  }));
  const functions = new Map<string, FuncType>();
  for (const e of parsed.exports) if (e.kind === "function" && e.type) functions.set(e.name, e.type);

  for (const [marker, version] of Object.entries(ABI_MARKERS)) {
    if (functions.has(marker)) result.abiVersion = version;
  }
  if (result.abiVersion === null) {
    result.errors.push(MSG_ABI);
  } else if (result.abiVersion === "0.1.0") {
    result.errors.push("Proxy-Wasm ABI version 0.1.0 is not supported by @getwild/host (Envoy still loads it)");
  }

  try {
    new WebAssembly.Module(data as BufferSource);
  } catch (e) {
    result.errors.push(`${MSG_BYTECODE}: ${(e as Error).message}`);
  }

  for (const imp of parsed.imports) {
    const entry: ValidatedImport = { module: imp.module, name: imp.name, kind: imp.kind, provided: false };
    if (imp.kind === "function" && imp.type) {
      entry.signature = formatSignature(imp.type);
      const host = hostImportType(imp.module, imp.name, options.wasi);
      if (!host) {
        result.errors.push(`Failed to load Wasm module due to a missing import: ${imp.module}.${imp.name}`);
      } else if (!sameSignature(imp.type, host)) {
        result.errors.push(
          `Failed to load Wasm module due to an import type mismatch: ${imp.module}.${imp.name}, ` +
            `want: ${formatSignature(imp.type)}, but host exports: ${formatSignature(host)}`,
        );
      } else {
        entry.provided = true;
      }
    } else if (imp.kind === "global") {
      // cpp-host cannot link imported globals and reports them as missing imports.
      result.errors.push(`Failed to load Wasm module due to a missing import: ${imp.module}.${imp.name}`);
    } else {
      entry.provided = true; // memories and tables are created by the host on demand
    }
    result.imports.push(entry);
  }

  const seenInit = functions.has("_initialize");
  for (const [name, want] of KNOWN_EXPORTS) {
    // cpp-host only looks up main/__main_void after _initialize, and _start without it.
    if ((name === "main" || name === "__main_void") && !seenInit) continue;
    if (name === "_start" && seenInit) continue;
    const have = functions.get(name);
    if (name === "proxy_on_memory_allocate" && !have && !functions.has("malloc")) result.errors.push(MSG_MALLOC);
    if (!have) continue;
    if (!sameSignature(have, want)) {
      result.errors.push(
        `Bad function signature for: ${name}, want: ${formatSignature(want)}, but the module exports: ${formatSignature(have)}`,
      );
    }
  }
  result.ok = result.errors.length === 0;
  return result;
}
