import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Serving, serve } from '../../../../electron/engine/api/http-server';
import { openDatabase } from '../../../../electron/engine/store/database';
import { fileStoreDir } from '../../../../electron/engine/store/paths';
import { writeDayFiles } from '../../../fixtures/day';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();
let serving: Serving | null = null;
afterEach(async () => {
  await serving?.close();
  serving = null;
});

/** A raw HTTP request, so that Host and Origin can be set as an attacker's page would. */
function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function started() {
  const dir = tmp();
  const dbPath = join(dir, 'p.sqlite');
  const db = openDatabase(dbPath);
  const renderer = join(__dirname, '..', '..', '..', '..', 'out', 'renderer');
  serving = await serve({
    port: 0,
    rendererDir: renderer,
    context: { db, dbPath, fileStore: fileStoreDir(dbPath), user: '王店长' },
  });
  const port = Number(new URL(serving.url).port);
  const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
    send(port, `/api/${channel}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Host: `127.0.0.1:${port}`,
        'X-PosRecon-Token': serving!.token,
        ...headers,
      },
      body: JSON.stringify(body),
    });
  return { dir, port, api };
}

describe('posrecon serve', () => {
  it('answers only its own page: token, Host and Origin are checked on every call', async () => {
    const { port, api } = await started();
    expect(serving!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    expect((await api('app.info', {})).status).toBe(200);
    const guessed = await api('app.info', {}, { 'X-PosRecon-Token': 'guess' });
    expect(guessed.status).toBe(401);
    expect(JSON.parse(guessed.body).error.code).toBe('invalid');
    expect((await api('app.info', {}, { Host: `evil.example:${port}` })).status).toBe(421); // DNS rebinding
    expect((await api('app.info', {}, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await api('app.info', {}, { Origin: `http://127.0.0.1:${port}` })).status).toBe(200);

    const page = await send(port, '/', { headers: { Host: `127.0.0.1:${port}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(
      (await send(port, '/../../../etc/passwd', { headers: { Host: `127.0.0.1:${port}` } })).status,
    ).toBe(404);
    expect(
      (await send(port, '/%2e%2e/%2e%2e/package.json', { headers: { Host: `127.0.0.1:${port}` } })).status,
    ).toBe(404);
    // Escaped slashes pass through URL parsing and only become a path after decoding: the one
    // request that the rendererDir check itself has to stop.
    expect(
      (await send(port, '/..%2f..%2fpackage.json', { headers: { Host: `127.0.0.1:${port}` } })).status,
    ).toBe(404);
  });

  it('validates every request and refuses in both languages, naming the field', async () => {
    const { api } = await started();
    const bad = await api('review.page', { offset: -1, limit: 10 });
    expect(bad.status).toBe(400);
    const body = JSON.parse(bad.body);
    expect(body.error.code).toBe('invalid');
    expect(body.error.zh).toContain('offset');
    expect(body.error.en).toContain('offset');
    expect((await api('no.such', {})).status).toBe(400);
    expect(JSON.parse((await api('imports.preview', { fileId: '0'.repeat(32) })).body).error.code).toBe(
      'not_found',
    );
    // A path typed by a page is not a file id.
    expect((await api('imports.preview', { fileId: '/etc/passwd' })).status).toBe(400);
  });

  it('uploads, previews, imports in a job with progress, and then answers overview, review, case work and search', async () => {
    const { dir, port, api } = await started();
    const files = writeDayFiles(dir);
    const ids: string[] = [];
    for (const path of [files.terminal, files.settlement, files.statement]) {
      const up = await send(port, `/upload?name=${encodeURIComponent(path.split('/').at(-1)!)}`, {
        method: 'POST',
        headers: { Host: `127.0.0.1:${port}`, 'X-PosRecon-Token': serving!.token },
        body: readFileSync(path),
      });
      ids.push(JSON.parse(up.body).value.fileId);
    }
    const preview = JSON.parse((await api('imports.preview', { fileId: ids[1] })).body).value;
    expect(preview.ok).toBe(true);
    expect(preview.layout).toMatchObject({ source: 'settlement', headerRow: 1, encoding: 'gb18030' });
    expect(preview.rows[0].record.rrn).toBe('531000000001');
    expect(preview.rows[0].cells[4]).toBe('531000000001');

    const { jobId } = JSON.parse(
      (await api('imports.start', { files: ids.map((fileId) => ({ fileId })) })).body,
    ).value;
    let job = JSON.parse((await api('jobs.get', { jobId })).body).value;
    for (let i = 0; i < 100 && job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = JSON.parse((await api('jobs.get', { jobId })).body).value;
    }
    expect(job.state).toBe('done');
    // The progress went through every file, then the reconcile stage.
    expect(job.progress).toMatchObject({ stage: 'reconcile', fileIndex: 3, files: 3 });
    expect(job.outcomes.map((o: { ok: boolean; stored: number }) => [o.ok, o.stored])).toEqual([
      [true, 15],
      [true, 11],
      [true, 2],
    ]);

    const overview = JSON.parse((await api('overview.get', {})).body).value;
    // The latest trading day through the day its money is credited.
    expect([overview.from, overview.to]).toEqual(['2026-11-05', '2026-11-06']);
    expect(overview.byKind.settlement_shortfall).toEqual({ count: 1, fen: 1_000 });
    // The voided sale waits for no settlement; the unsettled one is a mismatch, not pending.
    expect(overview.lines[0]).toMatchObject({ terminalNo: '12345678', matched: 11, pending: 0 });
    expect(overview.days.map((d: { day: string; creditedFen: number }) => [d.day, d.creditedFen])).toEqual([
      ['2026-11-05', 0],
      ['2026-11-06', 1_170_389],
    ]);
    expect(overview.byKind.duplicate_charge).toEqual({ count: 1, fen: 5_800 });
    const review = JSON.parse(
      (await api('review.page', { problemsOnly: true, offset: 0, limit: 50 })).body,
    ).value;
    expect(review.total).toBe(9);
    const amounts = review.rows.find((r: { differs: string[] }) => r.differs.includes('amountFen'));
    expect([amounts.terminal.amountFen, amounts.settlement.amountFen]).toEqual([100_000, 10_000]);
    const dup = review.rows
      .flatMap((r: { mismatches: Array<{ id: string; kind: string }> }) => r.mismatches)
      .find((m: { kind: string }) => m.kind === 'duplicate_charge');

    const refused = JSON.parse((await api('cases.setStatus', { id: dup.id, status: 'disputed' })).body);
    expect(refused.error).toMatchObject({ code: 'refused' });
    expect(refused.error.zh).toContain('工单号');
    const detail = JSON.parse(
      (await api('cases.setStatus', { id: dup.id, status: 'disputed', ticketNo: 'GD001' })).body,
    ).value;
    expect(detail.mismatch.status).toBe('disputed');
    expect(detail.history[0]).toMatchObject({ user: '王店长', status: 'disputed' });
    expect(detail.originals[detail.mismatch.records[0].id].cells).toContain('531000000002');

    const hits = JSON.parse((await api('search.run', { cardLast4: '2222', amountFen: 5_800 })).body).value;
    expect(hits).toHaveLength(4);
    expect(hits[0].matchedWith.source).toBe('settlement');

    const bundle = JSON.parse(
      (await api('exports.bundle', { mismatchIds: [dup.id], lang: 'zh' })).body,
    ).value;
    expect(bundle.name).toMatch(/^重复扣费_.*\.zip$/);
    const download = await send(port, bundle.downloadUrl, { headers: { Host: `127.0.0.1:${port}` } });
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toContain("filename*=UTF-8''%E9%87%8D%E5%A4%8D");
    expect(
      (
        await send(port, bundle.downloadUrl.replace(/token=\w+/, 'token=x'), {
          headers: { Host: `127.0.0.1:${port}` },
        })
      ).status,
    ).toBe(404);
  });
});
