import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountTable } from '../../../../electron/engine/store/count-table';

describe('CountTable', () => {
  it('counts like a Map, through growth and for the key 0', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.integer({ min: 0, max: 50 })),
          { maxLength: 300_000 },
        ),
        (keys) => {
          const table = new CountTable();
          const map = new Map<number, number>();
          for (const k of keys) {
            const seen = map.get(k) ?? 0;
            expect(table.next(k)).toBe(seen);
            map.set(k, seen + 1);
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});
