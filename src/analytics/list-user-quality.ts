// Per-user call quality: each user's audio streams as their own client end saw them, worst first.
import type { ReadDb } from '../store/db.ts';
import type { QualityOrder, QualityRow, ReportWindow } from './quality-query.ts';
import { type QualityOptions, queryQuality } from './query-quality.ts';

export interface UserQualityOptions extends ReportWindow {
  limit?: number;
  orderBy?: QualityOrder[];
  /** Users with fewer classified audio streams are left out (default 1). */
  minClassifiedStreams?: number;
}

/** Rows: user (id), displayName, streams, classifiedStreams, poorStreams, poorPercent, avgJitterMs, avgPacketLoss, avgRoundTripMs, calls, minutes. */
export async function listUserQuality(
  db: ReadDb,
  o: UserQualityOptions = {},
  options: QualityOptions = {},
): Promise<QualityRow[]> {
  const filters = { 'media-type': ['audio'], ...(o.filters ?? {}) };
  const rows = await queryQuality(
    db,
    {
      by: ['user'],
      filters,
      since: o.since,
      until: o.until,
      measures: [
        'streams',
        'classifiedStreams',
        'poorStreams',
        'poorPercent',
        'avgJitterMs',
        'avgPacketLoss',
        'avgRoundTripMs',
      ],
      orderBy: o.orderBy ?? [
        { key: 'poorPercent', direction: 'desc' },
        { key: 'streams', direction: 'desc' },
      ],
      limit: o.limit ?? 50,
      minClassifiedStreams: o.minClassifiedStreams ?? 1,
    },
    options,
  );
  const ids = rows.map((r) => r.user).filter((u): u is string => typeof u === 'string');
  // Calls and minutes only of the listed users: a few values looked up in the distinct-call rollup.
  const calls = ids.length
    ? await queryQuality(
        db,
        {
          by: ['user'],
          filters: { ...filters, user: ids },
          since: o.since,
          until: o.until,
          measures: ['calls', 'minutes'],
        },
        options,
      )
    : [];
  const callsOf = new Map(calls.map((r) => [r.user, r]));
  const names = new Map<string, string | null>();
  if (ids.length) {
    const found = await db.all<{ identity_id: string; name: string | null }>(
      `SELECT identity_id, MAX(display_name) AS name FROM call_participants WHERE identity_id IN (${ids.map(() => '?').join(',')}) GROUP BY identity_id`,
      ids,
    );
    for (const f of found) names.set(f.identity_id, f.name);
  }
  return rows.map((r) => ({
    user: r.user,
    displayName: names.get(String(r.user)) ?? null,
    ...r,
    calls: callsOf.get(r.user)?.calls ?? 0,
    minutes: callsOf.get(r.user)?.minutes ?? 0,
  }));
}
