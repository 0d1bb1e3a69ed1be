// What kind of network an unmapped subnet is, for CQD's missing-subnet report: corporate (inside by its egress or
// DNS suffix), a mobile carrier's carrier-grade NAT (100.64.0.0/10), a home network (a private range on an ISP's
// DNS suffix), or other. Pure.
import { parseIp } from './ip.ts';

export type SubnetKind = 'corporate' | 'carrierNat' | 'home' | 'other';

/** How a subnet was found to be inside the corporate network. */
export type InsideBy = 'egress' | 'dnsSuffix' | 'egress+dnsSuffix';

const inRange = (text: string, base: string, bits: number): boolean => {
  const ip = parseIp(text);
  const b = parseIp(base);
  if (!ip || !b || ip.family !== 4 || b.family !== 4) return false;
  const shift = BigInt(32 - bits);
  return ip.value >> shift === b.value >> shift;
};

/** RFC 6598 shared address space, used by mobile carriers' NAT. */
export const isCarrierNat = (subnet: string): boolean => inRange(subnet, '100.64.0.0', 10);

/** RFC 1918 private ranges: where home routers (and corporate LANs) number their clients. */
export const isPrivate = (subnet: string): boolean =>
  inRange(subnet, '10.0.0.0', 8) || inRange(subnet, '172.16.0.0', 12) || inRange(subnet, '192.168.0.0', 16);

/** A DNS suffix and its parent domain (`seattle.corp.contoso.com` → `corp.contoso.com`) when that has 3+ labels. */
export function suffixKeys(dnsSuffix: string | null | undefined): string[] {
  const s = (dnsSuffix ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (!s) return [];
  const labels = s.split('.');
  return labels.length >= 4 ? [s, labels.slice(1).join('.')] : [s];
}

export interface CorporateSignature {
  /** Egress (reflexive) addresses seen from mapped inside-corp subnets, with the building they came from. */
  egress: Map<string, string>;
  /** DNS suffixes (and their parents) seen on mapped inside-corp subnets, with the building. */
  suffixes: Map<string, string>;
}

export interface SubnetEvidence {
  subnet: string;
  egress: readonly string[];
  dnsSuffixes: readonly string[];
}

export interface SubnetVerdict {
  kind: SubnetKind;
  insideBy: InsideBy | null;
  /** The building whose egress or DNS suffix this subnet shares (egress first). */
  building: string | null;
}

export function classifySubnet(e: SubnetEvidence, corp: CorporateSignature): SubnetVerdict {
  const byEgress = e.egress.map((ip) => corp.egress.get(ip)).find((b) => b !== undefined);
  const bySuffix = e.dnsSuffixes
    .flatMap((d) => suffixKeys(d).map((k) => corp.suffixes.get(k)))
    .find((b) => b !== undefined);
  if (byEgress !== undefined || bySuffix !== undefined)
    return {
      kind: 'corporate',
      insideBy:
        byEgress !== undefined && bySuffix !== undefined
          ? 'egress+dnsSuffix'
          : byEgress !== undefined
            ? 'egress'
            : 'dnsSuffix',
      building: byEgress ?? bySuffix ?? null,
    };
  if (isCarrierNat(e.subnet)) return { kind: 'carrierNat', insideBy: null, building: null };
  // A private range reported with a DNS suffix that is not the organization's: a home router on an ISP's line.
  if (isPrivate(e.subnet) && e.dnsSuffixes.length > 0)
    return { kind: 'home', insideBy: null, building: null };
  return { kind: 'other', insideBy: null, building: null };
}
