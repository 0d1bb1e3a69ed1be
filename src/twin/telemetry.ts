// Stream metrics drawn from distributions that depend on network, device and time: where the planted causes act.
import { msToDuration } from '../graph/duration.ts';
import { type CausePlan, isBadIsp, isCongested } from './cause-plan.ts';
import { badClientVersion, type DeviceProfile } from './devices.ts';
import type { NetworkPoint } from './networks.ts';
import type { Rng } from './prng.ts';

export type JsonObject = Record<string, unknown>;

/** How one end's network and device impair media; combined over both ends of a stream. */
export interface Leg {
  jitterMs: number;
  loss: number;
  rttMs: number;
  codecBug: boolean;
  /** The capture driver glitches: the audio this end sends and plays is concealed and degraded. */
  driverGlitch: boolean;
  /** The client version breaks decoding of the video this end receives. */
  videoBug: boolean;
}

/** A clean leg for Microsoft's own servers (conferencing, mediation). */
export const serverLeg: Leg = {
  jitterMs: 1,
  loss: 0.0005,
  rttMs: 8,
  codecBug: false,
  driverGlitch: false,
  videoBug: false,
};

/** One end's impairments for a join at `atMs` (the congested subnet depends on the hour). */
export function legFor(
  network: NetworkPoint | null,
  device: DeviceProfile | null,
  plan: CausePlan,
  atMs: number,
  rng: Rng,
): Leg {
  let jitter = rng.logNormal(5, 0.5);
  let loss = rng.logNormal(0.002, 1);
  let rtt = rng.logNormal(40, 0.35);
  if (network) {
    if (network.connectionType === 'wifi' && network.wifiBand === 'frequency50GHz') {
      jitter *= 1.4;
      loss *= 1.5;
    }
    if (network.wifiBand === 'frequency24GHz') {
      jitter = rng.logNormal(18, 0.55);
      loss = rng.logNormal(0.02, 1);
    }
    if (network.connectionType === 'mobile') {
      jitter *= 2.5;
      loss *= 3;
      rtt += 50;
    }
    if (network.kind === 'vpn') {
      rtt = rng.logNormal(330, 0.45);
      jitter *= 2.2;
      loss *= 2;
    }
    if (network.building?.badUplink) {
      loss = rng.logNormal(0.05, 0.8);
      rtt *= 3;
      jitter *= 2;
    }
    // The seed's planted network causes (cause-plan.ts); each draws only when it acts.
    if (network.accessPoint?.name === plan.accessPoint.name) {
      loss = Math.max(loss, rng.logNormal(AP_LOSS, 0.8));
      jitter *= 2.2;
    }
    if ((network.kind === 'homeWifi' || network.kind === 'homeWired') && isBadIsp(plan, network.dnsSuffix)) {
      loss = Math.max(loss, rng.logNormal(ISP_LOSS, 0.8));
      jitter *= 1.8;
    }
    if (isCongested(plan, network.subnet, atMs)) {
      loss = Math.max(loss, rng.logNormal(CONGESTED_LOSS, 0.7));
      jitter *= 2.5;
      rtt *= 1.5;
    }
  }
  return {
    jitterMs: jitter,
    loss: Math.min(0.6, loss),
    rttMs: rtt,
    codecBug: device?.clientVersion === badClientVersion,
    driverGlitch: !!device && device.captureDeviceDriver === plan.captureDevice.badDriver,
    videoBug: !!device && device.clientVersion === plan.rollout.version,
  };
}

/** The stream from one end to the other: network impairments add up; the codec bug is the receiver's (decoder). */
function combine(from: Leg, to: Leg): Leg {
  return {
    jitterMs: Math.sqrt(from.jitterMs ** 2 + to.jitterMs ** 2),
    loss: 1 - (1 - from.loss) * (1 - to.loss),
    rttMs: from.rttMs + to.rttMs,
    codecBug: to.codecBug,
    driverGlitch: from.driverGlitch || to.driverGlitch,
    videoBug: to.videoBug,
  };
}

/** Strengths of the seed's causes: each found by attribution, none dwarfing the fixed ones (bench:twin). */
const AP_LOSS = 0.05;
const ISP_LOSS = 0.045;
const CONGESTED_LOSS = 0.09;
const DRIVER_CONCEALED = 0.055;
const VIDEO_FRAME_LOSS = 0.62;

const round = (v: number, digits = 4) => Number(v.toFixed(digits));
const ms = (v: number) => msToDuration(Math.max(1, Math.round(v)));

export interface StreamContext {
  label: 'main-audio' | 'main-video' | 'applicationsharing-video';
  direction: 'callerToCallee' | 'calleeToCaller';
  from: Leg;
  to: Leg;
  startMs: number;
  endMs: number;
  /** The sender kept the microphone muted. */
  muted: boolean;
  codec: string;
  bypassed: boolean;
}

