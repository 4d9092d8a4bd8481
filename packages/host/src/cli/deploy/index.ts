// SPDX-License-Identifier: Apache-2.0
// @getwild/host/deploy: the tools behind `getwild check` and `getwild oci`, and the pieces behind them.
export { runCheck, checkModule, formatCheck, importHints, CHECK_USAGE } from "./check.js";
export type { CheckReport } from "./check.js";
export { checkConfig, formatConfigVerdict, readConfigFile } from "./check_config.js";
export type { ConfigVerdict } from "./check_config.js";
export { runOci, writeOciLayout, OCI_USAGE } from "./oci.js";
export {
  buildOciImage,
  layoutEntries,
  reproducibleGzip,
  sha256Digest,
  MEDIA_TYPE,
  VARIANT_ANNOTATION,
  REF_NAME_ANNOTATION,
  PLUGIN_FILE,
} from "./oci_image.js";
export type { OciImage, OciImageOptions, Descriptor } from "./oci_image.js";
export { writeTar } from "./tar.js";
export type { TarEntry } from "./tar.js";
// One exit-code table for every getwild command (errors.ts), and where commands print.
export { ExitCode } from "../errors.js";
export type { ExitCodeValue } from "../errors.js";
export { processIo } from "../io.js";
export type { CommandIo } from "../io.js";
