// SPDX-License-Identifier: Apache-2.0
// @getwild/json: a bounded, strict JSON reader with no host dependency. It is its own package
// because both the host-free JOSE layer of @getwild/jwt and the filters' configuration readers
// need it, and the JOSE layer must not import @getwild/core.
export {
  JsonKind,
  JsonValue,
  JsonError,
  JsonLimits,
  JsonResult,
  jsonErrorMessage,
  parseJson,
  parseJsonText,
} from "./json";
export { ANY_LENGTH, ConfigReader, MAX_CONFIG_ERRORS, memberPath, itemPath, kindName } from "./reader";
