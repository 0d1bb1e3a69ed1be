// What the retention job asks the store to do, in the store's terms: which tables age how, which columns are
// cleared or tokenized, how JSON values are scrubbed. src/privacy builds it from the EUII catalog.

/** Counts per `table.column` (or `table.column:json.path`), never values. */
export type Counts = Record<string, number>;

/** A JSON value scrubbed by the catalog's JSON rules; counts what it cleared, per JSON path. */
export type ScrubJson = (value: unknown, counts: Map<string, number>) => unknown;

export interface RetentionColumn {
  column: string;
  /** What retention writes once the data is old: NULL, or the keyed token (ids analytics group users by). */
  expire: 'null' | 'token';
  /** The column is personal only in rows where another column holds this value (`dim` = `user_id`). */
  only?: { column: string; equals: string };
  /** The column holds JSON: scrubbed value by value instead of cleared. */
  scrub?: ScrubJson;
}

export type RetentionTable = {
  table: string;
  columns: readonly RetentionColumn[];
  /** Metric columns: summed when two rollup rows merge under one token. */
  metrics: readonly string[];
} & (
  | { kind: 'call-rows' | 'facts'; key: string; day?: string }
  | { kind: 'raw' }
  | { kind: 'aggregate'; day: string }
  | { kind: 'log'; time: string; orElse?: string }
);

/** What a run found and did, filled in step by step. */
export interface RetentionTally {
  cleared: Counts;
  tokenized: Counts;
  removed: Counts;
  /** Tables whose rows changed (compacted afterwards). */
  touched: Set<string>;
}

export const add = (counts: Counts, key: string, n: number): void => {
  if (n > 0) counts[key] = (counts[key] ?? 0) + n;
};

export function countInto(counts: Map<string, number>, into: Counts, prefix: string): void {
  for (const [path, n] of counts) add(into, `${prefix}:${path}`, n);
}

export interface RetentionRun {
  /** The tables of the plan this store has. */
  tables: readonly RetentionTable[];
  /** Tokens for the user ids that expire into tokens (a stand-in in dry runs). */
  token: (value: string) => string;
  /** The raw call record JSON scrubbed by the Graph JSON catalog. */
  scrubRecord: ScrubJson;
  dryRun: boolean;
  tally: RetentionTally;
}
