// bench:query's data: per-stream facts of a synthetic tenant (90 days, buildings, subnets, home and VPN users,
// clients, devices, with a bad building, Wi-Fi 2.4 GHz, VPN and one bad client version), bulk-inserted into SQLite.
import type Database from 'better-sqlite3';
import { factColumns } from '../src/store/rollup-grains.ts';
import { rng } from '../src/store/test-call-records.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface User {
  id: string;
  building: string;
  city: string;
  country: string;
  region: string;
  subnet: string;
  networkType: string;
  wifiBand: string;
  vpn: string;
  insideCorp: string;
  platform: string;
  productFamily: string;
  version: string;
  capture: string;
  render: string;
  accessPoint: string;
  captureDriver: string;
  renderDriver: string;
  isp: string;
  relay: string;
  risk: number;
}

const cities = [
  ['Vienna', 'AT', 'EMEA'],
  ['Berlin', 'DE', 'EMEA'],
  ['London', 'GB', 'EMEA'],
  ['Paris', 'FR', 'EMEA'],
  ['Seattle', 'US', 'AMER'],
  ['New York', 'US', 'AMER'],
  ['Toronto', 'CA', 'AMER'],
  ['Sao Paulo', 'BR', 'AMER'],
  ['Singapore', 'SG', 'APAC'],
  ['Tokyo', 'JP', 'APAC'],
  ['Sydney', 'AU', 'APAC'],
  ['Mumbai', 'IN', 'APAC'],
];
const versions = Array.from({ length: 12 }, (_, i) => `1.${6 + Math.floor(i / 4)}.00.${1000 + i * 137}`);
const badVersion = versions[5];
const captures = Array.from({ length: 30 }, (_, i) => `Microphone model ${i + 1}`);
const renders = Array.from({ length: 20 }, (_, i) => `Speaker model ${i + 1}`);

function weighted<T>(r: () => number, items: [T, number][]): T {
  let x = r() * items.reduce((a, [, w]) => a + w, 0);
  for (const [v, w] of items) {
    x -= w;
    if (x <= 0) return v;
  }
  return items[items.length - 1][0];
}

function makeUsers(r: () => number, count: number): User[] {
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    const where = weighted(r, [
      ['office', 70],
      ['home', 20],
      ['vpn', 10],
    ] as [string, number][]);
    const b = Math.floor(r() * 40);
    const [city, country, region] = cities[b % cities.length];
    const office = where === 'office';
    const networkType =
      where === 'vpn'
        ? 'tunnel'
        : weighted(
            r,
            office
              ? ([
                  ['wired', 55],
                  ['wifi', 45],
                ] as [string, number][])
              : ([
                  ['wifi', 80],
                  ['wired', 10],
                  ['mobile', 10],
                ] as [string, number][]),
          );
    const wifiBand =
      networkType === 'wifi' ? (r() < (office ? 0.3 : 0.4) ? 'frequency24GHz' : 'frequency50GHz') : 'unknown';
    const version = weighted(
      r,
      versions.map((v, k) => [v, k === 5 ? 6 : 8 + k] as [string, number]),
    );
    const building = office ? `B${String(b + 1).padStart(2, '0')}` : where === 'vpn' ? 'VPN' : '';
    let risk = 1;
    if (building === 'B07') risk *= 5;
    if (wifiBand === 'frequency24GHz') risk *= 2.5;
    if (where === 'vpn') risk *= 2.5;
    if (version === badVersion) risk *= 4;
    users.push({
      id: `user-${String(i).padStart(6, '0')}`,
      building,
      city: office ? city : '',
      country: office ? country : '',
      region: office ? region : '',
      subnet: office
        ? `10.${b + 1}.${Math.floor(r() * 6)}.0`
        : where === 'vpn'
          ? `10.250.${Math.floor(r() * 250)}.${Math.floor(r() * 250)}`
          : `192.168.${Math.floor(r() * 500) % 256}.0`,
      networkType,
      wifiBand,
      vpn: where === 'vpn' ? 'true' : 'false',
      insideCorp: office || where === 'vpn' ? 'true' : 'false',
      platform: weighted(r, [
        ['windows', 60],
        ['macOS', 20],
        ['iOS', 8],
        ['android', 7],
        ['web', 5],
      ] as [string, number][]),
      productFamily: r() < 0.95 ? 'teams' : 'skypeForBusiness',
      version,
      capture: captures[Math.floor(r() ** 2 * captures.length)],
      render: renders[Math.floor(r() ** 2 * renders.length)],
      risk,
      // Drawn from nothing random (see fillFacts): six access points per office building, three drivers per
      // device model, three home ISPs, a relay for one in four outside the office.
      accessPoint: office && networkType === 'wifi' ? `AP-${building}-${(i % 6) + 1}` : '',
      captureDriver: `Audio driver 10.0.${i % 3}`,
      renderDriver: `Audio driver 10.0.${i % 3}`,
      isp: where === 'home' ? ['comcast.net', 'verizon.net', 'bt.com'][i % 3] : '',
      relay: !office && i % 4 === 0 ? 'relay' : 'direct',
    });
  }
  return users;
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Users for a tenant with `streams` streams over 90 days: about 10 streams per user and working day. */
export function usersFor(streams: number): number {
  return Math.max(50, Math.min(10_000, Math.round(streams / 600)));
}

