// Known export layouts. Each preset names the header texts that identify its layout (signature) and
// which header feeds which field. Texts are written as they appear in the real files and normalised
// at load, so `signature` and `columns` always hold normalizeHeader() output.
//
// Where a layout comes from: "documented" = the column list was checked against published
// documentation or other public code that parses the file; "partly documented" = some columns
// checked, the rest filled in from how such exports usually look; "assumed" = no public column list
// was found, a plausible layout faithful to shared/domain.md. Assumed layouts should be checked
// against a real export before anyone relies on the preset id.
//
// Signatures must stay distinctive: no two presets may both fully match one real header row
// (tests/engine/import/detect.test.ts checks this against every fixture).

import type { Field } from '../fields';
import { normalizeHeader } from '../headers';
import type { Preset } from './types';

function preset(spec: Preset): Preset {
  const columns: Partial<Record<Field, string[]>> = {};
  for (const field of Object.keys(spec.columns) as Field[]) {
    const names = spec.columns[field];
    if (names) columns[field] = names.map(normalizeHeader);
  }
  return Object.freeze({ ...spec, signature: spec.signature.map(normalizeHeader), columns });
}

// ---------------------------------------------------------------------------------------------
// Acquirer and QR-channel exports

/** 银联商务 商户服务平台 交易明细查询 export. Assumed layout (header row 2 below a title row);
 *  the 30-column variant adds order/discount columns for QR and 全民付 transactions. */
const CHINAUMS_COLUMNS: Preset['columns'] = {
  clearDate: ['清算日期'],
  txnDate: ['交易日期'],
  txnTime: ['交易时间'],
  merchantNo: ['商户编号'],
  merchantName: ['商户名称'],
  terminalNo: ['终端编号'],
  cardNo: ['卡号'],
  cardType: ['卡种'],
  txnType: ['交易类型'],
  status: ['交易状态'],
  amount: ['交易金额'],
  fee: ['手续费'],
  net: ['清算金额'],
  rrn: ['检索参考号'],
  trace: ['凭证号'],
  batch: ['批次号'],
  authCode: ['授权码'],
  origRrn: ['原检索参考号'],
  origTrace: ['原凭证号'],
  orderNo: ['订单号'],
  channelTxnNo: ['系统流水号'],
  remark: ['备注'],
};
const CHINAUMS_SIGNATURE = ['清算日期', '商户编号', '终端编号', '卡种', '检索参考号', '清算金额', '交易状态'];

const chinaums26 = preset({
  id: 'chinaums-26',
  name: { zh: '银联商务 商户交易明细（26列）', en: 'ChinaUMS merchant transaction detail (26 columns)' },
  source: 'terminal',
  signature: CHINAUMS_SIGNATURE,
  columnCount: 26,
  columns: CHINAUMS_COLUMNS,
});

const chinaums30 = preset({
  id: 'chinaums-30',
  name: { zh: '银联商务 商户交易明细（30列）', en: 'ChinaUMS merchant transaction detail (30 columns)' },
  source: 'terminal',
  signature: CHINAUMS_SIGNATURE,
  columnCount: 30,
  columns: CHINAUMS_COLUMNS,
});

/** 通联支付（收银宝）对账单. Documented: prodoc.allinpay.com/doc/1403 (34 columns, comma separated;
 *  交易时间 is HH:mm:ss only, the date is in 交易日期). */
const allinpay = preset({
  id: 'allinpay',
  name: { zh: '通联支付 对账单', en: 'Allinpay reconciliation file' },
  source: 'settlement',
  signature: ['门店名称', '交易批次号', '卡类别', '发卡行机构代码', '对接应用号', '交易单号'],
  columns: {
    txnDate: ['交易日期'],
    txnTime: ['交易时间'],
    merchantNo: ['商户号'],
    merchantName: ['门店名称'],
    terminalNo: ['终端号'],
    cardNo: ['卡号'],
    cardType: ['卡类别'],
    txnType: ['交易类型'],
    amount: ['交易金额'],
    fee: ['手续费'],
    net: ['结算金额'],
    rrn: ['参考号'],
    trace: ['凭证号'],
    batch: ['交易批次号'],
    orderNo: ['订单号'],
    channelTxnNo: ['交易单号'],
    remark: ['商户备注'],
  },
});

