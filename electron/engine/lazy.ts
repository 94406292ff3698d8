import { createRequire } from 'node:module';
import type * as XLSX from 'xlsx';

const load = createRequire(__filename);

/** A dependency's file path, resolved as lazy() loads it. */
export const resolveModule = (id: string): string => load.resolve(id);

/**
 * A dependency loaded the first time it is used. SheetJS and PDFKit took about a quarter of a
 * second to load (timed by hand), which every command-line start and every parse worker paid, though most never
 * read an .xls or write a PDF.
 */
export function lazy<T>(
  id: string,
  prepare?: (module: T, require: (id: string) => unknown) => void,
): () => T {
  let module: T | undefined;
  return () => {
    if (module === undefined) {
      module = load(id) as T;
      prepare?.(module, load);
    }
    return module;
  };
}

/** SheetJS, for the readers and the exports alike. Old BIFF5/BIFF2-4 files store text in a code
 *  page (e.g. 936 for GBK): the tables are loaded with it (which some builds do not do by themselves). */
export const sheetjs = lazy<typeof XLSX>('xlsx', (x, require) => x.set_cptable(require('xlsx/dist/cpexcel')));
