// PSTN and Direct Routing usage rows (getPstnCalls, getDirectRoutingCalls) derived from the twin's phone calls.
import type { TwinCall } from './call-generator.ts';
import { createRng } from './prng.ts';
import type { JsonObject } from './telemetry.ts';

/** Rows appear in the logs this long after the call ended. */
export const pstnLogDelayMs = 15 * 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

function numbers(call: TwinCall): { caller: string; callee: string } {
  const user = call.participants[0].user?.phoneNumber ?? '+14255550000';
  const phone = call.participants[1].id;
  return call.outbound ? { caller: user, callee: phone } : { caller: phone, callee: user };
}

export function pstnCallRow(call: TwinCall, seed: number): JsonObject {
  const rng = createRng(seed, `${call.id}:pstn`);
  const user = call.participants[0];
  const { caller, callee } = numbers(call);
  const seconds = Math.round((call.endMs - call.startMs) / 1000);
  const rate = call.outbound ? 0.012 : 0;
  return {
    id: rng.uuid(),
    callId: `${rng.int(1_000_000_000, 1_999_999_999)}_${rng.int(100_000_000, 199_999_999)}@61.221.3.${rng.int(1, 254)}`,
    userId: user.id,
    userPrincipalName: user.user?.userPrincipalName ?? null,
    userDisplayName: user.displayName,
    startDateTime: iso(call.startMs),
    endDateTime: iso(call.endMs),
    duration: seconds,
    charge: Number(((seconds / 60) * rate).toFixed(2)),
    callType: call.outbound ? 'user_out' : 'user_in',
    currency: 'USD',
    calleeNumber: callee,
    usageCountryCode: 'US',
    tenantCountryCode: 'US',
    connectionCharge: 0,
    callerNumber: caller,
    destinationContext: null,
    destinationName: 'United States',
    conferenceId: null,
    licenseCapability: 'MCOPSTNU',
    inventoryType: 'Subscriber',
    operator: 'Microsoft',
    callDurationSource: 'microsoft',
  };
}

export function directRoutingRow(call: TwinCall, seed: number): JsonObject {
  const rng = createRng(seed, `${call.id}:dr`);
  const user = call.participants[0];
  const { caller, callee } = numbers(call);
  const failed = user.failure === 'callSetup';
  const sip = failed
    ? rng.pick([
        [486, 'Busy Here'],
        [487, 'Request Terminated'],
        [503, 'Service Unavailable'],
      ] as const)
    : ([0, 'BYE'] as const);
  const mask = (n: string) => `${n.slice(0, -3)}***`;
  return {
    id: rng.uuid(),
    correlationId: rng.uuid(),
    userId: user.id,
    userPrincipalName: user.user?.userPrincipalName ?? null,
    userDisplayName: user.displayName,
    startDateTime: iso(call.startMs),
    inviteDateTime: iso(call.startMs - rng.int(1500, 4000)),
    failureDateTime: failed ? iso(call.endMs) : '0001-01-01T00:00:00Z',
    endDateTime: failed ? null : iso(call.endMs),
    duration: failed ? 0 : Math.round((call.endMs - call.startMs) / 1000),
    callType: call.outbound ? 'ByotOut' : 'ByotIn',
    successfulCall: !failed,
    callerNumber: mask(caller),
    calleeNumber: mask(callee),
    mediaPathLocation: 'USWE',
    signalingLocation: 'USWE',
    finalSipCode: sip[0],
    callEndSubReason: failed ? 10_000 + sip[0] : 540_000,
    finalSipCodePhrase: sip[1],
    trunkFullyQualifiedDomainName: 'sbc01.contoso.example',
    mediaBypassEnabled: false,
  };
}
