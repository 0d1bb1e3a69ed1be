// OData shapes shared by the twin (which serves them) and the collector (which reads them): pages, errors, notifications.

/** A collection page as Graph returns it. */
export interface ODataPage<T> {
  '@odata.context'?: string;
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
  value: T[];
}

/** Graph's error body: `{ error: { code, message, innerError } }`. */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError?: { date?: string; 'request-id'?: string; 'client-request-id'?: string };
  };
}

export function graphError(code: string, message: string, date: Date, requestId?: string): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: {
        date: date.toISOString(),
        'request-id': requestId,
        'client-request-id': requestId,
      },
    },
  };
}

/** One change notification in the `value` array Graph POSTs to the notification URL. */
export interface ChangeNotification {
  subscriptionId: string;
  clientState?: string | null;
  changeType: string;
  resource: string;
  subscriptionExpirationDateTime?: string;
  tenantId?: string;
  resourceData?: { '@odata.type'?: string; '@odata.id'?: string; id?: string };
}

/** A lifecycle notification (reauthorizationRequired, subscriptionRemoved, missed). */
export interface LifecycleNotification {
  subscriptionId: string;
  clientState?: string | null;
  lifecycleEvent: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed' | (string & {});
  subscriptionExpirationDateTime?: string;
  tenantId?: string;
}

export interface NotificationBatch<T = ChangeNotification | LifecycleNotification> {
  value: T[];
  validationTokens?: string[];
}

/** The subscription resource (POST/GET/PATCH /subscriptions). */
export interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  clientState?: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl?: string | null;
  expirationDateTime: string;
  applicationId?: string;
  creatorId?: string;
  latestSupportedTlsVersion?: string;
}

/** Graph's maximum lifetime of a callRecords subscription, in minutes (under three days). */
export const callRecordsSubscriptionMaxMinutes = 4230;
/** Graph's page sizes for call records. */
export const pageSizes = { callRecords: 60, sessions: 60, participants: 130, pstnRows: 1000 } as const;
/** Graph keeps call records for this many days, then answers 404. */
export const callRecordRetentionDays = 30;
