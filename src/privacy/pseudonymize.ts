// Pseudonyms: keyed HMAC-SHA256 tokens stable within a tenant, and addresses truncated to their subnet.
import { createHmac } from 'node:crypto';
import { formatIp, parseIp } from '../quality/ip.ts';
import type { Keyring, PseudonymKey } from './pseudonym-key.ts';

/** Every token starts with this, then the key id: `pz.k1.Xq3...`. */
export const tokenPrefix = 'pz.';
const tokenPattern = /^pz\.k\d+\.[A-Za-z0-9_-]{22}$/;

export function isToken(value: string): boolean {
  return tokenPattern.test(value);
}

/** `86.220.163.x` (IPv4 /24) or `2001:db8:12::x` (IPv6 /48): already a pseudonymized address. */
export function isTruncatedIp(value: string): boolean {
  return /^\d{1,3}\.\d{1,3}\.\d{1,3}\.x$/.test(value) || /^[0-9a-f:]+::x$/i.test(value);
}

/**
 * The address with its host part removed, the way Microsoft shows a pseudonymized public IP: IPv4 keeps its
 * /24 (`86.220.163.x`), IPv6 its /48 site prefix (`2001:db8:12::x`); an IPv4-mapped IPv6 address is treated
 * as IPv4. Undefined when the text is not an address (the caller then drops it).
 */
export function truncateIp(text: string): string | undefined {
  const s = text.trim();
  if (isTruncatedIp(s)) return s;
  const ip = parseIp(s);
  if (!ip) return undefined;
  const mapped = ip.family === 6 && ip.value >> 32n === 0xffffn;
  if (ip.family === 4 || mapped) {
    const v4 = formatIp(4, ip.value & 0xffffffffn);
    return `${v4.slice(0, v4.lastIndexOf('.'))}.x`;
  }
  const site = [112n, 96n, 80n].map((shift) => ((ip.value >> shift) & 0xffffn).toString(16));
  return `${site.join(':')}::x`;
}

/** The same person written differently (case, MAC separators, phone punctuation) gets the same token. */
export function canonical(value: string): string {
  const s = value.trim().toLowerCase();
  if (/^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/.test(s)) return s.replaceAll('-', ':');
  if (/^(tel:)?\+?[\d\s().-]{6,}$/.test(s)) return s.replace(/^tel:/, '').replace(/[\s().-]/g, '');
  return s;
}

function tenantKey(key: PseudonymKey, tenantId: string): Buffer {
  return createHmac('sha256', key.secret)
    .update(`calltrove/tenant/${tenantId.trim().toLowerCase()}`)
    .digest();
}

export interface Tokenizer {
  /** The current key's token for a value (a token given again is returned unchanged). */
  token(value: string): string;
  /** The value's token under every key still held: finds a person's data across key rotations. */
  allTokens(value: string): string[];
}

/** Tokens for one tenant: HMAC-SHA256 under HMAC(secret, tenant id), so tokens differ between tenants. */
export function createTokenizer(ring: Keyring, tenantId: string | null | undefined): Tokenizer {
  const tenant = tenantId ?? '';
  const keys = new Map(ring.keys.map((k) => [k.id, tenantKey(k, tenant)]));
  const make = (keyId: string, value: string) => {
    const mac = createHmac('sha256', keys.get(keyId) as Buffer)
      .update(canonical(value))
      .digest('base64url');
    return `${tokenPrefix}${keyId}.${mac.slice(0, 22)}`;
  };
  const cache = new Map<string, string>();
  return {
    token(value) {
      if (isToken(value)) return value;
      let t = cache.get(value);
      if (t === undefined) {
        t = make(ring.current.id, value);
        if (cache.size > 50_000) cache.clear();
        cache.set(value, t);
      }
      return t;
    },
    allTokens(value) {
      return isToken(value) ? [value] : ring.keys.map((k) => make(k.id, value));
    },
  };
}

/** Stands in for the real tokenizer in dry runs: same shape of token, no key file needed or created. */
export const dryRunTokenizer: Tokenizer = {
  token: (value) => (isToken(value) ? value : `${tokenPrefix}k0.${'0'.repeat(22)}`),
  allTokens: (value) => [value],
};
