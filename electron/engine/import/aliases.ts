// The usual header texts for each field across Chinese acquirer, QR-channel and bank exports. Used
// when no preset matches a file (and to fill the fields a preset does not name). Names that mean
// different things in different kinds of file stay out of this list and live in presets only:
//   流水号     — the terminal trace in POS exports, the bank's own serial in statements
//   交易类型   — txn type in POS exports, 来账/往账 in BOC statements (kept: the common meaning wins,
//                presets claim the column first)
//   入账金额   — net in some acquirer files, a credit in some statements
//   凭证号码   — bank voucher numbers in statements (not a POS trace)
//   交易完成时间 — only a time of day in Allinpay files
// Texts are written as a person reads them and normalised at load, so they always compare equal to
// normalizeHeader() of a real header cell.

import type { Field } from './fields';
import { normalizeHeader } from './headers';

const RAW_ALIASES: Record<Field, readonly string[]> = {
  // 交易时间 usually holds date and time; when a file also has 交易日期 it may hold only the time,
  // which the normaliser combines with txnDate.
  txnDateTime: [
    '交易时间',
    '交易日期时间',
    '交易发生时间',
    '支付时间',
    '付款时间',
    '完成时间',
    '创建时间',
    '交易创建时间',
    '下单时间',
    '订单时间',
    '日期时间',
    '时间',
  ],
  txnDate: ['交易日期', '交易日', '发生日期', '交易发生日期', '业务日期', '日期'],
  txnTime: ['交易时刻'],
  clearDate: [
    '清算日期',
    '结算日期',
    '记账日期',
    '入账日期',
    '清算日',
    '结算日',
    '账务日期',
    '会计日期',
    '对账日期',
  ],
  merchantNo: ['商户号', '商户编号', '商户代码', '商户编码', '收单商户号', '商户ID'],
  merchantName: ['商户名称', '商户名', '商户简称', '门店名称', '门店'],
  terminalNo: ['终端号', '终端编号', '终端代码', '终端标识', '终端ID', 'POS终端号'],
  cardNo: ['卡号', '交易卡号', '银行卡号', '付款卡号', '主账号'],
  cardType: ['卡类型', '卡种', '卡类别', '卡种类', '卡性质', '借贷记标识'],
  txnType: ['交易类型', '交易名称', '交易种类', '业务类型'],
  status: ['交易状态', '状态', '交易结果', '处理结果', '订单状态', '支付状态', '应答描述'],
  amount: ['交易金额', '金额', '订单金额', '应结订单金额', '消费金额', '支付金额', '交易本金', '发生额'],
  fee: ['手续费', '商户手续费', '交易手续费', '手续费金额', '服务费', '扣率手续费'],
  net: [
    '结算金额',
    '清算金额',
    '应结金额',
    '应结算金额',
    '商家实收',
    '实收金额',
    '净额',
    '划款金额',
    '结算净额',
  ],
  refundAmount: ['退款金额', '实退金额', '退货金额'],
  rrn: ['参考号', '检索参考号', '系统参考号', '检索号', '交易参考号', '系统检索号', '参考号RRN'],
  trace: ['凭证号', '终端流水号', 'POS流水号', '终端凭证号', '系统跟踪号', '跟踪号', '终端流水'],
  batch: ['批次号', '交易批次号', '终端批次号', '批次'],
  authCode: ['授权码', '授权号'],
  orderNo: ['商户订单号', '订单号', '商户单号', '商家订单号', '外部订单号', '业务系统订单号'],
  channelTxnNo: [
    '交易流水号',
    '微信订单号',
    '支付宝交易号',
    '交易单号',
    '平台流水号',
    '渠道流水号',
    '银行流水号',
  ],
  origRrn: ['原参考号', '原检索参考号', '原交易参考号', '原系统参考号', '原检索号'],
  origTrace: ['原凭证号', '原交易凭证号', '原终端流水号', '原流水号'],
  origOrderNo: ['原订单号', '原商户订单号', '原交易订单号'],
  counterparty: [
    '对方户名',
    '对方账户名称',
    '对方账户名',
    '对方单位',
    '对方单位名称',
    '对方名称',
    '收/付方名称',
    '收(付)方名称',
    '收付方名称',
    '对手方名称',
    '交易对方',
  ],
  counterpartyAccount: [
    '对方账号',
    '对方帐号',
    '对方账户',
    '收/付方账号',
    '收(付)方账号',
    '收(付)方帐号',
    '对手方账号',
    '对方卡号',
  ],
  summary: ['摘要', '交易摘要', '业务摘要', '摘要说明', '交易说明'],
  remark: ['备注', '用途', '附言', '交易附言', '交易用途', '资金用途', '交易备注', '商户备注', '备注信息'],
  balance: ['余额', '账户余额', '联机余额', '本次余额', '交易后余额', '当前余额', '账面余额'],
  credit: [
    '贷方发生额',
    '贷方金额',
    '贷方发生额(收入)',
    '收入金额',
    '收入',
    '存入金额',
    '收方金额',
    '转入金额',
    '来账金额',
    '贷方',
  ],
  debit: [
    '借方发生额',
    '借方金额',
    '借方发生额(支取)',
    '借方发生额(支出)',
    '支出金额',
    '支出',
    '支取金额',
    '付方金额',
    '转出金额',
    '往账金额',
    '借方',
  ],
  direction: [
    '借贷标志',
    '借贷方向',
    '借/贷',
    '借贷',
    '交易方向',
    '来往账标识',
    '来往账标志',
    '收支标志',
    '收/支',
    '收支方向',
  ],
};

function normalised(raw: Record<Field, readonly string[]>): Record<Field, readonly string[]> {
  const out = {} as Record<Field, readonly string[]>;
  for (const field of Object.keys(raw) as Field[]) {
    out[field] = Object.freeze([...new Set(raw[field].map(normalizeHeader))]);
  }
  return Object.freeze(out);
}

export const COMMON_ALIASES: Record<Field, readonly string[]> = normalised(RAW_ALIASES);
