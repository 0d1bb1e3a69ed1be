// Ground truth of the planted causes, with dimensions and values spelled as calltrove's query engine spells them.
import type { CausePlan } from './cause-plan.ts';
import { badClientVersion } from './devices.ts';
import { buildings, missingSubnet } from './networks.ts';

/** A group an attribution must rank below the cause: its parent, or a group that only looks bad because of it. */
export interface LookAlike {
  dimension: string;
  value: string;
  /** A subnet at the hours it is fine (the congested subnet's own look-alike). */
  hours?: string[];
  why: string;
}

/** One planted cause: which dimension value makes which metric worse, for which media. */
export interface PlantedCause {
  kind:
    | 'wifiBand'
    | 'vpn'
    | 'building'
    | 'clientVersion'
    | 'missingSubnet'
    | 'accessPoint'
    | 'captureDriver'
    | 'isp'
    | 'congestedSubnet'
    | 'videoClientVersion';
  dimension: string;
  value: string;
  media: 'audio' | 'video' | null;
  /** Two-digit UTC hours (weekdays) when the cause acts; absent: always. */
  hours?: string[];
  /** When a rollout began (ISO); absent: the whole window. */
  since?: string;
  metrics: string[];
  lookAlikes: LookAlike[];
  description: string;
}

const badBuilding = buildings.find((b) => b.badUplink)!;
const hh = (h: number) => String(h).padStart(2, '0');

/** The causes every seed plants; the five fixed ones first (their tests assert them), then the seed's own. */
export function plantedCauses(plan: CausePlan): PlantedCause[] {
  const ap = plan.accessPoint;
  const dev = plan.captureDevice;
  const c = plan.congested;
  const r = plan.rollout;
  const otherHours = Array.from({ length: 12 }, (_, i) => i + 7).filter((h) => !c.hours.includes(h));
  return [
    {
      kind: 'wifiBand',
      dimension: 'wifi-band',
      value: 'frequency24GHz',
      media: 'audio',
      metrics: ['averageJitter', 'averagePacketLossRate'],
      lookAlikes: [],
      description: 'Wi-Fi 2.4 GHz joins see more jitter and packet loss than 5 GHz or wired',
    },
    {
      kind: 'vpn',
      dimension: 'vpn',
      value: 'true',
      media: 'audio',
      metrics: ['averageRoundTripTime', 'averageJitter'],
      lookAlikes: [],
      description: 'joins over the VPN (TCP, hairpinned, 10.250.0.0/22) have long round trips',
    },
    {
      kind: 'building',
      dimension: 'building',
      value: badBuilding.name,
      media: 'audio',
      metrics: ['averagePacketLossRate', 'averageRoundTripTime'],
      lookAlikes: [],
      description: `${badBuilding.name} has a congested uplink: packet loss and delay for every call from there`,
    },
    {
      kind: 'clientVersion',
      dimension: 'client-version',
      value: badClientVersion,
      media: 'audio',
      metrics: ['averageRatioOfConcealedSamples', 'averageAudioDegradation'],
      lookAlikes: [],
      description: `Teams client ${badClientVersion} ships an audio codec regression: concealed samples and degradation`,
    },
    {
      kind: 'missingSubnet',
      dimension: 'subnet',
      value: missingSubnet,
      media: null,
      metrics: [],
      lookAlikes: [],
      description: `${missingSubnet}/24 (Seattle HQ, new floor) carries many streams but is missing from the building file`,
    },
    {
      kind: 'accessPoint',
      dimension: 'access-point',
      value: ap.name,
      media: 'audio',
      metrics: ['averagePacketLossRate', 'averageJitter'],
      lookAlikes: [
        { dimension: 'building', value: ap.building.name, why: 'its building, only slightly worse overall' },
      ],
      description: `access point ${ap.name} (${ap.building.name}, floor ${ap.floor}, both radios) loses packets and adds jitter`,
    },
    {
      kind: 'captureDriver',
      dimension: 'capture-driver',
      value: dev.badDriver,
      media: 'audio',
      metrics: ['averageRatioOfConcealedSamples', 'averageAudioDegradation'],
      lookAlikes: [
        {
          dimension: 'capture-device',
          value: dev.name,
          why: `the same device model with ${dev.goodDriver} is fine`,
        },
      ],
      description: `capture driver ${dev.badDriver} glitches (device glitch events): concealed samples and degradation`,
    },
    {
      kind: 'isp',
      dimension: 'isp',
      value: plan.isp.domain,
      media: 'audio',
      metrics: ['averagePacketLossRate', 'averageJitter'],
      lookAlikes: [
        { dimension: 'inside-corp', value: 'false', why: 'outside the corporate network as a whole' },
      ],
      description: `home networks of ${plan.isp.name} (${plan.isp.variants.map((v) => v.dnsSuffix).join(', ')}) lose packets and add jitter`,
    },
    {
      kind: 'congestedSubnet',
      dimension: 'subnet',
      value: c.subnet,
      media: 'audio',
      hours: c.hours.map(hh),
      metrics: ['averagePacketLossRate', 'averageJitter'],
      lookAlikes: [
        {
          dimension: 'subnet',
          value: c.subnet,
          hours: otherHours.map(hh),
          why: 'the same subnet at other hours is fine',
        },
        { dimension: 'building', value: c.building.name, why: 'its building, worse only at those hours' },
      ],
      description: `${c.subnet}/24 (${c.building.name}, wired) is congested on weekdays ${hh(c.hours[0])}:00-${hh(c.hours[2] + 1)}:00 UTC`,
    },
    {
      kind: 'videoClientVersion',
      dimension: 'client-version',
      value: r.version,
      media: 'video',
      since: new Date(r.sinceMs).toISOString(),
      metrics: ['averageVideoFrameLossPercentage', 'averageReceivedFrameRate', 'averageFreezeDuration'],
      lookAlikes: [{ dimension: 'platform', value: r.platform, why: 'the platform the rollout runs on' }],
      description: `Teams client ${r.version}, rolled out to ${r.platform} from ${new Date(r.sinceMs).toISOString()}, drops and freezes the video it receives; its audio is fine`,
    },
  ];
}
