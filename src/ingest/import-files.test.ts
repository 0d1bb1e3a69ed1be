// Importing files: every Graph sample, re-import, late older versions, and broken input next to good input.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDb } from '../store/sqlite/sqlite-db.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { importPaths } from './import-files.ts';
import { sample, samplesDir } from './test-samples.ts';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'calltrove-import-'));
  store = await storeFromDb(new SqliteDb(join(dir, 'db.sqlite')), join(dir, 'db.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

const expandedName = 'v1.0_callRecord_get_expand_sessions_segments.response.json';

describe('importPaths', () => {
  it('flags a record that is not whole (a plain GET, a list page) and says how to get the whole record', async () => {
    const basic = join(samplesDir, 'v1.0_callRecord_get_basic.response.json');
    // The expanded sample ends with a sessions next link (Microsoft's docs cut it short): cut off, flagged too.
    const { 'sessions@odata.nextLink': link, ...whole } = sample(expandedName);
    expect(link).toBeTypeOf('string');
    const cut = await importPaths(store, [join(samplesDir, expandedName)], { now: () => 1500 });
    expect(cut.incomplete[0].message).toMatch(/sessions cut off \(sessions@odata.nextLink not followed\)/);
    const expanded = write('whole.json', JSON.stringify(whole));
    const summary = await importPaths(store, [basic], { now: () => 1000 });
    expect(summary.failed).toEqual([]);
    expect(summary.incomplete).toHaveLength(1);
    expect(summary.incomplete[0].message).toMatch(/in this input is not whole \(no sessions\)/);
    expect(summary.incomplete[0].message).toMatch(/calltrove collect --once/);
    // The record with its sessions is whole: no warning.
    const wholeRun = await importPaths(store, [expanded], { now: () => 2000 });
    expect(wholeRun.incomplete).toEqual([]);
  });

  it('imports every call record in the Graph samples and skips the payloads that are not call records', async () => {
    const summary = await importPaths(store, [samplesDir], { now: () => 1000 });
    expect(summary.failed).toEqual([]);
    // e523d2ed (3 payloads of version 1, merged), 3cf3bbc8, c3ad8c4b (two list pages), and the list sample's 2.
    const ids = (await store.db.all<{ id: string }>('SELECT id FROM calls ORDER BY id')).map((r) => r.id);
    expect(ids).toEqual([
      '3cf3bbc8-b21d-4f2e-bfd0-b13603ae6c65',
      'c3ad8c4b-4a87-4ab1-bef0-284d2f40ed9f',
      'e523d2ed-2966-4b6b-925b-754a88034cc5',
    ]);
    const rows = await store.records.rows('e523d2ed-2966-4b6b-925b-754a88034cc5');
    expect(rows?.participants).toHaveLength(2);
    // The sessions page (with segments) of the same record fills in its second stream and full metrics.
    expect(rows?.streams).toHaveLength(2);
    expect(rows?.streams[1].average_round_trip_time_ms).toBe(64);
    const skipped = summary.skipped.map((s) => s.source.split('/').pop()).sort();
    expect(skipped).toContain('v1.0_participants_v2_list.response.json');
    expect(skipped).toContain('v1.0_changeNotification_callRecord.json');
    expect(skipped).toContain('v1.0_subscription_create_callRecords.request.json');

    const again = await importPaths(store, [samplesDir], { now: () => 1000 });
    expect(again.failed).toEqual([]);
    expect(again.inserted + again.updated + again.superseded).toBe(0);
    expect(again.unchanged).toBe(summary.inserted + summary.updated + summary.unchanged);
  });

  it('keeps the newer version when an older one arrives after it', async () => {
    const v2 = { ...sample(expandedName), version: 2, type: 'groupCall' };
    const newer = write('newer.json', JSON.stringify(v2));
    const older = write('older.json', readFileSync(join(samplesDir, expandedName), 'utf8'));
    expect((await importPaths(store, [newer], { now: () => 1000 })).inserted).toBe(1);
    const s = await importPaths(store, [older], { now: () => 1000 });
    expect(s.superseded).toBe(1);
    expect(await store.records.storedVersion('e523d2ed-2966-4b6b-925b-754a88034cc5')).toBe(2);
    expect((await store.records.rows('e523d2ed-2966-4b6b-925b-754a88034cc5'))?.call.type).toBe('groupCall');
  });

  it('names each broken file and still imports the rest of the batch', async () => {
    const good = sample(expandedName);
    const rec = (id: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ ...good, id, ...extra });
    const text = readFileSync(join(samplesDir, expandedName), 'utf8');
    const files = [
      write('a-invalid.json', '{"id": "x", "version": 1,, }'),
      write('b-truncated.json', text.slice(0, Math.floor(text.length / 2))),
      write('c-empty.json', ''),
      write('d-no-id.json', JSON.stringify({ ...good, id: undefined })),
      write('e-wrong-type.json', rec('wrong', { version: 'two' })),
      write('f-good.json', rec('good-1')),
      write('g-lines.ndjson', `${rec('line-1')}\n{"broken\n${rec('line-3')}\n`),
      write('h-page.json', JSON.stringify({ value: [JSON.parse(rec('page-1')), { version: 1 }] })),
      write(
        'i-valid-edge.json',
        rec('edge', {
          sessions: [
            { id: 's', startDateTime: '2020-01-01T00:00:00Z', endDateTime: '2020-01-01T00:00:01Z' },
            {
              id: 't',
              startDateTime: '2020-01-01T00:00:00Z',
              endDateTime: '2020-01-01T00:00:01Z',
              segments: [
                {
                  id: 'g',
                  startDateTime: '2020-01-01T00:00:00Z',
                  endDateTime: '2020-01-01T00:00:01Z',
                  media: [{ label: 'main-audio', streams: [] }, { label: 'main-video' }],
                },
              ],
            },
          ],
        }),
      ),
      join(dir, 'missing.json'),
    ];
    const s = await importPaths(store, files, { now: () => 1000 });
    expect(s.inserted).toBe(5);
    const messages = s.failed.map((f) => f.message);
    expect(messages).toHaveLength(8);
    expect(messages[0]).toMatch(/missing\.json: no such file/);
    expect(messages).toContainEqual(
      expect.stringMatching(/a-invalid\.json: invalid JSON at line 1, column \d+/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/b-truncated\.json: .*truncated/));
    expect(messages).toContainEqual(expect.stringMatching(/c-empty\.json: the file is empty/));
    expect(messages).toContainEqual(expect.stringMatching(/d-no-id\.json: \$\.id: .*"id"/));
    expect(messages).toContainEqual(expect.stringMatching(/e-wrong-type\.json: \$\.version: /));
    expect(messages).toContainEqual(expect.stringMatching(/g-lines\.ndjson line 2: .*JSON/));
    expect(messages).toContainEqual(expect.stringMatching(/h-page\.json: \$\.value\[1\]\.id: /));
    const edge = await store.records.rows('edge');
    expect(edge?.sessions.map((x) => x.segment_count)).toEqual([0, 1]);
    expect(edge?.media.map((m) => m.stream_count)).toEqual([0, 0]);
    // Errors never echo record content.
    expect(messages.join('\n')).not.toMatch(/10\.150|contoso|Abbie/);
  });

  it('reads a pretty-printed record saved as .ndjson whole, and folder files named .JSON', async () => {
    const good = sample(expandedName);
    const pretty = write('pretty.ndjson', JSON.stringify({ ...good, id: 'pretty-1' }, null, 2));
    mkdirSync(join(dir, 'export'));
    write('export/UPPER.JSON', JSON.stringify({ ...good, id: 'upper-1' }));
    // NDJSON whose first line is broken still goes line by line: the good lines import.
    const lines = write(
      'lines.ndjson',
      `{"broken\n${JSON.stringify({ ...good, id: 'line-2' })}\n{"id": "x",,}\n`,
    );
    const s = await importPaths(store, [pretty, join(dir, 'export'), lines], { now: () => 1000 });
    // A line's source names its line: the message gives the column only, and calls a cut-off line that.
    expect(s.failed.map((f) => f.message.replace(dir, ''))).toEqual([
      '/lines.ndjson line 1: the line ends in the middle of its JSON (cut off?); re-export the file',
      '/lines.ndjson line 3: invalid JSON at column 12; fix or re-export the file',
    ]);
    expect(s.inserted).toBe(3);
    for (const id of ['pretty-1', 'upper-1', 'line-2']) expect(await store.records.storedVersion(id)).toBe(1);
  });
});
