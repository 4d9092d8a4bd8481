// SPDX-License-Identifier: Apache-2.0
// Test entry: JwtAuthn configured in code with the firebase("demo-project") preset (no JSON).
import { RootContext, registerRootContext } from "@getwild/core/assembly";
import { JwtAuthnRoot, ConfigResult, FilterConfig, firebase } from "../../assembly/filter";
export * from "@getwild/core/assembly/exports";

class FirebaseInCode extends JwtAuthnRoot {
  buildConfig(pluginConfiguration: string): ConfigResult {
    return new ConfigResult(FilterConfig.single(firebase("demo-project")), "");
  }
}

registerRootContext((id: u32): RootContext => new FirebaseInCode(id), "firebase_code");
