import { useState } from 'react';
import type { ApiError, Delivered, Overview } from '../../../shared/api';
import { MISMATCH_KINDS, MISMATCH_LABELS } from '../../../shared/mismatches';
import { call } from '../api';
import { DeliveredNote, ErrorBox, money } from '../components/common';
import { asApiError, useLoad } from '../hooks';
import { useI18n } from '../i18n';

/** Bars per day: sales, settled, credited, on one scale. */
function DailyChart({ days }: { days: Overview['days'] }) {
  const { t } = useI18n();
  const max = Math.max(1, ...days.flatMap((d) => [d.salesFen, d.settledFen, d.creditedFen]));
  const series = [
    ['salesFen', 'sales', 'bar-sales'],
    ['settledFen', 'settled', 'bar-settled'],
    ['creditedFen', 'credited', 'bar-credited'],
  ] as const;
  const groupWidth = 90;
  const height = 160;
  return (
    <figure className="chart">
      <figcaption>{t('dailyChart')}</figcaption>
      <svg
        width={Math.max(320, days.length * groupWidth + 40)}
        height={height + 40}
        role="img"
        aria-label={t('dailyChart')}
      >
        {days.map((d, i) =>
          series.map(([field, , cls], j) => {
            const h = Math.round((Math.max(0, d[field]) / max) * height);
            return (
              <rect
                key={`${d.day}-${field}`}
                className={cls}
                x={20 + i * groupWidth + j * 24}
                y={height - h + 4}
                width={20}
                height={h}
              >
                <title>{`${d.day} ${money(d[field])}`}</title>
              </rect>
            );
          }),
        )}
        {days.map((d, i) => (
          <text key={d.day} x={20 + i * groupWidth} y={height + 24} className="axis">
            {d.day.slice(5)}
          </text>
        ))}
      </svg>
      <div className="legend">
        {series.map(([, label, cls]) => (
          <span key={label}>
            <i className={`swatch ${cls}`} /> {t(label)}
          </span>
        ))}
      </div>
    </figure>
  );
}

export function OverviewScreen({ go }: { go: (path: string) => void }) {
  const { t, lang } = useI18n();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [draft, setDraft] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const { data, error, reload } = useLoad(() => call('overview.get', range), [range]);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [delivered, setDelivered] = useState<Delivered | null>(null);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p>{t('loading')}</p>;
  const kindMax = Math.max(1, ...MISMATCH_KINDS.map((k) => data.byKind[k].fen));
  const report = (channel: 'reports.close' | 'reports.bankRec') =>
    call(channel, { from: data.from, to: data.to, lang }).then(
      (d) => {
        setDelivered(d);
        setActionError(null);
      },
      (err: unknown) => setActionError(asApiError(err)),
    );
  return (
    <section className="overview">
      <div className="toolbar">
        <label>
          {t('from')}{' '}
          <input
            type="date"
            value={draft.from || data.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label>
          {t('to')}{' '}
          <input
            type="date"
            value={draft.to || data.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        <button
          type="button"
          onClick={() => setRange({ from: draft.from || data.from, to: draft.to || data.to })}
        >
          {t('apply')}
        </button>
        <span className="muted">
          {data.records.toLocaleString()} {t('records')}
        </span>
        <button type="button" className="primary" onClick={() => go('review/problems')}>
          {t('goReview')}
        </button>
        <button type="button" onClick={() => report('reports.close')}>
          {t('closeReport')}
        </button>
        <button type="button" onClick={() => report('reports.bankRec')}>
          {t('bankRec')}
        </button>
      </div>
      <ErrorBox error={actionError} />
      <DeliveredNote delivered={delivered} />
      {data.records === 0 && <p className="empty">{t('noData')}</p>}
      <div className="days">
        {data.days.map((d) => (
          <div key={d.day} className={`day ${d.closed ? 'closed' : d.open > 0 ? 'open' : ''}`}>
            <b>{d.day}</b> {t('closeStatus')}
            {t('colon')}
            {d.closed
              ? `${t('closedBy')} (${d.closed.by} ${d.closed.at})`
              : `${t('notClosed')}${d.open ? ` · ${d.open} ${t('openItems')}` : ''}`}
            {!d.closed && (
              <button
                type="button"
                className="link"
                aria-label={`${t('closeDay')} ${d.day}`}
                onClick={() =>
                  call('reports.closeDay', { day: d.day }).then(reload, (err: unknown) =>
                    setActionError(asApiError(err)),
                  )
                }
              >
                {t('closeDay')}
              </button>
            )}
          </div>
        ))}
      </div>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('merchant')}</th>
            <th>{t('terminal')}</th>
            <th className="n">{t('terminalSide')}</th>
            <th className="n">{t('settlementSide')}</th>
            <th className="n">{t('matched')}</th>
            <th className="n">{t('pending')}</th>
            <th>{t('mismatches')}</th>
          </tr>
        </thead>
        <tbody>
          {data.lines.map((l) => (
            <tr key={`${l.merchantNo}|${l.terminalNo}`}>
              <td>{l.merchantNo}</td>
              <td>{l.terminalNo}</td>
              <td className="n">
                {l.terminal.count} · {money(l.terminal.fen)}
              </td>
              <td className="n">
                {l.settlement.count} · {money(l.settlement.fen)}
              </td>
              <td className="n">{l.matched}</td>
              <td className="n">{l.pending}</td>
              <td>
                {MISMATCH_KINDS.filter((k) => l.mismatches[k]).map((k) => (
                  <span key={k} className={`tag kind-${k}`}>
                    {MISMATCH_LABELS[k][lang]} {l.mismatches[k]!.count}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="charts">
        <DailyChart days={data.days} />
        <figure className="chart">
          <figcaption>{t('byKind')}</figcaption>
          <table className="kinds">
            <tbody>
              {MISMATCH_KINDS.map((k) => (
                <tr key={k}>
                  <td>
                    <a href={`#/review/${k}`}>{MISMATCH_LABELS[k][lang]}</a>
                  </td>
                  <td className="n">{data.byKind[k].count}</td>
                  <td className="n">{money(data.byKind[k].fen)}</td>
                  <td className="barcell">
                    <svg width="160" height="12" aria-hidden="true">
                      <rect
                        className={`kind-bar kind-${k}`}
                        width={Math.round((data.byKind[k].fen / kindMax) * 160)}
                        height="12"
                      />
                    </svg>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      </div>
    </section>
  );
}
