// The CSV of "what changed", one row per metric that got worse and value that explains it, for the CLI and the API.
import type { ChangeDriver, ChangeRow, ChangesAnswer } from '../analytics/cause-types.ts';

const fixed = (v: number | null, d = 2) => (v === null ? null : Number(v.toFixed(d)));
export type ChangeDriverRow = { change: ChangeRow; driver: ChangeDriver };

/** One row per metric that got worse and value that explains it: what spreadsheets and scripts read. */
export const changeColumns: { header: string; value: (r: ChangeDriverRow) => string | number | null }[] = [
  { header: 'metric', value: (r) => r.change.metric },
  { header: 'recentPercent', value: (r) => fixed(r.change.recent.percent) },
  { header: 'baselinePercent', value: (r) => fixed(r.change.baseline.percent) },
  { header: 'changePoints', value: (r) => fixed(r.change.changePoints) },
  { header: 'z', value: (r) => fixed(r.change.z) },
  { header: 'rank', value: (r) => r.driver.rank },
  { header: 'dimensions', value: (r) => r.driver.dimensions.join('+') },
  { header: 'values', value: (r) => r.driver.values.join('+') },
  { header: 'recentEvents', value: (r) => r.driver.recent.events },
  { header: 'recentStreams', value: (r) => r.driver.recent.streams },
  { header: 'driverRecentPercent', value: (r) => fixed(r.driver.recent.percent) },
  { header: 'driverBaselinePercent', value: (r) => fixed(r.driver.baseline.percent) },
  { header: 'baselineOf', value: (r) => r.driver.baselineOf },
  { header: 'impact', value: (r) => fixed(r.driver.impact, 1) },
  { header: 'shareOfChangePercent', value: (r) => fixed(r.driver.shareOfChangePercent, 1) },
  { header: 'users', value: (r) => r.driver.users },
];

export function changeDriverRows(a: ChangesAnswer): ChangeDriverRow[] {
  return a.changes.flatMap((change) => change.drivers.map((driver) => ({ change, driver })));
}
