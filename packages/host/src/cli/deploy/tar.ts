// SPDX-License-Identifier: Apache-2.0
// A minimal ustar (POSIX.1-1988) writer: regular files and directories, fixed owner and mtime, so the same input always gives the same bytes.

export interface TarEntry {
  /** Path inside the archive, "/"-separated; directories end with "/". */
  name: string;
  /** File content; absent for directories. */
  data?: Uint8Array;
  /** Permission bits (default 0o644 for files, 0o755 for directories). */
  mode?: number;
}

const BLOCK = 512;
const encoder = new TextEncoder();

/** Writes `value` as zero-padded octal in `width - 1` digits plus a NUL, as ustar numeric fields are. */
function putOctal(header: Uint8Array, offset: number, width: number, value: number): void {
  const digits = value.toString(8).padStart(width - 1, "0");
  if (digits.length > width - 1) throw new RangeError(`tar: ${value} does not fit a ${width}-byte field`);
  header.set(encoder.encode(digits), offset);
  header[offset + width - 1] = 0;
}

function putText(header: Uint8Array, offset: number, width: number, text: string): void {
  const bytes = encoder.encode(text);
  if (bytes.length > width) throw new RangeError(`tar: "${text}" is longer than ${width} bytes`);
  header.set(bytes, offset);
}

/** Splits a long path into ustar's prefix (≤155 bytes) and name (≤100 bytes) at a "/". */
function splitPath(path: string): [prefix: string, name: string] {
  if (encoder.encode(path).length <= 100) return ["", path];
  for (let cut = path.lastIndexOf("/", path.length - 2); cut > 0; cut = path.lastIndexOf("/", cut - 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) return [prefix, name];
  }
  throw new RangeError(`tar: path too long for ustar: ${path}`);
}

function header(entry: TarEntry, mtime: number): Uint8Array {
  const isDir = entry.name.endsWith("/");
  const size = isDir ? 0 : (entry.data?.length ?? 0);
  const h = new Uint8Array(BLOCK);
  const [prefix, name] = splitPath(entry.name);
  putText(h, 0, 100, name);
  putOctal(h, 100, 8, entry.mode ?? (isDir ? 0o755 : 0o644));
  putOctal(h, 108, 8, 0); // uid
  putOctal(h, 116, 8, 0); // gid
  putOctal(h, 124, 12, size);
  putOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  h[156] = isDir ? 0x35 /* '5' */ : 0x30; /* '0' */
  putText(h, 257, 6, "ustar\0");
  putText(h, 263, 2, "00");
  putText(h, 265, 32, "root");
  putText(h, 297, 32, "root");
  putOctal(h, 329, 8, 0); // devmajor
  putOctal(h, 337, 8, 0); // devminor
  putText(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  putOctal(h, 148, 7, sum); // six digits and a NUL ...
  h[155] = 0x20; // ... then a space, as tar(1) writes it
  return h;
}

/** The archive: each entry's header, its data padded to 512 bytes, then two zero blocks. */
export function writeTar(entries: readonly TarEntry[], mtime = 0): Uint8Array {
  let total = 2 * BLOCK;
  for (const e of entries)
    total += BLOCK + Math.ceil((e.name.endsWith("/") ? 0 : (e.data?.length ?? 0)) / BLOCK) * BLOCK;
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out.set(header(e, mtime), at);
    at += BLOCK;
    if (!e.name.endsWith("/") && e.data) {
      out.set(e.data, at);
      at += Math.ceil(e.data.length / BLOCK) * BLOCK;
    }
  }
  return out; // the remaining two blocks are already zero
}
