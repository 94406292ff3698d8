import { useEffect, useRef, useState } from 'react';
import { call, onMenu } from './api';
import { useLoad } from './hooks';
import { useI18n } from './i18n';
import { CaseDetail } from './screens/CaseDetail';
import { ImportScreen } from './screens/Import';
import { OverviewScreen } from './screens/Overview';
import { ReviewScreen } from './screens/Review';
import { SearchScreen } from './screens/Search';
import { SettingsScreen } from './screens/Settings';

const TABS = [
  ['overview', 'navOverview'],
  ['import', 'navImport'],
  ['review', 'navReview'],
  ['search', 'navSearch'],
  ['settings', 'navSettings'],
] as const;

const parseHash = () => location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);

/** Screens are addressed by the URL's hash (#/review, #/case/ID) so that Back works as expected. */
function useRoute(): [string[], (path: string) => void] {
  const [route, setRoute] = useState(parseHash);
  useEffect(() => {
    const onHash = () => setRoute(parseHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return [route, (path) => (location.hash = `#/${path}`)];
}

export function App() {
  const { t, lang, setLang } = useI18n();
  const [route, go] = useRoute();
  const screen = route[0] || 'overview';
  const arg = route[1];
  useEffect(() => {
    document.title = t('appName');
  }, [t]);
  // The native menu is heard once for the page's life; it acts through the latest handlers.
  const menu = useRef<(command: string) => void>(() => {});
  menu.current = (command) => {
    if (command === 'import') go('import');
    else if (command === 'export') go('review/problems');
    else if (command === 'lang:zh' || command === 'lang:en') setLang(command === 'lang:zh' ? 'zh' : 'en');
  };
  useEffect(() => onMenu((command) => menu.current(command)), []);
  // A database another copy holds, or one that failed its check, gets one clear page instead of an
  // error on every screen.
  const info = useLoad(() => call('app.info', {}), []);
  const refused = info.error?.code === 'refused' ? info.error : null;
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">{t('appName')}</span>
        <nav>
          {TABS.map(([id, label]) => (
            <a
              key={id}
              href={`#/${id}`}
              className={screen === id || (screen === 'case' && id === 'review') ? 'active' : ''}
            >
              {t(label)}
            </a>
          ))}
        </nav>
        <button type="button" className="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('language')}
        </button>
      </header>
      <main>
        {refused && (
          <section className="refused" role="alert">
            <h1 className="refused-title">{t('dbRefused')}</h1>
            <p>{refused[lang]}</p>
            <p className="small">{t('dbRefusedHint')}</p>
          </section>
        )}
        {!refused && screen === 'overview' && <OverviewScreen go={go} />}
        {!refused && screen === 'import' && <ImportScreen />}
        {!refused && screen === 'review' && <ReviewScreen key={arg ?? ''} go={go} arg={arg} />}
        {!refused && screen === 'case' && arg && <CaseDetail id={arg} go={go} />}
        {!refused && screen === 'search' && <SearchScreen go={go} />}
        {!refused && screen === 'settings' && <SettingsScreen />}
      </main>
    </div>
  );
}
