// The in-memory cube answers every count cause attribution asks exactly as the query engine does in SQL: on a
// twin's records through the real ingest, for groups, cross-tabs, totals, narrower filters and other periods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadDb } from '../store/db.ts';
import { testDatabases } from '../store/test-stores.ts';
import { type CauseCounts, queryCounts, type Scope } from './cause-groups.ts';
import { findCausesIn } from './find-causes.ts';
import type { Dimension } from './quality-query.ts';
import { cubeCounts } from './scope-cube.ts';
import { type TwinStore, twinStore } from './test-twin-store.ts';

describe.each(await testDatabases())(
  'the scope cube against the query engine on $name (twin seed 3, 40 users, 4 days)',
  (database) => {
    let ts: TwinStore;
    let sql: CauseCounts;
    const audio: Scope = { filters: { 'media-type': ['audio'] } };

    beforeAll(async () => {
      ts = await twinStore(database, { seed: 3, users: 40, days: 4 });
      sql = queryCounts(ts.db);
    }, 300_000);

    afterAll(async () => ts?.dispose());

    const sortedTexts = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

    it('gives the same groups for single and paired dimensions, with and without unknown values', async () => {
      const cube = cubeCounts(ts.db);
      const bys: Dimension[][] = [
        ['building'],
        ['client-version'],
        ['subnet', 'wifi-band'],
        ['user'],
        ['isp'],
      ];
      for (const by of bys)
        for (const keepUnknown of [false, true]) {
          const want = await sql.groups(audio, by, keepUnknown);
          const got = await cube.groups(audio, by, keepUnknown);
          expect(want.length, by.join('+')).toBeGreaterThan(0);
          // Same rows in the same order (most streams first), so ties are broken alike too.
          expect(got, `${by.join('+')} keepUnknown=${keepUnknown}`).toEqual(want);
        }
    });

    it('answers a narrower scope inside the loaded one from memory, and the same as SQL', async () => {
      let scans = 0;
      const counted: ReadDb = {
        ...ts.db,
        each: (s, p, on) => {
          scans++;
          return ts.db.each(s, p, on);
        },
      };
      const cube = cubeCounts(counted);
      await cube.groups(audio, ['building']);
      const loaded = scans;
      expect(loaded).toBeGreaterThan(0);
      const [building] = await sql.groups(audio, ['building']);
      const narrow: Scope = {
        filters: { ...audio.filters, building: [building.values[0]], 'network-type': ['wifi'] },
      };
      expect(await cube.total(narrow)).toEqual(await sql.total(narrow));
      expect(await cube.groups(narrow, ['subnet'])).toEqual(await sql.groups(narrow, ['subnet']));
      expect(await cube.cross(narrow, 'subnet', 'hour-of-day')).toEqual(
        await sql.cross(narrow, 'subnet', 'hour-of-day'),
      );
      expect(scans, 'no scan after the first').toBe(loaded);
    });

    it('gives the same cross-tab of two dimensions', async () => {
      const cube = cubeCounts(ts.db);
      const want = await sql.cross(audio, 'building', 'client-version');
      expect(want.size).toBeGreaterThan(1);
      expect([...(await cube.cross(audio, 'building', 'client-version'))].sort()).toEqual([...want].sort());
    });

    it('counts the streams of a group outside others in one pass, as the grouped query does', async () => {
      const cube = cubeCounts(ts.db);
      const [building] = await sql.groups(audio, ['building']);
      const [version] = await sql.groups(audio, ['client-version']);
      const inside = [['building', [building.values[0]]]] as const;
      const others = [
        [['client-version', [version.values[0]]]],
        [
          ['network-type', ['wifi']],
          ['hour-of-day', ['09', '10', '11']],
        ],
      ] as const;
      const want = await sql.outside(audio, inside, others);
      expect(want.inside.n).toBeGreaterThan(0);
      expect(want.rest.n).toBeGreaterThan(want.inside.n);
      expect(await cube.outside(audio, inside, others)).toEqual(want);
    });

    it('reads another period or a wider scope afresh instead of answering from the first cube', async () => {
      const cube = cubeCounts(ts.db);
      await cube.groups(audio, ['building']);
      const lastDay: Scope = { ...audio, since: ts.now - 86_400_000, until: ts.now };
      const all: Scope = { filters: {} };
      expect(sortedTexts(await cube.groups(lastDay, ['building']))).toEqual(
        sortedTexts(await sql.groups(lastDay, ['building'])),
      );
      expect(await cube.total(all)).toEqual(await sql.total(all));
      expect((await cube.total(all)).streams).toBeGreaterThan((await cube.total(audio)).streams);
    });

    it('ranks the same causes as attribution over the query engine', async () => {
      const q = { filters: { 'media-type': ['audio'] } };
      const viaSql = await findCausesIn(sql, q);
      const viaCube = await findCausesIn(cubeCounts(ts.db), q);
      expect(viaSql.causes.length).toBeGreaterThan(0);
      expect(viaCube).toEqual(viaSql);
    });
  },
);
