// Stored tables streamed out as CSV or NDJSON (Excel, Power BI): rows of individuals' calls, or aggregates keyed
// by them, so an export is a read of individuals (the building map excepted, which is about no one).
import { type ExportOptions, exportables, exportTable } from '../analytics/export-table.ts';
import { CalltroveError } from '../errors.ts';
import { askedOf, audited } from './policy.ts';
import { type Principal, requireIndividuals } from './principal.ts';
import type { Service } from './service.ts';

/** Tables that hold no one's data. */
const aboutNoOne = new Set(['buildings']);

export const exportTableNames = Object.keys(exportables);

/** Checks the request and writes its audit entry, then returns the lines to stream (header first for CSV). */
export async function tableExport(
  s: Service,
  who: Principal,
  table: string,
  o: ExportOptions,
): Promise<AsyncGenerator<string>> {
  if (!exportables[table])
    throw new CalltroveError('bad_request', `unknown table "${table}"`, {
      hint: `tables: ${exportTableNames.join(', ')}`,
    });
  if (!aboutNoOne.has(table)) {
    requireIndividuals(who, `exports of ${table}`);
    await audited(s, who, 'export.table', askedOf({ table, since: o.since, until: o.until }));
  }
  return exportTable(s.store.reads, table, o);
}
