// Graph's failureInfo reasons sorted into failures of the service (network, media, client, service) and outcomes a
// user or a policy chose (declined, cancelled, busy, no answer, blocked), which reliability rates leave out. Pure.

/** What a failureInfo reason says happened. */
export type FailureClass =
  | 'network'
  | 'client'
  | 'service'
  | 'other'
  | 'declined'
  | 'cancelled'
  | 'busy'
  | 'noAnswer'
  | 'policy';

/** Classes that are a person's or a policy's choice, not a failure of the call (CQD and the QER guide count neither). */
export const outcomeClasses: readonly FailureClass[] = [
  'declined',
  'cancelled',
  'busy',
  'noAnswer',
  'policy',
];

export interface FailureRule {
  cls: FailureClass;
  /** Matched against the reason in lower case with everything but letters and digits removed. */
  pattern: RegExp;
  /** Reasons of this kind as Graph (and the twin) spell them; docs/analytics.md lists them. */
  examples: string[];
}

/**
 * First match wins, so the outcomes come before the broad network words ("NoAnswerTimeout" is no answer, not a
 * timeout). A reason that matches nothing is a failure of class `other`: CQD counts every failure, and the reason
 * stays visible under its own name.
 */
export const failureRules: readonly FailureRule[] = [
  {
    cls: 'declined',
    pattern: /declin|reject/,
    examples: ['RemoteEndpointDeclined', 'CallDeclined', 'Rejected'],
  },
  {
    cls: 'noAnswer',
    pattern: /noanswer|notanswered|unanswered|ringtimeout|ringingtimeout|unavailable(user|callee)/,
    examples: ['NoAnswer', 'NotAnswered', 'RingTimeout'],
  },
  { cls: 'busy', pattern: /busy/, examples: ['RemoteEndpointBusy', 'UserBusy', 'BusyHere'] },
  {
    cls: 'cancelled',
    pattern: /cancel|hungupbefore|abandon|requestterminated/,
    examples: ['CallerCancelled', 'Canceled', 'RequestTerminated'],
  },
  {
    cls: 'policy',
    pattern: /polic|blocked|notallowed|prohibit|forbidden|notpermitted|compliance/,
    examples: ['BlockedByPolicy', 'CallNotAllowed', 'Forbidden'],
  },
  {
    cls: 'client',
    pattern:
      /unexpectedclient|clienttermination|clientcrash|crash|devicefail|devicenotfunction|appterminat|applicationterminat/,
    examples: ['UnexpectedClientTermination', 'ClientCrash', 'MediaDeviceFailure'],
  },
  {
    cls: 'network',
    pattern:
      /media|network|connectivity|^ice|icefail|iceconn|relay|firewall|transport|timeout|timedout|packet|bandwidth/,
    examples: [
      'MediaConnectivityFailure',
      'MediaConnectivityLost',
      'NetworkDisconnected',
      'CallSetupTimeout',
    ],
  },
  {
    cls: 'service',
    pattern: /service|server|internal|gateway|trunk|signal|sip|unavailable/,
    examples: ['ServiceUnavailable', 'InternalServerError', 'GatewayFailure'],
  },
];

const squash = (reason: string) => reason.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The class of a failureInfo reason (`other` when it is empty or unknown). */
export function classifyFailure(reason: string | null | undefined): FailureClass {
  const r = squash(reason ?? '');
  if (r === '') return 'other';
  return failureRules.find((rule) => rule.pattern.test(r))?.cls ?? 'other';
}

/** True when the reason is a user's or a policy's choice: not a setup failure or a drop. */
export function isOutcome(reason: string | null | undefined): boolean {
  return outcomeClasses.includes(classifyFailure(reason));
}

/** The failure a session or segment counts as in reliability: its stage, unless its reason is an outcome. */
export function countedStage(
  stage: string | null | undefined,
  reason: string | null | undefined,
): string | null {
  if (stage !== 'callSetup' && stage !== 'midcall') return null;
  return isOutcome(reason) ? null : stage;
}
