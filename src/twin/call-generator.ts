// Creation: the calls the organization makes in one hour, with who joined from where and when telemetry uploads.
import { type CausePlan, upgradeAt } from './cause-plan.ts';
import type { DeviceProfile } from './devices.ts';
import { type NetworkKind, type NetworkPoint, networkPoint, pickNetworkKind } from './networks.ts';
import type { Organization, TwinUser } from './organization.ts';
import { createRng, type Rng } from './prng.ts';

export type CallKind = 'peerToPeer' | 'groupCall' | 'meeting' | 'pstn' | 'directRouting';

export interface CallParticipant {
  index: number;
  kind: 'user' | 'guest' | 'phone';
  id: string;
  displayName: string | null;
  user: TwinUser | null;
  tenantId: string | null;
  device: DeviceProfile | null;
  network: NetworkPoint | null;
  joinMs: number;
  leaveMs: number;
  video: boolean;
  share: boolean;
  /** A listener who kept the microphone off: little outbound audio. */
  muted: boolean;
  failure: 'callSetup' | 'midcall' | null;
  /** When this participant's telemetry reaches Microsoft (ms after the call ends); null: never. */
  uploadDelayMs: number | null;
  feedback: boolean;
}

export interface TwinCall {
  id: string;
  kind: CallKind;
  startMs: number;
  endMs: number;
  /** participants[0] is the organizer (or the caller of a P2P/PSTN call). */
  participants: CallParticipant[];
  joinWebUrl: string | null;
  /** PSTN: the caller dialled out (true) or the phone called in (false). */
  outbound: boolean;
  /** A per-call number that spreads the service's merge ticks. */
  salt: number;
}

export const hourMs = 3_600_000;
const minute = 60_000;

/** How many calls members organize in an hour of the week (UTC office hours busy, nights and weekends quiet). */
function hourlyRate(hourStart: number): number {
  const d = new Date(hourStart);
  const day = d.getUTCDay();
  const h = d.getUTCHours();
  if (day === 0 || day === 6) return 0.006;
  return h >= 7 && h < 19 ? 0.15 : 0.015;
}

function uploadDelay(rng: Rng): number | null {
  const r = rng.next();
  if (r < 0.02) return null;
  if (r < 0.72) return Math.round(Math.min(25 * minute, rng.logNormal(5 * minute, 0.6)));
  if (r < 0.92) return Math.round(rng.between(20 * minute, 2 * hourMs));
  return Math.round(rng.between(2 * hourMs, 10 * hourMs));
}

function externalKind(rng: Rng): NetworkKind {
  return rng.weighted<NetworkKind>([
    ['homeWifi', 0.5],
    ['homeWired', 0.35],
    ['mobile', 0.15],
  ]);
}

interface Slot {
  user: TwinUser | null;
  kind: CallParticipant['kind'];
}

/** Home-tenant members have offices and the VPN; everyone else joins from home or mobile networks. */
function homeTenant(u: TwinUser, call: { homeTenantId: string }): boolean {
  return u.tenantId === call.homeTenantId;
}

/** The member's device on the call's day: Windows clients move to the rollout version once their turn came. */
function deviceAt(u: TwinUser, plan: CausePlan, seed: number, atMs: number): DeviceProfile {
  const d = u.device;
  if (d.platform !== plan.rollout.platform || atMs < plan.rollout.sinceMs) return d;
  const at = upgradeAt(plan, seed, u.id);
  if (at === null || atMs < at) return d;
  const version = plan.rollout.version;
  return { ...d, clientVersion: version, headerValue: d.headerValue.replace(/\/[^/]*$/, `/${version}`) };
}

interface CallContext {
  startMs: number;
  endMs: number;
  kind: CallKind;
  homeTenantId: string;
  plan: CausePlan;
  seed: number;
}

