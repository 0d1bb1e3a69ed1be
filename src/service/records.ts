// Call records in and rebuilt: import from files (privacy transform applied as the collector applies it), and
// reprocess after an upgrade. Operations of the database's owner.
import type { DirectRoutingLogRow, PstnCallLogRow } from '../graph/types.ts';
import { type ImportProgress, type ImportSummary, importPaths } from '../ingest/import-files.ts';
import { reprocessRecords as reprocessAll } from '../ingest/ingest-record.ts';
import { createPrivacyTransform, createPstnRowTransform } from '../privacy/ingest-transform.ts';
import type { ReprocessResult } from '../store/records.ts';
import { type Principal, requireOwner } from './principal.ts';
import type { Service } from './service.ts';

export interface ImportFilesOptions {
  /** The tenant whose Graph the records came from (decides organizer/participant view); default the config's. */
  tenantId?: string;
  onProgress?: (p: ImportProgress) => void;
}

/** Imports every record the paths name: pseudonymized per privacy.mode, records past euiiDays stored scrubbed. */
export async function importFiles(
  s: Service,
  who: Principal,
  paths: readonly string[],
  o: ImportFilesOptions = {},
): Promise<ImportSummary> {
  requireOwner(who, 'importing call records');
  const tenantId = o.tenantId ?? s.config.tenantId;
  const privacy = { config: s.config, clock: s.clock, tenantId };
  const pstnRow = createPstnRowTransform(privacy);
  return importPaths(s.store, paths, {
    tenantId,
    transform: createPrivacyTransform(privacy),
    saveLogRows: (kind, rows) =>
      kind === 'pstn'
        ? s.store.pstnLogs.upsertPstn(
            (rows as PstnCallLogRow[]).map((r) => pstnRow(r, 'pstn')),
            s.clock.now(),
          )
        : s.store.pstnLogs.upsertDirectRouting(
            (rows as DirectRoutingLogRow[]).map((r) => pstnRow(r, 'directRouting')),
            s.clock.now(),
          ),
    onProgress: o.onProgress,
    now: () => s.clock.now(),
  });
}

/** Rebuilds every record's normalized rows from its newest raw version (after an upgrade). */
export async function reprocessRecords(s: Service, who: Principal): Promise<ReprocessResult> {
  requireOwner(who, 'reprocessing records');
  return reprocessAll(s.store);
}
