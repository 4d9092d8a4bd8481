// SPDX-License-Identifier: Apache-2.0
// Reads a provider's `oidc_discovery` (keys located through the issuer's discovery document,
// cache/discovery.ts). The cache settings are those of `remote_jwks` (readFetchPolicy, the same
// defaults and bounds); the location is not given, it is discovered.
import { ConfigReader, JsonValue, memberPath } from "@getwild/json/assembly";
import { RemoteJwksConfig } from "../cache/jwks_source";
import { readFetchPolicy, withFetchPolicy } from "./jwks_fetch_config";
import { N, named, namesFrom } from "./names";
import { DiscoveryConfig, HttpsLocation, OidcJwksSource, WELL_KNOWN, httpsLocation } from "../cache/discovery";

/** The fields `oidc_discovery` accepts: its own (a run of NAMES) and the fetch policy's. */
export function oidcFields(): Array<string> {
  return withFetchPolicy(namesFrom(N.Cluster, N.JwksCluster));
}

/** The provider's key source from `oidc_discovery` (object `v` at `path`); `issuers` are the provider's. */
export function readOidcDiscovery(r: ConfigReader, v: JsonValue, path: string, issuers: Array<string>): OidcJwksSource {
  const d = new DiscoveryConfig();
  d.cluster = r.nonEmpty(v, path, named(N.Cluster));
  if (!v.has(named(N.Cluster)))
    r.fail(memberPath(path, named(N.Cluster)), "is required (the Envoy cluster of the issuer's host)");
  d.jwksCluster = r.nonEmpty(v, path, named(N.JwksCluster));
  const provider = path.substring(0, path.lastIndexOf(".", i32.MAX_VALUE));
  if (issuers.length != 1) {
    r.fail(
      memberPath(provider, named(N.Issuer)),
      "oidc_discovery needs exactly one issuer (the discovery document is the issuer's)",
    );
  } else {
    d.issuer = unchecked(issuers[0]);
    const issuer = httpsLocation(d.issuer);
    if (issuer === null || d.issuer.includes("?")) {
      r.fail(
        memberPath(provider, named(N.Issuer)),
        "must be an https URL without query or fragment for oidc_discovery",
      );
    } else {
      // §4: the well-known path is appended to the issuer, without a trailing slash of its own.
      let base = issuer.path;
      if (base.endsWith("/", base.length)) base = base.substring(0, base.length - 1);
      d.location = new HttpsLocation(issuer.authority, base + WELL_KNOWN);
    }
  }
  const remote = new RemoteJwksConfig();
  readFetchPolicy(r, v, path, remote);
  return OidcJwksSource.discovered(d, remote);
}