/** 乐刷 交易对账单 (代理商_trade_new_日期.txt). Documented: kancloud.cn/leshuadocs/saas/1099895 —
 *  25 fields, amounts in fen, `*` or empty for "not applicable", title line marked BT and records
 *  BV. The delimiter is not documented; comma assumed. 支付时间 is the completion time Leshua
 *  settles by; 交易时间 is the settlement time for T0 orders. */
const leshua = preset({
  id: 'leshua',
  name: { zh: '乐刷 交易对账单', en: 'Leshua transaction reconciliation file' },
  source: 'settlement',
  signature: ['资金流向', '商户优惠类型', '扫码支付交易类型', '支付时间'],
  amountUnit: 'fen',
  columns: {
    txnDateTime: ['支付时间', '交易时间'],
    merchantNo: ['商户号'],
    terminalNo: ['终端号'],
    cardType: ['卡类型'],
    txnType: ['交易类型'],
    amount: ['交易金额(分)'],
    fee: ['手续费(分)'],
    net: ['结算金额(分)'],
    rrn: ['参考号'],
    trace: ['凭证号'],
    orderNo: ['第三方订单号'],
    channelTxnNo: ['订单号'],
    summary: ['支付方式'],
  },
});

/** 微信支付 交易账单 (bill_type=ALL). Documented: pay.weixin.qq.com downloadbill. UTF-8 with BOM,
 *  every data field prefixed with a backtick, two summary lines at the end. 交易状态 holds
 *  SUCCESS/REFUND/REVOKED, which is really the row's transaction type; 交易类型 (JSAPI/NATIVE/
 *  MICROPAY) is the payment product and is not mapped. */
const wechatTrade = preset({
  id: 'wechat-trade',
  name: { zh: '微信支付 交易账单', en: 'WeChat Pay trade bill' },
  source: 'settlement',
  cardType: 'qr',
  // The trade bill lists completed payments and refunds only; 交易状态 says which (SUCCESS/REFUND).
  status: 'success',
  signature: ['公众账号ID', '微信订单号', '商户订单号', '应结订单金额'],
  columns: {
    txnDateTime: ['交易时间'],
    merchantNo: ['商户号'],
    terminalNo: ['设备号'],
    txnType: ['交易状态'],
    amount: ['应结订单金额'],
    refundAmount: ['退款金额'],
    fee: ['手续费'],
    orderNo: ['商户订单号'],
    channelTxnNo: ['微信订单号'],
    summary: ['商品名称'],
    remark: ['商户数据包'],
  },
});

/** 支付宝 商家 业务明细 (…_业务明细.csv). Partly documented: GBK, `#`-prefixed preamble and summary
 *  block; the column list follows the merchant-centre export as commonly seen. */
const alipayDetail = preset({
  id: 'alipay-detail',
  name: { zh: '支付宝 业务明细', en: 'Alipay business detail' },
  source: 'settlement',
  cardType: 'qr',
  // 业务明细 lists completed trades and refunds only (业务类型 says which).
  status: 'success',
  signature: ['支付宝交易号', '商户订单号', '业务类型', '商家实收'],
  columns: {
    txnDateTime: ['完成时间', '创建时间'],
    merchantName: ['门店名称'],
    terminalNo: ['终端号'],
    txnType: ['业务类型'],
    amount: ['订单金额（元）'],
    fee: ['服务费（元）'],
    net: ['商家实收（元）'],
    orderNo: ['商户订单号'],
    channelTxnNo: ['支付宝交易号'],
    summary: ['商品名称'],
    remark: ['备注'],
  },
});

