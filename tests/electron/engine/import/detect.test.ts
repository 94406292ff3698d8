import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { COMMON_ALIASES } from '../../../../electron/engine/import/aliases';
import {
  detectLayout,
  isFooterMarker,
  type Layout,
  matchingPresets,
} from '../../../../electron/engine/import/detect';
import { FIELDS, type Field } from '../../../../electron/engine/import/fields';
import { normalizeHeader } from '../../../../electron/engine/import/headers';
import { PRESETS, presetById } from '../../../../electron/engine/import/presets';
import type { RawCell, RawRow } from '../../../../electron/engine/import/readers/types';
import { allFixtures, type Fixture } from '../../../fixtures/files';

// A stand-in for the real readers, just enough to get rows out of the fixtures.

function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gbk');
  }
}

/** One line of comma-separated text, with "quoted, fields". */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function textRows(bytes: Buffer): RawRow[] {
  const lines = decodeText(bytes).split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => ({ row: i + 1, cells: splitCsvLine(line) }));
}

function sheetRows(ws: XLSX.WorkSheet): RawRow[] {
  const aoa = XLSX.utils.sheet_to_json<RawCell[]>(ws, {
    header: 1,
    raw: true,
    blankrows: true,
    defval: null,
  });
  return aoa.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => (c === undefined ? null : c)) }));
}

interface Read {
  rows: RawRow[];
  layout: Layout | null;
  sheet: string | null;
}

/** Rows of the fixture's table and the detected layout; for workbooks, the first sheet where a
 *  preset is recognised (else the first sheet with any layout). */
function read(f: Fixture, opts?: Parameters<typeof detectLayout>[1]): Read {
  if (/\.(csv|txt)$/i.test(f.name)) {
    const rows = textRows(f.bytes);
    return { rows, layout: detectLayout(rows.slice(0, 40), opts), sheet: null };
  }
  const wb = XLSX.read(f.bytes, { dense: true });
  let fallback: Read | null = null;
  for (const name of wb.SheetNames) {
    const rows = sheetRows(wb.Sheets[name]!);
    const layout = detectLayout(rows.slice(0, 40), opts);
    if (layout?.preset) return { rows, layout, sheet: name };
    if (layout && !fallback) fallback = { rows, layout, sheet: name };
  }
  return fallback ?? { rows: [], layout: null, sheet: null };
}

const isBlank = (cells: readonly RawCell[]) => cells.every((c) => c === null || String(c).trim() === '');

const fixtures = allFixtures();

describe('fixtures', () => {
  it('cover every preset exactly once', () => {
    expect(fixtures.map((f) => f.presetId).sort()).toEqual(PRESETS.map((p) => p.id).sort());
  });

  it('have unique ids and valid preset ids', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    for (const f of fixtures) expect(presetById(f.presetId)?.source).toBe(f.source);
  });
});

