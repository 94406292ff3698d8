import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, Delivered, ReviewQuery, ReviewRow } from '../../../shared/api';
import { MISMATCH_KINDS, MISMATCH_LABELS, type MismatchKind } from '../../../shared/mismatches';
import { hundredthsOf } from '../../../shared/money';
import { CASE_STATUSES, type CaseStatus, STATUS_LABELS } from '../../../shared/statuses';
import { call } from '../api';
import { DeliveredNote, ErrorBox, money, RecordLine } from '../components/common';
import { asApiError } from '../hooks';
import { useI18n } from '../i18n';

// The review table: one line per matched group, terminal | settlement | bank. Only the rows in
// view are rendered and only the pages in view are fetched, so a million groups scroll smoothly.

const ROW = 36;
const PAGE = 100;
const VIEW_ROWS = 18;

type Filters = Omit<ReviewQuery, 'offset' | 'limit'>;

export function ReviewScreen({ go, arg }: { go: (path: string) => void; arg?: string }) {
  const { t, lang } = useI18n();
  const initial: Filters =
    arg === 'problems'
      ? { problemsOnly: true }
      : MISMATCH_KINDS.includes(arg as MismatchKind)
        ? { kind: arg as MismatchKind }
        : {};
  const [filters, setFilters] = useState<Filters>(initial);
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, ReviewRow[]>>(new Map());
  const [scrollTop, setScrollTop] = useState(0);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [delivered, setDelivered] = useState<Delivered | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const generation = useRef(0);

  const fetchPage = useCallback(
    (page: number, gen: number) => {
      call('review.page', { ...filters, offset: page * PAGE, limit: PAGE }).then(
        (res) => {
          if (gen !== generation.current) return;
          setTotal(res.total);
          setPages((old) => new Map(old).set(page, res.rows));
        },
        (err: unknown) => setError(asApiError(err)),
      );
    },
    [filters],
  );

  useEffect(() => {
    generation.current++;
    setPages(new Map());
    setTotal(null);
    setSelected(0);
    body.current?.scrollTo({ top: 0 });
    fetchPage(0, generation.current);
  }, [fetchPage]);

  const first = Math.floor(scrollTop / ROW);
  const visible = Array.from({ length: VIEW_ROWS + 6 }, (_, i) => first + i).filter(
    (i) => total !== null && i < total,
  );
  useEffect(() => {
    for (const page of new Set(visible.map((i) => Math.floor(i / PAGE)))) {
      if (!pages.has(page)) {
        setPages((old) => new Map(old).set(page, []));
        fetchPage(page, generation.current);
      }
    }
  });
  const rowAt = (i: number) => pages.get(Math.floor(i / PAGE))?.[i % PAGE];

  const open = (row: ReviewRow | undefined, status?: string) => {
    const m = row?.mismatches[0];
    if (m) go(`case/${encodeURIComponent(m.id)}${status ? `/${status}` : ''}`);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (total === null) return;
    const row = rowAt(selected);
    const move = (to: number) => {
      const next = Math.max(0, Math.min(total - 1, to));
      setSelected(next);
      const el = body.current;
      if (el && (next * ROW < el.scrollTop || (next + 1) * ROW > el.scrollTop + el.clientHeight)) {
        el.scrollTop = next * ROW - el.clientHeight / 2;
      }
    };
    if (e.key === 'ArrowDown') move(selected + 1);
    else if (e.key === 'ArrowUp') move(selected - 1);
    else if (e.key === 'Enter') open(row);
    else if (e.key === 'i' && row?.mismatches[0]) {
      call('cases.setStatus', { id: row.mismatches[0].id, status: 'investigating' }).then(
        () => setPages(new Map()),
        (err: unknown) => setError(asApiError(err)),
      );
    } else if (e.key === 'd') open(row, 'disputed');
    else if (e.key === 'r') open(row, 'resolved');
    else if (e.key === 'x') open(row, 'dismissed');
    else return;
    e.preventDefault();
  };

  const set = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    for (const k of Object.keys(next) as Array<keyof Filters>)
      if (next[k] === '' || next[k] === undefined) delete next[k];
    setFilters(next);
  };
  const amountFen = (text: string) => (text.trim() === '' ? undefined : hundredthsOf(text));

  return (
    <section className="review">
      <form className="toolbar filters" onSubmit={(e) => e.preventDefault()}>
        <select
          aria-label={t('kind')}
          value={filters.kind ?? ''}
          onChange={(e) => set({ kind: (e.target.value || undefined) as MismatchKind | undefined })}
        >
          <option value="">
            {t('kind')}
            {t('colon')}
            {t('all')}
          </option>
          {MISMATCH_KINDS.map((k) => (
            <option key={k} value={k}>
              {MISMATCH_LABELS[k][lang]}
            </option>
          ))}
        </select>
        <select
          aria-label={t('status')}
          value={filters.status ?? ''}
          onChange={(e) => set({ status: (e.target.value || undefined) as CaseStatus | undefined })}
        >
          <option value="">
            {t('status')}
            {t('colon')}
            {t('all')}
          </option>
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s][lang]}
            </option>
          ))}
        </select>
        <input
          aria-label={t('merchant')}
          placeholder={t('merchant')}
          size={15}
          onChange={(e) => set({ merchantNo: e.target.value || undefined })}
        />
        <input
          aria-label={t('terminal')}
          placeholder={t('terminal')}
          size={9}
          onChange={(e) => set({ terminalNo: e.target.value || undefined })}
        />
        <input
          aria-label={t('from')}
          type="date"
          onChange={(e) => set({ from: e.target.value || undefined })}
        />
        <input aria-label={t('to')} type="date" onChange={(e) => set({ to: e.target.value || undefined })} />
        <input
          aria-label={t('card4')}
          placeholder={t('last4')}
          size={6}
          maxLength={4}
          onChange={(e) => set({ cardLast4: /^\d{4}$/.test(e.target.value) ? e.target.value : undefined })}
        />
        <input
          aria-label={t('amount')}
          placeholder={t('amount')}
          size={8}
          inputMode="decimal"
          onChange={(e) => set({ amountFen: amountFen(e.target.value) })}
        />
        <label>
          <input
            type="checkbox"
            checked={filters.problemsOnly === true}
            onChange={(e) => set({ problemsOnly: e.target.checked || undefined })}
          />
          {t('problemsOnly')}
        </label>
        <select
          aria-label="sort"
          value={filters.sort ?? 'time'}
          onChange={(e) => set({ sort: e.target.value as 'time' | 'amount' })}
        >
          <option value="time">{t('sortTime')}</option>
          <option value="amount">{t('sortAmount')}</option>
        </select>
        <label>
          <input
            type="checkbox"
            checked={filters.descending === true}
            onChange={(e) => set({ descending: e.target.checked || undefined })}
          />
          {t('descending')}
        </label>
        <span className="muted">
          {total === null ? t('loading') : `${total.toLocaleString()} ${t('rowsTotal')}`}
        </span>
        {(['xlsx', 'csv'] as const).map((format) => (
          <button
            key={format}
            type="button"
            onClick={() =>
              call('exports.mismatches', {
                format,
                lang,
                ...(filters.kind ? { kind: filters.kind } : {}),
                ...(filters.status ? { status: filters.status } : {}),
              }).then(setDelivered, (err: unknown) => setError(asApiError(err)))
            }
          >
            {t('exportList')} .{format}
          </button>
        ))}
      </form>
      <DeliveredNote delivered={delivered} />
      <ErrorBox error={error} />
      <p className="hint">{t('keyboardHint')}</p>
      <div className="review-head">
        <span>{t('terminalSide')}</span>
        <span>{t('settlementSide')}</span>
        <span>{t('bankSide')}</span>
        <span>{t('mismatches')}</span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a virtualised grid places rows absolutely, which table rows cannot be */}
      <div
        className="review-body"
        ref={body}
        tabIndex={0}
        role="grid"
        aria-rowcount={total ?? 0}
        onKeyDown={onKey}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        style={{ height: ROW * VIEW_ROWS }}
      >
        <div style={{ height: (total ?? 0) * ROW, position: 'relative' }}>
          {visible.map((i) => {
            const row = rowAt(i);
            return (
              // biome-ignore lint/a11y/useSemanticElements: rows of the virtualised grid above
              // biome-ignore lint/a11y/useKeyWithClickEvents: ↑/↓/Enter are handled by the grid itself
              <div
                key={i}
                tabIndex={-1}
                role="row"
                aria-rowindex={i + 1}
                aria-selected={i === selected}
                className={`review-row${i === selected ? ' selected' : ''}${row?.mismatches.length ? ' problem' : ''}`}
                style={{ top: i * ROW, height: ROW }}
                onClick={() => setSelected(i)}
                onDoubleClick={() => open(row)}
              >
                {row ? (
                  <>
                    <span className="cell">
                      <RecordLine r={row.terminal} differs={row.differs} />
                    </span>
                    <span className="cell">
                      <RecordLine r={row.settlement} differs={row.differs} />
                    </span>
                    <span className="cell">
                      <RecordLine r={row.statement} />
                    </span>
                    <span className="cell tags">
                      {row.mismatches.map((m) => (
                        <a
                          key={m.id}
                          href={`#/case/${encodeURIComponent(m.id)}`}
                          className={`tag kind-${m.kind} status-${m.status}`}
                        >
                          {MISMATCH_LABELS[m.kind][lang]} · {STATUS_LABELS[m.status][lang]}{' '}
                          {m.differenceFen !== null && money(m.differenceFen)}
                        </a>
                      ))}
                    </span>
                  </>
                ) : (
                  <span className="cell muted">{t('loading')}</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
