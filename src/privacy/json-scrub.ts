// Walks a Graph JSON document by the catalog's shapes and replaces every personal value by what a policy says.
import type { FieldRule } from './catalog-types.ts';
import { isPersonal } from './catalog-types.ts';
import { type JsonProp, type ShapeName, shapes } from './euii-json.ts';
import { isToken, isTruncatedIp, type Tokenizer, truncateIp } from './pseudonymize.ts';

export interface ScrubPolicy {
  /** The replacement of a personal value of a catalogued property (null clears it). */
  known(value: unknown, rule: FieldRule): unknown;
  /** The replacement of a string in an uncatalogued property that holds something that looks personal. */
  detected(value: string): unknown;
}

/** Per property path (`sessions[].caller.name`), how many values a scrub changed. */
export type ScrubCounts = Map<string, number>;

const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4 = new RegExp(`(?<![\\d.])${octet}(?:\\.${octet}){3}(?![\\d.])`, 'g');
const mac = /(?<![0-9a-f:-])(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}(?![0-9a-f:-])/gi;
const email = /(?:sip:)?[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const phone = /^(?:tel:)?\+\d[\d\s().-]{5,}$/i;

/** True when the string is, or contains, an address, MAC, e-mail/UPN, SIP URI or phone number. */
export function looksPersonal(s: string): boolean {
  if (isToken(s) || isTruncatedIp(s)) return false;
  ipv4.lastIndex = 0;
  mac.lastIndex = 0;
  email.lastIndex = 0;
  return ipv4.test(s) || mac.test(s) || email.test(s) || phone.test(s.trim()) || truncateIp(s) !== undefined;
}

/** The string with each personal part pseudonymized: addresses truncated, the rest tokenized. */
export function pseudonymizeText(s: string, tokens: Tokenizer): string {
  if (isToken(s) || isTruncatedIp(s)) return s;
  if (phone.test(s.trim())) return tokens.token(s);
  const whole = s.includes(':') ? truncateIp(s) : undefined;
  if (whole !== undefined) return whole;
  return s
    .replace(email, (m) => tokens.token(m))
    .replace(mac, (m) => tokens.token(m))
    .replace(ipv4, (m) => truncateIp(m) ?? '');
}

const annotation = (key: string) => key.includes('@');

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An object Graph did not announce that still names a party is walked as an identity. */
function looksLikeIdentity(o: Record<string, unknown>): boolean {
  return 'userPrincipalName' in o || ('id' in o && 'displayName' in o);
}

function bump(counts: ScrubCounts | undefined, path: string): void {
  if (counts) counts.set(path, (counts.get(path) ?? 0) + 1);
}

function walkUnknown(value: unknown, policy: ScrubPolicy, path: string, counts?: ScrubCounts): unknown {
  if (typeof value === 'string') {
    if (!looksPersonal(value)) return value;
    const out = policy.detected(value);
    if (out !== value) bump(counts, path);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => walkUnknown(v, policy, `${path}[]`, counts));
  if (isObject(value)) {
    if (looksLikeIdentity(value)) return walkShape(value, 'identity', policy, path, counts);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = annotation(k) ? v : walkUnknown(v, policy, `${path}.${k}`, counts);
    return out;
  }
  return value;
}

function walkProp(value: unknown, rule: JsonProp, policy: ScrubPolicy, path: string, counts?: ScrubCounts) {
  if (value === null || value === undefined) return value;
  if (rule.shape) {
    if (rule.array && Array.isArray(value))
      return value.map((v) =>
        isObject(v) ? walkShape(v, rule.shape as ShapeName, policy, `${path}[]`, counts) : v,
      );
    if (isObject(value)) return walkShape(value, rule.shape, policy, path, counts);
    return walkUnknown(value, policy, path, counts);
  }
  if (!isPersonal(rule.class)) return value;
  const out = policy.known(value, rule);
  if (out !== value) bump(counts, path);
  return out;
}

function walkShape(
  obj: Record<string, unknown>,
  name: ShapeName,
  policy: ScrubPolicy,
  path: string,
  counts?: ScrubCounts,
): Record<string, unknown> {
  const shape = shapes[name];
  const out: Record<string, unknown> = {};
  const at = (k: string) => (path ? `${path}.${k}` : k);
  for (const [key, value] of Object.entries(obj)) {
    const rule = shape.props[key] ?? (annotation(key) ? undefined : shape.any);
    if (rule) out[key] = walkProp(value, rule, policy, at(shape.props[key] ? key : '*'), counts);
    else if (annotation(key)) out[key] = value;
    else if (shape.unknown === 'euii')
      out[key] = walkProp(value, { class: 'euii', pseudo: 'drop' }, policy, at(key), counts);
    else out[key] = walkUnknown(value, policy, at(key), counts);
  }
  return out;
}

/** A scrubbed copy of a JSON document of the given shape (the input is never changed). */
export function scrubJson<T>(doc: T, root: ShapeName, policy: ScrubPolicy, counts?: ScrubCounts): T {
  if (!isObject(doc)) return doc;
  return walkShape(doc, root, policy, '', counts) as T;
}

/** Retention: every personal value becomes null, except the user ids analytics group by: those become tokens. */
export function expirePolicy(tokens: Pick<Tokenizer, 'token'>): ScrubPolicy {
  return {
    known: (value, rule) =>
      rule.expire === 'token' && typeof value === 'string' && value !== '' ? tokens.token(value) : null,
    detected: () => null,
  };
}

/** Ingest pseudonymization: identifiers tokenized, addresses truncated, free text and names dropped. */
export function pseudonymizePolicy(tokens: Tokenizer): ScrubPolicy {
  return {
    known(value, rule) {
      if (typeof value !== 'string' && typeof value !== 'number') return null;
      const text = String(value);
      if (rule.pseudo === 'token') return text === '' ? text : tokens.token(text);
      if (rule.pseudo === 'ip') return truncateIp(text) ?? null;
      return null;
    },
    detected: (value) => pseudonymizeText(value, tokens),
  };
}
