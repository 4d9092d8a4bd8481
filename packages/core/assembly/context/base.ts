// SPDX-License-Identifier: Apache-2.0
// What root and HTTP contexts share: the host-assigned context id.

/** A host context (root/plugin or HTTP stream), identified by the id the host gave it. */
export class BaseContext {
  constructor(public readonly id: u32) {}
}
