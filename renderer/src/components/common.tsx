import type { ApiError, ApiRecord, Delivered } from '../../../shared/api';
import { yuan } from '../../../shared/money';
import { SOURCE_LABELS, SOURCES, type Source } from '../../../shared/records';
import { useI18n } from '../i18n';

export function ErrorBox({ error }: { error: ApiError | null }) {
  const { lang, t } = useI18n();
  if (!error) return null;
  return (
    <div className="error" role="alert">
      {t('error')}
      {t('colon')}
      {error[lang]}
    </div>
  );
}

export const money = (fen: number | null | undefined) =>
  fen === null || fen === undefined ? '—' : yuan(fen);

/** A record in one line: time, card, amount, reference; fields that differ from the other side
 *  are highlighted. */
export function RecordLine({ r, differs = [] }: { r: ApiRecord | null; differs?: readonly string[] }) {
  const { t } = useI18n();
  if (!r) return <span className="missing">—</span>;
  const hl = (field: string) => (differs.includes(field) ? ' differs' : '');
  const when = r.txnTime ?? r.clearDate ?? '';
  const whole = [
    when,
    r.cardNo ?? r.cardLast4,
    money(r.amountFen),
    r.rrn && `${t('rrn')} ${r.rrn}`,
    r.trace && `${t('trace')} ${r.trace}`,
    r.counterparty,
  ]
    .filter(Boolean)
    .join('  ');
  return (
    <span className="record-line" title={whole}>
      {/* The year is the same on almost every line: leave it to the tooltip to save width. */}
      <span className={`time${hl('txnTime')}`}>{when.slice(5)}</span>
      {r.cardLast4 && <span className={`card${hl('cardLast4')}`}>…{r.cardLast4}</span>}
      <span className={`amount${hl('amountFen')}`}>{money(r.amountFen)}</span>
      {r.rrn && <span className={`rrn${hl('rrn')}`}>{r.rrn}</span>}
      {r.source === 'statement' && r.counterparty && <span className="cp">{r.counterparty}</span>}
    </span>
  );
}

/** Where an export went: a download link in a browser, the saved path in the desktop app. */
export function DeliveredNote({ delivered }: { delivered: Delivered | null }) {
  const { t } = useI18n();
  if (!delivered) return null;
  return (
    <p className="delivered">
      {delivered.downloadUrl ? (
        <a href={delivered.downloadUrl} download={delivered.name}>
          {t('download')} {delivered.name}
        </a>
      ) : (
        `${t('savedTo')} ${delivered.savedTo ?? '—'}`
      )}
    </p>
  );
}

/** Which of the three sources a file is; `auto` adds the choice to let the import detect it. */
export function SourceSelect<T extends Source | ''>({
  value,
  onChange,
  label,
  auto,
}: {
  value: T;
  onChange: (value: T) => void;
  label: string;
  auto?: string;
}) {
  const { lang } = useI18n();
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as T)}>
      {auto !== undefined && <option value="">{auto}</option>}
      {SOURCES.map((s) => (
        <option key={s} value={s}>
          {SOURCE_LABELS[s][lang]}
        </option>
      ))}
    </select>
  );
}
