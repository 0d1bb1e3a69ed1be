// Migration 201: analytics tables: the building map, per-stream facts, the first rollup grains, distinct-call
// reach and Rate My Call facts. Its grain list is frozen here; 202 replaced those tables with the current grains.
import type { Migration } from '../migrate.ts';
import { factsTable, feedbackTable, metricSums, reachTable, sumColumns } from '../rollup-grains.ts';

/** The fact dimensions as 201 created them; 208 added more. */
const factDimColumns201 = [
  'building',
  'city',
  'country',
  'region',
  'subnet',
  'network_type',
  'wifi_band',
  'vpn',
  'inside_corp',
  'platform',
  'product_family',
  'client_version',
  'capture_device',
  'render_device',
  'user_id',
  'call_type',
  'media_type',
  'direction',
];

const common = `
CREATE TABLE buildings (
  idx BIGINT NOT NULL PRIMARY KEY,
  network_ip TEXT NOT NULL,
  network_name TEXT NOT NULL,
  network_range INTEGER NOT NULL,
  building_name TEXT NOT NULL,
  ownership_type TEXT NOT NULL,
  building_type TEXT NOT NULL,
  building_office_type TEXT NOT NULL,
  city TEXT NOT NULL,
  zip_code TEXT NOT NULL,
  country TEXT NOT NULL,
  state TEXT NOT NULL,
  region TEXT NOT NULL,
  inside_corp INTEGER NOT NULL,
  express_route INTEGER NOT NULL,
  vpn INTEGER NOT NULL
);
CREATE TABLE analytics_meta (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE ${factsTable} (
  call_id TEXT NOT NULL,
  session_idx BIGINT NOT NULL,
  segment_idx BIGINT NOT NULL,
  media_idx BIGINT NOT NULL,
  stream_idx BIGINT NOT NULL,
  day BIGINT NOT NULL,
  hour BIGINT NOT NULL,
  call_ms BIGINT NOT NULL,
${factDimColumns201.map((c) => `  ${c} TEXT NOT NULL,`).join('\n')}
  quality TEXT NOT NULL,
  poor_mask INTEGER NOT NULL,
${metricSums.map((m) => `  ${m.fact} BIGINT,`).join('\n')}
  stream_ms BIGINT NOT NULL,
  setup_failed INTEGER NOT NULL,
  dropped INTEGER NOT NULL,
  PRIMARY KEY (call_id, session_idx, segment_idx, media_idx, stream_idx)
);
CREATE INDEX ${factsTable}_day ON ${factsTable} (day);
CREATE TABLE ${feedbackTable} (
  call_id TEXT NOT NULL,
  session_idx BIGINT NOT NULL,
  side TEXT NOT NULL,
  day BIGINT NOT NULL,
  user_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  rating TEXT NOT NULL,
  tokens TEXT NOT NULL,
  audio_streams BIGINT NOT NULL,
  audio_classified BIGINT NOT NULL,
  audio_poor BIGINT NOT NULL,
  PRIMARY KEY (call_id, session_idx, side)
);
CREATE INDEX ${feedbackTable}_day ON ${feedbackTable} (day);
`;

const place = ['building', 'city', 'country', 'region'];
const network = ['network_type', 'wifi_band', 'vpn', 'inside_corp'];
const grains201 = [
  {
    table: 'rollup_client',
    dims: ['media_type', 'direction', 'call_type', 'platform', 'product_family', 'client_version'],
  },
  { table: 'rollup_network', dims: ['media_type', 'direction', 'call_type', ...place, ...network] },
  {
    table: 'rollup_device',
    dims: ['media_type', 'direction', 'platform', 'capture_device', 'render_device'],
  },
  { table: 'rollup_subnet', dims: ['media_type', 'direction', 'subnet', ...place, ...network] },
  {
    table: 'rollup_hour',
    dims: ['hour', 'media_type', 'direction', 'call_type', ...network, 'platform', 'product_family'],
  },
  { table: 'rollup_user', dims: ['media_type', 'direction', 'user_id'] },
  {
    table: 'rollup_wide',
    dims: [
      'media_type',
      'direction',
      'call_type',
      ...place,
      'subnet',
      ...network,
      'platform',
      'product_family',
      'client_version',
    ],
  },
];

function rollupTables(suffix: string): string {
  const out: string[] = [];
  for (const g of grains201) {
    const keys = ['day', ...g.dims];
    out.push(`CREATE TABLE ${g.table} (
  day BIGINT NOT NULL,
${g.dims.map((d) => `  ${d} ${d === 'hour' ? 'BIGINT' : 'TEXT'} NOT NULL,`).join('\n')}
${sumColumns.map((c) => `  ${c} BIGINT NOT NULL,`).join('\n')}
  PRIMARY KEY (${keys.join(', ')})
)${suffix};`);
  }
  out.push(`CREATE TABLE ${reachTable} (
  dim TEXT NOT NULL,
  media_type TEXT NOT NULL,
  day BIGINT NOT NULL,
  value TEXT NOT NULL,
  calls BIGINT NOT NULL,
  call_ms BIGINT NOT NULL,
  PRIMARY KEY (dim, media_type, day, value)
)${suffix};`);
  return out.join('\n');
}

export const analyticsMigration: Migration = {
  id: '201-analytics',
  sql: common,
  // Clustered by key on SQLite, so a day range of a rollup is one contiguous read.
  sqlite: rollupTables(' WITHOUT ROWID'),
  postgres: rollupTables(''),
};
