import { createRequire } from 'node:module';

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
