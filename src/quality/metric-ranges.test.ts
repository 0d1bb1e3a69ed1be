// Red and yellow per value: CQD's poor thresholds (strict), the watch ranges below them, TAC's ≥ 0.5% "not
// functioning", SATIN left out as CQD leaves it, and the reasons a stream is unclassified.
import { describe, expect, it } from 'vitest';
import { deviceFlags, networkFlags, streamFlags, unclassifiedReason } from './metric-ranges.ts';

describe('streamFlags', () => {
  it('audio: poor above the CQD threshold, watch in the range below it, nothing under it', () => {
    const f = streamFlags('audio', {
      averageJitterMs: 57,
      averageRoundTripTimeMs: 150,
      averagePacketLossRate: 0.005,
      averageAudioDegradation: 1.2,
      averageRatioOfConcealedSamples: 0.04,
      audioCodec: 'opus',
    });
    expect(f.averageJitter).toEqual({
      level: 'poor',
      rule: expect.stringContaining('jitter > 30 ms is poor'),
    });
    expect(f.averageRoundTripTime.level).toBe('watch');
    expect(f.averageRoundTripTime.rule).toContain('round trip > 100 ms');
    expect(f.averagePacketLossRate).toBeUndefined();
    expect(f.averageAudioDegradation.level).toBe('poor');
    expect(f.averageRatioOfConcealedSamples).toEqual({
      level: 'watch',
      rule: expect.stringContaining('concealed samples > 3%'),
    });
  });

  it('a value exactly at a threshold is not poor (CQD is strict), and exactly at a watch edge is not watched', () => {
    const f = streamFlags('audio', {
      averageJitterMs: 30,
      averagePacketLossRate: 0.01,
      averageRoundTripTimeMs: 500.5,
    });
    expect(f.averageJitter.level).toBe('watch');
    expect(f.averagePacketLossRate).toBeUndefined();
    expect(f.averageRoundTripTime.level).toBe('poor');
  });

  it('SATIN audio is not judged on degradation or concealment', () => {
    const f = streamFlags('audio', {
      averageAudioDegradation: 2,
      averageRatioOfConcealedSamples: 0.2,
      audioCodec: 'SATIN',
    });
    expect(f).toEqual({});
  });

  it('video and screen sharing use their own frame-rate floors, keyed by the frame rate that was reported', () => {
    expect(streamFlags('video', { averageReceivedFrameRate: 5 }).averageReceivedFrameRate.level).toBe('poor');
    expect(streamFlags('video', { averageVideoFrameRate: 12 }).averageVideoFrameRate.level).toBe('watch');
    expect(streamFlags('vbss', { averageReceivedFrameRate: 5 })).toEqual({});
    expect(streamFlags('vbss', { averageReceivedFrameRate: 1.5 }).averageReceivedFrameRate.rule).toContain(
      '< 2 fps',
    );
    expect(
      streamFlags('video', { averageVideoFrameLossPercentage: 60 }).averageVideoFrameLossPercentage.level,
    ).toBe('poor');
    expect(streamFlags('other', { averageJitterMs: 90 })).toEqual({});
  });
});

it('devices: not functioning from 0.5% (inclusive, as the admin center), any above 0 watched', () => {
  const f = deviceFlags({
    captureNotFunctioningEventRatio: 0.005,
    renderNotFunctioningEventRatio: 0.001,
    micGlitchRate: 3,
    deviceClippingEventRatio: 0,
  });
  expect(f.captureNotFunctioningEventRatio).toEqual({
    level: 'poor',
    rule: expect.stringContaining('≥ 0.5%'),
  });
  expect(f.renderNotFunctioningEventRatio.level).toBe('watch');
  expect(f.micGlitchRate.level).toBe('watch');
  expect(f.deviceClippingEventRatio).toBeUndefined();
});

it('networks: weak Wi-Fi signal in percent', () => {
  expect(networkFlags({ wifiSignalStrength: 40 }).wifiSignalStrength.level).toBe('poor');
  expect(networkFlags({ wifiSignalStrength: 65 }).wifiSignalStrength.rule).toContain('Wi-Fi signal < 70%');
  expect(networkFlags({ wifiSignalStrength: 90 })).toEqual({});
});

it('says why a stream is unclassified', () => {
  expect(unclassifiedReason('audio', 'unclassified', { packetUtilization: 400, averageJitterMs: 57 })).toBe(
    'fewPackets',
  );
  expect(unclassifiedReason('audio', 'unclassified', {})).toBe('noMetrics');
  expect(unclassifiedReason('video', 'unclassified', { packetUtilization: 10 })).toBe('noMetrics');
  expect(unclassifiedReason('other', 'unclassified', {})).toBe('notAudioOrVideo');
  expect(unclassifiedReason('audio', 'poor', { packetUtilization: 400 })).toBeNull();
});
