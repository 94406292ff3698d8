import { useState } from 'react';
import type { ApiError, SettingsView } from '../../../shared/api';
import { hundredthsOf } from '../../../shared/money';
import { CARD_TYPE_LABELS, FEE_CARD_TYPES, type FeeCardType } from '../../../shared/records';
import { call } from '../api';
import { ErrorBox, money } from '../components/common';
import { asApiError, useLoad } from '../hooks';
import { useI18n } from '../i18n';

function FeeRow({
  card,
  view,
  onSaved,
  scope,
}: {
  card: FeeCardType;
  view: SettingsView;
  onSaved: (v: SettingsView) => void;
  scope: { merchantNo: string; from: string };
}) {
  const { t, lang } = useI18n();
  const term = view.fees[card];
  const [rate, setRate] = useState((term.rateBp / 100).toFixed(2));
  const [cap, setCap] = useState(term.capFen === null ? '' : (term.capFen / 100).toFixed(2));
  const [fixed, setFixed] = useState((term.fixedFen / 100).toFixed(2));
  const [error, setError] = useState<ApiError | null>(null);
  const save = () =>
    call('settings.setFee', {
      card,
      rateBp: hundredthsOf(rate),
      capFen: cap.trim() === '' ? null : hundredthsOf(cap),
      fixedFen: hundredthsOf(fixed || '0'),
      ...(scope.merchantNo.trim() ? { merchantNo: scope.merchantNo.trim() } : {}),
      ...(scope.from ? { from: scope.from } : {}),
    }).then(onSaved, (err: unknown) => setError(asApiError(err)));
  return (
    <tr>
      <th>{CARD_TYPE_LABELS[card][lang]}</th>
      <td>
        <input
          aria-label={`${CARD_TYPE_LABELS[card][lang]} ${t('rate')}`}
          value={rate}
          size={6}
          onChange={(e) => setRate(e.target.value)}
        />
      </td>
      <td>
        <input
          aria-label={`${CARD_TYPE_LABELS[card][lang]} ${t('cap')}`}
          value={cap}
          size={8}
          placeholder={t('none')}
          onChange={(e) => setCap(e.target.value)}
        />
      </td>
      <td>
        <input
          aria-label={`${CARD_TYPE_LABELS[card][lang]} ${t('fixed')}`}
          value={fixed}
          size={6}
          onChange={(e) => setFixed(e.target.value)}
        />
      </td>
      <td>
        <button type="button" onClick={save}>
          {t('save')}
        </button>
        <ErrorBox error={error} />
      </td>
    </tr>
  );
}

/** A list of days or merchants with add and remove, saved at once. */
function EditableList({
  label,
  items,
  inputType,
  onAdd,
  onRemove,
}: {
  label: string;
  items: string[];
  inputType: 'date' | 'text';
  onAdd: (value: string) => void;
  onRemove: (value: string) => void;
}) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  return (
    <div className="editable-list">
      <b>{label}</b>
      <div className="chips">
        {items.length === 0 && <span className="muted">—</span>}
        {items.map((d) => (
          <span key={d} className="chip">
            {d}
            <button
              type="button"
              className="link"
              aria-label={`${t('remove')} ${d}`}
              onClick={() => onRemove(d)}
            >
              ×
            </button>
          </span>
        ))}
      </div>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) onAdd(value.trim());
          setValue('');
        }}
      >
        <input aria-label={label} type={inputType} value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit">{t('add')}</button>
      </form>
    </div>
  );
}

/** The matching windows and the day's cut-off, as numbers a clerk can change. */
function MatchingForm({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const { t } = useI18n();
  const [m, setM] = useState(view.matching);
  const [error, setError] = useState<ApiError | null>(null);
  const num = (key: 'rrnDays' | 'matchWindowSec' | 'duplicateWindowSec', label: string) => (
    <label>
      {label}
      <input
        aria-label={label}
        inputMode="numeric"
        value={m[key]}
        onChange={(e) => setM({ ...m, [key]: Number(e.target.value) || 0 })}
      />
    </label>
  );
  return (
    <form
      className="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        call('settings.setMatching', m).then(onSaved, (err: unknown) => setError(asApiError(err)));
      }}
    >
      {num('rrnDays', t('rrnDays'))}
      {num('matchWindowSec', t('matchWindow'))}
      {num('duplicateWindowSec', t('duplicateWindow'))}
      <label>
        {t('cutoff')}
        <input
          aria-label={t('cutoff')}
          type="time"
          step={1}
          value={m.cutoff}
          onChange={(e) =>
            setM({ ...m, cutoff: e.target.value.length === 5 ? `${e.target.value}:00` : e.target.value })
          }
        />
      </label>
      <button type="submit">{t('save')}</button>
      <ErrorBox error={error} />
    </form>
  );
}

