import { strToU8, zipSync } from 'fflate';
import { expect } from 'vitest';

export const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface HandSheet {
  name: string;
  xml: string;
  /** Relationship target as written in workbook.xml.rels. */
  target?: string;
}

/** A minimal but complete .xlsx package built by hand, for cases SheetJS cannot write. */
export function handXlsx(opts: {
  sheets: HandSheet[];
  sst?: string;
  styles?: string;
  date1904?: boolean;
}): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const overrides: string[] = [
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
  ];
  const rels: string[] = [];
  const sheetTags: string[] = [];
  opts.sheets.forEach((sh, i) => {
    const path = `xl/worksheets/sheet${i + 1}.xml`;
    files[path] = strToU8(sh.xml);
    overrides.push(
      `<Override PartName="/${path}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    );
    rels.push(
      `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="${sh.target ?? `worksheets/sheet${i + 1}.xml`}"/>`,
    );
    sheetTags.push(`<sheet name="${sh.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`);
  });
  if (opts.sst !== undefined) {
    files['xl/sharedStrings.xml'] = strToU8(opts.sst);
    overrides.push(
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>',
    );
    rels.push(`<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
  }
  if (opts.styles !== undefined) {
    files['xl/styles.xml'] = strToU8(opts.styles);
    overrides.push(
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>',
    );
    rels.push(`<Relationship Id="rIdT" Type="${REL}/styles" Target="styles.xml"/>`);
  }
  files['[Content_Types].xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides.join('')}</Types>`,
  );
  files['_rels/.rels'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  files['xl/workbook.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${RNS}"><workbookPr${opts.date1904 ? ' date1904="1"' : ''}/><sheets>${sheetTags.join('')}</sheets></workbook>`,
  );
  files['xl/_rels/workbook.xml.rels'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
  );
  return zipSync(files);
}

export function sheetXml(rows: string, head = ''): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}" xmlns:r="${RNS}">${head}<sheetData>${rows}</sheetData></worksheet>`;
}

/** Overwrites an entry's uncompressed size in its local header and its central directory record. */
export function patchDeclaredSize(zip: Uint8Array, name: string, size: number): void {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const nameBytes = strToU8(name);
  const matches = (at: number) => nameBytes.every((b, i) => zip[at + i] === b);
  let patched = 0;
  for (let o = 0; o + 46 < zip.length; o++) {
    const sig = view.getUint32(o, true);
    if (sig === 0x04034b50 && view.getUint16(o + 26, true) === nameBytes.length && matches(o + 30)) {
      view.setUint32(o + 22, size, true);
      patched++;
    } else if (sig === 0x02014b50 && view.getUint16(o + 28, true) === nameBytes.length && matches(o + 46)) {
      view.setUint32(o + 24, size, true);
      patched++;
    }
  }
  expect(patched).toBe(2);
}
