// Test support: call records with known EUII planted in every place Graph puts it, and the planted strings.

export const ourTenant = 'dc368399-474c-4d40-900c-6265431fd81f';
export const otherTenant = '7f1e2d3c-0000-4000-8000-00000000abcd';

/** The personal values of user n (distinct per n, so a search for one never matches another). */
export function person(n: number) {
  const h = n.toString(16).padStart(2, '0');
  return {
    id: `a1b2c3d4-0000-4000-8000-0000000000${h}`,
    upn: `planted.user${n}@contoso-privacy.example`,
    name: `Planted Person ${n}`,
    ip: `10.77.${n}.${100 + n}`,
    publicIp: `86.220.${163 + n}.${40 + n}`,
    relayIp: `52.114.${n}.${200 + n}`,
    hopIp: `192.168.${n}.${250 - n}`,
    mac: `c4:47:4e:db:${h}:76`,
    bssid: `9c:53:22:7b:${h}:ff`,
    machine: `FRST-PLANTED-${n}`,
    feedback: `my audio was awful number ${n} at home`,
    phone: `+4930123456${String(n).padStart(2, '0')}`,
  };
}

/** Every planted string of users 0..n-1 plus the record-level ones: none may survive a scrub. */
export function plantedStrings(users: number[]): string[] {
  const out = ['planted-extra-unknown@contoso-privacy.example', '203.0.113.77'];
  for (const n of users) {
    const p = person(n);
    out.push(p.id, p.upn, p.name, p.ip, p.publicIp, p.relayIp, p.hopIp, p.mac, p.bssid, p.machine);
    out.push(p.feedback, p.phone);
  }
  return out;
}

function identity(n: number, tenant = ourTenant) {
  const p = person(n);
  return { id: p.id, displayName: p.name, tenantId: tenant, userPrincipalName: p.upn };
}

function network(n: number, subnet: string) {
  const p = person(n);
  return {
    ipAddress: p.ip,
    subnet,
    reflexiveIPAddress: p.publicIp,
    relayIPAddress: p.relayIp,
    macAddress: p.mac,
    basicServiceSetIdentifier: p.bssid,
    connectionType: 'wifi',
    wifiBand: 'frequency24GHz',
    linkSpeed: 54_000_000,
    traceRouteHops: [{ hopCount: 0, ipAddress: p.hopIp, roundTripTime: 'PT0.006S' }],
  };
}

function endpoint(n: number, withFeedback: boolean) {
  const p = person(n);
  return {
    '@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
    name: p.machine,
    cpuName: 'Intel Core i7',
    userAgent: {
      '@odata.type': '#microsoft.graph.callRecords.clientUserAgent',
      headerValue: 'RTCC/7.0.0.0 UCWA/7.0.0.0 AndroidLync/6.25.0.27',
      platform: 'windows',
      productFamily: 'teams',
    },
    associatedIdentity: identity(n),
    identity: { user: identity(n) },
    ...(withFeedback ? { feedback: { rating: 'poor', text: p.feedback, tokens: { Echo: true } } } : {}),
  };
}

export interface RecordOptions {
  id: string;
  /** Users taking part (the first one is the organizer). */
  users: number[];
  start: number;
  minutes?: number;
  version?: number;
  organizerTenant?: string;
  jitter?: string;
}

/** A peer-to-peer-like record with one session per user after the first, every EUII field filled. */
export function plantedRecord(o: RecordOptions): Record<string, unknown> {
  const [first, ...rest] = o.users;
  const end = o.start + (o.minutes ?? 10) * 60_000;
  const iso = (t: number) => new Date(t).toISOString();
  const organizerTenant = o.organizerTenant ?? ourTenant;
  return {
    id: o.id,
    version: o.version ?? 1,
    type: 'groupCall',
    modalities: ['audio'],
    lastModifiedDateTime: iso(end + 60_000),
    startDateTime: iso(o.start),
    endDateTime: iso(end),
    joinWebUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%22Oid%22%3a%22${person(first).id}%22%7d`,
    organizer: { user: identity(first, organizerTenant) },
    participants: o.users.map((n) => ({ user: identity(n) })),
    organizer_v2: { id: person(first).id, identity: { user: identity(first, organizerTenant) } },
    participants_v2: [
      ...o.users.map((n) => ({ id: person(n).id, identity: { user: identity(n) } })),
      { id: person(first).phone, identity: { phone: { id: person(first).phone, displayName: null } } },
    ],
    plantedUnknownProperty: {
      note: 'reached from 203.0.113.77',
      owner: 'planted-extra-unknown@contoso-privacy.example',
    },
    sessions: rest.map((n, i) => ({
      id: `${o.id}-s${i}`,
      modalities: ['audio'],
      startDateTime: iso(o.start),
      endDateTime: iso(end),
      caller: endpoint(first, false),
      callee: endpoint(n, true),
      segments: [
        {
          id: `${o.id}-s${i}-g0`,
          startDateTime: iso(o.start),
          endDateTime: iso(end),
          caller: endpoint(first, false),
          callee: endpoint(n, false),
          media: [
            {
              label: 'main-audio',
              callerNetwork: network(first, '10.77.0.0'),
              calleeNetwork: network(n, '10.77.0.0'),
              callerDevice: { captureDeviceName: 'Headset', renderDeviceName: 'Headset', micGlitchRate: 1 },
              calleeDevice: { captureDeviceName: 'Headset', renderDeviceName: 'Headset' },
              streams: [
                {
                  streamId: '1',
                  streamDirection: 'callerToCallee',
                  averageJitter: o.jitter ?? 'PT0.045S',
                  averagePacketLossRate: 0.02,
                  averageRoundTripTime: 'PT0.120S',
                  averageRatioOfConcealedSamples: 0.01,
                  startDateTime: iso(o.start),
                  endDateTime: iso(end),
                },
                {
                  streamId: '2',
                  streamDirection: 'calleeToCaller',
                  averageJitter: 'PT0.010S',
                  averagePacketLossRate: 0.001,
                  averageRoundTripTime: 'PT0.040S',
                  startDateTime: iso(o.start),
                  endDateTime: iso(end),
                },
              ],
            },
          ],
        },
      ],
    })),
  };
}
