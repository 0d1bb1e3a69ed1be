// Expands one call into sessions, segments, media and streams, deterministically from the seed and the call id.
import type { CallParticipant, TwinCall } from './call-generator.ts';
import type { CausePlan } from './cause-plan.ts';
import { createRng, type Rng } from './prng.ts';
import {
  deviceInfo,
  type JsonObject,
  type Leg,
  legFor,
  mediaStream,
  networkInfo,
  serverLeg,
} from './telemetry.ts';

export type ServiceRole = 'skypeForBusinessAudioVideoMcu' | 'mediationServer' | 'gateway';

/** One end of a session or segment: a participant's client, or one of Microsoft's (or the customer's) servers. */
export type End =
  | { participant: CallParticipant }
  | { service: ServiceRole; headerValue: string; ip: string };

export interface MediaModel {
  label: 'main-audio' | 'main-video' | 'applicationsharing-video';
  streams: JsonObject[];
  /** The server side's network block (clients' blocks come from their uploads). */
  serverNetwork: JsonObject | null;
}

export interface SegmentModel {
  id: string;
  startMs: number;
  endMs: number;
  caller: End;
  callee: End;
  failure: CallParticipant['failure'];
  media: MediaModel[];
}

export interface SessionModel extends Omit<SegmentModel, 'media'> {
  modalities: string[];
  segments: SegmentModel[];
  /** Participants whose tenant must see them for the session to be listed. */
  owners: CallParticipant[];
}

export interface ParticipantTelemetry {
  leg: Leg;
  device: JsonObject | null;
  network: JsonObject | null;
  feedback: JsonObject | null;
}

export interface CallModel {
  call: TwinCall;
  sessions: SessionModel[];
  telemetry: ParticipantTelemetry[];
  modalities: string[];
}

export const failureReasons = {
  callSetup: ['MediaConnectivityFailure', 'CallSetupTimeout', 'RemoteEndpointDeclined'],
  midcall: ['MediaConnectivityLost', 'NetworkDisconnected', 'UnexpectedClientTermination'],
} as const;

function telemetryFor(
  p: CallParticipant,
  plan: CausePlan,
  traceRoute: boolean,
  rng: Rng,
): ParticipantTelemetry {
  const leg = legFor(p.network, p.device, plan, p.joinMs, rng);
  const device = p.device ? deviceInfo(p.device, leg.driverGlitch, rng) : null;
  const network = p.network ? networkInfo(p.network, p.device, leg, traceRoute, rng) : null;
  let feedback: JsonObject | null = null;
  if (p.feedback && p.kind !== 'phone') {
    const bad = leg.loss > 0.05 || leg.rttMs > 400 || leg.codecBug || leg.driverGlitch || leg.jitterMs > 30;
    const rating = bad
      ? rng.pick(['bad', 'poor', 'fair'])
      : rng.pick(['good', 'excellent', 'excellent', 'fair']);
    const tokens = {
      NoSound: false,
      OtherNoSound: false,
      Echo: rng.chance(0.05),
      Noisy: bad && rng.chance(0.3),
      LowVolume: rng.chance(0.05),
      Stopped: bad && rng.chance(0.2),
      DistortedSound: (leg.codecBug || bad) && rng.chance(0.5),
      Interruptions: bad && rng.chance(0.6),
    };
    const text =
      bad && rng.chance(0.5)
        ? rng.pick(['Audio kept cutting out', 'Robotic voice', 'Lag on the call'])
        : null;
    feedback = { rating, tokens, text };
  }
  return { leg, device, network, feedback };
}

const mcu = (rng: Rng): End => ({
  service: 'skypeForBusinessAudioVideoMcu',
  headerValue: 'Microsoft.Skype.ConferencingMcu/2025.3.14.2',
  ip: `52.114.${rng.int(0, 255)}.${rng.int(1, 254)}`,
});

function serverNetwork(ip: string): JsonObject {
  return {
    ipAddress: ip,
    connectionType: 'wired',
    networkTransportProtocol: 'udp',
    wifiBand: 'unknown',
    wifiRadioType: 'unknown',
    traceRouteHops: [],
  };
}

function legOf(end: End, telemetry: ParticipantTelemetry[]): Leg {
  return 'participant' in end ? telemetry[end.participant.index].leg : serverLeg;
}

function mutedOf(end: End): boolean {
  return 'participant' in end && end.participant.muted;
}

interface MediaPlan {
  label: MediaModel['label'];
  directions: Array<'callerToCallee' | 'calleeToCaller'>;
}

function buildSegment(
  id: string,
  caller: End,
  callee: End,
  span: { startMs: number; endMs: number; failure: CallParticipant['failure'] },
  plans: MediaPlan[],
  ctx: { telemetry: ParticipantTelemetry[]; codec: string; bypassed: boolean },
  rng: Rng,
): SegmentModel {
  const media: MediaModel[] =
    span.failure === 'callSetup'
      ? []
      : plans.map((plan) => ({
          label: plan.label,
          serverNetwork:
            'service' in caller
              ? serverNetwork(caller.ip)
              : 'service' in callee
                ? serverNetwork(callee.ip)
                : null,
          streams: plan.directions.map((direction) => {
            const [from, to] = direction === 'callerToCallee' ? [caller, callee] : [callee, caller];
            return mediaStream(
              {
                label: plan.label,
                direction,
                from: legOf(from, ctx.telemetry),
                to: legOf(to, ctx.telemetry),
                startMs: span.startMs,
                endMs: span.endMs,
                muted: plan.label === 'main-audio' && mutedOf(from),
                codec: plan.label === 'main-audio' ? ctx.codec : '',
                bypassed: ctx.bypassed,
              },
              rng,
            );
          }),
        }));
  return { id, startMs: span.startMs, endMs: span.endMs, caller, callee, failure: span.failure, media };
}

