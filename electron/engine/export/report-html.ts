import type { ReportBlock, ReportDoc } from './report-doc';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function block(b: ReportBlock): string {
  if (b.type === 'heading') return `<h2>${esc(b.text)}</h2>`;
  if (b.type === 'paragraph') return `<p>${esc(b.text)}</p>`;
  const total = (b.widths ?? b.rows[0]?.map(() => 1) ?? []).reduce((s, w) => s + w, 0);
  const cols = (b.widths ?? []).map((w) => `<col style="width:${((w / total) * 100).toFixed(1)}%">`).join('');
  const cell = (text: string, tag: 'td' | 'th') => `<${tag}>${esc(text)}</${tag}>`;
  const head = b.headers ? `<thead><tr>${b.headers.map((h) => cell(h, 'th')).join('')}</tr></thead>` : '';
  const rows = b.rows
    .map(
      (r) => `<tr>${r.map((c, i) => cell(c, b.headers === null && i % 2 === 0 ? 'th' : 'td')).join('')}</tr>`,
    )
    .join('');
  return `<table class="${b.headers ? 'grid' : 'facts'}"><colgroup>${cols}</colgroup>${head}<tbody>${rows}</tbody></table>`;
}

/** The report as one self-contained page (no scripts, no remote content), A4 when printed. */
export function renderReportHtml(doc: ReportDoc): string {
  return `<!doctype html>
<html lang="${doc.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(doc.title)}</title>
<style>
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  font-size: 10pt; color: #111; max-width: 182mm; margin: 0 auto; line-height: 1.5; }
h1 { font-size: 17pt; margin: 0 0 2pt; }
.sub { color: #555; margin: 0 0 10pt; }
h2 { font-size: 12pt; margin: 14pt 0 4pt; border-bottom: 1px solid #999; padding-bottom: 2pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; table-layout: fixed; }
td, th { border: 1px solid #aaa; padding: 2pt 4pt; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; font-size: 9pt; }
th { background: #f0f0f0; font-weight: 600; }
.facts th { width: 22%; }
footer { margin-top: 16pt; color: #666; font-size: 8pt; }
</style></head>
<body><h1>${esc(doc.title)}</h1><p class="sub">${esc(doc.subtitle)}</p>
${doc.blocks.map(block).join('\n')}
<footer>${esc(doc.footer)}</footer>
</body></html>
`;
}
