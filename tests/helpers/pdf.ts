import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// PDFs checked with poppler's tools (.ci/run installs poppler-utils): the text a reader can copy,
// the fonts it embeds, and the first page as a picture to look at.

function withPdf<T>(bytes: Uint8Array, run: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'posrecon-pdf-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, bytes);
    return run(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PDF's text as pdftotext extracts it. */
export const pdfText = (bytes: Uint8Array): string =>
  withPdf(bytes, (path) => execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }));

/** pdffonts' table: one line per font, with its embedded and subset columns. */
export const pdfFonts = (bytes: Uint8Array): string =>
  withPdf(bytes, (path) => execFileSync('pdffonts', [path], { encoding: 'utf8' }));

/** Renders page 1 to `test-artifacts/<name>.png` (outside git) for a person to look at. */
export function savePdfFirstPage(bytes: Uint8Array, name: string): string {
  const out = join(__dirname, '..', '..', 'test-artifacts');
  mkdirSync(out, { recursive: true });
  withPdf(bytes, (path) =>
    execFileSync('pdftoppm', [
      '-r',
      '80',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      '-png',
      path,
      join(out, name),
    ]),
  );
  return join(out, `${name}.png`);
}
