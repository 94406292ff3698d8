import { useState } from 'react';
import type { ApiError, SettingsView } from '../../../shared/api';
import { CARD_TYPE_LABELS } from '../../../shared/records';
import { call } from '../api';
import { ErrorBox, money } from '../components/common';
import { asApiError, useLoad } from '../hooks';
import { useI18n } from '../i18n';

type FeeCard = keyof SettingsView['fees'];
const CARDS: FeeCard[] = ['debit', 'credit', 'quasi_credit', 'prepaid', 'qr'];

function FeeRow({
  card,
  view,
  onSaved,
}: {
  card: FeeCard;
  view: SettingsView;
  onSaved: (v: SettingsView) => void;
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
      rateBp: Math.round(Number(rate) * 100),
      capFen: cap.trim() === '' ? null : Math.round(Number(cap) * 100),
      fixedFen: Math.round(Number(fixed || '0') * 100),
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

export function SettingsScreen() {
  const { t, lang, setLang } = useI18n();
  const { data, error } = useLoad(() => call('settings.get', {}), []);
  const info = useLoad(() => call('app.info', {}), []);
  const [view, setView] = useState<SettingsView | null>(null);
  const [saved, setSaved] = useState(false);
  const v = view ?? data;
  if (error) return <ErrorBox error={error} />;
  if (!v) return <p>{t('loading')}</p>;
  const onSaved = (next: SettingsView) => {
    setView(next);
    setSaved(true);
  };
  const year = new Date().getFullYear();
  return (
    <section className="settings">
      <h2>{t('fees')}</h2>
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
          {CARDS.map((c) => (
            <FeeRow key={c} card={c} view={v} onSaved={onSaved} />
          ))}
        </tbody>
      </table>
      {saved && <p className="ok">{t('saved')}</p>}
      {v.feeSchedules.length > 0 && (
        <ul className="small">
          {v.feeSchedules.map((s) => (
            <li key={`${s.merchantNo}-${s.from}-${s.card}`}>
              {s.merchantNo ?? t('all')} · {s.from} · {CARD_TYPE_LABELS[s.card as FeeCard]?.[lang] ?? s.card}{' '}
              · {(s.term.rateBp / 100).toFixed(2)}% {s.term.capFen !== null && `≤ ${money(s.term.capFen)}`}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('calendar')}</h2>
      <p>
        <b>{t('holidays')}</b>({year}){t('colon')}
        {v.holidays.filter((d) => d.startsWith(String(year))).join(t('listSep')) || '—'}
      </p>
      <p>
        <b>{t('workdays')}</b>({year}){t('colon')}
        {v.workdays.filter((d) => d.startsWith(String(year))).join(t('listSep')) || '—'}
      </p>
      <p>
        <b>{t('d0')}</b>
        {t('colon')}
        {v.d0Merchants.join(t('listSep')) || '—'}
      </p>
      <p>
        <b>{t('keywords')}</b>
        {t('colon')}
        {v.acquirerKeywords.join(t('listSep'))}
      </p>
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
