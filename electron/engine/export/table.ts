import { writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import type * as XLSX from 'xlsx';
import { sheetjs } from '../lazy';

/** A cell of an exported table: untrusted text, money in fen, or a plain number. */
export type ExportCell = { text: string | null } | { fen: number | null } | { num: number | null };

export const textCell = (v: string | null): ExportCell => ({ text: v });
export const fenCell = (v: number | null): ExportCell => ({ fen: v });
export const numCell = (v: number | null): ExportCell => ({ num: v });

export interface ExportTable {
  sheet: string;
  /** For printed reports: a title and lines (period, merchant, status) above the table. */
  title?: string;
  notes?: string[];
  headers: string[];
  rows: ExportCell[][];
  /** Column widths in characters; from the headers when absent. */
  widths?: number[];
}

/** Text a spreadsheet would take for a formula (=, +, -, @) or that hides one behind a tab or CR
 *  gets a leading apostrophe, so an imported `=HYPERLINK(…)` comes out as text, never as a link. */
export function neutralize(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(cell: ExportCell): string {
  let s: string;
  if ('text' in cell) s = cell.text === null ? '' : neutralize(cell.text);
  else if ('fen' in cell) s = cell.fen === null ? '' : (cell.fen / 100).toFixed(2);
  else s = cell.num === null ? '' : String(cell.num);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** RFC 4180 CSV that Excel and WPS on Chinese Windows open correctly: UTF-8 with a BOM, or GBK. */
export function writeCsv(path: string, table: ExportTable, encoding: 'utf-8' | 'gbk' = 'utf-8'): void {
  writeFileSync(path, writeCsvBytes(table, encoding));
}

export function writeCsvBytes(table: ExportTable, encoding: 'utf-8' | 'gbk' = 'utf-8'): Uint8Array {
  const lines = [table.headers.map((h) => csvField({ text: h })), ...table.rows.map((r) => r.map(csvField))];
  const text = `${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
  return encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(`\ufeff${text}`, 'utf8');
}

/** An .xlsx where untrusted text is always a text cell (never a formula) and money a number. */
export function writeXlsx(path: string, tables: ExportTable[]): void {
  writeFileSync(path, writeXlsxBytes(tables));
}

export function writeXlsxBytes(tables: ExportTable[]): Uint8Array {
  const wb = sheetjs().utils.book_new();
  const names: XLSX.DefinedName[] = [];
  tables.forEach((table, sheetIndex) => {
    const above = [...(table.title ? [table.title] : []), ...(table.notes ?? [])];
    const cells: XLSX.CellObject[][] = [
      ...above.map((line): XLSX.CellObject[] => [{ t: 's', v: line }]),
      table.headers.map((h) => ({ t: 's', v: h })),
      ...table.rows.map((row) =>
        row.map((cell): XLSX.CellObject => {
          if ('text' in cell) return cell.text === null ? { t: 'z' } : { t: 's', v: cell.text };
          if ('fen' in cell)
            return cell.fen === null ? { t: 'z' } : { t: 'n', v: cell.fen / 100, z: '#,##0.00' };
          return cell.num === null ? { t: 'z' } : { t: 'n', v: cell.num };
        }),
      ),
    ];
    const ws = sheetjs().utils.aoa_to_sheet(cells);
    ws['!cols'] = table.headers.map((h, i) => ({ wch: table.widths?.[i] ?? Math.max(10, h.length * 2 + 2) }));
    if (above.length > 0) {
      // Title and notes span the table's width; the header row repeats on every printed page.
      const last = Math.max(0, table.headers.length - 1);
      ws['!merges'] = above.map((_, r) => ({ s: { r, c: 0 }, e: { r, c: last } }));
      ws['!margins'] = { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 };
      names.push({
        Name: '_xlnm.Print_Titles',
        Sheet: sheetIndex,
        Ref: `'${table.sheet}'!$${above.length + 1}:$${above.length + 1}`,
      });
    }
    sheetjs().utils.book_append_sheet(wb, ws, table.sheet);
  });
  if (names.length > 0) wb.Workbook = { ...wb.Workbook, Names: names };
  return sheetjs().write(wb, { type: 'buffer', bookType: 'xlsx' }) as Uint8Array;
}
