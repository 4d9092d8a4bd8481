// SPDX-License-Identifier: Apache-2.0
// AssemblyScript compiler transform: refuses a build in which a context overrides a hook whose
// proxy-wasm callback the module does not export.
//
// Why: a filter may re-export only the callbacks it needs (core's assembly/callbacks/*, see
// assembly/exports.ts), because Envoy's host skips a callback the module does not export and each
// one it calls costs CPU per request. A hook without its export would never run, and asc would not
// say so: it compiles only what the exports reach, so the override is dropped as unreachable. This
// check runs after the program is initialized (every class and export known, nothing compiled yet)
// and over-approximates on purpose: any class in the program deriving from core's StreamContext,
// RootContext or HttpCallHandler that declares a hook needs that hook's callback exported, whether
// or not the filter ever creates it.
import { ElementKind, SourceKind } from "assemblyscript";

/** Hook method -> callback export and the core module that holds it, by core base class. */
const STREAM_HOOKS = {
  onRequestHeaders: "request_headers",
  onRequestBody: "request_body",
  onRequestTrailers: "request_trailers",
  onResponseHeaders: "response_headers",
  onResponseBody: "response_body",
  onResponseTrailers: "response_trailers",
  onLog: "log",
  onDone: "done",
};
const ROOT_HOOKS = {
  onTick: "tick",
  onQueueReady: "queue_ready",
  onForeignFunction: "foreign_function",
  onLog: "log",
  onDone: "done",
};
const CALLOUT_HOOKS = { onHttpCallResponse: "http_call_response" };

/** Core's base classes by the end of their internal name (core as a package or core's own sources). */
const BASES = [
  { suffix: "context/stream/StreamContext", hooks: STREAM_HOOKS },
  { suffix: "context/root/RootContext", hooks: ROOT_HOOKS },
  { suffix: "context/callouts/HttpCallHandler", hooks: CALLOUT_HOOKS },
];
const CORE_PREFIXES = ["~lib/@getwild/core/assembly/", "assembly/"];

function isCoreBase(prototype, suffix) {
  return CORE_PREFIXES.some((prefix) => prototype.internalName === prefix + suffix);
}

/** The core base `prototype` derives from (itself excluded), or null. */
function coreBaseOf(prototype) {
  for (let base = prototype.basePrototype; base !== null; base = base.basePrototype) {
    const found = BASES.find((b) => isCoreBase(base, b.suffix));
    if (found) return found;
  }
  return null;
}

/** Every class prototype in the program, also those in namespaces. */
function* classPrototypes(program) {
  const seen = new Set();
  for (const element of program.elementsByName.values()) {
    if (element.kind !== ElementKind.ClassPrototype || seen.has(element)) continue;
    seen.add(element);
    yield element;
  }
}

function exportedByEntries(program, name) {
  for (const file of program.filesByName.values()) {
    if (file.source.sourceKind === SourceKind.UserEntry && file.lookupExport(name) !== null) return true;
  }
  return false;
}

/** The missing exports as messages, one per (class, hook); empty when the build is sound. */
export function missingCallbackExports(program) {
  const problems = [];
  for (const prototype of classPrototypes(program)) {
    const base = coreBaseOf(prototype);
    if (base === null || prototype.instanceMembers === null) continue;
    for (const [hook, module] of Object.entries(base.hooks)) {
      if (!prototype.instanceMembers.has(hook)) continue;
      const callback = `proxy_on_${module}`;
      if (exportedByEntries(program, callback)) continue;
      problems.push(
        `${prototype.internalName} overrides ${hook}, but the module does not export ${callback}, so it would never run: ` +
          `add \`export * from "@getwild/core/assembly/callbacks/${module}";\` to the entry file ` +
          `(or re-export all callbacks: \`export * from "@getwild/core/assembly/exports";\`)`,
      );
    }
  }
  return problems;
}

export default class CallbackExports {
  afterInitialize(program) {
    const problems = missingCallbackExports(program);
    if (problems.length === 0) return;
    const error = new Error(`getwild callback check:\n  ${problems.join("\n  ")}`);
    error.stack = error.message; // asc prints the stack: the message is the whole story
    throw error;
  }
}