export function mediaStream(ctx: StreamContext, rng: Rng): JsonObject {
  const leg = combine(ctx.from, ctx.to);
  const seconds = Math.max(1, (ctx.endMs - ctx.startMs) / 1000);
  const jitter = leg.jitterMs * rng.logNormal(1, 0.15);
  const loss = leg.loss * rng.logNormal(1, 0.2);
  const rtt = leg.rttMs * rng.logNormal(1, 0.1);
  const common = {
    streamId: String(rng.int(100_000_000, 2_147_483_647)),
    startDateTime: new Date(ctx.startMs).toISOString(),
    endDateTime: new Date(ctx.endMs).toISOString(),
    streamDirection: ctx.direction,
    averageJitter: ms(jitter),
    maxJitter: ms(jitter * rng.between(1.5, 4)),
    averagePacketLossRate: round(loss),
    maxPacketLossRate: round(Math.min(1, loss * rng.between(1.5, 5))),
    averageRoundTripTime: ms(rtt),
    maxRoundTripTime: ms(rtt * rng.between(1.2, 3)),
    averageBandwidthEstimate: Math.round(rng.between(2, 40) * 1_000_000 * (1 - Math.min(0.9, loss * 3))),
    wasMediaBypassed: ctx.bypassed,
  };
  if (ctx.label === 'main-audio') {
    const concealed = leg.codecBug
      ? rng.logNormal(0.075, 0.5)
      : 0.004 +
        loss * 0.55 * rng.logNormal(1, 0.3) +
        (leg.driverGlitch ? rng.logNormal(DRIVER_CONCEALED, 0.45) : 0);
    const degradation =
      (leg.codecBug ? 0.9 : 0.15) + (leg.driverGlitch ? 0.4 : 0) + loss * 7 + Math.max(0, jitter - 20) / 40;
    return {
      ...common,
      audioCodec: ctx.codec,
      videoCodec: null,
      averageAudioDegradation: round(Math.min(4.5, degradation * rng.logNormal(1, 0.15)), 3),
      averageAudioNetworkJitter: ms(jitter * 1.1),
      maxAudioNetworkJitter: ms(jitter * rng.between(2, 5)),
      averageRatioOfConcealedSamples: round(Math.min(0.9, concealed)),
      maxRatioOfConcealedSamples: round(Math.min(1, concealed * rng.between(2, 6))),
      isAudioForwardErrorCorrectionUsed: loss > 0.01,
      postForwardErrorCorrectionPacketLossRate: round(loss * 0.4),
      packetUtilization: ctx.muted ? rng.int(120, 900) : Math.round(seconds * 50 * rng.between(0.85, 1)),
      averageReceivedFrameRate: null,
      averageVideoFrameRate: null,
      averageVideoFrameLossPercentage: null,
      averageVideoPacketLossRate: null,
      averageFreezeDuration: null,
      rmsFreezeDuration: null,
      lowFrameRateRatio: null,
      lowVideoProcessingCapabilityRatio: null,
    };
  }
  const vbss = ctx.label === 'applicationsharing-video';
  const nominal = vbss ? rng.logNormal(6, 0.35) : rng.logNormal(26, 0.12);
  // The rollout's decoder regression drops frames the network delivered: frame loss and freezes, packet loss normal.
  const decoderLoss = leg.videoBug && !vbss ? Math.min(0.95, rng.logNormal(VIDEO_FRAME_LOSS, 0.25)) : 0;
  const fps = Math.max(0.5, nominal * (1 - Math.min(0.9, loss * 4)) * (1 - decoderLoss));
  const frameLoss = Math.min(100, loss * 100 * rng.between(1, 3) + decoderLoss * 100);
  const freezes = loss > 0.05 || decoderLoss > 0;
  return {
    ...common,
    audioCodec: null,
    videoCodec: vbss ? 'rtVideo' : rng.chance(0.8) ? 'h264' : 'av1',
    averageAudioDegradation: null,
    averageAudioNetworkJitter: null,
    maxAudioNetworkJitter: null,
    averageRatioOfConcealedSamples: null,
    maxRatioOfConcealedSamples: null,
    isAudioForwardErrorCorrectionUsed: null,
    postForwardErrorCorrectionPacketLossRate: round(loss * 0.5),
    packetUtilization: Math.round(seconds * (vbss ? 60 : 250) * rng.between(0.7, 1)),
    averageReceivedFrameRate: round(fps, 2),
    averageVideoFrameRate: round(Math.min(30, fps * 1.05), 2),
    averageVideoFrameLossPercentage: round(frameLoss, 2),
    averageVideoPacketLossRate: round(loss),
    averageFreezeDuration: freezes ? ms(rng.between(200, 1500)) : null,
    rmsFreezeDuration: freezes ? ms(rng.between(300, 2000)) : null,
    lowFrameRateRatio: round(fps < 7.5 ? rng.between(0.5, 1) : rng.between(0, 0.05)),
    lowVideoProcessingCapabilityRatio: round(rng.between(0, 0.03)),
  };
}

