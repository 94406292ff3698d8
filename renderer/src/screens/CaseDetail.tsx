import { useState } from 'react';
import type { ApiError, Delivered, MismatchDetail, Res } from '../../../shared/api';
import { MISMATCH_LABELS } from '../../../shared/mismatches';
import { hundredthsOf } from '../../../shared/money';
import { RECORD_FIELDS } from '../../../shared/record-fields';
import { type Lang, SOURCE_LABELS } from '../../../shared/records';
import { STATUS_LABELS, USER_STATUSES, type UserStatus } from '../../../shared/statuses';
import { call, handOver } from '../api';
import { DeliveredNote, ErrorBox, money, RecordLine } from '../components/common';
import { asApiError, useLoad } from '../hooks';
import { useI18n } from '../i18n';

function StatusForm({ d, onDone }: { d: MismatchDetail; onDone: (next: MismatchDetail) => void }) {
  const { t, lang } = useI18n();
  const preset = location.hash.split('/')[3] as UserStatus | undefined;
  const [status, setStatus] = useState<UserStatus>(
    preset && USER_STATUSES.includes(preset)
      ? preset
      : d.mismatch.status === 'closed'
        ? 'open'
        : d.mismatch.status,
  );
  const [ticketNo, setTicketNo] = useState(d.mismatch.ticketNo ?? '');
  const [ticketDate, setTicketDate] = useState(d.mismatch.ticketDate ?? '');
  const [recovered, setRecovered] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const submit = () => {
    const fen = recovered.trim() === '' ? undefined : hundredthsOf(recovered);
    call('cases.setStatus', {
      id: d.mismatch.id,
      status,
      ...(status === 'disputed' ? { ticketNo, ...(ticketDate ? { ticketDate } : {}) } : {}),
      ...(status === 'resolved' && fen !== undefined && !Number.isNaN(fen) ? { recoveredFen: fen } : {}),
      ...(status === 'dismissed' ? { reason } : {}),
    }).then(
      (next) => {
        setError(null);
        onDone(next);
      },
      (err: unknown) => setError(asApiError(err)),
    );
  };
  return (
    <form
      className="status-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        {t('setStatus')}
        <select
          aria-label={t('setStatus')}
          value={status}
          onChange={(e) => setStatus(e.target.value as UserStatus)}
        >
          {USER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s][lang]}
            </option>
          ))}
        </select>
      </label>
      {status === 'disputed' && (
        <>
          <label>
            {t('ticketNo')}{' '}
            <input
              aria-label={t('ticketNo')}
              value={ticketNo}
              onChange={(e) => setTicketNo(e.target.value)}
            />
          </label>
          <label>
            {t('ticketDate')}{' '}
            <input
              aria-label={t('ticketDate')}
              type="date"
              value={ticketDate}
              onChange={(e) => setTicketDate(e.target.value)}
            />
          </label>
        </>
      )}
      {status === 'resolved' && (
        <label>
          {t('recovered')}{' '}
          <input
            aria-label={t('recovered')}
            inputMode="decimal"
            value={recovered}
            onChange={(e) => setRecovered(e.target.value)}
          />
        </label>
      )}
      {status === 'dismissed' && (
        <label>
          {t('dismissReason')}{' '}
          <input aria-label={t('dismissReason')} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      <button type="submit" className="primary">
        {t('save')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

/** A manual match for a record the data left without its other side: candidates with the same
 *  terminal and amount within a day, one click to pair them (kept on every later run). */
function ManualMatch({ id, onMatched }: { id: string; onMatched: () => void }) {
  const { t, lang } = useI18n();
  const [list, setList] = useState<Res<'cases.candidates'> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (!list) {
    return (
      <>
        <button
          type="button"
          onClick={() =>
            call('cases.candidates', { id }).then(setList, (e: unknown) => setError(asApiError(e)))
          }
        >
          {t('matchWith')}
        </button>
        <ErrorBox error={error} />
      </>
    );
  }
  return (
    <div className="manual-match">
      {list.length === 0 && <p className="muted">{t('noCandidates')}</p>}
      {list.map(({ for: r, candidates }) => (
        <div key={r.id}>
          <p className="small">
            {SOURCE_LABELS[r.source][lang]} <RecordLine r={r} />
          </p>
          {candidates.length === 0 && <p className="muted">{t('noCandidates')}</p>}
          <ul>
            {candidates.map((c) => (
              <li key={c.id}>
                {SOURCE_LABELS[c.source][lang]} <RecordLine r={c} />{' '}
                <span className="muted">
                  {c.file} · {t('row')} {c.row}
                </span>{' '}
                <button
                  type="button"
                  onClick={() => {
                    const [terminalId, settlementId] = r.source === 'terminal' ? [r.id, c.id] : [c.id, r.id];
                    call('cases.link', { terminalId, settlementId, action: 'match' }).then(
                      onMatched,
                      (e: unknown) => setError(asApiError(e)),
                    );
                  }}
                >
                  {t('match')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <ErrorBox error={error} />
    </div>
  );
}

export function CaseDetail({ id, go }: { id: string; go: (path: string) => void }) {
  const { t, lang } = useI18n();
  const { data: d, error, reload, set } = useLoad(() => call('mismatches.get', { id }), [id]);
  const [note, setNote] = useState('');
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [delivered, setDelivered] = useState<Delivered | null>(null);
  if (error) return <ErrorBox error={error} />;
  if (!d) return <p>{t('loading')}</p>;
  const m = d.mismatch;
  const failed = (err: unknown) => setActionError(asApiError(err));
  /** A change to the mismatch: shows the detail it answers with. */
  const act = (p: Promise<MismatchDetail>, after?: () => void) =>
    p.then((next) => {
      setActionError(null);
      set(next);
      after?.();
    }, failed);
  /** An export, which changes nothing shown: only its download link. */
  const deliver = (lang: Lang) =>
    call('exports.bundle', { mismatchIds: [m.id], lang }).then((d) => {
      setActionError(null);
      setDelivered(d);
    }, failed);
  const attach = (files: File[]) =>
    act(
      handOver(files).then(async (picked) => {
        // Each attachment answers with the detail; none attached leaves it as shown.
        let last = d;
        for (const p of picked) last = await call('cases.attach', { id: m.id, fileId: p.fileId });
        return last;
      }),
    );
  const terminal = m.records.find((r) => r.source === 'terminal');
  const settlement = m.records.find((r) => r.source === 'settlement');
  return (
    <section className="case">
      <div className="toolbar">
        <button type="button" onClick={() => history.back()}>
          ← {t('back')}
        </button>
        <h1>
          {MISMATCH_LABELS[m.kind][lang]} <small>{m.id}</small>
        </h1>
        <span className={`tag status-${m.status}`}>{STATUS_LABELS[m.status][lang]}</span>
      </div>
      <p className="explanation">{m.explanation[lang]}</p>
      <dl className="facts">
        <dt>{t('expected')}</dt>
        <dd>{money(m.expectedFen)}</dd>
        <dt>{t('actual')}</dt>
        <dd>{money(m.actualFen)}</dd>
        <dt>{t('difference')}</dt>
        <dd>{money(m.differenceFen)}</dd>
        <dt>{t('rule')}</dt>
        <dd>{d.rule[lang]}</dd>
        {m.ticketNo && (
          <>
            <dt>{t('ticketNo')}</dt>
            <dd>
              {m.ticketNo} {m.ticketDate}
            </dd>
          </>
        )}
        {m.closedReason && (
          <>
            <dt>{t('status')}</dt>
            <dd>{m.closedReason[lang]}</dd>
          </>
        )}
      </dl>
      <div className="records-wrap">
        <table className="grid records">
          <thead>
            <tr>
              <th>{t('fields')}</th>
              {m.records.map((r) => (
                <th key={r.id}>{SOURCE_LABELS[r.source][lang]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {RECORD_FIELDS.map(({ label, get }) => {
              const values = m.records.map((r) => get(r, lang));
              if (values.every((v) => !v)) return null;
              return (
                <tr key={label.en}>
                  <th>{label[lang]}</th>
                  {values.map((v, i) => (
                    <td key={m.records[i]!.id}>{v ?? ''}</td>
                  ))}
                </tr>
              );
            })}
            <tr>
              <th>{t('originalRow')}</th>
              {m.records.map((r) => {
                const o = d.originals[r.id];
                return (
                  <td key={r.id} className="original">
                    <div className="where">
                      {r.file}
                      {r.sheet ? ` [${r.sheet}]` : ''} · {t('row')} {r.row}
                    </div>
                    <div className="cells">
                      {o?.cells.map((c, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                        <span key={i} className="cellbox">
                          {c}
                        </span>
                      ))}
                    </div>
                  </td>
                );
              })}
            </tr>
          </tbody>
        </table>
      </div>
      <ErrorBox error={actionError} />
      <div className="case-columns">
        <div>
          <h2>{t('workflow')}</h2>
          <StatusForm key={`${m.id}-${m.status}`} d={d} onDone={set} />
          <form
            className="note-form"
            onSubmit={(e) => {
              e.preventDefault();
              act(call('cases.addNote', { id: m.id, note }), () => setNote(''));
            }}
          >
            <textarea
              aria-label={t('note')}
              placeholder={t('note')}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              rows={2}
            />
            <button type="submit" disabled={!note.trim()}>
              {t('addNote')}
            </button>
          </form>
          <h2>{t('attachments')}</h2>
          {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is the shortcut; the file button below does the same */}
          <div
            className="attach-drop"
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              attach([...e.dataTransfer.files]);
            }}
          >
            <p className="small">{t('dropAttachments')}</p>
            <ul className="attachments">
              {d.attachments.map((a) => (
                <li key={a.id}>
                  {a.fileName}{' '}
                  <span className="muted">
                    ({a.size.toLocaleString()} B · {a.addedBy} · {a.addedAt})
                  </span>
                </li>
              ))}
            </ul>
            <label className="file-pick">
              {t('addAttachment')}
              <input
                type="file"
                aria-label={t('addAttachment')}
                onChange={(e) => {
                  const files = [...(e.target.files ?? [])];
                  e.target.value = '';
                  attach(files);
                }}
              />
            </label>
          </div>
          <div className="actions">
            <button type="button" onClick={() => deliver('zh')}>
              {t('exportBundle')}
            </button>
            <button type="button" onClick={() => deliver('en')}>
              {t('exportBundleEn')}
            </button>
            {terminal && settlement && (
              <button
                type="button"
                // The pair leaves this mismatch behind: back to the review table, nothing to reload.
                onClick={() =>
                  call('cases.link', {
                    terminalId: terminal.id,
                    settlementId: settlement.id,
                    action: 'unmatch',
                  }).then(() => go('review'), failed)
                }
              >
                {t('unmatch')}
              </button>
            )}
            {/* Only these kinds leave a record without its other side, which a person may know. */}
            {m.status !== 'closed' && (m.kind === 'not_settled' || m.kind === 'charged_not_recorded') && (
              <ManualMatch id={m.id} onMatched={reload} />
            )}
          </div>
          <DeliveredNote delivered={delivered} />
        </div>
        <div>
          <h2>{t('caseHistory')}</h2>
          <ol className="history">
            <li>
              <span className="muted">{m.firstSeen}</span> {lang === 'zh' ? '对账发现' : 'found by reconcile'}
            </li>
            {d.history.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: history is append-only
              <li key={i}>
                <span className="muted">{h.at}</span> {h.user}
                {t('colon')}
                {h.text[lang]}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}
