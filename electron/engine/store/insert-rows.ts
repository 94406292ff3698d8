import type { Db } from './database';

/**
 * Inserts `count` rows into `table`, `chunk` of them per execution of one multi-row statement (one
 * execution per row cost about twice as much over a million rows, by hand), the last few one by
 * one. `fill` writes row i's values, in `columns` order, into `params` from `at`: the caller's
 * loop writes into one array instead of making one per row.
 */
export function insertRows(
  db: Db,
  table: string,
  columns: readonly string[],
  count: number,
  chunk: number,
  fill: (params: unknown[], at: number, i: number) => void,
): void {
  const width = columns.length;
  const one = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const many = db.prepare(head + Array.from({ length: chunk }, () => one).join(','));
  const single = db.prepare(head + one);
  const params: unknown[] = new Array(chunk * width);
  let filled = 0;
  for (let i = 0; i < count; i++) {
    fill(params, filled * width, i);
    if (++filled === chunk) {
      many.run(params);
      filled = 0;
    }
  }
  for (let k = 0; k < filled; k++) single.run(params.slice(k * width, (k + 1) * width));
}
