import { describe, expect, it } from 'vitest';
import { openDelimited, splitLines } from '../../../../../electron/engine/import/readers/delimited';
import { DEFAULT_LIMITS } from '../../../../../electron/engine/import/readers/types';

describe('openDelimited', () => {
  it('splits lines of any width into their cells, whatever the line before held', () => {
    const lines = ['a,b,c', 'd,e,f,g,h', 'i,', 'j,k,l,m,n', 'o', '"p,q",r', ',,', 's,t,u,v,w,x'];
    const file = openDelimited(Buffer.from(`${lines.join('\r\n')}\r\n`), DEFAULT_LIMITS);
    const rows = [...file.table.rows()];
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.map((r) => r.cells)).toEqual([
      ...lines.slice(0, 5).map((l) => l.split(',')),
      ['p,q', 'r'],
      ...lines.slice(6).map((l) => l.split(',')),
    ]);
  });
});

describe('splitLines', () => {
  const line = (i: number) => `2026-11-05 10:00:00,${100000000000 + i},示例便利店,12.30\r\n`;

  it('cuts after line feeds, numbers each part by its first line, and covers every byte once', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => line(i)).join('');
    const bytes = Buffer.from(text);
    const parts = splitLines(bytes, 100_000, ',');
    expect(parts.length).toBeGreaterThan(3);
    expect(parts[0]!.start).toBe(0);
    expect(parts.at(-1)!.end).toBe(bytes.length);
    for (let k = 1; k < parts.length; k++) {
      const { start, line: first } = parts[k]!;
      expect(start).toBe(parts[k - 1]!.end);
      expect(bytes[start - 1]).toBe(0x0a);
      // The part's first line is the line the file has there.
      const expected = line(first - 1);
      expect(bytes.subarray(start, start + Buffer.byteLength(expected)).toString()).toBe(expected);
    }
  });

  it('never cuts inside a quoted field, even one holding line breaks', () => {
    const quoted = `2026-11-05 10:00:00,1,"${'多行\n'.repeat(40_000)}",1.00\n`;
    const text = line(0) + quoted + Array.from({ length: 8_000 }, (_, i) => line(i + 1)).join('');
    const bytes = Buffer.from(text);
    const parts = splitLines(bytes, 1_000, ',');
    const quoteEnd = Buffer.byteLength(line(0) + quoted);
    for (const p of parts.slice(1))
      expect(p.start <= Buffer.byteLength(line(0)) || p.start >= quoteEnd).toBe(true);
    expect(parts[1]!.start).toBe(quoteEnd);
    expect(parts[1]!.line).toBe(1 + 1 + 40_000 + 1);
  });

  it('reads quotes as the reader does: a quote inside a cell is text, "" inside a field is a quote', () => {
    // After `5" screen` a count of quotes would think every later line feed is inside a field.
    const stray = `2026-11-05 09:00:00,7,5" screen,1.00\n`;
    const field = `2026-11-05 10:00:00,1,"a ""b""\n${'多行\n'.repeat(40_000)}",1.00\n`;
    const head = line(0) + stray;
    const text = head + field + Array.from({ length: 8_000 }, (_, i) => line(i + 1)).join('');
    const bytes = Buffer.from(text);
    const parts = splitLines(bytes, 1_000, ',');
    const fieldEnd = Buffer.byteLength(head + field);
    // The head is shorter than a part: no cut before the field, none inside it, cuts after it.
    expect(parts.filter((p) => p.start > 0 && p.start <= Buffer.byteLength(head))).toHaveLength(0);
    expect(parts[1]!.start).toBe(fieldEnd);
    expect(parts[1]!.line).toBe(2 + 1 + 40_001 + 1);
    expect(parts.length).toBeGreaterThan(100);
  });

  it('after a stray quote, still cuts between plain lines and never inside a later quoted field', () => {
    const plain = (from: number, n = 50) => Array.from({ length: n }, (_, i) => line(from + i)).join('');
    const head = `${plain(0)}2026-11-05 09:00:00,7,5" screen,1.00\n${plain(50)}`;
    const field = `2026-11-05 10:00:00,1,"a ""b""\n${'多行\n'.repeat(40_000)}",1.00\n`;
    const text = head + field + plain(100, 2_000);
    const parts = splitLines(Buffer.from(text), 1_000, ',');
    const headEnd = Buffer.byteLength(head);
    const fieldEnd = Buffer.byteLength(head + field);
    expect(Buffer.byteLength(head)).toBeGreaterThan(5_000);
    expect(parts.filter((p) => p.start > 0 && p.start <= headEnd).length).toBeGreaterThan(2);
    for (const p of parts) expect(p.start <= headEnd || p.start >= fieldEnd).toBe(true);
    expect(parts.some((p) => p.start === fieldEnd)).toBe(true);
  });

  it('leaves a short tail with the part before it, so a footer block is never cut in two', () => {
    // 224,000 bytes in parts of 100,000: a third part would hold only the last 24,000 bytes.
    const bytes = Buffer.from(Array.from({ length: 4_000 }, (_, i) => line(i)).join(''));
    expect(bytes.length).toBe(224_000);
    const parts = splitLines(bytes, 100_000, ',');
    expect(parts).toHaveLength(2);
    const last = parts.at(-1)!;
    expect(last.end).toBe(bytes.length);
    expect(last.end - last.start).toBeGreaterThanOrEqual(64 * 1024);
  });
});