describe.each(fixtures.map((f) => [f.name, f] as const))('detectLayout on %s', (_name, f) => {
  const { rows, layout, sheet } = read(f);

  it('finds the preset, the header row and the source', () => {
    expect(layout).not.toBeNull();
    expect(layout!.preset?.id).toBe(f.presetId);
    expect(layout!.headerRow).toBe(f.headerRow);
    expect(rows[layout!.headerIndex]!.row).toBe(f.headerRow);
    expect(layout!.source).toBe(f.source);
    expect(layout!.amountUnit).toBe(f.presetId === 'leshua' ? 'fen' : 'yuan');
    if (f.sheet) expect(sheet).toBe(f.sheet);
  });

  it('is matched fully by no other preset', () => {
    expect(matchingPresets(layout!.headers).map((p) => p.id)).toEqual([f.presetId]);
  });

  it('maps the key fields', () => {
    const c = layout!.columns;
    if (f.source === 'statement') {
      expect(c.amount !== undefined || (c.credit !== undefined && c.debit !== undefined)).toBe(true);
      expect(c.txnDateTime !== undefined || c.txnDate !== undefined).toBe(true);
    } else {
      expect(c.amount).toBeDefined();
      expect(c.txnDateTime !== undefined || (c.txnDate !== undefined && c.txnTime !== undefined)).toBe(true);
    }
    const headerSet = new Set(layout!.headers);
    if (headerSet.has('参考号') || headerSet.has('检索参考号')) expect(c.rrn).toBeDefined();
    if (f.expected.some((e) => e.trace !== undefined)) expect(c.trace).toBeDefined();
    if (f.expected.some((e) => e.clearDate !== undefined)) expect(c.clearDate).toBeDefined();
    if (f.expected.some((e) => e.counterparty !== undefined)) expect(c.counterparty).toBeDefined();
    if (f.expected.some((e) => e.txnType !== undefined)) expect(c.txnType).toBeDefined();
    if (f.expected.some((e) => e.status !== undefined) && f.presetId !== 'wechat-trade')
      expect(c.status).toBeDefined();
  });

  it('fills in from the common aliases only fields this kind of record has', () => {
    const c = layout!.columns;
    if (f.source === 'statement') {
      for (const field of ['trace', 'rrn', 'batch', 'txnType', 'status', 'cardNo'] as const)
        expect(c[field]).toBeUndefined();
    } else {
      for (const field of ['credit', 'debit', 'balance', 'counterparty', 'counterpartyAccount'] as const) {
        expect(c[field]).toBeUndefined();
      }
    }
  });

  it('maps every preset column present in the file to that column, one column per field', () => {
    const preset = layout!.preset!;
    const used = new Map<number, Field>();
    for (const field of FIELDS) {
      const i = layout!.columns[field];
      if (i === undefined) continue;
      expect(used.get(i), `${field} and ${used.get(i)} share column ${i}`).toBeUndefined();
      used.set(i, field);
    }
    for (const field of FIELDS) {
      const names = preset.columns[field] ?? [];
      const first = names.find((n) => layout!.headers.includes(n));
      if (first !== undefined) expect(layout!.columns[field]).toBe(layout!.headers.indexOf(first));
    }
  });

  it('has the data and footer rows the fixture declares', () => {
    const after = rows.slice(layout!.headerIndex + 1).filter((r) => !isBlank(r.cells));
    const footerAt = after.findIndex((r) => isFooterMarker(r.cells));
    const data = footerAt < 0 ? after : after.slice(0, footerAt);
    expect(data.length).toBe(f.dataRows);
    expect(f.expected.length).toBe(f.dataRows);
    expect(after.length - data.length).toBe(f.footerRows);
    for (const r of data) expect(isFooterMarker(r.cells), `row ${r.row}`).toBe(false);
  });

  it('is found again when its preset is forced', () => {
    const forced = read(f, { presetId: f.presetId }).layout;
    expect(forced?.preset?.id).toBe(f.presetId);
    expect(forced?.headerRow).toBe(f.headerRow);
  });
});

