import {
  type Api,
  type ApiError,
  CHANNELS,
  type Channel,
  type PickedFile,
  type Req,
  type Res,
} from '../../shared/api';

// The UI talks to the engine only through the contract: over IPC in the desktop app (the preload
// exposes one function per channel as window.posrecon), over HTTP when `posrecon serve` serves it.

declare global {
  interface Window {
    posrecon?: Api & {
      droppedFiles?: (files: File[]) => Promise<PickedFile[]>;
      onMenu?: (listener: (command: string) => void) => void;
    };
  }
}

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.en);
  }
}

/** The token `posrecon serve` printed with the address; kept for this tab, then removed from the URL. */
function serveToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('posrecon-token', fromUrl);
    history.replaceState(null, '', location.pathname + location.hash);
  }
  return sessionStorage.getItem('posrecon-token') ?? '';
}

function httpApi(): Api {
  const token = serveToken();
  const call = async (channel: Channel, req: unknown) => {
    const res = await fetch(`/api/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-PosRecon-Token': token },
      body: JSON.stringify(req ?? {}),
    });
    const body = (await res.json()) as { ok: true; value: unknown } | { ok: false; error: ApiError };
    if (!body.ok) throw new ApiFailure(body.error);
    return body.value;
  };
  return Object.fromEntries(CHANNELS.map((c) => [c, (req: unknown) => call(c, req)])) as Api;
}

const desktop = typeof window !== 'undefined' ? window.posrecon : undefined;
const transport: Api = desktop ?? httpApi();

/** Calls one channel; a refusal arrives as an ApiFailure with the reason in both languages. */
export function call<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> {
  return (transport[channel] as (r: Req<C>) => Promise<Res<C>>)(req).catch((err: unknown) => {
    if (err instanceof ApiFailure) throw err;
    // IPC rejections carry the engine's bilingual error as JSON in the message.
    const text = err instanceof Error ? err.message : String(err);
    const json = /\{.*\}$/.exec(text)?.[0];
    if (json) throw new ApiFailure(JSON.parse(json) as ApiError);
    throw new ApiFailure({ code: 'internal', zh: text, en: text });
  });
}

/** Files dropped or chosen in the page: uploaded to the loopback server, or (desktop) handed to
 *  the preload, which alone can see their paths. */
export async function handOver(files: File[]): Promise<PickedFile[]> {
  if (desktop?.droppedFiles) return desktop.droppedFiles(files);
  const token = serveToken();
  const out: PickedFile[] = [];
  for (const f of files) {
    const res = await fetch(`/upload?name=${encodeURIComponent(f.name)}`, {
      method: 'POST',
      headers: { 'X-PosRecon-Token': token },
      body: f,
    });
    const body = (await res.json()) as { ok: true; value: PickedFile } | { ok: false; error: ApiError };
    if (!body.ok) throw new ApiFailure(body.error);
    out.push(body.value);
  }
  return out;
}

export const isDesktop = desktop !== undefined;

/** Commands from the desktop app's native menu (none in a browser). */
export function onMenu(listener: (command: string) => void): void {
  desktop?.onMenu?.(listener);
}