function participant(slot: Slot, index: number, call: CallContext, rng: Rng): CallParticipant {
  const weekend = [0, 6].includes(new Date(call.startMs).getUTCDay());
  const u = slot.user;
  const conference = call.kind === 'meeting' || call.kind === 'groupCall';
  const late = conference && index > 0 ? Math.round(rng.between(-2, 6) * minute) : 0;
  const early =
    conference && index > 0 && rng.chance(0.25)
      ? Math.round(rng.between(0, 0.4) * (call.endMs - call.startMs))
      : 0;
  const joinMs = Math.min(call.endMs - minute, Math.max(call.startMs, call.startMs + late));
  const leaveMs = Math.max(joinMs + 30_000, call.endMs - early);
  if (slot.kind === 'phone') {
    const number = `+1${rng.int(200, 989)}555${String(rng.int(0, 9999)).padStart(4, '0')}`;
    return {
      index,
      kind: 'phone',
      id: number,
      displayName: null,
      user: null,
      tenantId: null,
      device: null,
      network: null,
      joinMs,
      leaveMs,
      video: false,
      share: false,
      muted: false,
      failure: null,
      uploadDelayMs: null,
      feedback: false,
    };
  }
  const onMobile = !!u && !u.room && rng.chance(0.08);
  const device = u ? (onMobile ? u.mobileDevice : deviceAt(u, call.plan, call.seed, call.startMs)) : null;
  let kind: NetworkKind;
  if (u?.room) kind = 'wired';
  else if (onMobile) kind = rng.chance(0.5) ? 'mobile' : 'wifi5';
  else if (!u || !homeTenant(u, call)) kind = externalKind(rng);
  else kind = pickNetworkKind(u.building, weekend, rng);
  const host = u ? u.host : rng.int(1, 239);
  const network = networkPoint(
    kind,
    u?.building ?? null,
    u?.isp ?? { name: 'Other', publicPrefix: '198.18.0', dnsSuffix: '' },
    host,
    rng,
  );
  const desktop = !!device && ['windows', 'macOS', 'roomSystem'].includes(device.platform);
  const failure = rng.chance(0.01) ? 'callSetup' : rng.chance(0.015) ? 'midcall' : null;
  return {
    index,
    kind: slot.kind,
    id: u ? u.id : rng.uuid(),
    displayName: u ? u.displayName : `${['Alex', 'Sam', 'Kim', 'Robin', 'Jo'][rng.int(0, 4)]} (Guest)`,
    user: u,
    tenantId: u ? u.tenantId : null,
    device: device ?? null,
    network,
    joinMs,
    leaveMs:
      failure === 'callSetup'
        ? joinMs + 15_000
        : failure === 'midcall'
          ? joinMs + Math.round((leaveMs - joinMs) * rng.between(0.2, 0.8))
          : leaveMs,
    video: desktop ? rng.chance(call.kind === 'meeting' ? 0.45 : 0.25) : rng.chance(0.1),
    share: false,
    muted: conference && index > 0 && rng.chance(0.6),
    failure,
    uploadDelayMs: uploadDelay(rng),
    feedback: rng.chance(0.04),
  };
}

function pickOthers(
  org: Organization,
  organizer: TwinUser,
  count: number,
  rng: Rng,
  externalShare: number,
): Slot[] {
  const chosen = new Set<string>([organizer.id]);
  const slots: Slot[] = [];
  const externals = [...org.externals.values()];
  for (let tries = 0; slots.length < count && tries < count * 20; tries++) {
    const r = rng.next();
    if (r < 0.03) {
      slots.push({ user: null, kind: 'guest' });
      continue;
    }
    const pool = r < 0.03 + externalShare ? rng.pick(externals) : org.members;
    const u = rng.pick(pool);
    if (chosen.has(u.id)) continue;
    chosen.add(u.id);
    slots.push({ user: u, kind: 'user' });
  }
  // Big meetings run out of people: the rest are anonymous attendees.
  while (slots.length < count) slots.push({ user: null, kind: 'guest' });
  return slots;
}

