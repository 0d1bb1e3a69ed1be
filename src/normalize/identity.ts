// Reads Graph identity sets (user, guest, phone, application, ...) into one flat identity: who, which tenant, what kind.
import type { Identity } from '../graph/types.ts';

export interface FlatIdentity {
  kind: string | null;
  id: string | null;
  displayName: string | null;
  tenantId: string | null;
  upn: string | null;
}

export const noIdentity: FlatIdentity = {
  kind: null,
  id: null,
  displayName: null,
  tenantId: null,
  upn: null,
};

/** Members of a (communications) identity set, most specific first; the first non-null one names the party. */
const memberOrder = [
  'user',
  'guest',
  'phone',
  'acsUser',
  'spoolUser',
  'onPremises',
  'encrypted',
  'applicationInstance',
  'application',
  'acsApplicationInstance',
  'spoolApplicationInstance',
  'device',
];

type Loose = Record<string, unknown>;

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function isObject(v: unknown): v is Loose {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** One identity object (graph.identity / userIdentity) as a FlatIdentity of the given kind. */
export function flattenIdentity(
  identity: Loose | Identity | null | undefined,
  kind: string | null,
): FlatIdentity {
  if (!isObject(identity)) return noIdentity;
  return {
    kind,
    id: text(identity.id),
    displayName: text(identity.displayName),
    tenantId: text(identity.tenantId),
    upn: text(identity.userPrincipalName),
  };
}

/** The party an identity set names: its first non-null member, by memberOrder then any other member. */
export function identityFromSet(set: Loose | null | undefined): FlatIdentity {
  if (!isObject(set)) return noIdentity;
  for (const key of memberOrder) {
    const member = set[key];
    if (isObject(member)) return flattenIdentity(member, key);
  }
  for (const [key, member] of Object.entries(set)) {
    if (!key.includes('@') && isObject(member)) return flattenIdentity(member, key);
  }
  return noIdentity;
}

/** `#microsoft.graph.userIdentity` -> `user`; null when there is no type. */
export function kindOfIdentityType(odataType: unknown): string | null {
  const t = text(odataType);
  if (!t) return null;
  const name = t.slice(t.lastIndexOf('.') + 1);
  return name.replace(/Identity$/i, '') || null;
}

/** Fills what `primary` lacks from `fallback` (associatedIdentity first, the deprecated identity set second). */
export function mergeIdentity(primary: FlatIdentity, fallback: FlatIdentity): FlatIdentity {
  return {
    kind: primary.kind ?? fallback.kind,
    id: primary.id ?? fallback.id,
    displayName: primary.displayName ?? fallback.displayName,
    tenantId: primary.tenantId ?? fallback.tenantId,
    upn: primary.upn ?? fallback.upn,
  };
}
