// The catalog's personal fields as Markdown tables: `calltrove privacy catalog` prints them, docs/privacy.md holds them.
import { catalog } from './euii-catalog.ts';
import { jsonPaths } from './euii-json.ts';

/** The catalog as Markdown tables: the personal columns and JSON paths (docs/privacy.md is made from this). */
export function catalogMarkdown(): string {
  const out = [
    '| table.column | class | pseudonymize | after euiiDays | CQD field |',
    '|---|---|---|---|---|',
  ];
  for (const t of catalog)
    for (const [c, r] of Object.entries(t.columns))
      if (r.class === 'euii' || r.class === 'identifier')
        out.push(
          `| ${t.table}.${c} | ${r.class} | ${r.json ? `JSON (${r.json})` : (r.pseudo ?? 'drop')} | ${r.json ? 'scrubbed' : r.expire === 'token' ? 'token' : 'NULL'} | ${(r.seed ?? []).join(', ')} |`,
        );
  out.push('', '| Graph JSON path | class | pseudonymize | after euiiDays |', '|---|---|---|---|');
  for (const p of jsonPaths())
    if (p.class === 'euii' || p.class === 'identifier')
      out.push(
        `| ${p.path} | ${p.class} | ${p.pseudo ?? 'drop'} | ${p.expire === 'token' ? 'token' : 'null'} |`,
      );
  return `${out.join('\n')}\n`;
}
