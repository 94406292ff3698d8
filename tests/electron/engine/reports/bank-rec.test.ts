import { describe, expect, it } from 'vitest';
import { agreement, type BankRec, bankRecTables } from '../../../../electron/engine/reports/bank-rec';

const rec = (unexplainedFen: number): BankRec => ({
  period: { from: '2026-11-05', to: '2026-11-06' },
  bookFen: 1_256_100,
  bookLess: [
    {
      label: { zh: '减：收单机构扣收的手续费', en: 'Less: fees the acquirer deducted' },
      fen: 3_038,
      detail: [],
    },
  ],
  bankFen: 1_170_389,
  bankAdd: [
    {
      label: { zh: '加/减：其他差异（待查）', en: 'Add/less: other differences (to investigate)' },
      fen: unexplainedFen,
      detail: [],
    },
  ],
  bankLess: [],
  adjustedBookFen: 1_253_062,
  adjustedBankFen: 1_253_062,
  unexplainedFen,
});

describe('余额调节表 agreement', () => {
  it('says the sides agree only when nothing is left unexplained, and names the sum otherwise', () => {
    expect(agreement(rec(0), 'zh')).toBe('调节后两方相符');
    expect(agreement(rec(0), 'en')).toBe('adjusted balances agree');
    expect(agreement(rec(-1_250), 'zh')).toBe('两方相差 -¥12.50 未能解释，列为“其他差异（待查）”');
    expect(agreement(rec(82_673), 'en')).toBe(
      '¥826.73 is unexplained, listed as "other differences (to investigate)"',
    );
    const [statement] = bankRecTables(rec(82_673), 'zh', '李会计');
    expect(statement!.notes![0]).toMatch(/两方相差 ¥826\.73 未能解释/);
    expect(statement!.notes![0]).not.toMatch(/相符/);
  });
});
