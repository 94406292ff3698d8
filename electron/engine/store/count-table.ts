/**
 * Counts occurrences of 53-bit integer keys: an open-addressing table over typed arrays, because a
 * Map with a million entries spends most of a bulk import in rehashing and garbage collection.
 */
export class CountTable {
  private keys: Float64Array;
  private counts: Uint32Array;
  private size = 0;

  /** `expected`: about how many keys will be counted, so that the table need not grow meanwhile. */
  constructor(expected = 0) {
    let slots = 1 << 16;
    while (slots < expected * 2) slots *= 2;
    this.keys = new Float64Array(slots);
    this.counts = new Uint32Array(slots);
  }

  /** Returns how often `key` was seen before, and counts this sighting. */
  next(key: number): number {
    // 0 marks an empty slot, so key 0 is stored as a value no hash53 returns (2^53).
    const k = key === 0 ? 2 ** 53 : key;
    const mask = this.keys.length - 1;
    let i = (k ^ (k / 4_294_967_296)) & mask;
    for (;;) {
      const at = this.keys[i]!;
      if (at === k) return this.counts[i]!++;
      if (at === 0) break;
      i = (i + 1) & mask;
    }
    this.keys[i] = k;
    this.counts[i] = 1;
    if (++this.size * 2 > this.keys.length) this.grow();
    return 0;
  }

  private grow(): void {
    const { keys, counts } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.counts = new Uint32Array(keys.length * 2);
    const mask = this.keys.length - 1;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j]!;
      if (k === 0) continue;
      let i = (k ^ (k / 4_294_967_296)) & mask;
      while (this.keys[i] !== 0) i = (i + 1) & mask;
      this.keys[i] = k;
      this.counts[i] = counts[j]!;
    }
  }
}