/** A generic acquirer 清算明细 / 结算明细, as described in shared/domain.md. */
const genericSettlement = preset({
  id: 'generic-settlement',
  name: { zh: '通用 清算明细', en: 'Generic settlement detail' },
  source: 'settlement',
  signature: ['清算日期', '交易时间', '终端号', '参考号', '卡号', '交易金额', '手续费', '结算金额'],
  columns: {
    clearDate: ['清算日期', '结算日期'],
    txnDateTime: ['交易时间'],
    merchantNo: ['商户号'],
    merchantName: ['商户名称'],
    terminalNo: ['终端号'],
    cardNo: ['卡号'],
    cardType: ['卡类型'],
    txnType: ['交易类型'],
    amount: ['交易金额'],
    fee: ['手续费'],
    net: ['结算金额'],
    rrn: ['参考号'],
    trace: ['凭证号'],
    batch: ['批次号'],
    origRrn: ['原参考号'],
  },
});

/** A generic terminal / acquirer-portal 交易明细, as described in shared/domain.md. */
const genericTerminal = preset({
  id: 'generic-terminal',
  name: { zh: '通用 终端交易明细', en: 'Generic terminal transaction detail' },
  source: 'terminal',
  signature: ['交易时间', '终端号', '卡号', '卡类型', '交易金额', '凭证号', '批次号', '参考号', '交易状态'],
  columns: {
    txnDateTime: ['交易时间'],
    merchantNo: ['商户号'],
    merchantName: ['商户名称'],
    terminalNo: ['终端号'],
    cardNo: ['卡号'],
    cardType: ['卡类型'],
    txnType: ['交易类型'],
    status: ['交易状态'],
    amount: ['交易金额'],
    fee: ['手续费'],
    net: ['结算金额'],
    rrn: ['参考号'],
    trace: ['凭证号'],
    batch: ['批次号'],
    authCode: ['授权码'],
    origRrn: ['原参考号'],
    origTrace: ['原凭证号'],
  },
});

// ---------------------------------------------------------------------------------------------
// Bank statements

/** 工商银行 企业网银 历史明细 (old layout). Partly documented (public importers read 本方账号,
 *  对方单位名称, 对方账号, 贷方发生额, 交易时间, 摘要, 用途, 个性化信息 with the header on row 3).
 *  凭证号 here is a bank voucher number, claimed as channelTxnNo so it is never taken for a POS trace. */
const icbcCorpOld = preset({
  id: 'icbc-corp-old',
  name: { zh: '工商银行 企业网银明细（旧版）', en: 'ICBC corporate statement (old layout)' },
  source: 'statement',
  signature: ['本方账号', '对方单位名称', '借方发生额', '贷方发生额', '个性化信息'],
  columns: {
    txnDateTime: ['交易时间'],
    direction: ['借/贷'],
    debit: ['借方发生额'],
    credit: ['贷方发生额'],
    balance: ['余额'],
    counterparty: ['对方单位名称'],
    counterpartyAccount: ['对方账号'],
    summary: ['摘要'],
    remark: ['用途', '个性化信息'],
    channelTxnNo: ['凭证号'],
  },
});

/** 工商银行 企业网银 账户明细 (new layout). Assumed layout. */
const icbcCorpNew = preset({
  id: 'icbc-corp-new',
  name: { zh: '工商银行 企业网银明细（新版）', en: 'ICBC corporate statement (new layout)' },
  source: 'statement',
  signature: ['本方户名', '对方开户行', '回单编号', '借方发生额', '贷方发生额'],
  columns: {
    txnDate: ['交易日期'],
    txnTime: ['交易时间'],
    clearDate: ['记账日期'],
    debit: ['借方发生额'],
    credit: ['贷方发生额'],
    balance: ['余额'],
    counterparty: ['对方户名'],
    counterpartyAccount: ['对方账号'],
    summary: ['摘要'],
    remark: ['用途', '附言'],
    channelTxnNo: ['交易流水号'],
  },
});

/** 工商银行 个人网银 借记卡账户历史明细 (CSV). Partly documented from public importers; date only,
 *  收入/支出 split into separate columns, in both transaction and booking currency. */
