// First/second endpoint ordering and client-relative stream direction.
import { describe, expect, it } from 'vitest';
import { directionFromSecond, orderStreamEnds } from './stream-ends.ts';

const client = (platform: string) => ({ kind: 'participant', userAgentType: 'client', platform });
const server = { kind: 'service', userAgentType: 'service', role: 'skypeForBusinessAudioVideoMcu' };

describe('orderStreamEnds', () => {
  it('puts the server first and the client second, whichever side it is on', () => {
    expect(orderStreamEnds(client('windows'), server)).toEqual({
      first: 'callee',
      second: 'caller',
      pair: 'client-server',
    });
    expect(orderStreamEnds(server, client('macOS'))).toEqual({
      first: 'caller',
      second: 'callee',
      pair: 'client-server',
    });
  });

  it('treats a service endpoint without user agent as a server', () => {
    expect(orderStreamEnds({ kind: 'service' }, client('web')).second).toBe('callee');
  });

  it('orders two clients by category, then the callee second', () => {
    expect(orderStreamEnds(client('windows'), client('roomSystem'))).toMatchObject({
      second: 'caller',
      pair: 'client-client',
    });
    expect(orderStreamEnds(client('ipPhone'), client('iOS'))).toMatchObject({ second: 'callee' });
    expect(orderStreamEnds(client('windows'), client('windows'))).toMatchObject({
      first: 'caller',
      second: 'callee',
    });
    expect(orderStreamEnds(null, null)).toMatchObject({ second: 'callee', pair: 'client-client' });
  });

  it('marks server pairs', () => {
    expect(orderStreamEnds(server, { kind: 'service', role: 'mediationServer' }).pair).toBe('server-server');
  });
});

describe('directionFromSecond', () => {
  it('is inbound when the stream flows into the second end', () => {
    expect(directionFromSecond('callerToCallee', 'callee')).toBe('inbound');
    expect(directionFromSecond('callerToCallee', 'caller')).toBe('outbound');
    expect(directionFromSecond('calleeToCaller', 'caller')).toBe('inbound');
    expect(directionFromSecond('calleeToCaller', 'callee')).toBe('outbound');
    expect(directionFromSecond(null, 'callee')).toBeNull();
  });
});
