// The architecture as docs/architecture.md draws it, checked on every `npm test`: SQL only in the store and the
// read-only analytics queries, the whole database seam (store.db) only inside the store, database differences
// only in the backends, folders importing only the ones below them, routes and commands that ask the service
// instead of the database, one record pipeline, the environment read only by the config and the entry.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));

/** The folders from the bottom up: each may import the ones before it (and itself), never one after it. */
const layers = [
  'errors.ts',
  'clock',
  'config',
  'format',
  'http',
  'graph',
  'quality',
  'normalize',
  'store',
  'privacy',
  'analytics',
  'ingest',
  'collector',
  'alerts',
  'service',
  'server',
  'cli',
] as const;

/** The Graph twin stands beside the product (a test double of Microsoft's side): it imports only these. */
const twinMayImport = new Set(['twin', 'errors.ts', 'clock', 'config', 'graph']);

function sourceFiles(dir = src): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Tests and test support (test-*.ts, testdata) may reach anything: they are not the product. */
const isTest = (rel: string) => /(^|\/)(test-[^/]*|[^/]*\.test)\.ts$|\/testdata\//.test(rel);

const product = sourceFiles()
  .map((path) => ({ path, rel: relative(src, path).split('\\').join('/') }))
  .filter((f) => !isTest(f.rel) && f.rel !== 'architecture.test.ts')
  .map((f) => ({ ...f, text: readFileSync(f.path, 'utf8') }));

/** The code without its comments (a comment may well say SELECT). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

const folderOf = (rel: string) => (rel.includes('/') ? rel.split('/')[0] : rel);

/** The folders (or root files) a file imports from, with whether the import is type-only. */
function importsOf(file: {
  path: string;
  text: string;
}): { target: string; typeOnly: boolean; spec: string }[] {
  const out: { target: string; typeOnly: boolean; spec: string }[] = [];
  for (const m of file.text.matchAll(/^(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm)) {
    const rel = relative(src, resolve(dirname(file.path), m[3]))
      .split('\\')
      .join('/');
    if (rel.startsWith('..')) continue;
    out.push({ target: folderOf(rel), typeOnly: Boolean(m[2]), spec: rel });
  }
  return out;
}

const sql =
  /\b(SELECT\s+(?:DISTINCT\s+)?[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX)|ALTER\s+TABLE|DROP\s+TABLE|ON\s+CONFLICT)\b/;

describe('architecture (docs/architecture.md)', () => {
  it('has SQL only in src/store/ and the read-only queries of src/analytics/', () => {
    const offenders = product
      .filter((f) => !f.rel.startsWith('store/') && !f.rel.startsWith('analytics/'))
      .filter((f) => sql.test(code(f.text)))
      .map((f) => f.rel);
    expect(offenders).toEqual([]);
  });

  it('uses the whole database seam (store.db) only inside src/store/', () => {
    const offenders = product
      .filter((f) => !f.rel.startsWith('store/'))
      .filter((f) => /\bstore\.db\b/.test(code(f.text)))
      .map((f) => f.rel);
    expect(offenders).toEqual([]);
  });

  it('reads the environment only in src/config/ and at the process boundary (cli/entry.ts)', () => {
    const offenders = product
      .filter((f) => !f.rel.startsWith('config/') && f.rel !== 'cli/entry.ts')
      .filter((f) => /\bprocess\.env\b/.test(code(f.text)))
      .map((f) => f.rel);
    expect(offenders).toEqual([]);
  });

  it('keeps what differs between databases in store/sqlite and store/postgres (capability flags elsewhere)', () => {
    const offenders = product
      .filter((f) => !/^store\/(sqlite|postgres)\//.test(f.rel))
      .filter((f) =>
        /instanceof\s+(PostgresDb|SqliteDb)\b|dialect\s*[!=]==|[!=]==\s*'(sqlite|postgres)'/.test(
          code(f.text),
        ),
      )
      .map((f) => f.rel);
    expect(offenders).toEqual([]);
  });

  it('has every folder import only the folders below it; the twin stands apart', () => {
    const rank = new Map<string, number>(layers.map((l, i) => [l, i]));
    const offenders: string[] = [];
    for (const f of product) {
      const from = folderOf(f.rel);
      for (const imp of importsOf(f)) {
        if (imp.target === from) continue;
        if (from === 'twin' || imp.target === 'twin') {
          if (from === 'twin' ? !twinMayImport.has(imp.target) : from !== 'cli')
            offenders.push(`${f.rel} -> ${imp.spec}`);
          continue;
        }
        const a = rank.get(from);
        const b = rank.get(imp.target);
        if (a === undefined || b === undefined) offenders.push(`${f.rel} -> ${imp.spec} (not in the layers)`);
        else if (b > a) offenders.push(`${f.rel} -> ${imp.spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('has routes and commands ask the service layer, never the database', () => {
    // The query vocabulary (dimensions, measures, periods) is parsing, not reading.
    const vocabulary = new Set(['analytics/quality-query.ts', 'analytics/parse-quality-query.ts']);
    const offenders: string[] = [];
    for (const f of product.filter((x) => /^(server\/routes|cli\/commands)\//.test(x.rel))) {
      const reach = /\bstore\.db\b|\b(db|reads)\.(all|get|run|exec|transaction)\(/;
      if (reach.test(code(f.text)) || sql.test(code(f.text))) offenders.push(f.rel);
      for (const imp of importsOf(f))
        if (
          !imp.typeOnly &&
          (imp.target === 'store' || (imp.target === 'analytics' && !vocabulary.has(imp.spec)))
        )
          offenders.push(`${f.rel} -> ${imp.spec}`);
    }
    expect(offenders).toEqual([]);
  });

  it('has exactly one record-preparing function, the one normalizing records', () => {
    const defining = product
      .filter((f) => /\bfunction\s+prepare\w*Record\b/.test(code(f.text)))
      .map((f) => f.rel);
    expect(defining).toEqual(['ingest/prepare-record.ts']);
    const normalizing = product
      .filter((f) => !f.rel.startsWith('normalize/'))
      .filter((f) => /\b(rowsFromJson|normalizeCallRecord)\(/.test(code(f.text)))
      .map((f) => f.rel);
    expect(normalizing).toEqual(['ingest/prepare-record.ts']);
  });

  it('finds what it looks for (the checks are not vacuous)', () => {
    expect(product.length).toBeGreaterThan(150);
    expect(product.some((f) => f.rel.startsWith('store/') && sql.test(code(f.text)))).toBe(true);
    expect(sql.test(code("db.run('DELETE FROM calls WHERE id = ?')"))).toBe(true);
    expect(product.some((f) => f.rel === 'cli/entry.ts' && /\bprocess\.env\b/.test(code(f.text)))).toBe(true);
    expect(sql.test(code('// SELECT * FROM calls in a comment'))).toBe(false);
    const routes = product.filter((f) => f.rel.startsWith('server/routes/'));
    expect(routes.flatMap((f) => importsOf(f)).some((i) => i.target === 'service')).toBe(true);
  });
});
