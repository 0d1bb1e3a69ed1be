// The QER targets (Microsoft's Quality of Experience review guide) beside the rates measured on audio streams.
import type { ReadDb } from '../store/db.ts';
import { listFailedStreams } from './list-failed-streams.ts';
import type { Dimension, ReportWindow } from './quality-query.ts';
import { type QualityOptions, queryQuality } from './query-quality.ts';
import { queryReliability } from './query-reliability.ts';

type Filters = Partial<Record<Dimension, string[]>>;

export interface QualityTarget {
  id: string;
  label: string;
  /** Targets in percent: audio poor stream rate, setup failure rate, drop failure rate. */
  poorPercent: number;
  setupFailurePercent: number;
  dropFailurePercent: number;
  /** The stream scopes the target is measured on; several are added together. */
  scopes: Filters[];
}

const internal = { 'inside-corp': ['true'] };
const conferencing = { ...internal, 'call-type': ['groupCall'] };

/**
 * From shared/cqd-quality-rules.md. "Conferencing" streams are those of group calls (between a client and the
 * conferencing server); "internal" means the client end is on a building subnet marked InsideCorp.
 */
export const qualityTargets: QualityTarget[] = [
  {
    id: 'overall',
    label: 'Overall',
    poorPercent: 3,
    setupFailurePercent: 1,
    dropFailurePercent: 3,
    scopes: [{}],
  },
  {
    id: 'internal',
    label: 'Internal',
    poorPercent: 2,
    setupFailurePercent: 0.5,
    dropFailurePercent: 2,
    scopes: [internal],
  },
  {
    id: 'conferencing-wired-or-5ghz-internal',
    label: 'Conferencing, wired or Wi-Fi 5 GHz, internal',
    poorPercent: 1,
    setupFailurePercent: 0.5,
    dropFailurePercent: 1,
    scopes: [
      { ...conferencing, 'network-type': ['wired'] },
      { ...conferencing, 'network-type': ['wifi'], 'wifi-band': ['frequency50GHz'] },
    ],
  },
  {
    id: 'conferencing-wifi-2.4ghz-internal',
    label: 'Conferencing, Wi-Fi 2.4 GHz, internal',
    poorPercent: 2,
    setupFailurePercent: 0.5,
    dropFailurePercent: 2,
    scopes: [{ ...conferencing, 'network-type': ['wifi'], 'wifi-band': ['frequency24GHz'] }],
  },
];

export interface TargetResult {
  id: string;
  label: string;
  streams: number;
  classifiedStreams: number;
  measured: {
    poorPercent: number | null;
    setupFailurePercent: number | null;
    dropFailurePercent: number | null;
  };
  target: { poorPercent: number; setupFailurePercent: number; dropFailurePercent: number };
  /** True when the measured rate is at or under the target; null without streams to measure. */
  meets: {
    poorPercent: boolean | null;
    setupFailurePercent: boolean | null;
    dropFailurePercent: boolean | null;
  };
}

export async function getQualityTargets(
  db: ReadDb,
  w: ReportWindow = {},
  options: QualityOptions = {},
): Promise<TargetResult[]> {
  // Failures count in the scope their client's network puts them in (inferred where the record has none), so an
  // "internal" scope's setup failure rate comes from the failures that happened inside.
  const failed = await listFailedStreams(db, w);
  return Promise.all(
    qualityTargets.map(async (t) => {
      const sums = { classified: 0, poor: 0, streams: 0, setup: 0, dropped: 0 };
      for (const scope of t.scopes) {
        const q = {
          by: [],
          since: w.since,
          until: w.until,
          filters: { ...(w.filters ?? {}), ...scope, 'media-type': ['audio'] },
        };
        const [[row], [rel]] = await Promise.all([
          queryQuality(db, { ...q, measures: ['classifiedStreams', 'poorStreams'] }, options),
          queryReliability(db, q, failed, options),
        ]);
        sums.classified += Number(row?.classifiedStreams ?? 0);
        sums.poor += Number(row?.poorStreams ?? 0);
        sums.streams += Number(rel?.streams ?? 0);
        sums.setup += Number(rel?.setupFailedStreams ?? 0);
        sums.dropped += Number(rel?.droppedStreams ?? 0);
      }
      const pct = (a: number, b: number) => (b > 0 ? (a / b) * 100 : null);
      const measured = {
        poorPercent: pct(sums.poor, sums.classified),
        setupFailurePercent: pct(sums.setup, sums.streams),
        dropFailurePercent: pct(sums.dropped, sums.streams - sums.setup),
      };
      const target = {
        poorPercent: t.poorPercent,
        setupFailurePercent: t.setupFailurePercent,
        dropFailurePercent: t.dropFailurePercent,
      };
      const meets = (k: keyof typeof target) =>
        measured[k] === null ? null : (measured[k] as number) <= target[k];
      return {
        id: t.id,
        label: t.label,
        streams: sums.streams,
        classifiedStreams: sums.classified,
        measured,
        target,
        meets: {
          poorPercent: meets('poorPercent'),
          setupFailurePercent: meets('setupFailurePercent'),
          dropFailurePercent: meets('dropFailurePercent'),
        },
      };
    }),
  );
}