function makeCall(org: Organization, seed: number, rng: Rng, hourStart: number, townHall: boolean): TwinCall {
  const kind: CallKind = townHall
    ? 'meeting'
    : rng.weighted<CallKind>([
        ['peerToPeer', 0.42],
        ['groupCall', 0.1],
        ['meeting', 0.33],
        ['pstn', 0.15],
      ]);
  const fromExternal = kind === 'meeting' && !townHall && rng.chance(0.08);
  let organizer = fromExternal ? rng.pick(rng.pick([...org.externals.values()])) : rng.pick(org.members);
  let callKind = kind;
  if (kind === 'pstn') {
    const phoneUsers = org.members.filter((m) => m.pstn);
    organizer = rng.pick(phoneUsers.length ? phoneUsers : org.members);
    callKind = organizer.pstn === 'directRouting' ? 'directRouting' : 'pstn';
  }
  const startMs = townHall
    ? hourStart
    : kind === 'meeting'
      ? hourStart + (rng.chance(0.6) ? 0 : 30 * minute) + rng.int(-60, 120) * 1000
      : hourStart + rng.int(0, hourMs - 1);
  const durationMs = townHall
    ? hourMs
    : kind === 'meeting'
      ? rng.pick([15, 30, 30, 45, 60]) * minute - rng.int(0, 4) * minute
      : Math.max(20_000, Math.round(Math.min(90 * minute, rng.logNormal(5 * minute, 0.9))));
  const call: CallContext = {
    startMs: Math.max(hourStart, startMs),
    endMs: 0,
    kind: callKind,
    homeTenantId: org.home.id,
    plan: org.plan,
    seed,
  };
  call.endMs = call.startMs + durationMs;
  let slots: Slot[];
  if (kind === 'peerToPeer') slots = pickOthers(org, organizer, 1, rng, 0.1);
  else if (kind === 'pstn') slots = [{ user: null, kind: 'phone' }];
  else {
    const size = townHall
      ? 300
      : kind === 'groupCall'
        ? rng.int(3, 6)
        : rng.weighted<number>([
            [rng.int(2, 4), 0.45],
            [rng.int(5, 10), 0.35],
            [rng.int(11, 30), 0.15],
            [rng.int(31, 80), 0.05],
          ]);
    slots = pickOthers(org, organizer, size - 1, rng, townHall ? 0.2 : 0.12);
    if (kind === 'meeting' && rng.chance(0.2)) slots.push({ user: rng.pick(org.rooms), kind: 'user' });
  }
  const all: Slot[] = [{ user: organizer, kind: 'user' }, ...slots];
  const participants = all.map((s, i) => participant(s, i, call, rng));
  if ((kind === 'meeting' || kind === 'groupCall') && rng.chance(0.6)) {
    const presenter = participants[rng.int(0, Math.min(participants.length - 1, 2))];
    if (presenter.kind !== 'phone') {
      presenter.share = true;
      presenter.muted = false;
    }
  } else if (kind === 'peerToPeer' && rng.chance(0.1)) participants[0].share = true;
  // A record needs one upload; the organizer's client (or the service for PSTN) always reports eventually.
  if (participants[0].uploadDelayMs === null)
    participants[0].uploadDelayMs = Math.round(rng.between(2, 15) * minute);
  const id = rng.uuid();
  return {
    id,
    kind: callKind,
    startMs: call.startMs,
    endMs: call.endMs,
    participants,
    joinWebUrl:
      kind === 'meeting'
        ? `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${rng.hex(24)}%40thread.v2/0?context=%7b%22Tid%22%3a%22${organizer.tenantId}%22%7d`
        : null,
    outbound: kind === 'pstn' ? rng.chance(0.55) : true,
    salt: rng.int(0, 119_999),
  };
}

/** Every call organized in the hour starting at hourStart; same seed and hour, same calls. */
export function generateHour(org: Organization, seed: number, hourStart: number): TwinCall[] {
  const rng = createRng(seed, `hour:${hourStart}`);
  const d = new Date(hourStart);
  const calls: TwinCall[] = [];
  // The weekly all-hands (Wednesday 16:00 UTC) is the one meeting big enough to page sessions and participants.
  if (d.getUTCDay() === 3 && d.getUTCHours() === 16) calls.push(makeCall(org, seed, rng, hourStart, true));
  const expected = org.members.length * hourlyRate(hourStart);
  // Poisson by counting exponential gaps.
  let count = 0;
  let t = -Math.log(1 - rng.next());
  while (t < expected) {
    count++;
    t += -Math.log(1 - rng.next());
  }
  for (let i = 0; i < count; i++) calls.push(makeCall(org, seed, rng, hourStart, false));
  return calls.sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : 1));
}
