import type { Bilingual, CardType, Source, TxnStatus } from '../../../../shared/records';
import type { Field } from '../fields';

/** A known export layout: how to recognise its header row and which header feeds which field. */
export interface Preset {
  /** Stable id used on the command line (`--preset`) and stored with each import. */
  id: string;
  name: Bilingual;
  source: Source;
  /** Header texts (as normalizeHeader returns them) that must all be present in the header row. */
  signature: string[];
  /** Field → accepted header texts (normalised), in preference order. The first present wins. */
  columns: Partial<Record<Field, string[]>>;
  /** Exact column count, when two variants share a signature (ChinaUMS 26 vs 30 columns). */
  columnCount?: number;
  /** Amount columns hold fen rather than yuan (some acquirer text files). */
  amountUnit?: 'yuan' | 'fen';
  /** Every row of this layout is of one card type (QR bills from WeChat Pay and Alipay: 'qr'). */
  cardType?: CardType;
  /** Every row has this status (bills that list only completed payments and refunds). */
  status?: TxnStatus;
}
