// The retention schedule inside serve/collect: first run a minute after start, then every few hours, until
// stopped; only while `when` allows (the leading collector).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { loadConfig } from '../config/config.ts';
import { silentLogger } from '../config/logger.ts';
import { ingestRecord } from '../ingest/ingest-record.ts';
import { openStore, type Store } from '../store/store.ts';
import { startRetentionSchedule } from './retention.ts';
import { ourTenant, plantedRecord, plantedStrings } from './test-records.ts';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 5, 9);

describe('startRetentionSchedule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calltrove-schedule-'));
  const config = loadConfig({ env: {}, overrides: { databaseUrl: join(dir, 'calltrove.db') } });
  let store: Store;
  beforeAll(async () => {
    store = await openStore(config.databaseUrl);
    await ingestRecord(store, plantedRecord({ id: 'sched', users: [1, 2], start: t0 }), {
      source: 'test',
      tenantId: ourTenant,
      receivedAt: t0,
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const runs = async () =>
    (
      await store.db.all<{ as_of: number }>(
        'SELECT as_of FROM privacy_runs WHERE finished_at IS NOT NULL ORDER BY id',
      )
    ).map((r) => Number(r.as_of));

  it('runs as of the clock a minute after start, then every interval, and not after stop', async () => {
    const clock = new ManualClock(t0 + 29 * DAY);
    const schedule = startRetentionSchedule({
      store,
      config,
      clock,
      logger: silentLogger,
      everyMs: 3600_000,
    });
    await clock.advance(59_000);
    expect(await runs()).toEqual([]);
    await clock.advance(1_000, 20);
    expect(await runs()).toEqual([t0 + 29 * DAY + 60_000]);
    const scrubbed = await store.db.get<{ upn: string | null }>('SELECT organizer_upn AS upn FROM calls');
    expect(scrubbed?.upn).toBeNull();
    // Without VACUUM (the schedule's way) the bytes are gone too: secure_delete + checkpoint(TRUNCATE).
    const files = ['', '-wal', '-shm'].filter((s) => existsSync(config.databaseUrl + s));
    const bytes = Buffer.concat(files.map((s) => readFileSync(config.databaseUrl + s)));
    expect(plantedStrings([1, 2]).filter((p) => bytes.includes(p)).length).toBe(0);
    await clock.advance(3600_000, 20);
    expect(await runs()).toHaveLength(2);
    await schedule.stop();
    await clock.advance(5 * 3600_000, 20);
    expect(await runs()).toHaveLength(2);
    expect(clock.pending).toBe(0);
  });

  it('skips due runs while `when` says no (a collector that does not lead), and runs once it says yes', async () => {
    const before = (await runs()).length;
    const clock = new ManualClock(t0 + 40 * DAY);
    let leader = false;
    const schedule = startRetentionSchedule({
      store,
      config,
      clock,
      logger: silentLogger,
      everyMs: 3600_000,
      when: () => leader,
    });
    await clock.advance(60_000 + 2 * 3600_000, 20);
    expect(await runs()).toHaveLength(before);
    leader = true;
    await clock.advance(3600_000, 20);
    expect(await runs()).toHaveLength(before + 1);
    await schedule.stop();
  });
});
