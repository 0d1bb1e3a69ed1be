// Test and benchmark support: a seeded Graph twin's records pulled through the real ingest pipeline into a store,
// its building, access-point and endpoint files imported, and its planted causes read from /_twin/truth, with the
// rule that tells whether a ranked row names one of them.
import { ManualClock } from '../clock/clock.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { parseAccessPointFile, parseEndpointFile } from '../quality/asset-files.ts';
import { parseBuildingFile } from '../quality/buildings.ts';
import type { ReadDb } from '../store/db.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import type { TestDatabase } from '../store/test-stores.ts';
import { graphClient, noThrottle } from '../twin/test-client.ts';
import { createTwin, type Twin } from '../twin/twin.ts';
import { parseDimension } from './parse-quality-query.ts';

/** A planted cause as /_twin/truth names it; `media` and `hours` when the twin says so. */
export interface TruthCause {
  kind: string;
  dimension: string;
  value: string;
  metrics?: string[];
  media?: string;
  hours?: number[] | string[];
  since?: string | number;
  lookAlikes?: { dimension: string; value: string }[];
}

export interface TwinStore {
  twin: Twin;
  store: Store;
  db: ReadDb;
  causes: TruthCause[];
  records: number;
  now: number;
  dispose(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function twinStore(
  database: TestDatabase,
  o: { seed: number; users: number; days: number; now?: number },
): Promise<TwinStore> {
  const now = o.now ?? Date.UTC(2026, 0, 15, 12, 0, 0);
  const clock = new ManualClock(now);
  const twin = createTwin({ seed: o.seed, users: o.users, days: o.days, clock, throttle: noThrottle });
  const opened = await database.open();
  const store = await storeFromDb(opened.db, opened.url);
  const graph = await graphClient(twin);
  let records = 0;
  for (const { id } of await graph.all<{ id: string }>('/communications/callRecords')) {
    const record = await graph.json<Json>(
      `/communications/callRecords/${id}?$expand=sessions($expand=segments)`,
    );
    let next = record['sessions@odata.nextLink'] as string | undefined;
    const sessions = [...((record.sessions as unknown[]) ?? [])];
    while (next) {
      const page = await graph.json<{ value: unknown[]; '@odata.nextLink'?: string }>(next);
      sessions.push(...page.value);
      next = page['@odata.nextLink'];
    }
    record.sessions = sessions;
    delete record['sessions@odata.nextLink'];
    const participants: unknown[] = [];
    let page: string | undefined = `/communications/callRecords/${id}/participants_v2`;
    while (page) {
      const got: { value: unknown[]; '@odata.nextLink'?: string } = await graph.json(page);
      participants.push(...got.value);
      page = got['@odata.nextLink'];
    }
    record.participants_v2 = participants;
    await ingestRecord(store, record, { source: 'twin', tenantId: twin.homeTenantId, receivedAt: now });
    records++;
  }
  await store.buildings.replace(parseBuildingFile(twin.buildingsCsv()).buildings);
  await importAssets(twin, store);
  const truth = (await (await twin.fetch(new Request('https://twin.test/_twin/truth'))).json()) as {
    causes: TruthCause[];
  };
  return {
    twin,
    store,
    db: store.reads,
    causes: truth.causes,
    records,
    now,
    dispose: async () => {
      twin.stop();
      await opened.dispose();
    },
  };
}

/** The twin's access-point and endpoint files, imported as `access-points import` and `endpoints import` do. */
async function importAssets(twin: Twin, store: Store): Promise<void> {
  await store.assets.replaceAccessPoints(parseAccessPointFile(twin.accessPointsCsv()).accessPoints);
  await store.assets.replaceEndpoints(parseEndpointFile(twin.endpointsCsv()).endpoints);
}

/** Quality causes only (the missing subnet is a gap in the building file, not poor streams). */
export function qualityCauses(causes: TruthCause[], media = 'audio'): TruthCause[] {
  return causes.filter(
    (c) => (c.metrics === undefined || c.metrics.length > 0) && (c.media ?? 'audio') === media,
  );
}

function inCidr(cidr: string, ip: string): boolean {
  const [net, bits] = cidr.split('/');
  if (!bits) return net === ip;
  const num = (a: string) => a.split('.').reduce((s, x) => s * 256 + Number(x), 0);
  const mask = 2 ** 32 - 2 ** (32 - Number(bits));
  return (num(ip) & mask) >>> 0 === (num(net) & mask) >>> 0;
}

/**
 * Whether a ranked row names a planted cause: one of its parts is the cause's dimension and value (a subnet inside
 * the cause's range counts); joins over the VPN are also named by `vpn true`, the dimension that says VPN.
 */
export function namesCause(row: { dimensions: string[]; values: string[] }, c: TruthCause): boolean {
  const dim = parseDimension(c.dimension);
  return row.dimensions.some((d, i) => {
    const v = row.values[i];
    if (c.kind === 'vpn' && d === 'vpn' && v === 'true') return true;
    if (d !== dim) return false;
    return v === c.value || (d === 'subnet' && c.value.includes('/') && inCidr(c.value, v));
  });
}

/** The 1-based rank of the first row naming the cause, or null. */
export function rankOf(rows: { dimensions: string[]; values: string[] }[], c: TruthCause): number | null {
  const i = rows.findIndex((r) => namesCause(r, c));
  return i < 0 ? null : i + 1;
}