const icbcPersonal = preset({
  id: 'icbc-personal',
  name: { zh: '工商银行 个人账户历史明细', en: 'ICBC personal account history' },
  source: 'statement',
  signature: ['交易场所', '交易国家或地区简称', '记账金额(收入)', '记账金额(支出)'],
  columns: {
    txnDate: ['交易日期'],
    credit: ['记账金额(收入)', '交易金额(收入)'],
    debit: ['记账金额(支出)', '交易金额(支出)'],
    balance: ['余额'],
    counterparty: ['对方户名'],
    summary: ['摘要'],
    remark: ['交易场所'],
  },
});

/** 建设银行 企业网银 账户明细 (.xls, header on row 6). Partly documented (对方户名, 对方账号,
 *  贷方发生额（收入）, 交易时间, 摘要, 备注; 账户明细编号-交易流水号 as commonly seen). */
const ccbA = preset({
  id: 'ccb-a',
  name: { zh: '建设银行 企业账户明细', en: 'CCB corporate account detail' },
  source: 'statement',
  signature: ['借方发生额（支取）', '贷方发生额（收入）', '账户明细编号-交易流水号'],
  columns: {
    txnDateTime: ['交易时间'],
    clearDate: ['记账日期'],
    debit: ['借方发生额（支取）'],
    credit: ['贷方发生额（收入）'],
    balance: ['余额'],
    counterparty: ['对方户名'],
    counterpartyAccount: ['对方账号'],
    summary: ['摘要'],
    remark: ['备注'],
    channelTxnNo: ['账户明细编号-交易流水号'],
  },
});

/** 建设银行 个人活期账户交易明细 (CSV). Documented from a public importer: 序号, 摘要, 币别, 钞汇,
 *  交易日期, 交易金额 (signed), 账户余额, 交易地点/附言, 对方账号与户名. */
const ccbB = preset({
  id: 'ccb-b',
  name: { zh: '建设银行 个人账户交易明细', en: 'CCB personal account transactions' },
  source: 'statement',
  signature: ['序号', '币别', '钞汇', '账户余额', '对方账号与户名'],
  columns: {
    txnDate: ['交易日期'],
    amount: ['交易金额'],
    balance: ['账户余额'],
    counterparty: ['对方账号与户名'],
    summary: ['摘要'],
    remark: ['交易地点/附言'],
  },
});

/** 农业银行 企业网银 账户明细. Assumed layout (收入金额/支出金额, 本次余额). */
const abc = preset({
  id: 'abc',
  name: { zh: '农业银行 账户明细', en: 'ABC account detail' },
  source: 'statement',
  signature: ['本次余额', '手续费总额', '交易行名', '对方省市'],
  columns: {
    txnDateTime: ['交易时间'],
    credit: ['收入金额'],
    debit: ['支出金额'],
    balance: ['本次余额'],
    counterparty: ['对方户名'],
    counterpartyAccount: ['对方账号'],
    summary: ['交易说明'],
    remark: ['交易用途'],
  },
});

/** 中国银行 企业网银 交易明细 (.xls, bilingual headers, header on row 8). Documented from several
 *  public parsers. One signed 交易金额; 交易类型 holds 来账/往账. The counterparty of a credit is
 *  the payer (付款人名称); for a debit it is the payee, which this preset cannot express per row —
 *  credits are what reconciliation needs. */
const boc = preset({
  id: 'boc',
  name: { zh: '中国银行 交易明细', en: 'Bank of China transaction detail' },
  source: 'statement',
  signature: [
    '交易类型[ Transaction Type ]',
    "付款人名称[ Payer's Name ]",
    "收款人名称[ Payee's Name ]",
    '交易后余额[ After-transaction balance ]',
    '起息日期[ Value Date ]',
    '记录标识号[ Record ID ]',
  ],
  columns: {
    txnDate: ['交易日期[ Transaction Date ]'],
    txnTime: ['交易时间[ Transaction time ]'],
    direction: ['交易类型[ Transaction Type ]'],
    amount: ['交易金额[ Trade Amount ]'],
    balance: ['交易后余额[ After-transaction balance ]'],
    counterparty: ["付款人名称[ Payer's Name ]"],
    counterpartyAccount: ['付款人账号[ Debit Account No. ]'],
    summary: ['摘要[ Reference ]'],
    remark: ['用途[ Purpose ]', '交易附言[ Remark ]'],
    channelTxnNo: ['交易流水号[ Transaction reference number ]'],
  },
});

