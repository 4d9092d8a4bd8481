// SPDX-License-Identifier: Apache-2.0
// Test entry: the JwtAuthn filter alone, registered for root_id "jwt_authn".
import { registerJwtAuthn } from "../../assembly/filter";
export * from "@getwild/core/assembly/exports";

registerJwtAuthn("jwt_authn");
