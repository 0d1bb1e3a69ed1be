// Plausibility at the door: a parsed call record's values held to what Graph can send (plausible-values.ts); an
// impossible value is nulled with a warning, a record without a usable id, version or start is refused.
import { GraphParseError, toJsonPath } from '../graph/parse.ts';
import type { CallRecord } from '../graph/types.ts';
import {
  checkTime,
  containmentToleranceMs,
  describeValue,
  longTextKeys,
  maxCallMs,
  maxIdLength,
  maxLongTextLength,
  maxTextLength,
  outOfRange,
  ranges,
} from './plausible-values.ts';

type Key = string | number;
type Loose = Record<string, unknown>;

/** One impossible value: where (JSON path from the record), what is wrong, the value as it may be shown. */
export interface ValueWarning {
  path: string;
  problem: string;
  /** Numbers, durations and times as sent; text only described (it may be a name or an address). */
  value: string;
}

interface Fix extends ValueWarning {
  keys: Key[];
  /** A property whose name is impossible (a NUL) is removed; a value is nulled. */
  remove?: boolean;
}

const isObject = (v: unknown): v is Loose => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The longest a string under this property name may be. */
const maxLengthOf = (key: Key | undefined) =>
  typeof key === 'string' && (longTextKeys.has(key) || key.endsWith('@odata.nextLink'))
    ? maxLongTextLength
    : maxTextLength;

/**
 * Every string (and property name) of the record: no NUL (PostgreSQL refuses it), no unbounded length. One path
 * stack for the whole walk (copied only for a finding): this runs on every value of every record.
 */
function checkStrings(value: unknown, keys: Key[], fixes: Fix[]): void {
  if (typeof value === 'string') {
    const max = maxLengthOf(keys[keys.length - 1]);
    if (value.length <= max && !value.includes('\0')) return;
    const problem = value.includes('\0') ? 'text with a NUL character' : `text longer than ${max} characters`;
    fixes.push({ keys: [...keys], path: '', problem, value: `a text of ${value.length} characters` });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === null || (typeof item !== 'object' && typeof item !== 'string')) continue;
      keys.push(i);
      checkStrings(item, keys, fixes);
      keys.pop();
    }
    return;
  }
  for (const k in value) {
    const item = (value as Loose)[k];
    if (k.includes('\0')) {
      fixes.push({
        keys: [...keys, k],
        path: '',
        problem: 'a property name with a NUL character',
        value: 'removed',
        remove: true,
      });
      continue;
    }
    if (item === null || (typeof item !== 'object' && typeof item !== 'string')) continue;
    keys.push(k);
    checkStrings(item, keys, fixes);
    keys.pop();
  }
}

/** Checks a record's values; collects what must be nulled and throws for what makes the record unusable. */
class Checker {
  readonly fixes: Fix[] = [];
  constructor(
    private readonly source: string,
    private readonly base: string,
  ) {}

  bad(keys: Key[], problem: string, value: unknown): void {
    this.fixes.push({ keys, path: '', problem, value: describeValue(value) });
  }

  refuse(keys: Key[], problem: string): never {
    throw new GraphParseError(this.source, toJsonPath(this.base, keys), problem);
  }

  /** A timestamp's ms, or null (absent, or impossible: then nulled with a warning). */
  time(obj: Loose, key: string, keys: Key[]): number | null {
    const value = obj[key];
    if (typeof value !== 'string') return null;
    const t = checkTime(value);
    if ('ms' in t) return t.ms;
    this.bad([...keys, key], t.problem, value);
    return null;
  }

  /** An entity's start and end, each inside [lo, hi] (with the tolerance) and the end not before the start. */
  span(
    obj: Loose,
    keys: Key[],
    within: { lo: number; hi: number; what: string },
  ): { start: number | null; end: number | null } {
    const { lo, hi, what } = within;
    let start = this.time(obj, 'startDateTime', keys);
    let end = this.time(obj, 'endDateTime', keys);
    if (start !== null && (start < lo - containmentToleranceMs || start > hi + containmentToleranceMs)) {
      this.bad(
        [...keys, 'startDateTime'],
        `a start outside ${what} (more than ${containmentToleranceMs / 1000} s)`,
        obj.startDateTime,
      );
      start = null;
    }
    if (end !== null && (end < lo - containmentToleranceMs || end > hi + containmentToleranceMs)) {
      this.bad(
        [...keys, 'endDateTime'],
        `an end outside ${what} (more than ${containmentToleranceMs / 1000} s)`,
        obj.endDateTime,
      );
      end = null;
    }
    if (start !== null && end !== null && end < start) {
      this.bad([...keys, 'endDateTime'], 'an end before the start', obj.endDateTime);
      end = null;
    }
    return { start, end };
  }

  /** The ranged properties of one object (a stream, a device, a network, a hop, an endpoint). */
  metrics(obj: unknown, keys: Key[]): void {
    if (!isObject(obj)) return;
    for (const key in obj) {
      const range = ranges[key];
      if (!range) continue;
      const problem = outOfRange(obj[key], range);
      if (problem) this.bad([...keys, key], problem, obj[key]);
    }
  }