/** 交通银行 企业网银 账户明细 (header on row 2). Partly documented (对方户名, 对方账号, 贷方发生额,
 *  交易时间, 摘要 on row 2); the remaining columns are assumed. */
const bocom = preset({
  id: 'bocom',
  name: { zh: '交通银行 账户明细', en: 'BOCOM account detail' },
  source: 'statement',
  signature: ['凭证种类', '凭证号码', '会计流水号', '对方开户行名'],
  columns: {
    txnDateTime: ['交易时间'],
    debit: ['借方发生额'],
    credit: ['贷方发生额'],
    balance: ['余额'],
    counterparty: ['对方户名'],
    counterpartyAccount: ['对方账号'],
    summary: ['摘要'],
    remark: ['附言'],
    channelTxnNo: ['会计流水号'],
  },
});

/** 招商银行 企业网银 交易明细. Partly documented: 交易日, 交易时间, 起息日, 交易类型, 借方金额,
 *  贷方金额, 余额, 摘要, 流水号, 收(付)方名称, 收(付)方帐号 …; 流水号 is the bank's serial. */
const cmb = preset({
  id: 'cmb',
  name: { zh: '招商银行 交易明细', en: 'CMB transaction detail' },
  source: 'statement',
  signature: ['交易日', '起息日', '流程实例号', '收(付)方名称', '收(付)方帐号'],
  columns: {
    txnDate: ['交易日'],
    txnTime: ['交易时间'],
    debit: ['借方金额'],
    credit: ['贷方金额'],
    balance: ['余额'],
    counterparty: ['收(付)方名称'],
    counterpartyAccount: ['收(付)方帐号'],
    summary: ['摘要'],
    remark: ['用途'],
    channelTxnNo: ['流水号'],
  },
});

/** 民生银行 账户对账单 (header on row 12). Documented from a public importer: 凭证类型, 凭证号码,
 *  交易时间, 摘要, 交易金额 (signed), 账户余额, 现转标志, 交易渠道, 交易机构, 对方户名/账号, 对方行名. */
const cmbc = preset({
  id: 'cmbc',
  name: { zh: '民生银行 账户对账单', en: 'CMBC account statement' },
  source: 'statement',
  signature: ['现转标志', '交易渠道', '交易机构', '对方户名/账号'],
  columns: {
    txnDateTime: ['交易时间'],
    amount: ['交易金额'],
    balance: ['账户余额'],
    counterparty: ['对方户名/账号'],
    summary: ['摘要'],
    channelTxnNo: ['凭证号码'],
  },
});

/** 平安银行 企业网银 交易明细. Assumed layout (收入/支出 columns). */
const pingan = preset({
  id: 'pingan',
  name: { zh: '平安银行 交易明细', en: 'Ping An Bank transaction detail' },
  source: 'statement',
  signature: ['对方账户名称', '对方账户开户行', '收入', '支出', '账户余额'],
  columns: {
    txnDateTime: ['交易时间'],
    credit: ['收入'],
    debit: ['支出'],
    balance: ['账户余额'],
    counterparty: ['对方账户名称'],
    counterpartyAccount: ['对方账号'],
    summary: ['摘要'],
    remark: ['用途'],
    channelTxnNo: ['交易流水号'],
  },
});

export const PRESETS: readonly Preset[] = Object.freeze([
  chinaums26,
  chinaums30,
  allinpay,
  leshua,
  wechatTrade,
  alipayDetail,
  genericSettlement,
  genericTerminal,
  icbcCorpOld,
  icbcCorpNew,
  icbcPersonal,
  ccbA,
  ccbB,
  abc,
  boc,
  bocom,
  cmb,
  cmbc,
  pingan,
]);

const BY_ID = new Map(PRESETS.map((p) => [p.id, p]));

export function presetById(id: string): Preset | undefined {
  return BY_ID.get(id);
}
