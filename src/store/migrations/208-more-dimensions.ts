// Migration 208: eleven more stream-fact dimensions (access point, capture/render driver, ISP, hour of day,
// weekday, transport, relay, codec, endpoint model/type), added empty and then refilled by rebuilding every
// kept call's facts and the rollups from the normalized rows (the values need each stream's client end, which
// only the fact builder knows). Literal column list: a migration never changes once shipped.
import type { Migration } from '../migrate.ts';
import { rebuildRollups } from '../rollups.ts';

const added = [
  'access_point',
  'capture_driver',
  'render_driver',
  'isp',
  'hour_of_day',
  'weekday',
  'transport',
  'relay',
  'codec',
  'endpoint_model',
  'endpoint_type',
];

export const moreDimensionsMigration: Migration = {
  id: '208-more-dimensions',
  sql: added.map((c) => `ALTER TABLE stream_facts ADD COLUMN ${c} TEXT NOT NULL DEFAULT '';`).join('\n'),
  async refill(tx) {
    // A new database has nothing to refill (and its later migrations, which a rebuild reads, are still to come).
    if (!(await tx.get('SELECT id FROM calls LIMIT 1'))) return;
    await rebuildRollups(tx);
  },
};
