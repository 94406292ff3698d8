// Fallback reader on SheetJS for .xls (BIFF), .xlsb, .ods and any .xlsx the streaming reader cannot
// open. SheetJS holds the whole workbook in memory, so limits are enforced through sheetRows and by
// iterating only the cells it actually produced (never a declared range).

import type * as XLSX from 'xlsx';
import { sheetjs } from '../../lazy';
import { excelSerialToText } from './excel-dates';
import {
  FileReadError,
  type RawCell,
  type RawRow,
  type ReadLimits,
  type SheetTable,
  sheetNotFound,
  tooManyColumns,
  tooManyRows,
} from './types';
import { checkZip } from './zip-guard';

export interface SheetJSWorkbook {
  sheetNames: string[];
  date1904: boolean;
  sheet(name: string): SheetTable;
}

/** Built-in formats SheetJS leaves undefined unless it formats cell text; all of them show dates/times. */
const IMPLICIT_DATE_FORMATS: Array<[number, string]> = [
  ...[27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58].map((id): [number, string] => [
    id,
    'm/d/yy',
  ]),
  ...[32, 33, 34, 35].map((id): [number, string] => [id, 'h:mm:ss']),
];

const ERRORS: Record<number, string> = {
  0: '#NULL!',
  7: '#DIV/0!',
  15: '#VALUE!',
  23: '#REF!',
  29: '#NAME?',
  36: '#NUM!',
  42: '#N/A',
  43: '#GETTING_DATA',
};

function cellValue(cell: XLSX.CellObject | undefined, date1904: boolean): RawCell {
  if (!cell) return null;
  const v = cell.v;
  switch (cell.t) {
    case 'n': {
      if (typeof v !== 'number') return null;
      if (typeof cell.z === 'string' && sheetjs().SSF.is_date(cell.z))
        return excelSerialToText(v, date1904) ?? v;
      return v;
    }
    case 's':
      return typeof v === 'string' && v !== '' ? v : v == null || v === '' ? null : String(v);
    case 'b':
      return v ? 'TRUE' : 'FALSE';
    case 'e':
      return typeof cell.w === 'string' && cell.w !== '' ? cell.w : (ERRORS[Number(v)] ?? '#ERROR');
    case 'd': {
      // Only with cellDates (not used), kept for safety: SheetJS dates are UTC-based.
      if (v instanceof Date) {
        const iso = v.toISOString();
        return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
      }
      return typeof v === 'string' && v !== '' ? v : null;
    }
    default:
      return null;
  }
}

/** The non-empty rows of a dense SheetJS sheet, converted as they are iterated; throws on rows past maxRows or cells past maxColumns. */
function* sheetRows(ws: XLSX.WorkSheet, date1904: boolean, limits: ReadLimits): Generator<RawRow> {
  const data = (ws as { '!data'?: Array<Array<XLSX.CellObject | undefined> | undefined> })['!data'] ?? [];
  let emitted = 0;
  for (let r = 0; r < data.length; r++) {
    const src = data[r];
    if (!src) continue;
    const cells: RawCell[] = [];
    for (let c = 0; c < src.length; c++) {
      const value = cellValue(src[c], date1904);
      if (value === null) continue;
      if (c >= limits.maxColumns) throw tooManyColumns(limits);
      while (cells.length < c) cells.push(null);
      cells[c] = value;
    }
    if (cells.length === 0) continue;
    // sheetRows is maxRows + 1, so a row at index maxRows is the sign that the sheet is longer.
    if (r >= limits.maxRows || ++emitted > limits.maxRows) throw tooManyRows(limits);
    yield { row: r + 1, cells };
  }
}

/**
 * Opens any workbook SheetJS understands. Values come raw (cellText off); numeric cells whose
 * number format is a date become 'YYYY-MM-DD HH:MM:SS' text in the workbook's date system.
 */
export function openWithSheetJS(buf: Uint8Array, limits: ReadLimits): SheetJSWorkbook {
  if (buf[0] === 0x50 && buf[1] === 0x4b) checkZip(buf, limits);
  // BIFF reads keep the format table between files: make the implicit East Asian date ids known so
  // their cells get a format code (zip-based reads reset the table and define their own).
  for (const [id, code] of IMPLICIT_DATE_FORMATS) sheetjs().SSF.load(code, id);
  let wb: XLSX.WorkBook;
  try {
    wb = sheetjs().read(buf, {
      type: 'array',
      dense: true,
      cellDates: false,
      cellNF: true,
      cellText: false,
      cellFormula: false,
      cellHTML: false,
      cellStyles: false,
      bookVBA: false,
      sheetRows: limits.maxRows + 1,
    });
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (/password|encrypt/i.test(message)) {
      throw new FileReadError(
        'encrypted',
        '文件设置了密码，请在 Excel 中取消密码后另存再导入。',
        'The file is password-protected; remove the password in Excel, save, and import again.',
      );
    }
    throw new FileReadError(
      'unreadable_workbook',
      `无法读取该表格文件（${message}）。`,
      `The spreadsheet cannot be read (${message}).`,
    );
  }
  const date1904 = !!wb.Workbook?.WBProps?.date1904;
  const sheetNames = [...wb.SheetNames];
  return {
    sheetNames,
    date1904,
    sheet(name: string): SheetTable {
      const ws = sheetNames.includes(name) ? wb.Sheets[name] : undefined;
      if (!ws) {
        throw sheetNotFound(name);
      }
      return {
        name,
        date1904,
        rows(): Iterable<RawRow> {
          return { [Symbol.iterator]: () => sheetRows(ws, date1904, limits) };
        },
      };
    },
  };
}
