// The dashboard's only way to the server: JSON GETs, the alerts' POST/DELETEs and CSV downloads under /api/v1.
import type { ErrorBody } from '../../src/server/api-types.ts';
import { isDimension } from './filters.ts';

const tokenKey = 'calltrove.token';

export function token(): string | null {
  return sessionStorage.getItem(tokenKey);
}

export function setToken(value: string | null): void {
  if (value) sessionStorage.setItem(tokenKey, value);
  else sessionStorage.removeItem(tokenKey);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export type Params = Record<string, string | number | boolean | null | undefined>;

export function apiUrl(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  // An empty dimension filter is a value (unknown: no building, no access point), not a missing parameter.
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && (v !== '' || isDimension(k))) q.set(k, String(v));
  const s = q.toString();
  return `/api/v1${path}${s ? `?${s}` : ''}`;
}

async function request(path: string, params: Params, init: RequestInit = {}): Promise<Response> {
  const t = token();
  const headers: Record<string, string> = t ? { authorization: `Bearer ${t}` } : {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(apiUrl(path, params), { ...init, headers });
  if (!res.ok) {
    let body: ErrorBody | undefined;
    try {
      body = (await res.json()) as ErrorBody;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(
      res.status,
      body?.error.code ?? 'http',
      body?.error.message ?? res.statusText,
      body?.error.hint,
    );
  }
  return res;
}

export async function get<T>(path: string, params: Params = {}): Promise<T> {
  return (await request(path, params)).json() as Promise<T>;
}

/** A state-changing request (POST or DELETE, JSON body) answered with JSON; errors as get() throws them. */
export async function send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  return (await request(path, {}, init)).json() as Promise<T>;
}

/** Fetches the CSV variant of a table and hands it to the browser as a file download. */
export async function downloadCsv(path: string, params: Params, filename: string): Promise<void> {
  const res = await request(path, { ...params, format: 'csv' });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
