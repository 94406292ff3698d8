import { SOURCES, type Source } from '../../../shared/records';
import type { UserMapping } from './detect';
import { FIELDS, type Field } from './fields';
import { FileReadError } from './readers/types';

const FIELD_SET = new Set<string>(FIELDS);

/**
 * Validates a column mapping given as JSON (`--mapping FILE.json`, or a saved preset):
 * `{ "source": "statement", "columns": { "txnDate": "交易日期", "credit": "收入", "debit": 5 } }`.
 * Column values are header texts or 1-based column numbers.
 */
export function parseMapping(json: string, origin: string): UserMapping {
  const fail = (zh: string, en: string): never => {
    throw new FileReadError('bad_mapping', `${origin}：${zh}`, `${origin}: ${en}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return fail(`不是有效的 JSON（${(err as Error).message}）`, `not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('映射必须是一个 JSON 对象', 'a mapping must be a JSON object');
  }
  const v = value as Record<string, unknown>;
  if (typeof v.source !== 'string' || !(SOURCES as readonly string[]).includes(v.source)) {
    return fail(
      `"source" 必须是 ${SOURCES.join('、')} 之一`,
      `"source" must be one of ${SOURCES.join(', ')}`,
    );
  }
  if (typeof v.columns !== 'object' || v.columns === null || Array.isArray(v.columns)) {
    return fail('缺少 "columns" 对象', 'missing the "columns" object');
  }
  const columns: Partial<Record<Field, string | number>> = Object.create(null);
  for (const [field, col] of Object.entries(v.columns as Record<string, unknown>)) {
    if (!FIELD_SET.has(field)) {
      return fail(
        `未知字段 "${field}"（可用：${FIELDS.join(', ')}）`,
        `unknown field "${field}" (known: ${FIELDS.join(', ')})`,
      );
    }
    if (!(typeof col === 'string' && col.trim() !== '') && !(Number.isInteger(col) && (col as number) >= 1)) {
      return fail(
        `字段 "${field}" 的列必须是表头文字或从 1 开始的列号`,
        `column of "${field}" must be a header text or a 1-based column number`,
      );
    }
    columns[field as Field] = col as string | number;
  }
  const hasWhen =
    columns.txnDateTime !== undefined || columns.txnDate !== undefined || columns.clearDate !== undefined;
  const hasAmount =
    columns.amount !== undefined || columns.credit !== undefined || columns.debit !== undefined;
  if (!hasWhen || !hasAmount) {
    return fail(
      '映射至少要包含日期/时间列和金额列',
      'a mapping needs at least a date/time column and an amount column',
    );
  }
  const mapping: UserMapping = { source: v.source as Source, columns };
  if (typeof v.name === 'string') mapping.name = v.name;
  if (v.amountUnit === 'fen' || v.amountUnit === 'yuan') mapping.amountUnit = v.amountUnit;
  if (Number.isInteger(v.headerRow)) mapping.headerRow = v.headerRow as number;
  return mapping;
}
