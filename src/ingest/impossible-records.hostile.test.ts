// Hostile input, mutated records: every impossible value of issue 11 imported into SQLite and PostgreSQL gives the
// same summary (each value nulled with a warning, or the record refused with its reason) and the same tables, and
// the organization-wide figures stay plausible.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { queryQuality } from '../analytics/query-quality.ts';
import { formatImportSummary } from '../cli/commands/import.ts';
import { ingestSink } from '../collector/context.ts';
import { createLogger } from '../config/logger.ts';
import type { PstnCallLogRow } from '../graph/types.ts';
import { impossibleCases, impossibleRecord, plausibleRecord } from '../normalize/test-impossible-records.ts';
import { storeFromDb } from '../store/store.ts';
import { testDatabases } from '../store/test-stores.ts';
import { tableSnapshot } from '../store/test-tables.ts';
import { importPaths } from './import-files.ts';
import { sample } from './test-samples.ts';

const databases = await testDatabases();

describe('impossible values at the door (every database)', () => {
  it('imports the same mutated records into each database with the same outcome and the same tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calltrove-impossible-'));
    const file = join(dir, 'impossible.ndjson');
    const lines = [
      ...impossibleCases.map((c, i) => JSON.stringify(impossibleRecord(c, i))),
      JSON.stringify(plausibleRecord('99999999-0000-0000-0000-000000000000')),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const results: Array<{ name: string; summary: unknown; tables: unknown; figures: unknown }> = [];
    try {
      for (const database of databases) {
        const opened = await database.open();
        try {
          const store = await storeFromDb(opened.db, opened.url);
          const summary = await importPaths(store, [file], { now: () => Date.UTC(2026, 0, 11) });
          const refused = impossibleCases.filter((c) => c.refused);
          expect(summary.failed).toHaveLength(refused.length);
          summary.failed.forEach((f, k) => {
            expect(f.message).toMatch(refused[k].refused as RegExp);
          });
          const nulled = impossibleCases.filter((c) => c.nulls);
          expect(summary.inserted).toBe(nulled.length + 1);
          // Each warning names file, line, JSON path, record and value; the record's text values never appear.
          expect(summary.warnings.map((w) => /: (\$[^:]*): call record /.exec(w.message)?.[1])).toEqual(
            nulled.map((c) => c.nulls),
          );
          for (const w of summary.warnings) expect(w.message).toMatch(/impossible\.ndjson line \d+: /);
          // As `calltrove import` prints it: a warning line each, and the count in the first line.
          const printed = formatImportSummary(summary);
          expect(printed.match(/^ {2}warning /gm)).toHaveLength(nulled.length);
          expect(printed).toContain(`${nulled.length} impossible value(s) stored as null`);
          expect(JSON.stringify(summary.warnings)).not.toMatch(/Quinn|üü/);
          const figures = await queryQuality(store.reads, {
            by: [],
            filters: {},
            measures: [
              'streams',
              'avgJitterMs',
              'avgPacketLoss',
              'avgRoundTripMs',
              'minutes',
              'streamMinutes',
            ],
          });
          const [total] = figures;
          expect(total.avgJitterMs).toBeGreaterThanOrEqual(16);
          expect(total.avgJitterMs).toBeLessThanOrEqual(20);
          expect(total.avgPacketLoss).toBeGreaterThanOrEqual(0);
          expect(total.avgPacketLoss).toBeLessThanOrEqual(0.01);
          expect(total.minutes).toBeGreaterThan(0);
          expect(total.minutes).toBeLessThanOrEqual((nulled.length + 1) * 30);
          expect(total.streamMinutes).toBeGreaterThan(0);
          results.push({
            name: database.name,
            summary: { ...summary, warnings: summary.warnings, failed: summary.failed },
            tables: await tableSnapshot(opened.db),
            figures,
          });
        } finally {
          await opened.dispose();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(results.map((r) => r.name)).toEqual(databases.map((d) => d.name));
    for (const r of results.slice(1)) {
      expect(r.summary).toEqual(results[0].summary);
      expect(r.tables).toEqual(results[0].tables);
      expect(r.figures).toEqual(results[0].figures);
    }
  });
});

describe('PSTN rows with a NUL (every database)', () => {
  it('refuses only that row, the same on each database, and keeps the rest of the page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calltrove-pstn-nul-'));
    const page = sample('v1.0_getPstnCalls.response.json') as { value: Record<string, unknown>[] };
    const row = page.value[0];
    page.value = [
      { ...row, id: 'row-a' },
      { ...row, id: 'row-b', userDisplayName: 'Richard\u0000Malk' },
      { ...row, id: 'row-c' },
    ];
    const file = join(dir, 'pstn.json');
    writeFileSync(file, JSON.stringify(page));
    const outcomes: unknown[] = [];
    try {
      for (const database of databases) {
        const opened = await database.open();
        try {
          const store = await storeFromDb(opened.db, opened.url);
          const summary = await importPaths(store, [file], {
            now: () => Date.UTC(2026, 0, 11),
            saveLogRows: (kind, rows) =>
              kind === 'pstn'
                ? store.pstnLogs.upsertPstn(rows as PstnCallLogRow[], Date.UTC(2026, 0, 11))
                : Promise.resolve(0),
          });
          expect(summary.logRows).toBe(2);
          expect(summary.failed.map((f) => f.message.replace(dir, ''))).toEqual([
            '/pstn.json: $.value[1].userDisplayName: text with a NUL character (Graph never sends one)',
          ]);
          outcomes.push({
            summary: { ...summary, failed: summary.failed.length },
            tables: await tableSnapshot(opened.db, ['pstn_calls']),
          });
        } finally {
          await opened.dispose();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const o of outcomes.slice(1)) expect(o).toEqual(outcomes[0]);
  });
});

describe("impossible values in the collector's log", () => {
  it('logs each nulled value with record, path and a typed description, no name of the record', async () => {
    const opened = await databases[0].open();
    try {
      const store = await storeFromDb(opened.db, opened.url);
      let out = '';
      const sink = new Writable({
        write(chunk, _enc, done) {
          out += String(chunk);
          done();
        },
      });
      const sinkOf = ingestSink(
        store,
        'dc368399-474c-4d40-900c-6265431fd81f',
        undefined,
        undefined,
        createLogger('info', sink),
      );
      const record = plausibleRecord('77777777-0000-0000-0000-000000000000');
      const session = (record.sessions as Record<string, unknown>[])[0];
      session.caller = { associatedIdentity: { id: 'u1', displayName: 'Quinn\u0000Secret' } };
      session.endDateTime = '2026-01-10T10:30:00';
      const saved = await sinkOf.save(record, Date.UTC(2026, 0, 11));
      expect(saved.outcome).toBe('inserted');
      const lines = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.msg)).toEqual([
        'impossible value stored as null',
        'impossible value stored as null',
      ]);
      expect(lines.map((l) => l.recordId)).toEqual([record.id, record.id]);
      expect(String(lines[0].warning)).toContain('$.sessions[0].caller.associatedIdentity.displayName');
      expect(String(lines[0].warning)).toContain('a text of 12 characters');
      expect(String(lines[1].warning)).toContain('$.sessions[0].endDateTime');
      expect(out).not.toContain('Quinn');
    } finally {
      await opened.dispose();
    }
  });
});