/**
 * Writes `streams` stream facts (whole calls, the last one cut short) ending at `end`, in call-id order, using
 * multi-row INSERTs in large transactions. Returns the number of calls.
 */
export function fillFacts(raw: Database.Database, streams: number, end: number, seed = 7): number {
  const r = rng(seed);
  const users = makeUsers(r, usersFor(streams));
  const perStatement = 100;
  const one = `(${factColumns.map(() => '?').join(',')})`;
  const insert = raw.prepare(
    `INSERT INTO stream_facts (${factColumns.join(',')}) VALUES ${Array(perStatement).fill(one).join(',')}`,
  );
  const single = raw.prepare(`INSERT INTO stream_facts (${factColumns.join(',')}) VALUES ${one}`);
  let pending: (string | number | null)[] = [];
  let pendingRows = 0;
  const flush = () => {
    if (pendingRows === perStatement) insert.run(pending);
    else
      for (let i = 0; i < pendingRows; i++)
        single.run(pending.slice(i * factColumns.length, (i + 1) * factColumns.length));
    pending = [];
    pendingRows = 0;
  };
  const firstDay = Math.floor(end / DAY) * DAY - 90 * DAY;
  let written = 0;
  let calls = 0;
  // The day index is built once after the load, which is quicker than keeping it current row by row.
  raw.exec('DROP INDEX IF EXISTS stream_facts_day');
  raw.exec('BEGIN');
  // Calls arrive in time order, as a collector stores them: about 12 streams per call, weekends at a fifth.
  const weight = (d: number) => ([0, 6].includes(new Date(firstDay + d * DAY).getUTCDay()) ? 0.2 : 1);
  let weights = 0;
  for (let d = 0; d < 90; d++) weights += weight(d);
  const starts = (d: number): number[] => {
    const n = Math.max(1, Math.round((streams / 12 / weights) * weight(d)));
    const day = firstDay + d * DAY;
    return Array.from({ length: n }, () => day + 7 * HOUR + Math.floor(r() * 11 * HOUR)).sort(
      (a, b) => a - b,
    );
  };
  let dayIndex = 0;
  let queue = starts(0);
  while (written < streams) {
    if (queue.length === 0) {
      // The last day takes whatever calls are still needed to reach the target.
      dayIndex = Math.min(dayIndex + 1, 89);
      queue = starts(dayIndex);
    }
    const start = queue.shift() as number;
    const day = Math.floor(start / DAY) * DAY;
    const callMs = 5 * 60_000 + Math.floor(r() * 55 * 60_000);
    const group = r() < 0.65;
    const people = group ? 3 + Math.floor(r() * 6) : 2;
    const callId = `c${String(calls).padStart(9, '0')}`;
    calls++;
    for (let p = 0; p < people && written < streams; p++) {
      const u = users[Math.floor(r() * users.length)];
      const media = ['audio', ...(r() < 0.3 ? ['video'] : []), ...(r() < 0.1 ? ['vbss'] : [])];
      const setupFailed = r() < 0.005 ? 1 : 0;
      const dropped = !setupFailed && r() < 0.01 ? 1 : 0;
      media.forEach((mediaType, m) => {
        for (const direction of ['inbound', 'outbound']) {
          if (written >= streams) return;
          const unclassified = r() < 0.08;
          const poor = !unclassified && r() < 0.02 * u.risk;
          const jitterUs =
            unclassified && r() < 0.5
              ? null
              : Math.round((poor && r() < 0.6 ? 31 + r() * 60 : 2 + r() * 20) * 1000);
          const mask = poor ? (jitterUs !== null && jitterUs > 30_000 ? 1 : 0) | (r() < 0.5 ? 4 : 2) : 0;
          const fact: Record<(typeof factColumns)[number], string | number | null> = {
            call_id: callId,
            session_idx: p,
            segment_idx: 0,
            media_idx: m,
            stream_idx: direction === 'inbound' ? 0 : 1,
            day,
            hour: Math.floor(start / HOUR) * HOUR,
            call_ms: callMs,
            building: u.building,
            city: u.city,
            country: u.country,
            region: u.region,
            subnet: u.subnet,
            network_type: u.networkType,
            wifi_band: u.wifiBand,
            vpn: u.vpn,
            inside_corp: u.insideCorp,
            platform: u.platform,
            product_family: u.productFamily,
            client_version: u.version,
            capture_device: u.capture,
            render_device: u.render,
            user_id: u.id,
            call_type: group ? 'groupCall' : 'peerToPeer',
            media_type: mediaType,
            direction,
            // The dimensions added in migration 208 follow from the user and the call, drawing nothing from the
            // generator, so every other column holds the same data as before they existed.
            access_point: u.accessPoint,
            capture_driver: u.captureDriver,
            render_driver: u.renderDriver,
            isp: u.isp,
            hour_of_day: String(new Date(start).getUTCHours()).padStart(2, '0'),
            weekday: weekdays[new Date(day).getUTCDay()],
            transport: u.vpn === 'true' ? 'tcp' : 'udp',
            relay: u.relay,
            codec: mediaType === 'audio' ? 'SATIN' : 'H264',
            endpoint_model: '',
            endpoint_type: '',
            quality: unclassified ? 'unclassified' : poor ? 'poor' : 'good',
            poor_mask: mask,
            jitter_us: jitterUs,
            loss_ppm:
              jitterUs === null ? null : Math.round((poor && mask & 4 ? 0.11 + r() * 0.1 : r() * 0.03) * 1e6),
            rtt_us:
              jitterUs === null
                ? null
                : Math.round((poor && mask & 2 ? 510 + r() * 300 : 20 + r() * 150) * 1000),
            concealed_ppm:
              mediaType === 'audio' && jitterUs !== null
                ? Math.round(r() * (poor ? 0.12 : 0.04) * 1e6)
                : null,
            stream_ms: setupFailed ? 0 : callMs - Math.floor(r() * 60_000),
            setup_failed: setupFailed,
            dropped,
          };
          for (const c of factColumns) pending.push(fact[c]);
          pendingRows++;
          written++;
          if (pendingRows === perStatement) flush();
        }
      });
    }
    if (calls % 20_000 === 0) {
      flush();
      raw.exec('COMMIT');
      raw.exec('BEGIN');
    }
  }
  flush();
  raw.exec('COMMIT');
  raw.exec('CREATE INDEX stream_facts_day ON stream_facts (day)');
  return calls;
}
