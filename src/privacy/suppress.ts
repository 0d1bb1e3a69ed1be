// Small-group suppression: groups with fewer distinct users than privacy.minGroupSize folded into "other".

/** A query result row: dimension keys (strings) and measures (numbers), as queryQuality returns them. */
export type GroupRow = Record<string, string | number | null | undefined>;

export interface FoldOptions {
  /** The grouped dimensions' row keys, in order (`building`, `networkType`, `day`). */
  keys: readonly string[];
  minGroupSize: number;
  /** The measure holding each row's distinct users (default `users`). */
  usersKey?: string;
}

/** Value a folded group's (non-time) dimensions take. */
export const otherGroup = 'other';

const timeKeys: ReadonlySet<string> = new Set(['day', 'hour']);
/** Measures that are sums over streams: an "other" row adds them up exactly. */
const additive: ReadonlySet<string> = new Set([
  'streams',
  'classifiedStreams',
  'unclassifiedStreams',
  'poorStreams',
  'poorDueToJitter',
  'poorDueToRoundTrip',
  'poorDueToPacketLoss',
  'poorDueToDegradation',
  'poorDueToConcealedRatio',
  'poorDueToFrameLoss',
  'poorDueToFrameRate',
  'poorDueToPostFecPacketLoss',
  'streamMinutes',
  'setupFailedStreams',
  'droppedStreams',
]);

/** The measures a query must also ask for so its rows can be folded (and rates of "other" recomputed). */
export function suppressionNeeds(requested: readonly string[]): string[] {
  const out = ['users'];
  if (requested.includes('poorPercent')) out.push('poorStreams', 'classifiedStreams');
  if (requested.includes('setupFailurePercent') || requested.includes('dropFailurePercent'))
    out.push('streams', 'setupFailedStreams', 'droppedStreams');
  return out.filter((m) => !requested.includes(m));
}

const pct = (num: unknown, den: unknown): number | null =>
  typeof num === 'number' && typeof den === 'number' && den > 0 ? (100 * num) / den : null;

function finish(row: GroupRow, measures: readonly string[]): void {
  for (const m of measures) {
    if (additive.has(m)) continue;
    if (m === 'poorPercent') row[m] = pct(row.poorStreams, row.classifiedStreams);
    else if (m === 'setupFailurePercent') row[m] = pct(row.setupFailedStreams, row.streams);
    else if (m === 'dropFailurePercent')
      row[m] = pct(
        row.droppedStreams,
        typeof row.streams === 'number' && typeof row.setupFailedStreams === 'number'
          ? row.streams - row.setupFailedStreams
          : null,
      );
    // Averages, percentiles, distinct users and calls cannot be added across groups: unknown.
    else row[m] = null;
  }
}

/**
 * Folds every row with fewer distinct users than minGroupSize (or none reported) into one "other" row per time
 * bucket (a chart over days keeps its days), appended after the kept rows. An ungrouped total of too few users
 * (a filter can narrow it to a handful of people) keeps only its sums. Rows must carry the users measure (see
 * suppressionNeeds). The service layer applies it (src/service/policy.ts foldFor).
 */
export function foldSmallGroups<R extends GroupRow>(rows: readonly R[], o: FoldOptions): R[] {
  if (o.minGroupSize <= 1 || rows.length === 0) return [...rows];
  const usersKey = o.usersKey ?? 'users';
  const onlyTime = o.keys.every((k) => timeKeys.has(k));
  const measures = Object.keys(rows[0]).filter((k) => !o.keys.includes(k));
  const kept: R[] = [];
  const folded = new Map<string, GroupRow>();
  for (const row of rows) {
    const users = row[usersKey];
    if (typeof users === 'number' && users >= o.minGroupSize) {
      kept.push(row);
      continue;
    }
    const keep = (k: string) => timeKeys.has(k) && !onlyTime;
    const groupKey = o.keys.map((k) => (keep(k) ? String(row[k]) : otherGroup)).join('\u0000');
    let target = folded.get(groupKey);
    if (!target) {
      target = {};
      for (const k of o.keys) target[k] = keep(k) ? row[k] : otherGroup;
      for (const m of measures) target[m] = additive.has(m) ? 0 : null;
      folded.set(groupKey, target);
    }
    for (const m of measures)
      if (additive.has(m))
        target[m] = Number(target[m]) + (typeof row[m] === 'number' ? (row[m] as number) : 0);
  }
  for (const row of folded.values()) {
    finish(row, measures);
    kept.push(row as R);
  }
  return kept;
}
