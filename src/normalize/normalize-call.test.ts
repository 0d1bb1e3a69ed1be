// Normalization of Microsoft's sample records: identities, view, endpoints, every metric column, classification.
import { describe, expect, it } from 'vitest';
import { durationToMs } from '../graph/duration.ts';
import { parseCallRecord } from '../graph/parse.ts';
import { sample } from '../ingest/test-samples.ts';
import { streamFields } from './graph-names.ts';
import { normalizeCallRecord, recordView } from './normalize-call.ts';

const tenant = 'dc368399-474c-4d40-900c-6265431fd81f';

function rowsOf(name: string, tenantId?: string, patch?: (r: Record<string, unknown>) => void) {
  const json = sample(name);
  patch?.(json);
  return normalizeCallRecord(parseCallRecord(json, name), { tenantId, receivedAt: 1, source: name });
}

describe('normalizeCallRecord', () => {
  it('turns the expanded sample into sessions, segments, endpoints, media and classified streams', () => {
    const rows = rowsOf('v1.0_callRecord_get_expand_sessions_segments.response.json', tenant);
    expect(rows.call).toMatchObject({
      id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
      version: 1,
      type: 'peerToPeer',
      modalities: 'audio',
      start_time: Date.parse('2020-02-25T18:52:21.216Z'),
      organizer_id: '821809f5-0000-0000-0000-3b5136c0e777',
      organizer_name: 'Abbie Wilkins',
      organizer_tenant_id: tenant,
      organizer_kind: 'user',
      view: 'organizer',
      view_tenant_id: tenant,
      session_count: 1,
      segment_count: 1,
      media_count: 1,
      stream_count: 1,
      sessions_truncated: 1,
    });
    expect(rows.endpoints).toHaveLength(4);
    const sessionCallee = rows.endpoints.find((e) => e.segment_idx === -1 && e.side === 'callee');
    expect(sessionCallee).toMatchObject({
      kind: 'participant',
      user_agent_type: 'client',
      platform: 'windows',
      product_family: 'skypeForBusiness',
      identity_name: 'Owen Franklin',
      identity_upn: 'owen.franklin@contoso.com',
      device_name: 'machineName_4',
      feedback_rating: 'poor',
    });
    expect(rows.sessions[0]).toMatchObject({
      caller_name: 'Abbie Wilkins',
      callee_platform: 'windows',
      is_test: 0,
    });
    expect(rows.mediaEndpoints).toHaveLength(2);
    expect(rows.mediaEndpoints[0]).toMatchObject({
      side: 'caller',
      has_network: 1,
      subnet: '10.150.0.0',
      link_speed: 54000000,
      capture_device_name: 'Default input device',
      received_signal_level: -10,
    });
    expect(rows.mediaEndpoints[1]).toMatchObject({ side: 'callee', has_device: 0, subnet: null });
    expect(rows.streams[0]).toMatchObject({
      stream_id: '1504545584',
      stream_direction: 'callerToCallee',
      average_jitter_ms: 16,
      media_type: 'audio',
      quality: 'good',
      poor_reasons: '',
    });
  });

  it('reads every network, device and stream property of the sessions sample into its own column', () => {
    const json = sample('v1.0_sessions_list_expand_segments.response.json');
    const session = (json.value as Record<string, unknown>[])[0];
    const record = { id: 'x', version: 3, startDateTime: '2020-02-25T18:52:21Z', sessions: [session] };
    const rows = normalizeCallRecord(parseCallRecord(record), { receivedAt: 1 });
    expect(rows.call.view).toBe('unknown');
    const media = (session.segments as Record<string, unknown>[])[0].media as Record<string, unknown>[];
    const network = media[0].callerNetwork as Record<string, unknown>;
    const me = rows.mediaEndpoints[0] as Record<string, unknown>;
    expect(me.reflexive_ip_address).toBe(network.reflexiveIPAddress);
    expect(me.connection_type).toBe('wifi');
    expect(me.port).toBe(network.port);
    const stream = (media[0].streams as Record<string, unknown>[])[0];
    const row = rows.streams[0] as Record<string, unknown>;
    for (const f of streamFields) {
      const v = stream[f.graph];
      if (v === undefined || v === null) continue;
      const expected =
        f.conversion === 'duration' ? durationToMs(v as string) : f.conversion === 'bool' ? (v ? 1 : 0) : v;
      expect(row[f.column], f.graph).toBe(expected);
    }
    const endpoint = rows.endpoints.find((e) => e.segment_idx === -1 && e.side === 'callee');
    expect(endpoint?.feedback_tokens && JSON.parse(endpoint.feedback_tokens)).toMatchObject({ Noisy: true });
    expect(endpoint?.identity_kind).toBe('user');
    expect(endpoint?.cpu_cores_count).toBe(2);
  });

  it('marks the organizer among participants_v2 by identity id and keeps each tenant', () => {
    const rows = rowsOf('v1.0_callRecord_get_expand_participants_v2.response.json', 'other-tenant');
    expect(rows.call.view).toBe('participant');
    expect(rows.call.participants_truncated).toBe(1);
    expect(rows.participants.map((p) => [p.display_name, p.is_organizer, p.tenant_id, p.kind])).toEqual([
      ['Abbie Wilkins', 1, tenant, 'user'],
      ['Owen Franklin', 0, tenant, 'user'],
    ]);
  });

  it('falls back to the deprecated organizer and participants identity sets', () => {
    const rows = rowsOf('v1.0_callRecord_get_basic.response.json', undefined, (r) => {
      delete r.organizer_v2;
      r.organizer = { user: { id: 'o1', displayName: 'Org', tenantId: 't1' } };
      r.participants = [{ user: { id: 'o1', tenantId: 't1' } }, { phone: { id: '+4930123' } }];
    });
    expect(rows.call).toMatchObject({ organizer_id: 'o1', organizer_tenant_id: 't1', participant_count: 2 });
    expect(rows.participants.map((p) => [p.kind, p.is_organizer])).toEqual([
      ['user', 1],
      ['phone', 0],
    ]);
  });

  it('accepts a media without streams and a session without segments', () => {
    const rows = rowsOf('v1.0_callRecord_get_basic.response.json', undefined, (r) => {
      r.sessions = [
        { id: 's0', startDateTime: '2020-01-01T00:00:00Z', endDateTime: '2020-01-01T00:01:00Z' },
        {
          id: 's1',
          startDateTime: '2020-01-01T00:00:00Z',
          endDateTime: '2020-01-01T00:01:00Z',
          segments: [
            {
              id: 'g',
              startDateTime: '2020-01-01T00:00:00Z',
              endDateTime: '2020-01-01T00:01:00Z',
              media: [{ label: 'main-video' }],
            },
          ],
        },
      ];
    });
    expect(rows.sessions.map((s) => s.segment_count)).toEqual([0, 1]);
    expect(rows.media).toMatchObject([{ media_type: 'video', stream_count: 0 }]);
    expect(rows.streams).toEqual([]);
  });

  it('decides the view from the fetching tenant', () => {
    expect(recordView(undefined, 't')).toBe('unknown');
    expect(recordView('T', 't')).toBe('organizer');
    expect(recordView('x', 't')).toBe('participant');
    expect(recordView('x', null)).toBe('participant');
  });
});
