// Records grouped by a key, for joins over a RecordTable. A Map keyed by text made a string and a
// map entry for each of a million records; here a record is three integers in typed arrays. The key
// is a 32-bit hash: lookups return the records whose hash is equal and the caller compares the
// real fields, so a hash collision costs a comparison, never a wrong match.

/** Folds a key part (an integer-valued number, which a table's keys and amounts are) into a hash. */
export function mix(hash: number, part: number): number {
  const lo = part >>> 0;
  const hi = (part / 4_294_967_296) | 0;
  let h = Math.imul(hash ^ lo, 0x9e3779b1);
  h = Math.imul(h ^ hi, 0x85ebca6b);
  return h ^ (h >>> 15);
}

/** Table rows by a hash of their key; `lookup` lists the rows of one hash in the order given. */
export class KeyIndex {
  private readonly heads: Int32Array;
  private readonly next: Int32Array;
  private readonly rows: Int32Array;
  private readonly hashes: Int32Array;
  private readonly shift: number;

  /** `hashOf` null: the row has no key and is left out. */
  constructor(rows: ArrayLike<number>, hashOf: (row: number) => number | null) {
    let bits = 4;
    while (1 << bits < rows.length * 2) bits++;
    this.shift = 32 - bits;
    this.heads = new Int32Array(1 << bits).fill(-1);
    this.next = new Int32Array(rows.length);
    this.rows = new Int32Array(rows.length);
    this.hashes = new Int32Array(rows.length);
    // Filled from the end, each entry put in front of its bucket: a bucket lists rows in order.
    for (let e = rows.length - 1; e >= 0; e--) {
      const row = rows[e]!;
      const h = hashOf(row);
      if (h === null) continue;
      const bucket = h >>> this.shift;
      this.rows[e] = row;
      this.hashes[e] = h;
      this.next[e] = this.heads[bucket]!;
      this.heads[bucket] = e;
    }
  }

  /** Writes the rows whose key hashes to `hash` into `out` (from 0) and returns how many. */
  lookup(hash: number, out: number[]): number {
    let n = 0;
    for (let e = this.heads[hash >>> this.shift]!; e !== -1; e = this.next[e]!) {
      if (this.hashes[e] === (hash | 0)) out[n++] = this.rows[e]!;
    }
    return n;
  }
}
