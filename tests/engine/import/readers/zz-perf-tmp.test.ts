import { strToU8, zipSync } from 'fflate';
import { expect, it } from 'vitest';
import { openXlsx } from '../../../../electron/engine/import/readers/xlsx-stream';
import { DEFAULT_LIMITS } from '../../../../electron/engine/import/readers/types';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
function col(i: number) { return String.fromCharCode(65 + i); }
it('perf 100k x 17', () => {
  const strings: string[] = [];
  for (let i = 0; i < 2000; i++) strings.push(`商户名称${i}号店 &amp; 分店`);
  const rows: string[] = [];
  for (let r = 1; r <= 100_000; r++) {
    let x = `<row r="${r}" spans="1:17">`;
    for (let c = 0; c < 17; c++) {
      const ref = `${col(c)}${r}`;
      switch (c % 6) {
        case 0: x += `<c r="${ref}"><v>${622588000000 + r * 17 + c}</v></c>`; break;
        case 1: x += `<c r="${ref}" s="1"><v>${45000 + r / 1000}</v></c>`; break;
        case 2: x += `<c r="${ref}" t="s"><v>${(r * 7 + c) % 2000}</v></c>`; break;
        case 3: x += `<c r="${ref}" t="inlineStr"><is><t>备注${r % 97}</t></is></c>`; break;
        case 4: x += `<c r="${ref}" s="2"><v>${(r * 13.37) % 10000}</v></c>`; break;
        default: x += `<c r="${ref}" t="s"><v>${(r + c) % 2000}</v></c>`;
      }
    }
    rows.push(`${x}</row>`);
  }
  const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><dimension ref="A1:Q100000"/><sheetData>${rows.join('')}</sheetData></worksheet>`;
  const sst = `<?xml version="1.0"?><sst xmlns="${NS}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`;
  const styles = `<?xml version="1.0"?><styleSheet xmlns="${NS}"><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="22"/><xf numFmtId="4"/></cellXfs></styleSheet>`;
  const zip = zipSync({
    '[Content_Types].xml': strToU8('<Types/>'),
    '_rels/.rels': strToU8(`<Relationships><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    'xl/workbook.xml': strToU8(`<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`<Relationships><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/></Relationships>`),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
    'xl/sharedStrings.xml': strToU8(sst),
    'xl/styles.xml': strToU8(styles),
  }, { level: 6 });
  console.log('sheet xml chars', sheet.length, 'zip bytes', zip.length);
  require('node:fs').writeFileSync('/tmp/perfgen/100k.xlsx', zip);
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const book = openXlsx(zip, DEFAULT_LIMITS);
    let n = 0; let cells = 0;
    for (const row of book.sheet('S').rows()) { n++; cells += row.cells.length; }
    const t1 = performance.now();
    console.log(`run ${k}: ${n} rows ${cells} cells in ${(t1 - t0).toFixed(0)} ms, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
    expect(n).toBe(100_000);
  }
  const first = openXlsx(zip, DEFAULT_LIMITS).sheet('S').rows()[Symbol.iterator]().next().value;
  console.log(JSON.stringify(first));
});
