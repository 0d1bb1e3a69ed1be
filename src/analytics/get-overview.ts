// The dashboard overview: totals, calls/minutes/streams/poor % per day, and audio poor % by network type.
import type { ReadDb } from '../store/db.ts';
import type { QualityRow, ReportWindow } from './quality-query.ts';
import { type QualityOptions, queryQuality, usersIf } from './query-quality.ts';

export interface Overview {
  totals: {
    calls: number;
    minutes: number;
    streams: number;
    classifiedStreams: number;
    poorStreams: number;
    poorPercent: number | null;
    audioPoorPercent: number | null;
  };
  /**
   * One row per day: day, calls, minutes, streams, classifiedStreams, poorStreams, poorPercent, audioPoorPercent
   * (and users, with options.withUsers; so do the network types).
   */
  byDay: QualityRow[];
  /** Audio streams by the client end's network type: networkType, streams, poorPercent, calls. */
  byNetworkType: QualityRow[];
}

export async function getOverview(
  db: ReadDb,
  w: ReportWindow = {},
  options: QualityOptions = {},
): Promise<Overview> {
  const base = { since: w.since, until: w.until, filters: w.filters ?? {} };
  const audio = { ...base, filters: { ...base.filters, 'media-type': ['audio'] } };
  const [total, audioTotal, days, audioDays, networks] = await Promise.all([
    queryQuality(
      db,
      {
        ...base,
        by: [],
        measures: ['calls', 'minutes', 'streams', 'classifiedStreams', 'poorStreams', 'poorPercent'],
      },
      options,
    ),
    queryQuality(db, { ...audio, by: [], measures: ['poorPercent'] }, options),
    queryQuality(
      db,
      {
        ...base,
        by: ['day'],
        measures: [
          'calls',
          'minutes',
          'streams',
          'classifiedStreams',
          'poorStreams',
          'poorPercent',
          ...usersIf(options),
        ],
      },
      options,
    ),
    queryQuality(db, { ...audio, by: ['day'], measures: ['poorPercent'] }, options),
    queryQuality(
      db,
      {
        ...audio,
        by: ['network-type'],
        measures: [
          'streams',
          'classifiedStreams',
          'poorStreams',
          'poorPercent',
          'calls',
          ...usersIf(options),
        ],
      },
      options,
    ),
  ]);
  const t = total[0] ?? {};
  const audioByDay = new Map(audioDays.map((r) => [r.day, r.poorPercent ?? null]));
  return {
    totals: {
      calls: Number(t.calls ?? 0),
      minutes: Number(t.minutes ?? 0),
      streams: Number(t.streams ?? 0),
      classifiedStreams: Number(t.classifiedStreams ?? 0),
      poorStreams: Number(t.poorStreams ?? 0),
      poorPercent: (t.poorPercent as number | null | undefined) ?? null,
      audioPoorPercent: (audioTotal[0]?.poorPercent as number | null | undefined) ?? null,
    },
    byDay: days.map((r) => ({ ...r, audioPoorPercent: audioByDay.get(r.day) ?? null })),
    byNetworkType: networks,
  };
}
