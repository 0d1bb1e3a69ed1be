// Parse errors name the JSON path and say what is wrong: a missing property, or the type received instead.
import { expect, it } from 'vitest';
import { parseCallRecord, parseDirectRoutingLogRow, parsePstnCallLogRow } from './parse.ts';

const record = { id: 'r1', version: 1, startDateTime: '2026-01-05T09:00:00Z' };

it('says a required property is missing, and which type came instead of the expected one', () => {
  expect(() => parseCallRecord({ ...record, startDateTime: undefined }, 'f.json')).toThrow(
    'f.json: $.startDateTime: missing (expected string)',
  );
  const session = { id: 's1', endDateTime: 7 };
  expect(() => parseCallRecord({ ...record, sessions: [session] }, 'f.json')).toThrow(
    'f.json: $.sessions[0].endDateTime: expected string, got number',
  );
  expect(() => parseCallRecord({ ...record, sessions: {} }, 'f.json')).toThrow(
    'f.json: $.sessions: expected array, got object',
  );
  expect(() => parseCallRecord({ ...record, id: undefined }, 'f.json')).toThrow(
    'f.json: $.id: a call record needs a string "id"',
  );
});

it('never puts the value itself in the message', () => {
  const secret = 'planted.user@contoso.example';
  try {
    parseCallRecord({ ...record, sessions: secret }, 'f.json');
    expect.unreachable();
  } catch (err) {
    expect((err as Error).message.includes(secret)).toBe(false);
  }
});

it('refuses a PSTN or Direct Routing row with a NUL in its text, naming the property and not the value', () => {
  const row = { id: 'p1', userDisplayName: 'Planted\u0000Name', startDateTime: '2026-01-05T09:00:00Z' };
  expect(() => parsePstnCallLogRow(row, 'f.json', '$.value[2]')).toThrow(
    'f.json: $.value[2].userDisplayName: text with a NUL character',
  );
  expect(() => parseDirectRoutingLogRow({ ...row, userDisplayName: 'ok', id: 'd\u0000' }, 'g')).toThrow(
    'g: $.id: text with a NUL character',
  );
  expect(() => parsePstnCallLogRow(row, 'f.json')).not.toThrow(/Planted/);
  expect(parsePstnCallLogRow({ ...row, userDisplayName: 'Planted Name' }).userDisplayName).toBe(
    'Planted Name',
  );
});
