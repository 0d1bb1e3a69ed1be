// The vocabulary of the EUII catalog: how personal a value is, and what pseudonymization and retention do to it.
import type { ShapeName } from './euii-json.ts';

/**
 * `euii`: end-user identifiable information (addresses, names, free text): cleared after `privacy.euiiDays`.
 * `identifier`: a stable identifier of a person or device (object id, UPN, phone number, MAC, BSSID): cleared
 * after euiiDays in record rows; in analytics tables replaced by a keyed token so aggregates keep their shape.
 * `metric`: a quality measurement. `non-personal`: structure, enums, times, organisational and network facts.
 */
export type FieldClass = 'euii' | 'identifier' | 'metric' | 'non-personal';

/** What pseudonymization at ingest does to a value: keyed token, address truncated to its subnet, or dropped. */
export type PseudoAction = 'token' | 'ip' | 'drop';

/** The name a field has in CQD's list of EUII fields (the seed talk), where it has one. */
export type SeedName =
  | 'IP Address'
  | 'User ObjectID'
  | 'MAC Address'
  | 'Phone Number'
  | 'UPN'
  | 'Feedback Text'
  | 'Client Endpoint Name'
  | 'Local Address'
  | 'Remote Address'
  | 'Base Address'
  | 'BSSID'
  | 'Local Site'
  | 'Remote Site'
  | 'Auto Attendant Identity'
  | 'Call Queue Identity'
  | 'Transferred from Call Queue Identity'
  | 'Organizer ObjectID'
  | 'Organizer UPN'
  | 'Organizer Sip Uri'
  | 'VTC Device Name'
  | 'VTC Device Detail';

export interface FieldRule {
  class: FieldClass;
  /** For euii/identifier values: what pseudonymization does (default drop). */
  pseudo?: PseudoAction;
  /**
   * What retention writes once euiiDays have passed: NULL (default), or the keyed token for the ids analytics
   * group users by, so a rebuild of the rollups from old rows gives the same numbers and keys.
   */
  expire?: 'null' | 'token';
  seed?: readonly SeedName[];
  note?: string;
}

/** How a table's rows age. */
export type TableRule =
  /** Rows of one call record (key column = call id): EUII cleared once the call ended euiiDays ago; removed at recordDays. */
  | { kind: 'call-rows'; key: string }
  /** The raw version history: JSON bodies scrubbed by the Graph JSON catalog; removed with the record. */
  | { kind: 'raw' }
  /** Per-call analytics facts: identifiers tokenized by their day; removed with the record. */
  | { kind: 'facts'; key: string; day: string }
  /** Aggregates: identifiers tokenized by their day; kept as anonymous aggregates after the records go. */
  | { kind: 'aggregate'; day: string }
  /**
   * Rows with their own time (PSTN logs, the audit log): EUII cleared after euiiDays, removed after recordDays;
   * rows without that time age by `orElse` (when they were fetched).
   */
  | { kind: 'log'; time: string; orElse?: string }
  /** No personal data: configuration, state, queues. */
  | { kind: 'system' };

export interface ColumnRule extends FieldRule {
  /** The column holds JSON of this catalog shape: scrubbed value by value instead of cleared. */
  json?: ShapeName;
  /** The column is personal only in rows where another column holds this value (`dim` is `user_id`). */
  only?: { column: string; equals: string };
  /** Graph JSON paths the value is read from (documentation). */
  graph?: readonly string[];
}

export interface TableEntry {
  table: string;
  rule: TableRule;
  columns: Readonly<Record<string, ColumnRule>>;
  note?: string;
}

export const np: ColumnRule = { class: 'non-personal' };
export const metric: ColumnRule = { class: 'metric' };
export const cols = (rule: ColumnRule, ...names: string[]) =>
  Object.fromEntries(names.map((n) => [n, rule])) as Record<string, ColumnRule>;
export const isPersonal = (c: FieldClass): boolean => c === 'euii' || c === 'identifier';
