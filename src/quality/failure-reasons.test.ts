import { describe, expect, it } from 'vitest';
import { classifyFailure, countedStage, isOutcome } from './failure-reasons.ts';

describe('failureInfo reasons', () => {
  it.each([
    ['RemoteEndpointDeclined', 'declined'],
    ['callDeclined', 'declined'],
    ['NoAnswer', 'noAnswer'],
    ['Not answered', 'noAnswer'],
    ['RingTimeout', 'noAnswer'],
    ['UserBusy', 'busy'],
    ['CallerCancelled', 'cancelled'],
    ['canceled', 'cancelled'],
    ['Request_Terminated', 'cancelled'],
    ['BlockedByPolicy', 'policy'],
    ['CallNotAllowed', 'policy'],
    ['MediaConnectivityFailure', 'network'],
    ['MediaConnectivityLost', 'network'],
    ['NetworkDisconnected', 'network'],
    ['CallSetupTimeout', 'network'],
    ['IceConnectivityFailure', 'network'],
    ['UnexpectedClientTermination', 'client'],
    ['MediaDeviceFailure', 'client'],
    ['ServiceUnavailable', 'service'],
    ['InternalServerError', 'service'],
    ['Lost', 'other'],
    ['', 'other'],
  ])('%s is %s', (reason, cls) => {
    expect(classifyFailure(reason)).toBe(cls);
  });

  it('outcomes are not counted as setup failures or drops; failures keep their stage', () => {
    expect(isOutcome('RemoteEndpointDeclined')).toBe(true);
    expect(isOutcome(null)).toBe(false);
    expect(countedStage('callSetup', 'RemoteEndpointDeclined')).toBeNull();
    expect(countedStage('callSetup', 'UserBusy')).toBeNull();
    expect(countedStage('callSetup', 'MediaConnectivityFailure')).toBe('callSetup');
    expect(countedStage('midcall', null)).toBe('midcall');
    expect(countedStage('unknown', 'MediaConnectivityFailure')).toBeNull();
  });
});