/** The device block one client reports (capture/render devices and their event ratios). */
export function deviceInfo(device: DeviceProfile, glitchy: boolean, rng: Rng): JsonObject {
  const broken = rng.chance(0.01);
  return {
    captureDeviceName: device.captureDeviceName,
    captureDeviceDriver: device.captureDeviceDriver,
    renderDeviceName: device.renderDeviceName,
    renderDeviceDriver: device.renderDeviceDriver,
    captureNotFunctioningEventRatio: broken ? round(rng.between(0.01, 0.2)) : 0,
    renderNotFunctioningEventRatio: 0,
    cpuInsufficentEventRatio: round(
      device.cpuCoresCount && device.cpuCoresCount <= 4 ? rng.between(0, 0.05) : 0,
    ),
    deviceClippingEventRatio: round(rng.between(0, 0.01)),
    deviceGlitchEventRatio: round(glitchy ? rng.between(0.05, 0.3) : rng.between(0, 0.01)),
    howlingEventCount: rng.chance(0.02) ? rng.int(1, 4) : 0,
    initialSignalLevelRootMeanSquare: round(rng.between(50, 200), 2),
    lowSpeechLevelEventRatio: round(rng.between(0, 0.05)),
    lowSpeechToNoiseEventRatio: round(rng.between(0, 0.05)),
    micGlitchRate: round(glitchy ? rng.between(150, 900) : rng.between(0, 20), 2),
    receivedNoiseLevel: rng.int(-90, -60),
    receivedSignalLevel: rng.int(-30, -10),
    renderMuteEventRatio: 0,
    renderZeroVolumeEventRatio: 0,
    sentNoiseLevel: rng.int(-90, -60),
    sentSignalLevel: rng.int(-30, -10),
    speakerGlitchRate: round(rng.between(0, 20), 2),
  };
}

/** The network block one client reports; traceRouteHops stays empty unless the tenant enabled it. */
export function networkInfo(
  point: NetworkPoint,
  device: DeviceProfile | null,
  leg: Leg,
  traceRoute: boolean,
  rng: Rng,
): JsonObject {
  const wifi = point.connectionType === 'wifi';
  const hops = traceRoute
    ? [
        point.subnet.replace(/\.0$/, '.1'),
        point.reflexiveIPAddress,
        '104.44.230.176',
        point.relayIPAddress,
      ].map((ip, i) => ({
        hopCount: i,
        ipAddress: ip,
        roundTripTime: ms((leg.rttMs / 4) * (i + 1) * rng.between(0.8, 1.2)),
      }))
    : [];
  return {
    ipAddress: point.ipAddress,
    subnet: point.subnet,
    reflexiveIPAddress: point.reflexiveIPAddress,
    relayIPAddress: point.relayIPAddress,
    relayPort: point.relayPort,
    port: point.port,
    macAddress: device?.macAddress ?? null,
    dnsSuffix: point.dnsSuffix || null,
    connectionType: point.connectionType,
    networkTransportProtocol: point.networkTransportProtocol,
    linkSpeed: point.linkSpeed,
    wifiBand: point.wifiBand,
    wifiRadioType: point.wifiRadioType,
    wifiChannel: point.wifiChannel,
    wifiSignalStrength: point.wifiSignalStrength,
    wifiBatteryCharge: wifi && device && device.cpuName !== null ? rng.int(15, 100) : null,
    wifiMicrosoftDriver: wifi ? 'Microsoft' : null,
    wifiMicrosoftDriverVersion: wifi ? '10.0.22621.1' : null,
    wifiVendorDriver: wifi ? (device?.wifiVendorDriver ?? null) : null,
    wifiVendorDriverVersion: wifi ? (device?.wifiVendorDriverVersion ?? null) : null,
    basicServiceSetIdentifier: point.basicServiceSetIdentifier,
    bandwidthLowEventRatio: round(leg.loss > 0.05 ? rng.between(0.05, 0.3) : rng.between(0, 0.02)),
    delayEventRatio: round(leg.rttMs > 400 ? rng.between(0.1, 0.5) : rng.between(0, 0.02)),
    receivedQualityEventRatio: round(leg.loss > 0.05 ? rng.between(0.05, 0.4) : rng.between(0, 0.02)),
    sentQualityEventRatio: round(leg.loss > 0.05 ? rng.between(0.05, 0.4) : rng.between(0, 0.02)),
    traceRouteHops: hops,
  };
}
