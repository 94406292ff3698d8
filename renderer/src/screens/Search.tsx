import { useState } from 'react';
import type { ApiError, SearchHit, SearchRequest } from '../../../shared/api';
import { MISMATCH_LABELS } from '../../../shared/mismatches';
import { hundredthsOf } from '../../../shared/money';
import { SOURCE_LABELS } from '../../../shared/records';
import { call } from '../api';
import { ErrorBox, RecordLine } from '../components/common';
import { asApiError } from '../hooks';
import { useI18n } from '../i18n';

/** The counter question: card last 4, amount, roughly when — both sides on one screen. */
export function SearchScreen({ go }: { go: (path: string) => void }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState({ card: '', amount: '', from: '', to: '', rrn: '' });
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = () => {
    const req: SearchRequest = {
      ...(form.card ? { cardLast4: form.card } : {}),
      ...(form.amount ? { amountFen: hundredthsOf(form.amount) } : {}),
      ...(form.from ? { from: form.from } : {}),
      ...(form.to ? { to: form.to } : {}),
      ...(form.rrn ? { rrn: form.rrn } : {}),
    };
    call('search.run', req).then(
      (h) => {
        setHits(h);
        setError(null);
      },
      (err: unknown) => setError(asApiError(err)),
    );
  };
  const field = (
    key: keyof typeof form,
    label: string,
    props: React.InputHTMLAttributes<HTMLInputElement> = {},
  ) => (
    <label>
      {label}
      <input
        aria-label={label}
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        {...props}
      />
    </label>
  );
  return (
    <section className="search">
      <h1>{t('searchTitle')}</h1>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        {field('card', t('card4'), { maxLength: 4, size: 6, inputMode: 'numeric' })}
        {field('amount', t('amount'), { size: 10, inputMode: 'decimal' })}
        {field('from', t('from'), { type: 'date' })}
        {field('to', t('to'), { type: 'date' })}
        {field('rrn', t('rrn'), { size: 14 })}
        <button type="submit" className="primary">
          {t('search')}
        </button>
      </form>
      <ErrorBox error={error} />
      {hits?.length === 0 && <p className="empty">{t('noHits')}</p>}
      {hits && hits.length > 0 && (
        <table className="grid hits">
          <thead>
            <tr>
              <th>{t('source')}</th>
              <th>{t('amount')}</th>
              <th>{t('counterpart')}</th>
              <th>{t('mismatches')}</th>
            </tr>
          </thead>
          <tbody>
            {hits.map((h) => (
              <tr key={h.record.id}>
                <td>
                  <b>{SOURCE_LABELS[h.record.source][lang]}</b>
                  <div className="muted">
                    {h.record.file} · {t('row')} {h.record.row}
                  </div>
                </td>
                <td>
                  <RecordLine r={h.record} />
                </td>
                <td>
                  {h.matchedWith ? (
                    <>
                      <b>{SOURCE_LABELS[h.matchedWith.source][lang]}</b> <RecordLine r={h.matchedWith} />
                    </>
                  ) : (
                    <span className="muted">{t('noCounterpart')}</span>
                  )}
                </td>
                <td>
                  {h.mismatches.map((m) => (
                    <div key={m.id}>
                      <button
                        type="button"
                        className="link"
                        onClick={() => go(`case/${encodeURIComponent(m.id)}`)}
                      >
                        {MISMATCH_LABELS[m.kind][lang]}
                      </button>
                      <div className="small">{m.explanation[lang]}</div>
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
