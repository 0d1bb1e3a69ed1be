// A record is whole only with its sessions and no page left behind a next link.
import { expect, it } from 'vitest';
import { missingParts } from './completeness.ts';

it('names each part a record lacks, and nothing for a whole record', () => {
  expect(missingParts({ id: 'a', version: 1, sessions: [{ id: 's', segments: [] }] })).toEqual([]);
  expect(missingParts({ id: 'a', version: 1, sessions: [] })).toEqual([]);
  expect(missingParts({ id: 'a', version: 1 })).toEqual(['no sessions']);
  expect(
    missingParts({
      id: 'a',
      sessions: [{ id: 's1', 'segments@odata.nextLink': 'https://g/x' }, { id: 's2' }],
      'sessions@odata.nextLink': 'https://g/s',
      'participants_v2@odata.nextLink': 'https://g/p',
    }),
  ).toEqual([
    'sessions cut off (sessions@odata.nextLink not followed)',
    'participants cut off (participants_v2@odata.nextLink not followed)',
    'segments cut off in 1 session(s) (segments@odata.nextLink not followed)',
  ]);
});
