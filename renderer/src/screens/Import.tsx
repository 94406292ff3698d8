import { useEffect, useState } from 'react';
import type {
  ApiError,
  ApiMapping,
  ImportFileOutcome,
  Job,
  PickedFile,
  Preview,
  Rejected,
} from '../../../shared/api';
import { SOURCE_LABELS, SOURCES, type Source } from '../../../shared/records';
import { call, handOver, isDesktop } from '../api';
import { ErrorBox, money, SourceSelect } from '../components/common';
import { MappingEditor } from '../components/MappingEditor';
import { asApiError, useLoad } from '../hooks';
import { useI18n } from '../i18n';

interface Chosen {
  file: PickedFile;
  preview: Preview | null;
  /** The layout a user chose for the file instead of the detected one. */
  presetId?: string;
  /** A mapping the user gave for a layout no preset knows, and the name to save it under. */
  mapping?: ApiMapping;
  saveAs?: string;
}

function PreviewTable({ preview }: { preview: Extract<Preview, { ok: true }> }) {
  const { t } = useI18n();
  return (
    <div className="preview-wrap">
      <table className="grid preview">
        <thead>
          <tr>
            <th>{t('row')}</th>
            <th>{t('time')}</th>
            <th>{t('terminal')}</th>
            <th>{t('card')}</th>
            <th className="n">{t('amount')}</th>
            <th className="n">{t('fee')}</th>
            <th>{t('rrn')}</th>
            <th>{t('trace')}</th>
            <th>{t('originalCells')}</th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.map(({ row, record: r, cells }) => (
            <tr key={row}>
              <td>{row}</td>
              <td>{r.txnTime ?? r.clearDate}</td>
              <td>{r.terminalNo}</td>
              <td>{r.cardNo ?? r.cardLast4}</td>
              <td className="n">{money(r.amountFen)}</td>
              <td className="n">{r.feeFen === null ? '' : money(r.feeFen)}</td>
              <td>{r.rrn}</td>
              <td>{r.trace}</td>
              <td className="cells">
                {cells.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                  <span key={i} className="cellbox">
                    {c}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RejectList({ importId }: { importId: number }) {
  const { t, lang } = useI18n();
  const { data } = useLoad(() => call('imports.rejects', { importId }), [importId]);
  if (!data?.length) return null;
  return (
    <table className="grid rejects">
      <caption>{t('rejectsOf')}</caption>
      <thead>
        <tr>
          <th>{t('row')}</th>
          <th>{t('column')}</th>
          <th>{t('value')}</th>
          <th>{t('reason')}</th>
        </tr>
      </thead>
      <tbody>
        {data.map((r: Rejected) => (
          <tr key={`${r.row}-${r.column}`}>
            <td>{r.row}</td>
            <td>{r.column}</td>
            <td>{r.value}</td>
            <td>{lang === 'zh' ? r.reasonZh : r.reasonEn}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Outcome({ o }: { o: ImportFileOutcome }) {
  const { t, lang } = useI18n();
  if (!o.ok) {
    return (
      <li className="outcome failed">
        ✗{' '}
        {o.error[lang].startsWith(o.fileName) ? o.error[lang] : `${o.fileName}${t('colon')}${o.error[lang]}`}
      </li>
    );
  }
  return (
    <li className="outcome">
      ✓ {o.fileName} → #{o.importId} {SOURCE_LABELS[o.layout.source][lang]} · {t('stored')} {o.stored} ·{' '}
      {t('overlap')} {o.overlap} · {t('rejected')} {o.rejected}
      {o.rejected > 0 && <RejectList importId={o.importId} />}
    </li>
  );
}

export function ImportScreen() {
  const { t, lang } = useI18n();
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [source, setSource] = useState<Source | ''>('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [dragging, setDragging] = useState(false);
  // Loaded again when a job ends, not while one runs (the engine answers only progress then).
  const history = useLoad(() => call('imports.history', {}), []);
  // The layouts a file can be read under: the built-in presets and the ones users saved (an
  // import may save one: loaded again with the history).
  const presets = useLoad(() => call('imports.presets', {}), []);
  const reloadHistory = history.reload;
  const reloadPresets = presets.reload;

  // Asks how the job is doing, the next question only after the last answer, until it ends.
  useEffect(() => {
    if (!jobId) return;
    let timer: number | undefined;
    let live = true;
    const ask = () =>
      call('jobs.get', { jobId }).then(
        (j) => {
          if (!live) return;
          setJob(j);
          if (j.state === 'running') timer = window.setTimeout(ask, 200);
          else {
            reloadHistory();
            reloadPresets();
          }
        },
        (err: unknown) => live && setError(asApiError(err)),
      );
    void ask();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [jobId, reloadHistory, reloadPresets]);

  // Reads a file for its preview, under the layout a user chose if any. An answer is kept only
  // while that is still the file's layout: the detected layout's preview may arrive after a choice.
  const readPreview = (fileId: string, presetId?: string) =>
    call('imports.preview', {
      fileId,
      ...(source ? { source } : {}),
      ...(presetId ? { presetId } : {}),
    }).then(
      (preview) =>
        setChosen((cs) =>
          cs.map((c) => (c.file.fileId === fileId && c.presetId === presetId ? { ...c, preview } : c)),
        ),
      (err: unknown) => setError(asApiError(err)),
    );
  const add = (picked: PickedFile[]) => {
    setChosen((cs) => [...cs, ...picked.map((file) => ({ file, preview: null }))]);
    for (const { fileId } of picked) void readPreview(fileId);
  };
  const fromPage = (files: File[]) => handOver(files).then(add, (err: unknown) => setError(asApiError(err)));
  // Reads a file again under the layout a user chose ('' : the detected one).
  const choosePreset = (fileId: string, presetId: string) => {
    setChosen((cs) =>
      cs.map((c) =>
        c.file.fileId === fileId
          ? { ...c, preview: null, mapping: undefined, presetId: presetId || undefined }
          : c,
      ),
    );
    void readPreview(fileId, presetId || undefined);
  };

  const start = () => {
    call('imports.start', {
      files: chosen.map((c) => ({
        fileId: c.file.fileId,
        ...(c.presetId && !c.mapping ? { presetId: c.presetId } : {}),
        ...(c.mapping ? { mapping: c.mapping } : {}),
        ...(c.mapping && c.saveAs?.trim() ? { savePresetAs: c.saveAs.trim() } : {}),
      })),
      ...(source ? { source } : {}),
    }).then(
      (started) => {
        setChosen([]);
        setJob(null);
        setJobId(started.jobId);
      },
      (err: unknown) => setError(asApiError(err)),
    );
  };

  // From the moment a job is started until it says it has ended.
  const running = jobId !== null && (job === null || job.state === 'running');
  const p = job?.progress;
  return (
    <section className="import">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop zone also has a file button */}
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void fromPage([...e.dataTransfer.files]);
        }}
      >
        {t('dropHere')}{' '}
        {isDesktop ? (
          <button type="button" onClick={() => call('files.pick', {}).then(add)}>
            {t('chooseFiles')}
          </button>
        ) : (
          <label className="file-pick">
            {t('chooseFiles')}
            <input
              type="file"
              multiple
              aria-label={t('chooseFiles')}
              accept=".csv,.txt,.xls,.xlsx"
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                e.target.value = '';
                void fromPage(files);
              }}
            />
          </label>
        )}
      </div>
      <ErrorBox error={error} />
      {chosen.map((c) => (
        <article key={c.file.fileId} className="chosen">
          <header>
            <b>{c.file.name}</b> <span className="muted">{c.file.size.toLocaleString()} B</span>
            <button
              type="button"
              className="link"
              onClick={() => setChosen((cs) => cs.filter((x) => x.file.fileId !== c.file.fileId))}
            >
              {t('remove')}
            </button>
          </header>
          <label className="labelled">
            {t('preset')}
            <select
              aria-label={`${t('preset')} ${c.file.name}`}
              value={c.presetId ?? ''}
              disabled={!presets.data}
              onChange={(e) => choosePreset(c.file.fileId, e.target.value)}
            >
              <option value="">
                {t('auto')}
                {c.preview?.ok && !c.presetId && c.preview.layout.preset
                  ? `${t('colon')}${c.preview.layout.preset.name[lang]}`
                  : ''}
              </option>
              {SOURCES.map((s) => (
                <optgroup key={s} label={SOURCE_LABELS[s][lang]}>
                  {(presets.data ?? [])
                    .filter((p) => p.source === s)
                    .map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name[lang]}
                        {p.saved ? ` (${t('savedPreset')})` : ''}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </label>
          {!c.preview && <p>{t('loading')}</p>}
          {c.preview && !c.preview.ok && (
            <>
              <p className="error">
                {t('unknownLayout')}
                {t('colon')}
                {c.preview.error[lang]}
              </p>
              <MappingEditor
                fileId={c.file.fileId}
                onPreview={(mapping, preview, saveAs) =>
                  setChosen((cs) =>
                    cs.map((x) => (x.file.fileId === c.file.fileId ? { ...x, mapping, preview, saveAs } : x)),
                  )
                }
              />
            </>
          )}
          {c.preview?.ok && (
            <>
              <dl className="detected">
                <dt>{t('source')}</dt>
                <dd>{SOURCE_LABELS[c.preview.layout.source][lang]}</dd>
                <dt>{t('encoding')}</dt>
                <dd>{c.preview.layout.encoding ?? c.preview.layout.format}</dd>
                <dt>{t('sheet')}</dt>
                <dd>{c.preview.layout.sheet ?? '—'}</dd>
                <dt>{t('headerRow')}</dt>
                <dd>{c.preview.layout.headerRow}</dd>
              </dl>
              <p className="small">{t('previewTitle')}</p>
              <PreviewTable preview={c.preview} />
            </>
          )}
        </article>
      ))}
      {chosen.length > 0 && chosen.every((c) => c.preview?.ok) && (
        <div className="toolbar">
          <span className="labelled">
            {t('chooseSource')}
            <SourceSelect label={t('chooseSource')} value={source} onChange={setSource} auto={t('auto')} />
          </span>
          <button type="button" className="primary" disabled={running} onClick={start}>
            {t('startImport')} ({chosen.length})
          </button>
        </div>
      )}
      {job && (
        <div className="job">
          {running && p?.stage === 'import' && (
            <>
              <p>
                {t('importing')} {p.fileName} ({p.fileIndex + 1}/{p.files}){t('colon')}
                {p.rows.toLocaleString()} {t('row')} · {p.rowsPerSecond.toLocaleString()} {t('rowsPerSecond')}
              </p>
              {/* The number of rows is known only at the end: the bar moves per file, the counts per row. */}
              <progress max={p.files} value={p.fileIndex + 0.5} aria-label={t('importing')} />
              <button type="button" onClick={() => call('jobs.cancel', { jobId: job.id })}>
                {t('cancel')}
              </button>
            </>
          )}
          {running && p?.stage === 'reconcile' && (
            <p>
              {t('reconciling')} <progress aria-label={t('reconciling')} />
            </p>
          )}
          {job.state === 'cancelled' && <p>{t('cancelled')}</p>}
          {job.error && <p className="error">{job.error[lang]}</p>}
          {job.outcomes.length > 0 && (
            <>
              <h2>{t('importReport')}</h2>
              <ul className="outcomes">
                {job.outcomes.map((o) => (
                  <Outcome key={o.fileName} o={o} />
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <h2>{t('history')}</h2>
      <table className="grid history-table">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('file')}</th>
            <th>{t('source')}</th>
            <th>{t('preset')}</th>
            <th className="n">{t('stored')}</th>
            <th className="n">{t('rejected')}</th>
            <th>{t('importedAt')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(history.data ?? []).map((h) => (
            <tr key={h.id}>
              <td>{h.id}</td>
              <td>{h.fileName}</td>
              <td>{SOURCE_LABELS[h.source][lang]}</td>
              <td>{h.presetName}</td>
              <td className="n">{h.records}</td>
              <td className="n">{h.rejected}</td>
              <td>{h.importedAt}</td>
              <td>
                <button
                  type="button"
                  onClick={() => {
                    if (window.confirm(t('confirmUndo'))) {
                      call('imports.undo', { importId: h.id }).then(history.reload, (err: unknown) =>
                        setError(asApiError(err)),
                      );
                    }
                  }}
                >
                  {t('undo')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
