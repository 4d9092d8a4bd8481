// SPDX-License-Identifier: Apache-2.0
// firebase-jwt: the article's first filter, working. Firebase ID tokens are verified in the proxy
// with Google's securetoken keys (fetched once per proxy through the `googleapis` cluster, cached
// for their Cache-Control max-age); granted requests are counted; everything else gets a 401/403
// at once, never a request left hanging. The configuration is plugin-config.json.
import { Counter, RootContext, registerRootContext } from "@getwild/core/assembly";
import { JwtAuthnRoot, JwtAuthnStream } from "@getwild/jwt/assembly/filter";
// Only the callbacks JwtAuthn's hooks need: request headers, the tick (counters, key refresh) and
// callout replies (JWKS fetches). Envoy skips the others, so a request crosses into the VM three
// times (create, request headers, delete); core's build check refuses a hook left without its callback.
export * from "@getwild/core/assembly/callbacks/required";
export * from "@getwild/core/assembly/callbacks/request_headers";
export * from "@getwild/core/assembly/callbacks/tick";
export * from "@getwild/core/assembly/callbacks/http_call_response";

class FirebaseRoot extends JwtAuthnRoot {
  /** Requests that carried a valid Firebase ID token (or needed none) and went on upstream. */
  granted: Counter | null = null;

  onConfigure(size: u32): bool {
    if (!super.onConfigure(size)) return false;
    this.granted = new Counter("firebase_jwt.granted");
    return true;
  }

  onAllowed(stream: JwtAuthnStream): void {
    this.granted!.increment();
  }
}

registerRootContext((id: u32): RootContext => new FirebaseRoot(id), "firebase-jwt");
