// The EUII catalog is complete: every live column of a migrated store and every Graph schema property is classified.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  callRecordSchema,
  deviceInfoSchema,
  directRoutingLogRowSchema,
  endpointSchema,
  feedbackSchema,
  identitySchema,
  mediaSchema,
  mediaStreamSchema,
  networkInfoSchema,
  participantSchema,
  pstnCallLogRowSchema,
  segmentSchema,
  sessionSchema,
  traceRouteHopSchema,
  userAgentSchema,
} from '../graph/call-record-schema.ts';
import { type LiveColumn, liveColumns } from '../store/schema-info.ts';
import { type Store, storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { isPersonal } from './catalog-types.ts';
import { catalog, columnRule, tableEntry } from './euii-catalog.ts';
import { jsonPaths, type ShapeName, shapes } from './euii-json.ts';

for (const database of await testDatabases()) {
  describe(`EUII catalog against the live ${database.name} schema`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let live: LiveColumn[];
    beforeAll(async () => {
      const opened = await database.open();
      dispose = opened.dispose;
      store = await storeFromDb(opened.db, opened.url);
      live = await liveColumns(store.db);
    });
    afterAll(() => dispose());

    it('classifies every column of every table (a new column must be added to src/privacy/euii-catalog*.ts)', () => {
      expect(live.length).toBeGreaterThan(100);
      const missing = live.filter((c) => !columnRule(c.table, c.column)).map((c) => `${c.table}.${c.column}`);
      expect(missing).toEqual([]);
    });

    it('names no table or column the schema does not have', () => {
      const have = new Set(live.map((c) => `${c.table}.${c.column}`));
      const stale = catalog.flatMap((t) =>
        Object.keys(t.columns)
          .map((c) => `${t.table}.${c}`)
          .filter((k) => !have.has(k)),
      );
      expect(stale).toEqual([]);
    });

    it('clears only columns that may be NULL, and tokenizes the NOT NULL personal ones', () => {
      const wrong = live.filter((c) => {
        const rule = columnRule(c.table, c.column);
        return rule && isPersonal(rule.class) && !rule.json && c.notNull && rule.expire !== 'token';
      });
      expect(wrong.map((c) => `${c.table}.${c.column}`)).toEqual([]);
    });

    it('gives each time-based rule a column that exists', () => {
      for (const t of catalog) {
        const col =
          t.rule.kind === 'log'
            ? t.rule.time
            : t.rule.kind === 'call-rows'
              ? t.rule.key
              : t.rule.kind === 'raw' || t.rule.kind === 'system'
                ? undefined
                : t.rule.day;
        if (col) expect(tableEntry(t.table)?.columns[col], `${t.table}.${col}`).toBeDefined();
      }
    });
  });
}

describe('EUII catalog of the Graph JSON', () => {
  const schemaShapes: [ShapeName, z.ZodObject][] = [
    ['record', callRecordSchema],
    ['participant', participantSchema],
    ['identity', identitySchema],
    ['session', sessionSchema],
    ['segment', segmentSchema],
    ['endpoint', endpointSchema],
    ['userAgent', userAgentSchema],
    ['feedback', feedbackSchema],
    ['media', mediaSchema],
    ['deviceInfo', deviceInfoSchema],
    ['networkInfo', networkInfoSchema],
    ['stream', mediaStreamSchema],
    ['hop', traceRouteHopSchema],
    ['pstnRow', pstnCallLogRowSchema],
    ['directRoutingRow', directRoutingLogRowSchema],
  ];

  it.each(schemaShapes)('classifies every property of the %s schema', (name, schema) => {
    const props = Object.keys(schema.shape).filter((k) => !k.includes('@'));
    expect(props.filter((p) => !shapes[name].props[p])).toEqual([]);
  });

  it("maps every EUII field of CQD's list that Graph carries to a property", () => {
    const seeds = new Set(jsonPaths().flatMap((p) => p.seed ?? []));
    for (const s of [
      'IP Address',
      'User ObjectID',
      'MAC Address',
      'Phone Number',
      'UPN',
      'Feedback Text',
      'Client Endpoint Name',
      'Local Address',
      'Remote Address',
      'Base Address',
      'BSSID',
      'Auto Attendant Identity',
      'Call Queue Identity',
      'Organizer ObjectID',
      'Organizer UPN',
      'VTC Device Name',
    ])
      expect(seeds, s).toContain(s);
  });

  it('lists the network facts CQD keeps as non-personal', () => {
    const paths = new Map(jsonPaths().map((p) => [p.path, p.class]));
    expect(paths.get('sessions[].segments[].media[].callerNetwork.subnet')).toBe('non-personal');
    expect(paths.get('sessions[].segments[].media[].callerNetwork.ipAddress')).toBe('euii');
    expect(paths.get('sessions[].segments[].media[].calleeNetwork.traceRouteHops[].ipAddress')).toBe('euii');
    expect(paths.get('organizer_v2.identity.*.userPrincipalName')).toBe('identifier');
  });
});
