// SPDX-License-Identifier: Apache-2.0
// A trap raised by the host itself (a restricted callback, the memory limit), handled like a wasm trap.

export class HostTrap extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HostTrap";
  }
}
