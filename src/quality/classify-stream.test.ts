import { describe, expect, it } from 'vitest';
import { classifyStream, mediaTypeOf } from './classify-stream.ts';

describe('mediaTypeOf', () => {
  it('reads the media label as CQD does', () => {
    expect(mediaTypeOf('main-audio')).toBe('audio');
    expect(mediaTypeOf('main-video')).toBe('video');
    expect(mediaTypeOf('panoramic-video')).toBe('video');
    expect(mediaTypeOf('applicationsharing-video')).toBe('vbss');
    expect(mediaTypeOf('data')).toBe('other');
    expect(mediaTypeOf(null)).toBe('other');
  });
});

describe('audio', () => {
  const good = {
    averageJitterMs: 10,
    averageRoundTripTimeMs: 80,
    averagePacketLossRate: 0.01,
    averageAudioDegradation: 0.2,
    averageRatioOfConcealedSamples: 0.01,
    packetUtilization: 5000,
  };
  it('is good under every threshold', () => {
    expect(classifyStream('main-audio', good)).toEqual({
      mediaType: 'audio',
      quality: 'good',
      poorReasons: [],
    });
  });
  it('is not poor exactly at a threshold', () => {
    const r = classifyStream('main-audio', {
      ...good,
      averageJitterMs: 30,
      averageRoundTripTimeMs: 500,
      averagePacketLossRate: 0.1,
      averageAudioDegradation: 1,
      averageRatioOfConcealedSamples: 0.07,
    });
    expect(r.quality).toBe('good');
  });
  it('names every metric that crossed', () => {
    const r = classifyStream('main-audio', {
      ...good,
      averageJitterMs: 31,
      averageRatioOfConcealedSamples: 0.2,
    });
    expect(r).toEqual({ mediaType: 'audio', quality: 'poor', poorReasons: ['jitter', 'concealedRatio'] });
  });
  it('ignores degradation and concealment for SATIN', () => {
    const r = classifyStream('main-audio', {
      ...good,
      audioCodec: 'satin',
      averageAudioDegradation: 3,
      averageRatioOfConcealedSamples: 0.5,
    });
    expect(r.quality).toBe('good');
  });
  it('leaves too few packets and missing metrics unclassified', () => {
    expect(
      classifyStream('main-audio', { ...good, averageJitterMs: 90, packetUtilization: 999 }).quality,
    ).toBe('unclassified');
    expect(classifyStream('main-audio', {}).quality).toBe('unclassified');
  });
});

describe('video and VBSS', () => {
  it('lets the first available metric decide', () => {
    expect(
      classifyStream('main-video', { averageVideoFrameLossPercentage: 60, averageReceivedFrameRate: 30 })
        .poorReasons,
    ).toEqual(['frameLoss']);
    expect(
      classifyStream('main-video', { averageVideoFrameLossPercentage: 10, averageReceivedFrameRate: 1 })
        .quality,
    ).toBe('good');
    expect(classifyStream('main-video', { averageVideoFrameRate: 6.9 }).poorReasons).toEqual(['frameRate']);
    expect(
      classifyStream('main-video', { postForwardErrorCorrectionPacketLossRate: 0.2 }).poorReasons,
    ).toEqual(['postFecPacketLoss']);
    expect(classifyStream('main-video', {}).quality).toBe('unclassified');
  });
  it('uses the lower frame-rate threshold for screen sharing', () => {
    expect(classifyStream('applicationsharing-video', { averageReceivedFrameRate: 3 }).quality).toBe('good');
    expect(classifyStream('applicationsharing-video', { averageReceivedFrameRate: 1.5 }).quality).toBe(
      'poor',
    );
    expect(classifyStream('main-video', { averageReceivedFrameRate: 3 }).quality).toBe('poor');
  });
});
