import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Delivered } from '../../../shared/api';
import { FileRegistry } from './files';
import { createHandlers, type Dispatched, dispatch, type EngineContext, type Handlers } from './handlers';

// `posrecon serve`: the same renderer and the same API contract as the desktop app, over HTTP on
// 127.0.0.1 only. A random token per run guards every call; Host and Origin are checked so that no
// other web page (DNS rebinding, cross-site requests) can reach the engine.

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
const MAX_JSON = 1024 * 1024;
const MAX_UPLOAD = 512 * 1024 * 1024;
const DOWNLOAD_TTL_MS = 10 * 60_000;

export interface ServeOptions {
  port: number;
  rendererDir: string;
  context: Omit<EngineContext, 'files' | 'deliver'>;
}

export interface Serving {
  url: string;
  token: string;
  server: Server;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  type: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: Dispatched) =>
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');

export async function serve(options: ServeOptions): Promise<Serving> {
  const token = randomBytes(24).toString('hex');
  const files = new FileRegistry();
  const downloads = new Map<string, { name: string; bytes: Uint8Array; expires: number }>();
  const deliver = async (name: string, bytes: Uint8Array): Promise<Delivered> => {
    const id = randomBytes(16).toString('hex');
    // Expired files are let go here, so a long-running server does not keep every export in memory.
    const now = Date.now();
    for (const [old, item] of downloads) if (item.expires < now) downloads.delete(old);
    downloads.set(id, { name, bytes, expires: now + DOWNLOAD_TTL_MS });
    return { name, savedTo: null, downloadUrl: `/download/${id}?token=${token}` };
  };
  const handlers: Handlers = createHandlers({
    ...options.context,
    files,
    deliver,
  });

  const tokenOk = (given: string | null | undefined) => {
    const a = Buffer.from(given ?? '');
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const port = (server.address() as AddressInfo).port;
      const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
      if (!hosts.includes(req.headers.host ?? '')) return send(res, 421, 'Misdirected request', 'text/plain');
      if (req.headers.origin !== undefined && !hosts.some((h) => req.headers.origin === `http://${h}`)) {
        return send(res, 403, 'Cross-origin request refused', 'text/plain');
      }
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);

      if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
        if (!tokenOk(req.headers['x-posrecon-token'] as string | undefined)) {
          return json(res, 401, {
            ok: false,
            // Not 'refused', which the page reads as the database refusing to open.
            error: { code: 'invalid', zh: '令牌无效。', en: 'Bad token.' },
          });
        }
        let body: unknown;
        try {
          body = JSON.parse((await readBody(req, MAX_JSON)).toString('utf8') || '{}');
        } catch {
          return json(res, 400, {
            ok: false,
            error: { code: 'invalid', zh: '请求不是有效的 JSON。', en: 'The request is not valid JSON.' },
          });
        }
        const result = await dispatch(
          handlers,
          decodeURIComponent(url.pathname.slice(5)),
          body,
          () => options.context.db.inTransaction,
        );
        return json(res, result.ok ? 200 : result.error.code === 'internal' ? 500 : 400, result);
      }
      if (req.method === 'POST' && url.pathname === '/upload') {
        if (!tokenOk(req.headers['x-posrecon-token'] as string | undefined))
          return send(res, 401, 'Bad token', 'text/plain');
        try {
          const bytes = await readBody(req, MAX_UPLOAD);
          const picked = files.receive(url.searchParams.get('name') ?? 'upload', bytes);
          return json(res, 200, { ok: true, value: picked });
        } catch {
          return json(res, 413, {
            ok: false,
            error: { code: 'invalid', zh: '文件过大。', en: 'The file is too large.' },
          });
        }
      }
      if (req.method === 'GET' && url.pathname.startsWith('/download/')) {
        const item = downloads.get(url.pathname.slice(10));
        if (!tokenOk(url.searchParams.get('token')) || !item || item.expires < Date.now()) {
          return send(res, 404, 'Not found', 'text/plain');
        }
        const ascii = item.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
        return send(res, 200, item.bytes, 'application/octet-stream', {
          'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(item.name)}`,
        });
      }
      if (req.method === 'GET') {
        const path = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
        const file = normalize(join(options.rendererDir, path));
        if (!file.startsWith(options.rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
          return send(res, 404, 'Not found', 'text/plain');
        }
        return send(res, 200, readFileSync(file), TYPES[extname(file)] ?? 'application/octet-stream');
      }
      return send(res, 405, 'Method not allowed', 'text/plain');
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, String(err), 'text/plain');
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        files.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
