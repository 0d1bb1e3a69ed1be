// Every command that opens the database, given each PostgreSQL connection-string form with a password and an
// unreachable server: it fails with a message naming the setting, and the password appears nowhere it writes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionStringForms } from '../config/test-connection-strings.ts';
import { runCli } from './test-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'calltrove-dburl-'));
const records = join(dir, 'records.json');
writeFileSync(records, JSON.stringify({ value: [] }));
const buildings = join(dir, 'buildings.csv');
writeFileSync(buildings, '10.1.0.0,A,24,Alpha,,,,,,,,,1,0,0\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each command that reads or writes the store, with the arguments it needs to get that far. */
const commands: string[][] = [
  ['import', records],
  ['calls'],
  ['call', 'some-id'],
  ['reprocess'],
  ['buildings', 'list'],
  ['buildings', 'import', buildings],
  ['report', 'quality'],
  ['report', 'residency'],
  ['export', 'calls'],
  ['serve', '--port', '0'],
  ['retention', 'run'],
  ['retention', 'status'],
  ['audit'],
  ['collect'],
  ['collect', '--once'],
  ['backfill'],
  ['status'],
  ['demo', '--data-dir', join(dir, 'demo'), '--port', '0', '--users', '2', '--days', '1'],
];

describe('connection passwords never reach a message', () => {
  for (const form of connectionStringForms)
    it(`${form.name}: every command`, { timeout: 60_000 }, async () => {
      for (const args of commands) {
        // The demo keeps its own database unless --db names one: CALLTROVE_DATABASE_URL is not its.
        for (const how of args[0] === 'demo' ? (['--db'] as const) : (['--db', 'env'] as const)) {
          const run =
            how === '--db'
              ? await runCli(['--db', form.url, ...args])
              : await runCli(args, { CALLTROVE_DATABASE_URL: form.url });
          const what = `${args.join(' ')} (${how})`;
          expect(run.code, `${what}: ${run.err}`).not.toBe(0);
          // It says what is wrong: the database setting, shown masked.
          expect(run.err, what).toMatch(/database/);
          expect(run.err, what).toContain('***');
          for (const secret of form.secrets) {
            expect(run.err, `${what}: stderr`).not.toContain(secret);
            expect(run.out, `${what}: stdout`).not.toContain(secret);
          }
        }
      }
    });
});