function modalitiesOf(plans: MediaPlan[]): string[] {
  const out = ['audio'];
  if (plans.some((p) => p.label === 'main-video')) out.push('video');
  if (plans.some((p) => p.label === 'applicationsharing-video')) out.push('videoBasedScreenSharing');
  return out;
}

/** Builds the whole call as Microsoft holds it once every upload has arrived; views and versions cut it down. */
export function buildCallModel(
  call: TwinCall,
  seed: number,
  plan: CausePlan,
  traceRoute: boolean,
): CallModel {
  const telemetry = call.participants.map((p) =>
    telemetryFor(p, plan, traceRoute, createRng(seed, `${call.id}:p${p.index}`)),
  );
  const sessions: SessionModel[] = [];
  const both = ['callerToCallee', 'calleeToCaller'] as Array<'callerToCallee' | 'calleeToCaller'>;
  const sharing = call.participants.some((p) => p.share);
  if (call.kind === 'peerToPeer') {
    const rng = createRng(seed, `${call.id}:s0`);
    const [a, b] = call.participants;
    const plans: MediaPlan[] = [{ label: 'main-audio', directions: both }];
    if (a.video || b.video) plans.push({ label: 'main-video', directions: both });
    if (a.share) plans.push({ label: 'applicationsharing-video', directions: ['callerToCallee'] });
    const failure = a.failure ?? b.failure;
    const span = { startMs: call.startMs, endMs: call.endMs, failure };
    const desktop = [a, b].every((p) => p.device && ['windows', 'macOS'].includes(p.device.platform));
    const codec = desktop && rng.chance(0.3) ? 'satin' : 'opus';
    const seg = buildSegment(
      rng.uuid(),
      { participant: a },
      { participant: b },
      span,
      plans,
      { telemetry, codec, bypassed: false },
      rng,
    );
    sessions.push({ ...seg, id: call.id, modalities: modalitiesOf(plans), segments: [seg], owners: [a, b] });
  } else if (call.kind === 'pstn' || call.kind === 'directRouting') {
    const rng = createRng(seed, `${call.id}:s0`);
    const user = call.participants[0];
    const dr = call.kind === 'directRouting';
    const mediation: End = {
      service: 'mediationServer',
      headerValue: 'Microsoft.PSTNHub.SIPProxy v.2025.3.14.5',
      ip: `52.112.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    };
    const gateway: End = dr
      ? {
          service: 'gateway',
          headerValue: 'AudioCodes/7.40A.500.785 Mediant SW/v.7.40A',
          ip: '203.0.113.250',
        }
      : {
          service: 'gateway',
          headerValue: 'Microsoft.PSTNHub.Gateway/2025.2',
          ip: `52.112.${rng.int(0, 255)}.${rng.int(1, 254)}`,
        };
    const userEnd: End = { participant: user };
    const span = { startMs: call.startMs, endMs: call.endMs, failure: user.failure };
    const audio: MediaPlan[] = [{ label: 'main-audio', directions: both }];
    const bypassed = dr && user.network?.building != null && rng.chance(0.6);
    const [c1, e1] = call.outbound ? [userEnd, mediation] : [mediation, userEnd];
    const [c2, e2] = call.outbound ? [mediation, gateway] : [gateway, mediation];
    const seg1 = buildSegment(rng.uuid(), c1, e1, span, audio, { telemetry, codec: 'satin', bypassed }, rng);
    const seg2 = buildSegment(rng.uuid(), c2, e2, span, audio, { telemetry, codec: 'pcmu', bypassed }, rng);
    const [sc, se] = call.outbound ? [userEnd, gateway] : [gateway, userEnd];
    sessions.push({
      id: rng.uuid(),
      startMs: call.startMs,
      endMs: call.endMs,
      caller: sc,
      callee: se,
      failure: user.failure,
      modalities: ['audio'],
      segments: [seg1, seg2],
      owners: [user],
    });
  } else {
    for (const p of call.participants) {
      const rng = createRng(seed, `${call.id}:s${p.index}`);
      const plans: MediaPlan[] = [{ label: 'main-audio', directions: both }];
      if (p.video) plans.push({ label: 'main-video', directions: both });
      if (sharing)
        plans.push({
          label: 'applicationsharing-video',
          directions: [p.share ? 'callerToCallee' : 'calleeToCaller'],
        });
      const span = { startMs: p.joinMs, endMs: p.leaveMs, failure: p.failure };
      const codec =
        p.device && (p.device.platform === 'iOS' || p.device.platform === 'android') ? 'silkWide' : 'opus';
      const seg = buildSegment(
        rng.uuid(),
        { participant: p },
        mcu(rng),
        span,
        plans,
        { telemetry, codec, bypassed: false },
        rng,
      );
      sessions.push({
        ...seg,
        id: rng.uuid(),
        modalities: modalitiesOf(plans),
        segments: [seg],
        owners: [p],
      });
    }
  }
  const all = new Set<string>();
  for (const s of sessions) for (const m of s.modalities) all.add(m);
  return { call, sessions, telemetry, modalities: [...all] };
}
