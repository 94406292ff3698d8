// Header texts vary in decoration across exports of the same layout: units in brackets, English
// glosses beside the Chinese (BOC: `交易日期[ Transaction Date ]`, `付款人名称[ Payer's Name ]`,
// `客户申请号[ Online Banking Transaction Ref.(Bank Ref.) ]`), WeChat's backticks, stray spaces and
// BOMs, full-width or half-width brackets. Presets and mappings name headers in this normalised form.

const STRIP_CHARS = /[\s\u00a0\u3000\u200b\ufeff`'"*：:]/g;
// A bracketed part holding only a unit, an English gloss or a required-marker: (元) （元） [ Transaction Date ].
// Square brackets are matched on their own so that a gloss may itself hold parentheses.
const BRACKETED = /\[([^\]]*)\]|[(（【]([^)）】]*)[)）】]/g;
const UNIT_OR_GLOSS = /^[\sA-Za-z0-9/._&,'’()-]*$|^(元|人民币|人民币元|分|必填)$/;
// A trailing English gloss separated by a slash or space: 交易日期/Transaction Date
const TRAILING_GLOSS = /[/|][\sA-Za-z0-9._&,-]+$/;
const FULL_WIDTH_PARENS = /[（）]/g;

export function normalizeHeader(text: unknown): string {
  if (text === null || text === undefined) return '';
  let s = String(text);
  s = s.replace(BRACKETED, (whole, square: string | undefined, round: string | undefined) =>
    UNIT_OR_GLOSS.test((square ?? round ?? '').trim()) ? '' : whole,
  );
  if (/[\u4e00-\u9fff]/.test(s)) s = s.replace(TRAILING_GLOSS, '');
  s = s.replace(STRIP_CHARS, '');
  // 收（付）方名称 and 收(付)方名称 are the same header.
  return s.replace(FULL_WIDTH_PARENS, (c) => (c === '（' ? '(' : ')'));
}
