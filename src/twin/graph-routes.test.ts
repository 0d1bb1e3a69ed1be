// Retrieval through the twin's Graph surface: list + filter + paging, get + expand + paging, 404s, determinism.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { parseCallRecord } from '../graph/parse.ts';
import { graphClient, testTwin } from './test-client.ts';
import type { Twin } from './twin.ts';

type Item = { id: string; startDateTime: string; version: number };
const twins: Twin[] = [];
function make(...args: Parameters<typeof testTwin>) {
  const made = testTwin(...args);
  twins.push(made.twin);
  return made;
}
afterEach(() => {
  for (const t of twins.splice(0)) t.stop();
});

describe('list callRecords', () => {
  it('pages by 60 with an opaque nextLink and returns every retrievable record once', async () => {
    const { twin } = make();
    const graph = await graphClient(twin);
    const first = await graph.json<{ value: Item[]; '@odata.nextLink': string; '@odata.context': string }>(
      '/communications/callRecords',
    );
    expect(first.value).toHaveLength(60);
    expect(first['@odata.context']).toBe('https://graph.twin.test/v1.0/$metadata#communications/callRecords');
    expect(first['@odata.nextLink']).toMatch(
      /^https:\/\/graph\.twin\.test\/v1\.0\/communications\/callRecords\?\$skiptoken=/,
    );
    const all = await graph.all<Item>('/communications/callRecords');
    const truth = (await (await twin.fetch(new Request('https://x/_twin/truth'))).json()) as {
      tenants: Record<string, Item[]>;
    };
    const expected = truth.tenants[twin.homeTenantId];
    expect(all.length).toBe(expected.length);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(new Map(all.map((r) => [r.id, r.version]))).toEqual(
      new Map(expected.map((r) => [r.id, r.version])),
    );
  });

  it('filters on startDateTime bounds and keeps the filter in nextLink', async () => {
    const { twin, clock } = make();
    const graph = await graphClient(twin);
    const from = new Date(clock.now() - 3 * 86_400_000).toISOString();
    const to = new Date(clock.now() - 1 * 86_400_000).toISOString();
    const filter = encodeURIComponent(`startDateTime ge ${from} and startDateTime lt ${to}`);
    const first = await graph.json<{ value: Item[]; '@odata.nextLink'?: string }>(
      `/communications/callRecords?$filter=${filter}`,
    );
    expect(first['@odata.nextLink']).toContain('$filter=startDateTime%20ge%20');
    const items = await graph.all<Item>(`/communications/callRecords?$filter=${filter}`);
    expect(items.length).toBeGreaterThan(60);
    for (const r of items) {
      expect(r.startDateTime >= from).toBe(true);
      expect(r.startDateTime < to).toBe(true);
    }
    const everything = await graph.all<Item>('/communications/callRecords');
    expect(items.length).toBe(
      everything.filter((r) => r.startDateTime >= from && r.startDateTime < to).length,
    );
  });

  it('filters on a participant id and honours Prefer: odata.maxpagesize', async () => {
    const { twin } = make();
    const graph = await graphClient(twin);
    const sample = (await graph.json<{ value: Item[] }>('/communications/callRecords')).value[3];
    const people = await graph.all<{ id: string }>(
      `/communications/callRecords/${sample.id}/participants_v2`,
    );
    const who = people[0].id;
    const hits = await graph.all<Item>(
      `/communications/callRecords?$filter=${encodeURIComponent(`participants_v2/any(p:p/id eq '${who}')`)}`,
    );
    expect(hits.map((h) => h.id)).toContain(sample.id);
    for (const hit of hits.slice(0, 5)) {
      const ps = await graph.all<{ id: string }>(`/communications/callRecords/${hit.id}/participants_v2`);
      expect(ps.map((p) => p.id)).toContain(who);
    }
    const small = await graph.get('/communications/callRecords', { prefer: 'odata.maxpagesize=7' });
    expect(((await small.json()) as { value: unknown[] }).value).toHaveLength(7);
    expect(small.headers.get('preference-applied')).toBe('odata.maxpagesize=7');
  });

  it('refuses filters Graph does not support, and forged skiptokens', async () => {
    const { twin } = make();
    const graph = await graphClient(twin);
    const bad = await graph.get(
      `/communications/callRecords?$filter=${encodeURIComponent("type eq 'groupCall'")}`,
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BadRequest');
    expect((await graph.get('/communications/callRecords?$skiptoken=garbage')).status).toBe(400);
  });
});

describe('get callRecord', () => {
  it('serves records that parse, with organizer_v2 auto-expanded and sessions expanded with segments', async () => {
    const { twin } = make();
    const graph = await graphClient(twin);
    const list = await graph.all<Item>('/communications/callRecords');
    for (const item of list.slice(0, 40)) {
      const body = await graph.json(
        `/communications/callRecords/${item.id}?$expand=sessions($expand=segments)`,
      );
      const record = parseCallRecord(body, item.id);
      expect(record.organizer_v2?.id).toBeTruthy();
      expect(record.sessions?.length).toBeGreaterThan(0);
      expect(record.sessions?.[0].segments?.length).toBeGreaterThan(0);
      expect(record.version).toBe(item.version);
    }
    const plain = await graph.json(`/communications/callRecords('${list[0].id}')`);
    expect(plain.sessions).toBeUndefined();
    expect(plain.id).toBe(list[0].id);
  });

  it('pages sessions (60) and participants_v2 (130) of a big meeting through their next links', async () => {
    // 2026-01-07 is a Wednesday: the weekly 300-person all-hands ran at 16:00 UTC.
    const { twin } = make({ clock: new ManualClock(Date.UTC(2026, 0, 8, 12, 0, 0)), users: 120 });
    const graph = await graphClient(twin);
    const list = await graph.all<Item>('/communications/callRecords');
    let big: Item | undefined;
    for (const r of list.filter((r) => r.startDateTime === '2026-01-07T16:00:00.000Z')) {
      const page = await graph.json<{ '@odata.nextLink'?: string }>(
        `/communications/callRecords/${r.id}/participants_v2`,
      );
      if (page['@odata.nextLink']) big = r;
    }
    if (!big) throw new Error('the all-hands meeting is missing');
    const record = await graph.json<Record<string, unknown>>(
      `/communications/callRecords/${big.id}?$expand=sessions($expand=segments),participants_v2`,
    );
    expect(record.sessions as unknown[]).toHaveLength(60);
    expect(record.participants_v2 as unknown[]).toHaveLength(130);
    const sessions = [...(record.sessions as Array<{ id: string; segments: unknown[] }>)];
    sessions.push(
      ...(await graph.all<{ id: string; segments: unknown[] }>(record['sessions@odata.nextLink'] as string)),
    );
    const people = [...(record.participants_v2 as Array<{ id: string }>)];
    people.push(...(await graph.all<{ id: string }>(record['participants_v2@odata.nextLink'] as string)));
    expect(sessions).toHaveLength(300);
    expect(new Set(sessions.map((s) => s.id)).size).toBe(300);
    expect(sessions.every((s) => s.segments.length > 0)).toBe(true);
    expect(people).toHaveLength(300);
    const standalone = await graph.all<{ id: string }>(`/communications/callRecords/${big.id}/sessions`);
    expect(standalone.map((s) => s.id)).toEqual(sessions.map((s) => s.id));
  });

  it('answers 404 with a Graph error for unknown ids and for records past the 30-day retention', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 8, 12, 0, 0));
    const { twin } = make({ clock, days: 3 });
    const graph = await graphClient(twin);
    const unknown = await graph.get('/communications/callRecords/00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('NotFound');
    const oldest = (await graph.json<{ value: Item[] }>('/communications/callRecords')).value[0];
    await clock.advance(Date.parse(oldest.startDateTime) + 30 * 86_400_000 - clock.now() + 1000);
    const fresh = await graphClient(twin);
    expect((await fresh.get(`/communications/callRecords/${oldest.id}`)).status).toBe(404);
    const ids = (await fresh.all<Item>('/communications/callRecords')).map((r) => r.id);
    expect(ids).not.toContain(oldest.id);
  });

  it('drops nulls when asked with Prefer: omit-values=nulls', async () => {
    const { twin } = make();
    const graph = await graphClient(twin);
    const id = (await graph.json<{ value: Item[] }>('/communications/callRecords')).value[0].id;
    const path = `/communications/callRecords/${id}?$expand=sessions($expand=segments)`;
    const full = await (await graph.get(path)).text();
    const lean = await (await graph.get(path, { prefer: 'omit-values=nulls' })).text();
    expect(full).toContain(':null');
    expect(lean).not.toContain(':null');
    parseCallRecord(JSON.parse(lean));
  });
});

describe('determinism', () => {
  it('serves byte-identical payloads for the same seed and clock, different ones for another seed', async () => {
    const at = Date.UTC(2026, 0, 8, 12, 0, 0);
    const a = make({ clock: new ManualClock(at) }).twin;
    const b = make({ clock: new ManualClock(at) }).twin;
    const c = make({ clock: new ManualClock(at), seed: 43 }).twin;
    const [ga, gb, gc] = await Promise.all([graphClient(a), graphClient(b), graphClient(c)]);
    const listA = await (await ga.get('/communications/callRecords')).text();
    expect(await (await gb.get('/communications/callRecords')).text()).toBe(listA);
    expect(await (await gc.get('/communications/callRecords')).text()).not.toBe(listA);
    const ids = (JSON.parse(listA) as { value: Item[] }).value.map((r) => r.id).slice(0, 10);
    for (const id of ids) {
      const path = `/communications/callRecords/${id}?$expand=sessions($expand=segments),participants_v2`;
      expect(await (await gb.get(path)).text()).toBe(await (await ga.get(path)).text());
    }
    expect(b.buildingsCsv()).toBe(a.buildingsCsv());
  });
});