export function SettingsScreen() {
  const { t, lang, setLang } = useI18n();
  const { data: v, error, set } = useLoad(() => call('settings.get', {}), []);
  const info = useLoad(() => call('app.info', {}), []);
  const backups = useLoad(() => call('backups.list', {}), []);
  const [saved, setSaved] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [scope, setScope] = useState({ merchantNo: '', from: '' });
  const [keywords, setKeywords] = useState<string | null>(null);
  if (error) return <ErrorBox error={error} />;
  if (!v) return <p>{t('loading')}</p>;
  const onSaved = (next: SettingsView) => {
    set(next);
    setSaved(true);
    setActionError(null);
  };
  const change = (p: Promise<SettingsView>) =>
    p.then(onSaved, (err: unknown) => setActionError(asApiError(err)));
  const year = new Date().getFullYear();
  const thisYear = (list: string[]) => list.filter((d) => d >= `${year}-01-01`);
  return (
    <section className="settings">
      <h2>{t('fees')}</h2>
      <div className="toolbar">
        <label>
          {t('merchant')}
          <input
            aria-label={t('merchant')}
            className="wide"
            placeholder={t('allMerchants')}
            value={scope.merchantNo}
            onChange={(e) => setScope({ ...scope, merchantNo: e.target.value })}
          />
        </label>
        <label>
          {t('effectiveFrom')}
          <input
            aria-label={t('effectiveFrom')}
            type="date"
            value={scope.from}
            onChange={(e) => setScope({ ...scope, from: e.target.value })}
          />
        </label>
      </div>
      <table className="grid fees">
        <thead>
          <tr>
            <th />
            <th>{t('rate')}</th>
            <th>{t('cap')}</th>
            <th>{t('fixed')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {FEE_CARD_TYPES.map((c) => (
            <FeeRow key={c} card={c} view={v} onSaved={onSaved} scope={scope} />
          ))}
        </tbody>
      </table>
      {saved && <p className="ok">{t('saved')}</p>}
      <ErrorBox error={actionError} />
      {v.feeSchedules.length > 0 && (
        <ul className="small">
          {v.feeSchedules.map((s) => (
            <li key={`${s.merchantNo}-${s.from}-${s.card}`}>
              {s.merchantNo ?? t('allMerchants')} · {s.from} · {CARD_TYPE_LABELS[s.card][lang]} ·{' '}
              {(s.term.rateBp / 100).toFixed(2)}% {s.term.capFen !== null && `≤ ${money(s.term.capFen)}`}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('calendar')}</h2>
      <div className="lists">
        <EditableList
          label={`${t('holidays')} (${year}–)`}
          items={thisYear(v.holidays)}
          inputType="date"
          onAdd={(d) => change(call('settings.setCalendar', { holidays: [d] }))}
          onRemove={(d) => change(call('settings.setCalendar', { remove: [d] }))}
        />
        <EditableList
          label={`${t('workdays')} (${year}–)`}
          items={thisYear(v.workdays)}
          inputType="date"
          onAdd={(d) => change(call('settings.setCalendar', { workdays: [d] }))}
          onRemove={(d) => change(call('settings.setCalendar', { remove: [d] }))}
        />
        <EditableList
          label={t('d0')}
          items={v.d0Merchants}
          inputType="text"
          onAdd={(m) => change(call('settings.setCalendar', { d0: [m] }))}
          onRemove={(m) => change(call('settings.setCalendar', { t1: [m] }))}
        />
      </div>
      <h2>{t('matching')}</h2>
      <MatchingForm view={v} onSaved={onSaved} />
      <h2>{t('keywords')}</h2>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const list = (keywords ?? '').split(/[,，、\s]+/).filter(Boolean);
          change(call('settings.setKeywords', { keywords: list }));
        }}
      >
        <textarea
          aria-label={t('keywords')}
          rows={2}
          cols={80}
          value={keywords ?? v.acquirerKeywords.join(t('listSep'))}
          onChange={(e) => setKeywords(e.target.value)}
        />
        <button type="submit">{t('save')}</button>
      </form>
      <h2>{t('merchants')}</h2>
      <table className="grid merchants">
        <thead>
          <tr>
            <th>{t('merchant')}</th>
            <th>{t('name')}</th>
            <th>{t('terminal')}</th>
          </tr>
        </thead>
        <tbody>
          {v.merchants.map((m) => (
            <tr key={m.merchantNo}>
              <td>{m.merchantNo}</td>
              <td>{m.name ?? '—'}</td>
              <td>{m.terminals.join(t('listSep'))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('backups')}</h2>
      <p>
        <button
          type="button"
          onClick={() =>
            call('backups.create', {}).then(backups.reload, (err: unknown) => setActionError(asApiError(err)))
          }
        >
          {t('backupNow')}
        </button>{' '}
        <span className="small">{t('backupNote')}</span>
      </p>
      <ul className="small backups">
        {(backups.data ?? []).map((b) => (
          <li key={b.file}>
            <code>{b.file}</code> · {Math.round(b.size / 1024).toLocaleString()} KB
          </li>
        ))}
      </ul>
      <h2>{t('languageHeading')}</h2>
      <p>
        <button type="button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('language')}
        </button>
      </p>
      <p className="small">
        {t('dataFolder')}
        {t('colon')}
        <code>{info.data?.dbPath ?? ''}</code> · {t('user')}
        {t('colon')}
        {info.data?.user ?? ''} · PosRecon {info.data?.version ?? ''}
      </p>
    </section>
  );
}
