import type { NormalizedRecord } from '../../shared/records';

/** A successful debit card sale on terminal 12345678, with any field overridden. */
export function normalizedSale(overrides: Partial<NormalizedRecord> = {}): NormalizedRecord {
  return {
    source: 'terminal',
    txnTime: '2026-11-05 10:00:00',
    clearDate: null,
    merchantNo: '898310058120001',
    merchantName: null,
    terminalNo: '12345678',
    cardNo: '622202******1234',
    cardLast4: '1234',
    cardType: 'debit',
    txnType: 'sale',
    status: 'success',
    amountFen: 10_000,
    feeFen: null,
    netFen: null,
    rrn: null,
    trace: null,
    batch: '000001',
    authCode: null,
    orderNo: null,
    channelTxnNo: null,
    origRrn: null,
    origTrace: null,
    origOrderNo: null,
    counterparty: null,
    counterpartyAccount: null,
    summary: null,
    balanceFen: null,
    flags: [],
    ...overrides,
  };
}
