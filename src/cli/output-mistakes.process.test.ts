// Mistakes an admin makes, as child processes: a mistyped --db for `status` (non-zero, nothing created), an export
// to a full disk or a missing folder (exit 7 with a message, no stack trace).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePath } from '../ingest/test-samples.ts';
import { calltrove } from './test-processes.ts';

describe('what an admin gets wrong', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'calltrove-proc-mistakes-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('status on a missing database exits non-zero and creates nothing', { timeout: 60_000 }, async () => {
    const db = join(dir, 'typo.db');
    const r = await calltrove(['status', '--db', db]).exited;
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no database at .*typo\.db/);
    expect(existsSync(db)).toBe(false);
  });

  it('export --out /dev/full exits 7 and says the disk is full; into a missing folder, 7 too', {
    timeout: 60_000,
  }, async () => {
    const db = join(dir, 'some.db');
    const imported = await calltrove([
      'import',
      '--db',
      db,
      samplePath('v1.0_callRecord_get_expand_sessions_segments.response.json'),
    ]).exited;
    expect(imported.code).toBe(0);
    const full = await calltrove(['export', 'calls', '--db', db, '--out', '/dev/full']).exited;
    expect(full.code).toBe(7);
    expect(full.err).toMatch(/cannot write \/dev\/full: no space left on the device \(ENOSPC\)/);
    expect(full.err).not.toMatch(/\n\s+at /);
    const missing = await calltrove(['export', 'calls', '--db', db, '--out', join(dir, 'no', 'x.csv')])
      .exited;
    expect(missing.code).toBe(7);
    expect(missing.err).toMatch(/the folder does not exist \(ENOENT\)/);
  });
});
