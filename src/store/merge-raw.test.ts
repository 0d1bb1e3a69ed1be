// Same-version payload merging: union of what each $expand showed, idempotent, stored values kept on conflict.
import { describe, expect, it } from 'vitest';
import { mergeSameVersion } from './merge-raw.ts';

const basic = { id: 'c', version: 1, '@odata.context': 'a', organizer_v2: { id: 'o' }, sessions: null };
const withSessions = {
  id: 'c',
  version: 1,
  '@odata.context': 'b',
  sessions: [
    { id: 's1', segments: [{ id: 'g', media: [{ label: 'main-audio', streams: [{ streamId: '1' }] }] }] },
  ],
};
const page = {
  sessions: [
    {
      id: 's1',
      caller: { name: 'n' },
      segments: [{ id: 'g', media: [{ label: 'main-audio', streams: [{ streamId: '2' }] }] }],
    },
    { id: 's2' },
  ],
};

describe('mergeSameVersion', () => {
  it('keeps the union of sessions, segments, media and streams', () => {
    const merged = mergeSameVersion(mergeSameVersion(basic, withSessions), page);
    expect(merged['@odata.context']).toBe('a');
    expect(merged.organizer_v2).toEqual({ id: 'o' });
    const sessions = merged.sessions as Array<Record<string, unknown>>;
    expect(sessions.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(sessions[0].caller).toEqual({ name: 'n' });
    expect(JSON.stringify(sessions[0].segments)).toContain('"streamId":"1"');
    expect(JSON.stringify(sessions[0].segments)).toContain('"streamId":"2"');
  });

  it('changes nothing when merging what is already contained, in any order', () => {
    const merged = mergeSameVersion(mergeSameVersion(basic, withSessions), page);
    for (const again of [basic, withSessions, page])
      expect(JSON.stringify(mergeSameVersion(merged, again))).toBe(JSON.stringify(merged));
  });

  it('keeps the stored value when both have one', () => {
    expect(mergeSameVersion({ a: 1, b: null }, { a: 2, b: 3, c: [] })).toEqual({ a: 1, b: 3, c: [] });
  });
});
