import { useState } from 'react';
import type { ApiError, ApiMapping, Preview } from '../../../shared/api';
import { FIELD_LABELS, type Field } from '../../../shared/fields';
import type { Source } from '../../../shared/records';
import { call } from '../api';
import { asApiError, useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { ErrorBox, SourceSelect } from './common';

// For a layout no preset knows: the user says which row is the header and which column holds
// what; the preview shows the result at once, and the mapping can be saved as a named preset.

const CARD_FIELDS: Field[] = [
  'txnDateTime',
  'txnDate',
  'txnTime',
  'clearDate',
  'amount',
  'fee',
  'net',
  'rrn',
  'trace',
  'batch',
  'authCode',
  'terminalNo',
  'merchantNo',
  'cardNo',
  'cardType',
  'txnType',
  'status',
  'orderNo',
  'origRrn',
];
const STATEMENT_FIELDS: Field[] = [
  'txnDateTime',
  'txnDate',
  'txnTime',
  'amount',
  'credit',
  'debit',
  'direction',
  'counterparty',
  'counterpartyAccount',
  'summary',
  'remark',
  'balance',
];

export function MappingEditor({
  fileId,
  onPreview,
}: {
  fileId: string;
  onPreview: (mapping: ApiMapping, preview: Preview, saveAs: string) => void;
}) {
  const { t, lang } = useI18n();
  const { data, error } = useLoad(() => call('imports.sample', { fileId }), [fileId]);
  const [source, setSource] = useState<Source>('terminal');
  const [headerRow, setHeaderRow] = useState<number | null>(null);
  const [columns, setColumns] = useState<Partial<Record<Field, number>>>({});
  const [saveAs, setSaveAs] = useState('');
  const [failed, setFailed] = useState<ApiError | null>(null);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p>{t('loading')}</p>;
  // The widest of the first rows is the likeliest header.
  const guess = data.rows.reduce(
    (best, r) => (r.cells.filter(Boolean).length > best.cells.filter(Boolean).length ? r : best),
    data.rows[0]!,
  );
  const header = headerRow ?? guess?.row ?? 1;
  const headerCells = data.rows.find((r) => r.row === header)?.cells ?? [];
  const fields = source === 'statement' ? STATEMENT_FIELDS : CARD_FIELDS;
  const preview = () => {
    const mapping: ApiMapping = { source, headerRow: header, columns };
    call('imports.preview', { fileId, mapping }).then(
      (p) => {
        setFailed(null);
        onPreview(mapping, p, saveAs);
      },
      (err: unknown) => setFailed(asApiError(err)),
    );
  };
  return (
    <div className="mapping">
      <h3>{t('mappingTitle')}</h3>
      <div className="preview-wrap">
        <table className="grid sample">
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.row} className={r.row === header ? 'header-row' : ''}>
                <th>
                  <label>
                    <input
                      type="radio"
                      name={`header-${fileId}`}
                      checked={r.row === header}
                      onChange={() => setHeaderRow(r.row)}
                    />
                    {r.row}
                  </label>
                </th>
                {r.cells.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                  <td key={i}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="toolbar">
        <span className="labelled">
          {t('source')}
          <SourceSelect label={t('source')} value={source} onChange={setSource} />
        </span>
        <span className="small">{t('headerRowHint')}</span>
      </div>
      <div className="field-grid">
        {fields.map((f) => (
          <label key={f}>
            <span>{FIELD_LABELS[f][lang]}</span>
            <select
              aria-label={FIELD_LABELS[f][lang]}
              value={columns[f] ?? ''}
              onChange={(e) => {
                const next = { ...columns };
                if (e.target.value) next[f] = Number(e.target.value);
                else delete next[f];
                setColumns(next);
              }}
            >
              <option value="">—</option>
              {headerCells.map((h, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <option key={i} value={i + 1}>
                  {i + 1}. {h}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <div className="toolbar">
        <label>
          {t('saveAsPreset')}
          <input
            aria-label={t('saveAsPreset')}
            value={saveAs}
            placeholder={t('presetName')}
            onChange={(e) => setSaveAs(e.target.value)}
          />
        </label>
        <button type="button" className="primary" onClick={preview}>
          {t('previewMapping')}
        </button>
      </div>
      <ErrorBox error={failed} />
    </div>
  );
}
