// What every reader (delimited text, streaming .xlsx, SheetJS) hands to the importer.

/** A cell as read: text, a number from a numeric spreadsheet cell, or empty.
 *  Readers turn date-formatted spreadsheet cells into 'YYYY-MM-DD HH:MM:SS' text themselves. */
export type RawCell = string | number | null;

export interface RawRow {
  /** 1-based row number as Excel shows it, or the line where the record starts in a text file. */
  row: number;
  cells: RawCell[];
  /** The one-character delimiter a text line without quotes was split at: no cell contains it, so
   *  the store can join the cells with it (see writeReferencedCells). */
  plain?: string;
}

/** A stretch of a text file that starts and ends on line boundaries: bytes [start, end), whose
 *  first line is line number `line` of the file. Large text files are read in such parts. */
export interface TextRange {
  start: number;
  end: number;
  line: number;
}

export interface SheetTable {
  /** Sheet name for workbooks, null for text files. */
  name: string | null;
  /** The workbook's 1904 date system flag: numeric cells in date columns are serials in this system. */
  date1904: boolean;
  /** The table's rows; text files read only `range` when given (workbooks have no ranges). */
  rows(range?: TextRange): Iterable<RawRow>;
}

/** Caps that keep a hostile or broken file from exhausting memory or time. */
export interface ReadLimits {
  maxRows: number;
  maxColumns: number;
  /** Total decompressed bytes allowed for a zip-based workbook. */
  maxUnzippedBytes: number;
  /** Largest allowed ratio of decompressed to compressed size of one zip entry. */
  maxCompressionRatio: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxRows: 5_000_000,
  maxColumns: 512,
  maxUnzippedBytes: 2 * 1024 ** 3,
  maxCompressionRatio: 200,
};

/** A file that cannot be read at all; the message names the file and what is wrong. */
export class FileReadError extends Error {
  constructor(
    readonly code: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
    this.name = 'FileReadError';
  }
}

/** A workbook sheet over the row limit. */
export function tooManyRows(limits: ReadLimits): FileReadError {
  return new FileReadError(
    'too_many_rows',
    `工作表的行数超过 ${limits.maxRows} 行的上限。`,
    `The sheet has more rows than the limit of ${limits.maxRows}.`,
  );
}

/** A workbook sheet with a value beyond the column limit. */
export function tooManyColumns(limits: ReadLimits): FileReadError {
  return new FileReadError(
    'too_many_columns',
    `工作表的列数超过 ${limits.maxColumns} 列的上限。`,
    `The sheet has more columns than the limit of ${limits.maxColumns}.`,
  );
}

/** A sheet name the workbook does not have. */
export function sheetNotFound(name: string): FileReadError {
  return new FileReadError(
    'sheet_not_found',
    `工作簿中没有名为“${name}”的工作表。`,
    `The workbook has no sheet named "${name}".`,
  );
}
