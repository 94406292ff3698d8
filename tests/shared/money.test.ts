import { describe, expect, it } from 'vitest';
import { hundredthsOf, yuan } from '../../shared/money';

describe('money as people type and read it', () => {
  it('reads typed decimals in hundredths, rounded to the nearest', () => {
    expect(hundredthsOf('12.345')).toBe(1235);
    expect(hundredthsOf(' 0.6 ')).toBe(60);
    expect(hundredthsOf('.5')).toBe(50);
    expect(hundredthsOf('-1.5')).toBe(-150);
    expect(hundredthsOf('20')).toBe(2000);
    // Exact from the digits, as the command line reads the same text (1.005 * 100 is 100.4999…).
    expect(hundredthsOf('1.005')).toBe(101);
    expect(hundredthsOf('0.285')).toBe(29);
    expect(hundredthsOf('-0.125')).toBe(-13);
  });

  it('refuses blank and non-decimal text rather than reading it as 0 or as hex', () => {
    for (const text of ['', '   ', '0x10', '1e3', '12,5', 'abc', '1.2.3'])
      expect(hundredthsOf(text)).toBeNaN();
  });

  it('writes fen as yuan with separators and the sign first', () => {
    expect(yuan(123_456_789)).toBe('¥1,234,567.89');
    expect(yuan(-1_250)).toBe('-¥12.50');
    expect(yuan(5)).toBe('¥0.05');
  });
});