  record(r: Loose): void {
    const id = r.id;
    if (typeof id === 'string' && (id.includes('\0') || id.length > maxIdLength))
      this.refuse(['id'], `an id Graph does not send (${describeValue(id)}, a NUL or over ${maxIdLength})`);
    const version = r.version;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
      this.refuse(['version'], `a version must be a whole number from 1 (got ${describeValue(version)})`);
    const startValue = typeof r.startDateTime === 'string' ? r.startDateTime : '';
    const start = checkTime(startValue);
    if (!('ms' in start))
      this.refuse(['startDateTime'], `no valid start: ${start.problem} (got ${describeValue(startValue)})`);
    this.time(r, 'lastModifiedDateTime', []);
    let end = this.time(r, 'endDateTime', []);
    if (end !== null && end < start.ms) {
      this.bad(['endDateTime'], 'an end before the start', r.endDateTime);
      end = null;
    } else if (end !== null && end - start.ms > maxCallMs) {
      this.bad(
        ['endDateTime'],
        `an end more than ${maxCallMs / 86_400_000} days after the start`,
        r.endDateTime,
      );
      end = null;
    }
    const hi = end ?? start.ms + maxCallMs;
    list(r.sessions).forEach((session, si) => {
      if (isObject(session)) this.session(session, ['sessions', si], start.ms, hi);
    });
  }

  session(s: Loose, keys: Key[], callStart: number, callEnd: number): void {
    const own = this.span(s, keys, { lo: callStart, hi: callEnd, what: 'its call' });
    const lo = own.start ?? callStart;
    const hi = own.end ?? callEnd;
    this.endpoint(s.caller, [...keys, 'caller']);
    this.endpoint(s.callee, [...keys, 'callee']);
    list(s.segments).forEach((segment, gi) => {
      if (!isObject(segment)) return;
      const at = [...keys, 'segments', gi];
      this.span(segment, at, { lo, hi, what: 'its session' });
      this.endpoint(segment.caller, [...at, 'caller']);
      this.endpoint(segment.callee, [...at, 'callee']);
      list(segment.media).forEach((media, mi) => {
        if (!isObject(media)) return;
        const m = [...at, 'media', mi];
        for (const side of ['callerDevice', 'calleeDevice', 'callerNetwork', 'calleeNetwork']) {
          this.metrics(media[side], [...m, side]);
          const hops = isObject(media[side]) ? (media[side] as Loose).traceRouteHops : undefined;
          list(hops).forEach((hop, hi2) => {
            this.metrics(hop, [...m, side, 'traceRouteHops', hi2]);
          });
        }
        list(media.streams).forEach((stream, ti) => {
          if (!isObject(stream)) return;
          // Streams are held to their session: a segment's times are the conference service's, not the client's.
          this.span(stream, [...m, 'streams', ti], { lo, hi, what: 'its session' });
          this.metrics(stream, [...m, 'streams', ti]);
        });
      });
    });
  }

  endpoint(e: unknown, keys: Key[]): void {
    this.metrics(e, keys);
  }
}

export interface PlausibilityResult {
  /** The record with every impossible value nulled (the input itself when nothing was wrong). */
  record: CallRecord;
  warnings: ValueWarning[];
  /** Applies the same nulling to another copy of the record (its raw JSON before parsing). */
  fix<T extends object>(json: T): T;
}

function applyFixes<T extends object>(json: T, fixes: readonly Fix[]): T {
  if (fixes.length === 0) return json;
  const out = structuredClone(json);
  for (const f of fixes) {
    let at: unknown = out;
    for (let i = 0; i < f.keys.length - 1 && at !== null && typeof at === 'object'; i++)
      at = (at as Record<Key, unknown>)[f.keys[i]];
    if (at === null || typeof at !== 'object') continue;
    const last = f.keys[f.keys.length - 1];
    if (f.remove) delete (at as Record<Key, unknown>)[last];
    else if (last in (at as object)) (at as Record<Key, unknown>)[last] = null;
  }
  return out;
}

/**
 * Holds a parsed record to what Graph can send. Throws GraphParseError (source, JSON path, what to fix) when no
 * usable id, version or start is left; otherwise returns the record with impossible values nulled and a
 * warning for each (paths relative to `base`).
 */
export function checkPlausibility(record: CallRecord, source: string, base = '$'): PlausibilityResult {
  const checker = new Checker(source, base);
  const fixes = checker.fixes;
  checkStrings(record, [], fixes);
  if (fixes.some((f) => f.keys.length === 1 && f.keys[0] === 'id'))
    checker.refuse(['id'], 'an id with a NUL character or over 256 characters: not a Graph call record id');
  checker.record(record as Loose);
  // A value nulled twice (a NUL in a time, say) is reported once.
  const seen = new Set<string>();
  const unique = fixes.filter((f) => {
    f.path = toJsonPath(base, f.keys);
    if (seen.has(f.path)) return false;
    seen.add(f.path);
    return true;
  });
  return {
    record: applyFixes(record, unique),
    warnings: unique.map(({ path, problem, value }) => ({ path, problem, value })),
    fix: (json) => applyFixes(json, unique),
  };
}