describe('detectLayout', () => {
  const rows = (lines: RawCell[][]): RawRow[] => lines.map((cells, i) => ({ row: i + 1, cells }));

  it('returns null for an unknown layout', () => {
    expect(
      detectLayout(
        rows([
          ['姓名', '年龄', '城市'],
          ['张三', 30, '上海'],
        ]),
      ),
    ).toBeNull();
    expect(detectLayout([])).toBeNull();
    expect(detectLayout(rows([['交易金额'], ['12.00']]))).toBeNull();
  });

  it('returns null when a forced preset is not in the file', () => {
    const icbc = fixtures.find((f) => f.presetId === 'icbc-corp-old')!;
    expect(read(icbc, { presetId: 'boc' }).layout).toBeNull();
    expect(read(icbc, { presetId: 'no-such-preset' }).layout).toBeNull();
  });

  it('falls back to the common aliases and guesses the source', () => {
    const stmt = detectLayout(
      rows([
        ['账号：123'],
        ['日期', '摘要', '收入', '支出', '余额', '对方户名'],
        ['2026-11-06', 'x', '1', '', '1', 'y'],
      ]),
    );
    expect(stmt).toMatchObject({ preset: null, source: 'statement', headerRow: 2 });
    expect(stmt!.columns).toMatchObject({
      txnDate: 0,
      summary: 1,
      credit: 2,
      debit: 3,
      balance: 4,
      counterparty: 5,
    });

    const settle = detectLayout(rows([['清算日期', '交易时间', '终端号', '交易金额', '手续费', '结算金额']]));
    expect(settle).toMatchObject({ preset: null, source: 'settlement' });

    const term = detectLayout(rows([['交易时间', '终端号', '交易金额', '交易状态']]));
    expect(term).toMatchObject({ preset: null, source: 'terminal' });

    const unknown = detectLayout(rows([['交易时间', '商户号', '交易金额']]));
    expect(unknown).toMatchObject({ preset: null, source: null });
    expect(detectLayout(rows([['交易时间', '商户号', '交易金额']]), { source: 'settlement' })?.source).toBe(
      'settlement',
    );
  });

  it('lets opts.source decide the source of a recognised layout', () => {
    const f = fixtures.find((x) => x.presetId === 'generic-terminal')!;
    const layout = read(f, { source: 'settlement' }).layout;
    expect(layout?.preset?.id).toBe('generic-terminal');
    expect(layout?.source).toBe('settlement');
  });

  it('prefers a preset of opts.source when two presets match', () => {
    // Both generic layouts fully present: terminal has the longer signature, settlement is asked for.
    const header = [
      '清算日期',
      '交易时间',
      '终端号',
      '参考号',
      '卡号',
      '卡类型',
      '交易金额',
      '手续费',
      '结算金额',
      '凭证号',
      '批次号',
      '交易状态',
    ];
    expect(detectLayout(rows([header]))?.preset?.id).toBe('generic-terminal');
    expect(detectLayout(rows([header]), { source: 'settlement' })?.preset?.id).toBe('generic-settlement');
  });

  it('tells the ChinaUMS variants apart by column count, ignoring trailing empty cells', () => {
    const f = fixtures.find((x) => x.presetId === 'chinaums-26')!;
    const { rows: r, layout } = read(f);
    const header = r[layout!.headerIndex]!;
    const padded = [{ row: 2, cells: [...header.cells, null, '', null] }];
    expect(detectLayout(padded)?.preset?.id).toBe('chinaums-26');
    const wider = [{ row: 2, cells: [...header.cells, 'a', 'b', 'c', 'd'] }];
    expect(detectLayout(wider)?.preset?.id).toBe('chinaums-30');
  });

  it('does not let header texts pollute objects', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const sample = rows([
      [
        '__proto__',
        'constructor',
        '交易时间',
        'toString',
        '交易金额',
        '参考号',
        'hasOwnProperty',
        '交易状态',
      ],
      ['x', 'y', '2026-11-05 10:00:00', 'z', '1.00', '123', 'w', '成功'],
    ]);
    const layout = detectLayout(sample);
    expect(layout).not.toBeNull();
    expect(layout!.columns).toEqual({ txnDateTime: 2, amount: 4, rrn: 5, status: 7 });
    expect(Object.getPrototypeOf(layout!.columns)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const mapped = detectLayout(sample, {
      mapping: {
        source: 'terminal',
        columns: { amount: '__proto__', txnDateTime: 'constructor', rrn: 'toString' },
      },
    });
    expect(mapped?.columns).toEqual({ txnDateTime: 1, amount: 0, rrn: 3 });
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });

  it('uses a user mapping with header names and 1-based column numbers', () => {
    const sample = rows([
      ['门店日报'],
      ['时间', '金额(元)', '卡', '参考'],
      ['2026-11-05 10:00:00', '12.00', '622202******1234', '310510000001'],
    ]);
    const layout = detectLayout(sample, {
      mapping: {
        source: 'terminal',
        columns: { txnDateTime: '时间', amount: '金额（元）', cardNo: 3, rrn: 4 },
      },
    });
    expect(layout).toMatchObject({
      headerIndex: 1,
      headerRow: 2,
      preset: null,
      source: 'terminal',
      amountUnit: 'yuan',
    });
    expect(layout!.columns).toEqual({ txnDateTime: 0, cardNo: 2, amount: 1, rrn: 3 });

    const byRow = detectLayout(sample, {
      mapping: { source: 'settlement', headerRow: 2, amountUnit: 'fen', columns: { amount: 2 } },
    });
    expect(byRow).toMatchObject({
      headerIndex: 1,
      headerRow: 2,
      source: 'settlement',
      amountUnit: 'fen',
      columns: { amount: 1 },
    });

    // A named column missing from the given header row, a row that is not in the sample, a bad number.
    expect(
      detectLayout(sample, { mapping: { source: 'terminal', headerRow: 1, columns: { amount: '金额' } } }),
    ).toBeNull();
    expect(
      detectLayout(sample, { mapping: { source: 'terminal', headerRow: 99, columns: { amount: 2 } } }),
    ).toBeNull();
    expect(detectLayout(sample, { mapping: { source: 'terminal', columns: { amount: 0 } } })).toBeNull();
    expect(
      detectLayout(sample, { mapping: { source: 'terminal', columns: { amount: '没有这列' } } }),
    ).toBeNull();

    // Numbers only and no recognisable header: a headerless file.
    const headerless = detectLayout(rows([['2026-11-05 10:00:00', '12.00']]), {
      mapping: { source: 'terminal', columns: { txnDateTime: 1, amount: 2 } },
    });
    expect(headerless).toMatchObject({
      headerIndex: -1,
      headerRow: 0,
      headers: [],
      columns: { txnDateTime: 0, amount: 1 },
    });
  });

  it('skips preambles that only mention header words', () => {
    const sample = rows([
      ['查询账号[ Inquirer account number ]', '437265012345'],
      ['借方发生总额[ Total Debit Amount of Payments ]', 500],
      ['交易日期', '交易时间', '摘要', '借方发生额', '贷方发生额', '余额'],
    ]);
    expect(detectLayout(sample)?.headerRow).toBe(3);
  });

  it('never throws on arbitrary rows', () => {
    const cell = fc.oneof(
      fc.constantFrom<RawCell>(
        null,
        '',
        '交易时间',
        '交易金额',
        '参考号',
        '__proto__',
        '合计',
        '#',
        '贷方发生额',
      ),
      fc.string(),
      fc.double({ noNaN: false }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 45 }), (lines) => {
        const sample = rows(lines);
        const layout = detectLayout(sample);
        if (layout) expect(layout.headerIndex).toBeGreaterThanOrEqual(0);
        for (const r of sample) isFooterMarker(r.cells);
      }),
      { numRuns: 200 },
    );
  });
});

