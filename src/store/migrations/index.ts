// Every schema migration of calltrove, in order; each feature area owns its own file and id range
// (0xx records, 1xx collector, 2xx analytics, 3xx privacy, 4xx scale-out, 5xx alerts).
import type { Migration } from '../migrate.ts';
import { recordsMigration } from './001-records.ts';
import { collectorMigration } from './101-collector.ts';
import { pstnLogsMigration } from './102-pstn-logs.ts';
import { analyticsMigration } from './201-analytics.ts';
import { narrowRollupsMigration } from './202-narrow-rollups.ts';
import { slimSubnetRollupMigration } from './203-slim-subnet-rollup.ts';
import { mediaFirstRollupKeysMigration } from './204-media-first-rollup-keys.ts';
import { subjectFirstRollupKeysMigration } from './205-subject-first-rollup-keys.ts';
import { weekRollupsMigration } from './206-week-rollups.ts';
import { assetFilesMigration } from './207-asset-files.ts';
import { moreDimensionsMigration } from './208-more-dimensions.ts';
import { privacyMigration } from './301-privacy.ts';
import { partitionsMigration } from './401-partitions.ts';
import { rollupPendingMigration } from './402-rollup-pending.ts';
import { failedFactsIndexMigration } from './403-failed-facts-index.ts';
import { alertsMigration } from './501-alerts.ts';

export const migrations: Migration[] = [
  recordsMigration,
  collectorMigration,
  pstnLogsMigration,
  analyticsMigration,
  narrowRollupsMigration,
  slimSubnetRollupMigration,
  mediaFirstRollupKeysMigration,
  subjectFirstRollupKeysMigration,
  weekRollupsMigration,
  assetFilesMigration,
  moreDimensionsMigration,
  privacyMigration,
  partitionsMigration,
  rollupPendingMigration,
  failedFactsIndexMigration,
  alertsMigration,
];
