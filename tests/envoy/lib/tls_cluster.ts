// SPDX-License-Identifier: Apache-2.0
// What an example's upstream TLS cluster expects of the server it reaches: the SNI it sends and the
// DNS names its SAN matcher accepts, read from the example's own envoy.yaml so the stand-in's
// certificate is made for the shipped file, not for a copy of its values.
import type { Bootstrap } from "./bootstrap";

export interface UpstreamTls {
  sni: string;
  /** `exact` values of the DNS entries of match_typed_subject_alt_names. */
  sanNames: string[];
  /** validation_context.trusted_ca.filename as shipped. */
  trustedCaFile: string | undefined;
}

export function upstreamTls(bootstrap: Bootstrap, clusterName: string): UpstreamTls {
  const cluster = (bootstrap.static_resources?.clusters ?? []).find((c: { name: string }) => c.name === clusterName);
  const tls = cluster?.transport_socket?.typed_config;
  if (tls === undefined) throw new Error(`cluster ${clusterName} has no TLS transport socket`);
  const validation = tls.common_tls_context?.validation_context ?? {};
  const matchers: Array<{ san_type?: string; matcher?: { exact?: string } }> =
    validation.match_typed_subject_alt_names ?? [];
  return {
    sni: tls.sni ?? "",
    sanNames: matchers
      .filter((m) => m.san_type === "DNS" && typeof m.matcher?.exact === "string")
      .map((m) => m.matcher!.exact!),
    trustedCaFile: validation.trusted_ca?.filename,
  };
}
