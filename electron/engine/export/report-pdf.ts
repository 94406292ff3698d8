import type PDFKitDocument from 'pdfkit';
import { lazy, resolveModule } from '../lazy';
import type { ReportBlock, ReportDoc } from './report-doc';

// The report as an A4 PDF. The Chinese font ships with the app (Noto Sans SC, SIL Open Font
// License) and is embedded as a subset, so the PDF reads the same on any machine, offline.

const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';
const FONTS = {
  regular: `${FONT_PACKAGE}/400Regular/NotoSansSC_400Regular.ttf`,
  bold: `${FONT_PACKAGE}/700Bold/NotoSansSC_700Bold.ttf`,
};

/**
 * Fonts are named by their file path, never registered under a short name: PDFKit caches a font
 * under the key it was asked for, and restores the font after each table cell by path, so with
 * short names every cell would read and parse the 10 MB font file again (seconds per report).
 */
type Fonts = { regular: string; bold: string };

function fontPaths(): Fonts {
  return { regular: resolveModule(FONTS.regular), bold: resolveModule(FONTS.bold) };
}

const pdfkit = lazy<typeof PDFKitDocument>('pdfkit');

const MARGIN = { top: 46, bottom: 52, left: 40, right: 40 };
const GREY = '#555555';

function drawBlock(doc: PDFKit.PDFDocument, b: ReportBlock, width: number, fonts: Fonts): void {
  if (b.type === 'heading') {
    doc
      .moveDown(0.6)
      .font(fonts.bold)
      .fontSize(12)
      .fillColor('black')
      .text(b.text, MARGIN.left, undefined, { width });
    const y = doc.y + 1;
    doc
      .moveTo(MARGIN.left, y)
      .lineTo(MARGIN.left + width, y)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
    doc.moveDown(0.3);
    return;
  }
  if (b.type === 'paragraph') {
    doc
      .font(fonts.regular)
      .fontSize(10)
      .fillColor('black')
      .text(b.text, MARGIN.left, undefined, { width, lineGap: 2 });
    doc.moveDown(0.3);
    return;
  }
  const columns = b.headers?.length ?? b.rows[0]?.length ?? 0;
  if (columns === 0) return;
  const weights = b.widths ?? Array.from({ length: columns }, () => 1);
  const total = weights.reduce((s, w) => s + w, 0);
  const isLabel = (col: number) => b.headers === null && col % 2 === 0;
  const cell = (text: string, col: number, header: boolean) => ({
    text,
    font: { src: header || isLabel(col) ? fonts.bold : fonts.regular, size: 8.5 },
    backgroundColor: header || isLabel(col) ? '#eeeeee' : undefined,
    align: { x: 'left' as const, y: 'top' as const },
  });
  doc.fillColor('black').strokeColor('#aaaaaa');
  doc.x = MARGIN.left;
  doc.table({
    position: { x: MARGIN.left },
    maxWidth: width,
    columnStyles: weights.map((w) => ({ width: (w / total) * width })),
    defaultStyle: { border: 0.5, borderColor: '#aaaaaa', padding: [2, 3, 2, 3] },
    data: [
      ...(b.headers ? [b.headers.map((h, i) => cell(h, i, true))] : []),
      ...b.rows.map((r) => r.map((c, i) => cell(c, i, false))),
    ],
  });
  doc.moveDown(0.4);
}

/** Renders the report to PDF bytes. */
export function renderReportPdf(doc: ReportDoc, generatedAt: string): Promise<Uint8Array> {
  const fonts = fontPaths();
  const pdf = new (pdfkit())({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: doc.lang === 'zh' ? 'zh-CN' : 'en',
    displayTitle: true,
    info: { Title: doc.title, Creator: 'PosRecon', Producer: 'PosRecon' },
  });
  // A fixed creation date keeps the bytes a function of the content and the generation time.
  pdf.info.CreationDate = new Date(generatedAt.replace(' ', 'T'));
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    pdf.on('error', reject);
  });
  const width = pdf.page.width - MARGIN.left - MARGIN.right;
  pdf.font(fonts.bold).fontSize(17).text(doc.title, { width });
  pdf.font(fonts.regular).fontSize(9).fillColor(GREY).text(doc.subtitle, { width }).fillColor('black');
  pdf.moveDown(0.5);
  for (const b of doc.blocks) drawBlock(pdf, b, width, fonts);

  const { start, count } = pdf.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    pdf.switchToPage(i);
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0; // writing inside the margin must not start a new page
    const page = doc.lang === 'zh' ? `第 ${i + 1} 页，共 ${count} 页` : `Page ${i + 1} of ${count}`;
    pdf
      .font(fonts.regular)
      .fontSize(7.5)
      .fillColor(GREY)
      .text(`${doc.footer}    ${page}`, MARGIN.left, pdf.page.height - 34, {
        width,
        align: 'center',
        lineBreak: false,
      });
    pdf.page.margins.bottom = bottom;
  }
  pdf.end();
  return done;
}
