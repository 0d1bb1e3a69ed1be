// Log redaction driven by the EUII catalog: every personal property and column name, at any depth of a log line's
// fields, and whole Graph shapes (a record, a session, an identity) walked by the catalog's rules wherever nested.
import { createLogger, type Logger } from '../config/logger.ts';
import { isPersonal } from './catalog-types.ts';
import { catalog } from './euii-catalog.ts';
import { type ShapeName, shapes } from './euii-json.ts';
import { type ScrubPolicy, scrubJson } from './json-scrub.ts';

export const censor = '[redacted]';

/** Secrets are no EUII but never logged either, at any depth. */
const secretKeys = [
  'clientSecret',
  'secret',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'clientState',
  'cookie',
];

/**
 * Names that are personal wherever the catalog lists them: Graph properties personal in every shape they appear
 * in (displayName, userPrincipalName, ipAddress, name, ...) and the database's personal columns (upn,
 * caller_number, ...). `id` is personal in an identity and not in a record: it is redacted by shape only.
 */
function personalNames(): Set<string> {
  const personal = new Map<string, boolean>();
  for (const shape of Object.values(shapes))
    for (const [key, rule] of Object.entries(shape.props))
      personal.set(key, (personal.get(key) ?? true) && isPersonal(rule.class));
  const out = new Set([...personal].filter(([, p]) => p).map(([k]) => k));
  for (const table of catalog)
    for (const [column, rule] of Object.entries(table.columns))
      if (isPersonal(rule.class) && !rule.only) out.add(column);
  for (const k of secretKeys) out.add(k);
  return out;
}

/** Property names that always hold the same catalogued shape (`sessions`, `caller`, `callerNetwork`, ...). */
function shapeNames(): Map<string, ShapeName> {
  const seen = new Map<string, ShapeName | null>();
  for (const shape of Object.values(shapes))
    for (const [key, rule] of Object.entries(shape.props))
      if (rule.shape) seen.set(key, seen.has(key) && seen.get(key) !== rule.shape ? null : rule.shape);
  return new Map([...seen].filter((e): e is [string, ShapeName] => e[1] !== null));
}

const personal = personalNames();
const shapeOf = shapeNames();
const redactAll: ScrubPolicy = {
  known: (value) => (value === null || value === undefined ? value : censor),
  detected: () => censor,
};
const maxDepth = 16;

const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** A call record as the catalog's root shape, a party as an identity (its id is then personal too). */
function shapeOfObject(o: Record<string, unknown>): ShapeName | undefined {
  if ('startDateTime' in o && ('sessions' in o || 'participants_v2' in o || 'organizer_v2' in o))
    return 'record';
  if ('userPrincipalName' in o || 'displayName' in o) return 'identity';
  return undefined;
}

/**
 * A value under a property of that shape; an object that is itself a record or a party is walked as that. The
 * names are checked too: a property named like a shape may hold rows (`participants` of normalized rows).
 */
function withShape(value: unknown, shape: ShapeName, depth: number): unknown {
  if (Array.isArray(value)) return value.map((v) => withShape(v, shape, depth + 1));
  if (!isPlain(value)) return value;
  return byNames(scrubJson(value, shapeOfObject(value) ?? shape, redactAll), depth);
}

/** Personal names only, at any depth (what a shape walk leaves behind). */
function byNames(value: unknown, depth: number): unknown {
  if (depth > maxDepth) return censor;
  if (Array.isArray(value)) return value.map((v) => byNames(v, depth + 1));
  if (!isPlain(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = personal.has(key) && v !== null && v !== undefined ? censor : byNames(v, depth + 1);
  return out;
}

function walk(value: unknown, depth: number): unknown {
  if (depth > maxDepth) return censor;
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
  if (!isPlain(value)) return value;
  const shape = shapeOfObject(value);
  if (shape) return withShape(value, shape, depth);
  let out: Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(value)) {
    let next: unknown;
    if (personal.has(key)) next = v === null || v === undefined ? v : censor;
    else if (shapeOf.has(key)) next = withShape(v, shapeOf.get(key) as ShapeName, depth + 1);
    else next = walk(v, depth + 1);
    if (next !== v) {
      out ??= { ...value };
      out[key] = next;
    }
  }
  return out ?? value;
}

/** A log line's fields with every catalogued personal value (and secret) replaced, at any depth. */
export function redactLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  return walk(fields, 0) as Record<string, unknown>;
}

/** The product's logger: pino with the catalog's redaction and connection strings masked. */
export function createRedactingLogger(
  level: string,
  destination?: Parameters<typeof createLogger>[1],
): Logger {
  return createLogger(level, destination, redactLogFields);
}
