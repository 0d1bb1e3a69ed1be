// The terminal rendering of one call from its annotated detail: summary, who had the problem, participants, then
// each session and segment with both ends in the admin center's groups and the streams (call-text-groups.ts).
import type { ParticipantQuality } from '../../analytics/annotate-call.ts';
import type { CallDetail, JsonObject, JsonValue } from '../../analytics/call-views.ts';
import { arr, obj, str, units } from '../../format/call-values.ts';
import { mediaLines } from './call-text-groups.ts';
import { formatDuration } from './calls.ts';

const ms = (iso: JsonValue | undefined) => (typeof iso === 'string' ? Date.parse(iso) : null);
const time = (v: number | null) => (v === null ? '?' : new Date(v).toISOString().slice(11, 19));
const day = (v: number | null) => (v === null ? '?' : new Date(v).toISOString().slice(0, 10));
const span = (from: JsonValue | undefined, to: JsonValue | undefined) => {
  const a = ms(from);
  const b = ms(to);
  return `${time(a)}–${time(b)}${a !== null && b !== null ? ` (${formatDuration(b - a)})` : ''}`;
};

function who(e: JsonObject | null): string | undefined {
  if (!e) return undefined;
  const ua = obj(e.userAgent);
  const identity = obj(e.associatedIdentity);
  const phone = obj(obj(e.identity)?.phone);
  const server = str(e['@odata.type'])?.includes('serviceEndpoint') || str(ua?.role) !== null;
  const name =
    str(identity?.displayName) ?? str(identity?.id) ?? str(phone?.id) ?? (server ? 'service' : undefined);
  if (!name) return undefined;
  const agent = [str(ua?.platform), str(ua?.productFamily), str(ua?.role)].filter(Boolean).join(' ');
  const rating = str(obj(e.feedback)?.rating);
  const extra = [agent, rating ? `rated ${rating}` : ''].filter(Boolean).join(', ');
  return extra ? `${name} (${extra})` : name;
}

function failureText(f: JsonValue | undefined): string {
  const x = obj(f);
  return x ? `  FAILED ${str(x.stage) ?? ''} ${str(x.reason) ?? ''}`.trimEnd() : '';
}

function summaryLines(people: ParticipantQuality[]): string[] {
  if (people.length === 0) return [];
  const out = ['', 'Who had the problem (streams their end received; poor ones they sent)'];
  for (const p of people) {
    const worst = [
      p.worstJitterMs === null ? null : `jitter ${units.ms(p.worstJitterMs)}`,
      p.worstPacketLossRate === null ? null : `loss ${units.ratio(p.worstPacketLossRate)}`,
      p.worstRoundTripMs === null ? null : `round trip ${units.ms(p.worstRoundTripMs)}`,
    ].filter(Boolean);
    const where = [
      p.building,
      p.connectionType,
      p.insideCorp === null ? null : p.insideCorp ? 'inside' : 'outside',
    ]
      .filter(Boolean)
      .join(', ');
    out.push(
      `  ${p.displayName ?? p.key}: ${p.receivedPoor} poor of ${p.receivedStreams} received, ${p.sentPoor} poor sent` +
        `${p.failedSessions ? `, ${p.failedSessions} failed session(s)` : ''}` +
        `${worst.length ? `; worst ${worst.join(', ')}` : ''}${p.poorReasons.length ? `; poor: ${p.poorReasons.join(', ')}` : ''}` +
        `${where ? `  [${where}]` : ''}`,
    );
  }
  return out;
}

export function callText(call: CallDetail): string {
  const out: string[] = [];
  const sessions = arr(call.sessions);
  const streams = sessions.flatMap((s) =>
    arr(s.segments).flatMap((g) => arr(g.media).flatMap((m) => arr(m.streams))),
  );
  const segments = sessions.reduce((n, s) => n + arr(s.segments).length, 0);
  out.push(
    `Call ${call.id}  version ${call.version}  ${call.type ?? ''}  ${call.modalities.join(',')}`.trimEnd(),
  );
  out.push(`  ${day(ms(call.startDateTime))} ${span(call.startDateTime, call.endDateTime)} UTC`);
  const organizer = obj(call.organizer_v2);
  const orgIdentity = obj(Object.values(obj(organizer?.identity) ?? {}).find((v) => obj(v) !== null));
  out.push(
    `  organizer: ${str(orgIdentity?.displayName) ?? str(organizer?.id) ?? 'unknown'}${str(orgIdentity?.tenantId) ? `  tenant ${str(orgIdentity?.tenantId)}` : ''}`,
  );
  out.push(`  view: ${call.view}${call.viewTenantId ? ` (fetched by tenant ${call.viewTenantId})` : ''}`);
  out.push(
    `  ${sessions.length} session(s), ${segments} segment(s), ${streams.length} stream(s), ${streams.filter((s) => s.quality === 'poor').length} poor`,
  );
  const people = (Array.isArray(call.participantQuality)
    ? call.participantQuality
    : []) as unknown as ParticipantQuality[];
  out.push(...summaryLines(people));
  const participants = arr(call.participants_v2);
  out.push('', `Participants (${participants.length})`);
  for (const p of participants) {
    const [kind, identity] = Object.entries(obj(p.identity) ?? {}).find(([, v]) => obj(v) !== null) ?? [
      '',
      null,
    ];
    const i = obj(identity ?? null);
    const organizerMark = str(p.id) !== null && str(p.id) === str(organizer?.id) ? '*' : ' ';
    out.push(
      `  ${organizerMark} ${str(i?.displayName) ?? str(i?.id) ?? str(p.id) ?? '?'}  ${kind}${str(i?.tenantId) ? `  tenant ${str(i?.tenantId)}` : ''}`.trimEnd(),
    );
  }
  sessions.forEach((s, si) => {
    const modalities = Array.isArray(s.modalities)
      ? s.modalities.filter((x) => typeof x === 'string').join(',')
      : '';
    out.push(
      '',
      `Session ${si + 1}  ${span(s.startDateTime, s.endDateTime)}  ${modalities}${failureText(s.failureInfo)}`.trimEnd(),
    );
    const sessionEnds = [who(obj(s.caller)) ?? 'unknown', who(obj(s.callee)) ?? 'unknown'];
    out.push(`  caller: ${sessionEnds[0]}`, `  callee: ${sessionEnds[1]}`);
    arr(s.segments).forEach((g, gi) => {
      out.push(
        `  Segment ${si + 1}.${gi + 1}  ${span(g.startDateTime, g.endDateTime)}${failureText(g.failureInfo)}`,
      );
      // A PSTN or conference leg passes through servers (mediation server, gateway): name a segment's ends
      // whenever they are not the session's, so each hop of the call can be read.
      const ends = [who(obj(g.caller)), who(obj(g.callee))];
      if (ends[0] !== undefined || ends[1] !== undefined) {
        const [caller, callee] = ends.map((e, i) => e ?? sessionEnds[i]);
        if (caller !== sessionEnds[0] || callee !== sessionEnds[1]) out.push(`    ${caller} → ${callee}`);
      }
      for (const m of arr(g.media))
        out.push(...mediaLines(obj(g.caller) ?? obj(s.caller), obj(g.callee) ?? obj(s.callee), m, '    '));
    });
  });
  return `${out.join('\n')}\n`;
}
