// fetch-record: a record is whole only after every sessions page and every participants_v2 page is in.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { parseCallRecord } from '../graph/parse.ts';
import { RecordFetcher, requestableLink } from './fetch-record.ts';
import { GraphClient } from './graph-client.ts';
import { type FakeRoute, fakeGraph, staticTokens } from './test-fakes.ts';

const graphUrl = 'https://graph.test/v1.0';
const sample = JSON.parse(
  readFileSync(
    new URL('./testdata/v1.0_callRecord_get_expand_sessions_segments.response.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown> & { sessions: Record<string, unknown>[] };
const id = sample.id as string;

/** Graph with 150 sessions (3 pages of 60) and 300 participants (3 pages of 130); `combined` says whether it accepts both expands. */
function graphOf(combined: boolean): FakeRoute {
  const sessions = Array.from({ length: 150 }, (_, i) => ({ ...sample.sessions[0], id: `s${i}` }));
  const participants = Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, identity: {} }));
  const sessionPage = (from: number) => ({
    value: sessions.slice(from, from + 60),
    ...(from + 60 < sessions.length
      ? {
          '@odata.nextLink': `${graphUrl}/communications/callRecords/${id}/sessions?$expand=segments&$skiptoken=${from + 60}`,
        }
      : {}),
  });
  const participantPage = (from: number) => ({
    value: participants.slice(from, from + 130),
    ...(from + 130 < participants.length
      ? {
          '@odata.nextLink': `${graphUrl}/communications/callRecords/${id}/participants_v2?$skiptoken=${from + 130}`,
        }
      : {}),
  });
  return ({ url }) => {
    const path = url.pathname.replace('/v1.0', '');
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    if (path === `/communications/callRecords/${id}`) {
      const expand = url.searchParams.get('$expand') ?? '';
      if (expand.includes('participants_v2') && !combined)
        return Response.json({ error: { code: 'BadRequest', message: 'one $expand' } }, { status: 400 });
      const first = sessionPage(0);
      const body: Record<string, unknown> = {
        ...sample,
        sessions: first.value,
        'sessions@odata.nextLink': first['@odata.nextLink'],
      };
      if (expand.includes('participants_v2')) {
        const p = participantPage(0);
        body.participants_v2 = p.value;
        body['participants_v2@odata.nextLink'] = p['@odata.nextLink'];
      }
      return Response.json(body);
    }
    if (path === `/communications/callRecords/${id}/sessions`) return Response.json(sessionPage(skip));
    if (path === `/communications/callRecords/${id}/participants_v2`)
      return Response.json(participantPage(skip));
    return Response.json({ error: { code: 'NotFound', message: 'no such record' } }, { status: 404 });
  };
}

function fetcherFor(route: FakeRoute) {
  const graph = fakeGraph(route);
  const client = new GraphClient({
    graphUrl,
    fetch: graph.fetch,
    tokens: staticTokens(),
    clock: new ManualClock(),
  });
  return { fetcher: new RecordFetcher(client), graph, client };
}

describe('fetch-record', () => {
  it('follows every sessions page and participants_v2 page of a combined $expand', async () => {
    const { fetcher, graph } = fetcherFor(graphOf(true));
    const result = await fetcher.fetch(id);
    expect(result.status).toBe('found');
    if (result.status !== 'found') return;
    expect((result.record.sessions as unknown[]).length).toBe(150);
    expect((result.record.participants_v2 as unknown[]).length).toBe(300);
    expect(result.record['sessions@odata.nextLink']).toBeUndefined();
    expect(result.record['participants_v2@odata.nextLink']).toBeUndefined();
    expect(result.requests).toBe(5);
    expect(graph.seen[0]).toContain('$expand=sessions($expand=segments),participants_v2');
    expect(() => parseCallRecord(result.record, 'graph')).not.toThrow();
  });

  it('lists participants_v2 separately when the combined $expand is refused, and keeps doing so', async () => {
    const { fetcher } = fetcherFor(graphOf(false));
    const first = await fetcher.fetch(id);
    expect(first.status === 'found' && (first.record.participants_v2 as unknown[]).length).toBe(300);
    expect(first.requests).toBe(1 + 1 + 2 + 3);
    expect(fetcher.participantsMode).toBe('separate');
    const second = await fetcher.fetch(id);
    expect(second.requests).toBe(1 + 2 + 3);
  });

  it('reports a 404 as missing', async () => {
    const { fetcher } = fetcherFor(graphOf(true));
    expect((await fetcher.fetch('not-there')).status).toBe('missing');
  });

  it("turns the docs' $metadata next links into request URLs", () => {
    expect(requestableLink(sample['sessions@odata.nextLink'] as string)).toBe(
      `https://graph.microsoft.com/v1.0/communications/callRecords/${id}/sessions?$expand=segments&$skiptoken=abc`,
    );
  });
});
