// SPDX-License-Identifier: Apache-2.0
// Which root ids a module registered, for the error of a wrong `--root-id`.
//
// A host cannot ask: registerRootContext runs in the module's start function and only stores the
// factory in the guest's memory (no host call is allowed there), and proxy-wasm has no call that lists
// them. What the host does see is the guest asking for `plugin_root_id` when the root context is
// created, and, with @getwild/core, the critical log "no root context registered for root_id ..." when
// none matches. So the ids are found by trying: every string literal of the module's data segments
// (where a literal root id lives) is offered as the root id to a throw-away VM, and the ones that do not
// produce that log are registered. An id built at run time, or a module of another SDK, is not found;
// the caller then says so.
import { HostCore } from "./host_core.js";
import { parseWasm } from "./wasm_parser.js";

/** What @getwild/core logs when no registered root context matches the host's root id. */
export const UNREGISTERED_ROOT_LOG = /no root context registered for root_id/;
/** Bounds the work on a huge module; root ids are short literals. */
const MAX_CANDIDATES = 4000;
const MAX_LENGTH = 128;

function readLeb(bytes: Uint8Array, at: { pos: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at.pos++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7;
  }
}

/** The bytes of every data segment (active or passive). */
function dataSegments(wasm: Uint8Array): Uint8Array[] {
  const segments: Uint8Array[] = [];
  const at = { pos: 8 };
  while (at.pos < wasm.length) {
    const id = wasm[at.pos++]!;
    const size = readLeb(wasm, at);
    const end = at.pos + size;
    if (id === 11) {
      const count = readLeb(wasm, at);
      for (let i = 0; i < count && at.pos < end; i++) {
        const flags = readLeb(wasm, at);
        if (flags === 2) readLeb(wasm, at); // memory index
        if (flags !== 1) {
          // the offset expression: one instruction (i32.const, i64.const or global.get with a LEB
          // immediate, whose bytes may equal the `end` opcode), then `end`
          at.pos++;
          readLeb(wasm, at);
          at.pos++;
        }
        const length = readLeb(wasm, at);
        segments.push(wasm.subarray(at.pos, at.pos + length));
        at.pos += length;
      }
    }
    at.pos = end;
  }
  return segments;
}

const printable = (c: number) => c > 0x20 && c < 0x7f;

/** Printable ASCII runs as UTF-16LE (AssemblyScript strings) and as UTF-8 (other SDKs). */
export function stringLiterals(wasm: Uint8Array): string[] {
  const found = new Set<string>();
  for (const seg of dataSegments(wasm)) {
    for (const step of [1, 2]) {
      for (let phase = 0; phase < step; phase++) {
        let run = "";
        for (let i = phase; i < seg.length; i += step) {
          const c = seg[i]!;
          // Optimised modules drop trailing zero bytes from segments (memory starts zeroed), so a
          // string's last UTF-16 unit may end with the segment: a missing byte is a zero.
          const ok = printable(c) && (step === 1 || (seg[i + 1] ?? 0) === 0);
          if (ok) run += String.fromCharCode(c);
          if (!ok || i + step >= seg.length) {
            if (run.length > 0 && run.length <= MAX_LENGTH && (step === 2 || run.length >= 2)) found.add(run);
            run = "";
          }
        }
      }
    }
  }
  return [...found].slice(0, MAX_CANDIDATES);
}

/**
 * The root ids `wasm` registered, found as described above; null when the module does not say which
 * root ids it lacks (not built with @getwild/core), so probing cannot tell.
 */
export function registeredRootIds(wasm: Uint8Array, pluginConfig: Uint8Array | undefined): string[] | null {
  const module = new WebAssembly.Module(wasm as BufferSource);
  const parsed = parseWasm(wasm);
  const probe = (rootId: string): boolean | null => {
    const core = new HostCore({ wasm, rootId, pluginConfig, canary: false }, module, parsed);
    try {
      core.startVm("probe", -1);
    } catch {
      // a failed start still tells, through its log, whether a root matched
    }
    return core.logs.records.some((r) => UNREGISTERED_ROOT_LOG.test(r.message)) ? false : true;
  };
  // A module that does not log the marker for an id nobody registers cannot be probed this way.
  if (probe("\u0001getwild-probe-no-such-root-id") !== false) return null;
  const ids = stringLiterals(wasm).filter((candidate) => probe(candidate) === true);
  if (probe("") === true) ids.unshift("");
  return ids;
}

/** The message for a `--root-id` that matched nothing: the ids the module registered, or why they are unknown. */
export function rootIdHint(rootId: string, wasm: Uint8Array, pluginConfig: Uint8Array | undefined): string {
  const ids = registeredRootIds(wasm, pluginConfig);
  if (ids === null) return `--root-id "${rootId}" matches no root context of the module`;
  if (ids.length === 0)
    return `--root-id "${rootId}" matches no root context, and no literal root id was found in the module`;
  const quoted = ids.map((id) => JSON.stringify(id)).join(", ");
  return `--root-id "${rootId}" matches no root context; the module registered ${quoted}: pass --root-id ${ids[0] === "" ? '""' : ids[0]}`;
}
