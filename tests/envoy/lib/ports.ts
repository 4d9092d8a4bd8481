// SPDX-License-Identifier: Apache-2.0
// A loopback port for a cluster endpoint that must refuse connections.
import { createServer } from "node:net";

/** A loopback port that was free a moment ago and that nothing listens on (bound, then closed). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
