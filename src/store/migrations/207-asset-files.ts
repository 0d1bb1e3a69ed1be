// Migration 207: the access-point file (BSSID → AP name, building, floor) and CQD's endpoint data file (endpoint
// name → model, type, labels), each replaced as a whole by its import. Literal SQL: a migration never changes.
import type { Migration } from '../migrate.ts';

export const assetFilesMigration: Migration = {
  id: '207-asset-files',
  sql: `
CREATE TABLE access_points (
  idx BIGINT NOT NULL PRIMARY KEY,
  bssid TEXT NOT NULL,
  ap_name TEXT NOT NULL,
  building_name TEXT NOT NULL,
  floor TEXT NOT NULL
);
CREATE TABLE endpoint_assets (
  idx BIGINT NOT NULL PRIMARY KEY,
  endpoint_name TEXT NOT NULL,
  endpoint_model TEXT NOT NULL,
  endpoint_type TEXT NOT NULL,
  label1 TEXT NOT NULL,
  label2 TEXT NOT NULL,
  label3 TEXT NOT NULL
);
`,
};
