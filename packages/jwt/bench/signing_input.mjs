// SPDX-License-Identifier: Apache-2.0
// A Firebase-sized JWS signing input (~900 bytes: base64url header "." base64url claims), shared by
// the hash and RSA benchmarks so every case signs the same bytes.
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");

export function signingInput(alg) {
  const header = { alg, kid: "7c309e3a1c1999cb0404ab7125ee40b7cdbcaf7d", typ: "JWT" };
  const claims = {
    name: "Alexandra Example-Longname",
    picture: "https://lh3.googleusercontent.com/a/ACg8ocK2Zx7nQpFv3mR8sT1uW4yB6dE9hJ0kL2nP5qS7tV_xYz=s96-c",
    iss: "https://securetoken.google.com/getwild-demo-project",
    aud: "getwild-demo-project",
    auth_time: 1764000000,
    user_id: "Xq3Lr9TmVb2NcP8wKd4HsF6Gj1Ay",
    sub: "Xq3Lr9TmVb2NcP8wKd4HsF6Gj1Ay",
    iat: 1764000100,
    exp: 1764003700,
    email: "alexandra.example-longname@example.com",
    email_verified: true,
    firebase: {
      identities: { "google.com": ["108239451234567890123"], email: ["alexandra.example-longname@example.com"] },
      sign_in_provider: "google.com",
    },
  };
  return Buffer.from(`${b64(header)}.${b64(claims)}`, "ascii");
}
