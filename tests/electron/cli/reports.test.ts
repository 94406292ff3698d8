import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { DAY_SHORTFALL_FEN, type DayFiles } from '../../fixtures/day';
import { importedDay, posrecon } from '../../helpers/cli';
import { tmpDirPerTest } from '../../helpers/tmp';

const tmp = tmpDirPerTest();

function dayImported(edit?: (files: DayFiles) => void) {
  const dir = tmp();
  return { dir, db: importedDay(dir, edit) };
}

/** The bank reconciliation of the 5th and 6th, in Chinese: the workbook's path and the figures. */
function bankRec(dir: string, db: string) {
  const out = join(dir, '余额调节表.xlsx');
  const res = posrecon(
    ['bank-rec', '--from', '2026-11-05', '--to', '2026-11-06', '--out', out, '--db', db, '--json'],
    { POSRECON_LANG: 'zh' },
  );
  expect(res.status).toBe(0);
  return { out, rec: JSON.parse(res.stdout) };
}

const sheetRows = (file: string, sheet: string) =>
  XLSX.utils.sheet_to_json<unknown[]>(XLSX.read(readFileSync(file)).Sheets[sheet]!, {
    header: 1,
    defval: null,
  });

describe('日结报表 and 日结', () => {
  it('totals per terminal and card type, credits, open mismatches; a day closes only when all is decided', () => {
    const { dir, db } = dayImported();
    const out = join(dir, '日结.xlsx');
    const made = posrecon(
      ['close-report', '--from', '2026-11-05', '--out', out, '--db', db, '--user', '李会计'],
      {
        POSRECON_LANG: 'zh',
      },
    );
    expect(made.status).toBe(0);
    expect(made.stdout).toContain('未结差异 6 项');

    const summary = sheetRows(out, '日结汇总');
    expect(summary[0]![0]).toBe('POS 收单日结报表　2026-11-05');
    expect(summary[1]![0]).toBe('日结状态：未日结 2026-11-05');
    expect(summary[3]).toEqual([
      '商户号',
      '终端号',
      '卡种',
      '消费笔数',
      '消费金额',
      '撤销笔数',
      '撤销金额',
      '退货笔数',
      '退货金额',
      '应收手续费',
      '实收手续费',
      '手续费差额',
      '应结算',
      '已结算',
      '结算差额',
    ]);
    // Debit: ten sales, one voided (66.00); the contract's fees against those taken.
    expect(summary.find((r) => r[2] === '借记卡')).toEqual([
      '898310058120001',
      '12345678',
      '借记卡',
      10,
      12_582,
      1,
      66,
      0,
      0,
      32.58,
      27.78,
      -4.8,
      12_483.42,
      11_328.22,
      -1_155.2,
    ]);
    expect(summary.at(-1)!.slice(0, 5)).toEqual(['合计', null, null, 12, 12_927]);
    const book = XLSX.read(readFileSync(out));
    expect(book.Workbook?.Names?.find((n) => n.Name === '_xlnm.Print_Titles' && n.Sheet === 0)?.Ref).toBe(
      "'日结汇总'!$4:$4",
    );
    expect(sheetRows(out, '到账核对')[2]).toEqual(['2026-11-06', '2026-11-05', 11_713.89, 11_703.89, -10]);
    expect(
      sheetRows(out, '未结差异')
        .slice(2)
        .map((r) => r[1]),
    ).toEqual(['金额不符', '扣款未出票', '重复扣费', '手续费错误', '未到账', '撤销/退货未冲回']);

    const refused = posrecon(['close-day', '2026-11-05', '--db', db]);
    expect(refused.status).toBe(3);
    const undecided = refused.stderr.split('\n').filter((l) => l.startsWith('  '));
    expect(undecided).toHaveLength(6);
    for (const line of undecided) {
      const id = line.trim();
      const step = id.startsWith('fee_mismatch')
        ? ['resolved', '--recovered', '1.00']
        : ['disputed', '--ticket', 'GD001'];
      expect(posrecon(['status', id, ...step, '--db', db]).status).toBe(0);
    }
    const closed = posrecon(['close-day', '2026-11-05', '--db', db, '--user', '李会计']);
    expect(closed.status).toBe(0);
    posrecon(['close-report', '--from', '2026-11-05', '--out', out, '--db', db, '--lang', 'en']);
    expect(sheetRows(out, 'Summary')[1]![0]).toMatch(/^Close status: closed \(2026-11-05 by 李会计 at /);
    // The resolved fee is no longer outstanding; disputed money still is.
    expect(sheetRows(out, 'Open mismatches').slice(2)).toHaveLength(5);
  });
});

describe('余额调节表', () => {
  it('lists fees, what was not settled, money in transit and the short credit, so both sides agree', () => {
    const { dir, db } = dayImported();
    const { out, rec } = bankRec(dir, db);
    expect(rec.bookFen).toBe(1_256_100);
    expect(rec.bankFen).toBe(1_170_389);
    const items = Object.fromEntries(
      [...rec.bookLess, ...rec.bankAdd, ...rec.bankLess].map((i: { label: { en: string }; fen: number }) => [
        i.label.en,
        i.fen,
      ]),
    );
    expect(items).toEqual({
      'Less: fees the acquirer deducted': 3_038,
      'Add: taken at the terminal, not settled or settled differently': 77_200,
      'Add: settled, not yet credited (in transit)': 4_473,
      'Add: credited short': DAY_SHORTFALL_FEN,
      'Less: credited now for trade days before the period': 0,
    });
    expect(rec.adjustedBookFen).toBe(1_253_062);
    expect(rec.adjustedBankFen).toBe(1_253_062);
    expect(rec.unexplainedFen).toBe(0);

    const rows = sheetRows(out, '余额调节表');
    expect(rows[0]![0]).toBe('POS 收款银行存款余额调节表　2026-11-05 – 2026-11-06');
    expect(rows[2]).toEqual(['企业账面项目', '金额', '银行对账单项目', '金额']);
    expect(rows[3]).toEqual(['POS 收款账面金额', 12_561, '银行对账单收单入账', 11_703.89]);
    expect(rows.at(-1)).toEqual(['调节后余额', 12_530.62, '调节后余额', 12_530.62]);
    expect(rows[1]![0]).toMatch(/调节后两方相符$/);
    expect(sheetRows(out, '调节项明细').flat()).toContain('2026-11-06 531000000015');
    expect(
      posrecon(['bank-rec', '--from', '2026-11-06', '--to', '2026-11-05', '--out', out, '--db', db]).status,
    ).toBe(2);
    expect(posrecon(['bank-rec', '--from', '2026-11-05', '--out', 'x.csv', '--db', db]).status).toBe(2);
  });
});

describe('余额调节表 with a difference the items do not explain', () => {
  it('shows it as other differences to investigate, in the figures and in the workbook', () => {
    // The acquirer settled one sale at 1.00 less than its amount less its fee, and said nothing.
    const { dir, db } = dayImported((files) => {
      const lines = iconv.decode(readFileSync(files.settlement), 'gbk');
      const line = '531000000001,000001,000001,622202******1111,借记卡,消费,100.00,0.50,,';
      expect(lines).toContain(line);
      writeFileSync(
        files.settlement,
        iconv.encode(lines.replace(line, line.replace('0.50,,', '0.50,98.50,')), 'gbk'),
      );
    });
    const { out, rec } = bankRec(dir, db);
    // The short credit is 1.00 smaller than before; the 1.00 itself no item names.
    const short = rec.bankAdd.find((i: { label: { en: string } }) => i.label.en === 'Add: credited short');
    expect(short.fen).toBe(DAY_SHORTFALL_FEN - 100);
    expect(rec.unexplainedFen).toBe(100);
    expect(rec.bankAdd.at(-1)).toMatchObject({ label: { zh: '加/减：其他差异（待查）' }, fen: 100 });
    const rows = sheetRows(out, '余额调节表');
    expect(rows[1]![0]).toMatch(/两方相差 ¥1\.00 未能解释，列为“其他差异（待查）”$/);
    expect(rows.flat()).toContain('加/减：其他差异（待查）');
    expect(rows.at(-1)).toEqual(['调节后余额', 12_530.62, '调节后余额', 12_530.62]);
  });
});
