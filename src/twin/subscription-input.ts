// Checks a subscription request the way Graph does for communications/callRecords, before any handshake.
import { callRecordsSubscriptionMaxMinutes } from '../graph/odata.ts';

export interface SubscriptionInput {
  changeType?: unknown;
  notificationUrl?: unknown;
  lifecycleNotificationUrl?: unknown;
  resource?: unknown;
  expirationDateTime?: unknown;
  clientState?: unknown;
}

export type Refusal = { status: number; code: string; message: string };

export interface CheckedInput {
  changeType: string;
  resource: string;
  /** From a resource filter `participants/any(p:p/id eq '...')` (eq, or, in); null: every record. */
  participantIds: string[] | null;
  notificationUrl: URL;
  lifecycleNotificationUrl: URL | null;
  expirationMs: number;
  clientState: string | null;
}

const resourcePattern = /^\/?communications\/callRecords(?:\?\$filter=(.+))?$/;
const invalid = (message: string): Refusal => ({ status: 400, code: 'InvalidRequest', message });

export function isRefusal(value: unknown): value is Refusal {
  return !!value && typeof value === 'object' && 'code' in value && 'status' in value;
}

function checkUrl(value: unknown, name: string): URL | Refusal {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return invalid(`${name} must be an absolute URL.`);
  }
  // Graph insists on HTTPS; plain HTTP is let through for loopback receivers so local setups work.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return invalid(`${name} must use https.`);
  return url;
}

/** expirationDateTime: in the future and at most 4,230 minutes ahead (on create and on renewal). */
export function checkExpiration(value: unknown, now: number): number | Refusal {
  const ms = Date.parse(String(value ?? ''));
  if (Number.isNaN(ms)) return invalid('expirationDateTime must be an ISO 8601 date-time.');
  if (ms <= now) return invalid('expirationDateTime must be in the future.');
  if (ms > now + callRecordsSubscriptionMaxMinutes * 60_000)
    return invalid(
      `Subscription expiration can only be ${callRecordsSubscriptionMaxMinutes} minutes in the future for communications/callRecords.`,
    );
  return ms;
}

export function checkSubscriptionInput(input: SubscriptionInput, now: number): CheckedInput | Refusal {
  const changeType = String(input.changeType ?? '');
  const kinds = changeType.split(',').map((k) => k.trim());
  if (!kinds.every((k) => k === 'created' || k === 'updated'))
    return invalid(
      "changeType must be 'created', 'updated' or 'created,updated' for communications/callRecords.",
    );
  const resource = String(input.resource ?? '');
  const match = resourcePattern.exec(decodeURIComponent(resource));
  if (!match) return invalid(`The resource '${resource}' is not supported; use communications/callRecords.`);
  if (match[1] && !/participants\/any/.test(match[1]))
    return invalid(
      "Only participants/any(p:p/id eq '<id>') filters are supported on communications/callRecords.",
    );
  const notificationUrl = checkUrl(input.notificationUrl, 'notificationUrl');
  if (isRefusal(notificationUrl)) return notificationUrl;
  const lifecycleNotificationUrl = input.lifecycleNotificationUrl
    ? checkUrl(input.lifecycleNotificationUrl, 'lifecycleNotificationUrl')
    : null;
  if (isRefusal(lifecycleNotificationUrl)) return lifecycleNotificationUrl;
  const expirationMs = checkExpiration(input.expirationDateTime, now);
  if (isRefusal(expirationMs)) return expirationMs;
  if (typeof input.clientState === 'string' && input.clientState.length > 128)
    return invalid('clientState can be at most 128 characters.');
  return {
    changeType,
    resource,
    participantIds: match[1] ? [...match[1].matchAll(/'([^']+)'/g)].map((m) => m[1]) : null,
    notificationUrl,
    lifecycleNotificationUrl,
    expirationMs,
    clientState: typeof input.clientState === 'string' ? input.clientState : null,
  };
}