describe('isFooterMarker', () => {
  it.each([
    [['合计', '', '', '2,050.56']],
    [['', '总计：', '1677.56']],
    [['本页合计', '', '800.00']],
    [['小计', 3]],
    [['共5笔']],
    [['共 3 条记录']],
    [['', '合计笔数：3，共 3 条']],
    [['以上数据仅供参考，具体以银行账务为准']],
    [['本数据仅供参考']],
    [['注：本明细不作为记账凭证']],
    [['说明: 金额单位为元']],
    [['导出时间：2026-11-06 09:12:45']],
    [['#交易合计：2笔，商家实收共101.60元']],
    [['#-----------------------------------------业务明细列表结束---------------']],
    [['总交易单数', '应结订单总金额', '退款总金额']],
    [['交易合计：3笔']],
    [['退款合计', '1笔']],
    [['\ufeff 合计\t', null]],
  ])('%j is a footer', (cells) => {
    expect(isFooterMarker(cells as RawCell[])).toBe(true);
  });

  it.each([
    [[]],
    [[null, '', '  ']],
    [['2026-11-05 10:00:00', '合计科技有限公司', '12.00']],
    [['合计科技有限公司', '12.00']],
    [['`2026-11-05 09:15:00', '`wx2421b1c4370ec43b']],
    [['`4', '`196.00', '`20.00']],
    [['BV', '1', '2026-11-05 10:20:31']],
    [['来账', '转账', '301290000007']],
    [[20261105, 20261105, 83533, '合计']],
    [['1', '转账存入', '人民币元', '钞', '20261106', '1,500.23']],
    [['交易时间', '交易金额', '参考号']],
  ])('%j is not a footer', (cells) => {
    expect(isFooterMarker(cells as RawCell[])).toBe(false);
  });
});

describe('header texts', () => {
  it('are stored normalised in presets and aliases', () => {
    for (const p of PRESETS) {
      for (const s of p.signature) expect(normalizeHeader(s)).toBe(s);
      for (const field of FIELDS) for (const n of p.columns[field] ?? []) expect(normalizeHeader(n)).toBe(n);
    }
    for (const field of FIELDS) for (const n of COMMON_ALIASES[field]) expect(normalizeHeader(n)).toBe(n);
  });

  it('normalise bilingual, bracketed and full-width decorations', () => {
    expect(normalizeHeader("付款人名称[ Payer's Name ]")).toBe('付款人名称');
    expect(normalizeHeader('客户申请号[ Online Banking Transaction Ref.(Bank Ref.) ]')).toBe('客户申请号');
    expect(normalizeHeader('收（付）方名称')).toBe('收(付)方名称');
    expect(normalizeHeader('贷方发生额（收入）')).toBe('贷方发生额(收入)');
    expect(normalizeHeader('订单金额（元）')).toBe('订单金额');
    expect(normalizeHeader('交易金额(分)')).toBe('交易金额');
    expect(normalizeHeader('费率(万分之一)')).toBe('费率(万分之一)');
    expect(normalizeHeader('\ufeff`交易时间 ')).toBe('交易时间');
  });
});
