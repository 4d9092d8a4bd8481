// SPDX-License-Identifier: Apache-2.0
// The substring dictionary of the literal pool (literal_pool.mjs): up to 128 pieces of text that
// recur across a build's ASCII literals ("must be ", "provider", "jwt_authn", ", got "...), so a
// record stores each occurrence as one byte (0x80 + its index) instead of its characters.
//
// Why: a JWT filter's literals are configuration messages and field names in one vocabulary; coding
// their common pieces once cut their bytes by about a third (measured on firebase-jwt and
// jwt-authn when this was written). ASCII text never holds a byte over 0x7f, so the two never mix.
//
// The dictionary is chosen at parse time, from every literal of the sources asc parsed, before
// knowing which ones compiled code will use; a piece pays only where it recurs often enough across
// all of them. The choice is greedy and deterministic (the same sources give the same module).

/** Codes 0x80..0xff name a dictionary entry. */
const MAX_ENTRIES = 128;
const MIN_PIECE = 2;
const MAX_PIECE = 16;
/** Bytes a new entry must save, net of its own length byte and text, to be worth adding. */
const MIN_GAIN = 3;

/** Bytes saved by an entry `piece` that occurs `count` times: each occurrence shrinks to one byte. */
function gain(piece, count) {
  return count * (piece.length - 1) - (piece.length + 1);
}

/** Adds `sign` to the count of every piece of `run`. */
function countPieces(counts, run, sign) {
  for (let length = MIN_PIECE; length <= Math.min(MAX_PIECE, run.length); length++) {
    for (let i = 0; i + length <= run.length; i++) {
      const piece = run.slice(i, i + length);
      const count = counts.get(piece);
      if (count !== undefined) counts.set(piece, count + sign);
      else if (sign > 0) counts.set(piece, sign);
    }
  }
}

/**
 * Picks the entries for `texts` (ASCII strings): each round takes the piece that saves most across
 * the text not yet covered, then covers its occurrences. Counts only fall as text gets covered, so
 * a piece that cannot pay is dropped for good.
 */
export function buildDictionary(texts) {
  const counts = new Map();
  let runs = texts.filter((t) => t.length >= MIN_PIECE);
  for (const run of runs) countPieces(counts, run, 1);
  const entries = [];
  while (entries.length < MAX_ENTRIES) {
    let best = null;
    let bestGain = MIN_GAIN - 1;
    for (const [piece, count] of counts) {
      const g = gain(piece, count);
      if (g < MIN_GAIN) counts.delete(piece);
      else if (g > bestGain || (g === bestGain && piece < best)) {
        best = piece;
        bestGain = g;
      }
    }
    if (best === null) break;
    entries.push(best);
    counts.delete(best);
    const next = [];
    for (const run of runs) {
      if (!run.includes(best)) {
        next.push(run);
        continue;
      }
      countPieces(counts, run, -1);
      for (const rest of run.split(best)) {
        if (rest.length < MIN_PIECE) continue;
        countPieces(counts, rest, 1);
        next.push(rest);
      }
    }
    runs = next;
  }
  return entries;
}

/** `text` (ASCII) as bytes: the longest entry that matches at each position as 0x80 + its index. */
export function encodeWithDictionary(text, entries) {
  const out = [];
  for (let i = 0; i < text.length;) {
    let best = -1;
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e];
      if ((best < 0 || entry.length > entries[best].length) && text.startsWith(entry, i)) best = e;
    }
    if (best >= 0) {
      out.push(0x80 + best);
      i += entries[best].length;
    } else out.push(text.charCodeAt(i++));
  }
  return out;
}
