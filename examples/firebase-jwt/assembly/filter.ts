// SPDX-License-Identifier: Apache-2.0
// firebase-jwt: the article's first filter, working. Firebase ID tokens are verified in the proxy
// with Google's securetoken keys (fetched once per proxy through the `googleapis` cluster, cached
// for their Cache-Control max-age); granted requests are counted; everything else gets a 401/403
// at once, never a request left hanging. The configuration is plugin-config.json.
import { Counter, RootContext, registerRootContext } from "@getwild/core/assembly";
import { JwtAuthnRoot, JwtAuthnStream } from "@getwild/jwt/assembly/filter";
export * from "@getwild/core/assembly/exports";

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
