// Test support: a twin on a manual clock and a tiny Graph client over its in-process fetch.
import { ManualClock } from '../clock/clock.ts';
import { createTwin, type Twin, type TwinOptions, twinDefaults } from './twin.ts';

/** Large budgets so tests that are not about throttling never meet it. */
export const noThrottle = {
  appTenant: { limit: 1e9, windowMs: 1 },
  record: { limit: 1e9, windowMs: 1 },
  list: { limit: 1e9, windowMs: 1 },
  pstnAppTenant: { limit: 1e9, windowMs: 1 },
  pstnCollection: { limit: 1e9, windowMs: 1 },
};

export function testTwin(options: Partial<TwinOptions> = {}): { twin: Twin; clock: ManualClock } {
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock(Date.UTC(2026, 0, 8, 12, 0, 0));
  const twin = createTwin({ seed: 42, users: 60, days: 8, throttle: noThrottle, ...options, clock });
  return { twin, clock };
}

export async function tokenFor(
  twin: Twin,
  tenantId = twin.homeTenantId,
  secret: string = twinDefaults.clientSecret,
): Promise<Response> {
  return twin.fetch(
    new Request(`https://login.twin.test/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: twin.credentials.clientId,
        client_secret: secret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    }),
  );
}

export interface GraphTestClient {
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  json<T = Record<string, unknown>>(path: string, headers?: Record<string, string>): Promise<T>;
  /** Follows @odata.nextLink from the path and returns every item. */
  all<T = Record<string, unknown>>(path: string): Promise<T[]>;
}

export async function graphClient(twin: Twin, tenantId = twin.homeTenantId): Promise<GraphTestClient> {
  const { access_token: token } = (await (await tokenFor(twin, tenantId)).json()) as { access_token: string };
  const get = (path: string, headers: Record<string, string> = {}) =>
    twin.fetch(
      new Request(path.startsWith('https://') ? path : `https://graph.twin.test/v1.0${path}`, {
        headers: { authorization: `Bearer ${token}`, ...headers },
      }),
    );
  const json = async <T>(path: string, headers?: Record<string, string>) => {
    const res = await get(path, headers);
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    get,
    json,
    async all<T>(path: string) {
      const out: T[] = [];
      let next: string | undefined = path;
      while (next) {
        const page: { value: T[]; '@odata.nextLink'?: string } = await json(next);
        out.push(...page.value);
        next = page['@odata.nextLink'];
      }
      return out;
    },
  };
}
