import { describe, expect, it } from 'vitest';
import { pickLang, progressLine } from '../../../electron/cli/output';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream, writes };
}

describe('pickLang', () => {
  it('prefers --lang, then POSRECON_LANG, then the locale', () => {
    expect(pickLang('en', { POSRECON_LANG: 'zh' })).toBe('en');
    expect(pickLang(undefined, { POSRECON_LANG: 'zh_CN.UTF-8', LANG: 'en_US' })).toBe('zh');
    expect(pickLang(undefined, { LANG: 'zh_CN.GBK' })).toBe('zh');
    expect(pickLang(undefined, { LANG: 'en_GB.UTF-8' })).toBe('en');
  });
});

describe('progressLine', () => {
  it('redraws one line on a terminal and clears it when done', () => {
    const { stream, writes } = fakeStream(true);
    const p = progressLine(stream);
    p.update('importing a.csv: 4,096 rows');
    p.update('too soon to redraw');
    p.done();
    expect(writes).toEqual(['\r\u001b[2Kimporting a.csv: 4,096 rows', '\r\u001b[2K']);
  });

  it('always shows a new stage, even right after the last redraw', () => {
    const { stream, writes } = fakeStream(true);
    const p = progressLine(stream);
    p.update('loading records…', true);
    p.update('matching 2,000,000 records', true);
    expect(writes).toEqual(['\r\u001b[2Kloading records…', '\r\u001b[2Kmatching 2,000,000 records']);
  });

  it('stays silent when output is not a terminal (scripts, CI logs)', () => {
    const { stream, writes } = fakeStream(false);
    const p = progressLine(stream);
    p.update('importing');
    p.done();
    expect(writes).toEqual([]);
  });
});
