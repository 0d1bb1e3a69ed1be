// The terminal rendering of one call: participants, sessions, segments and each stream's key metrics.
import type { CallRows, EndpointRow, StreamRow } from '../../normalize/rows.ts';
import { formatDuration } from './calls.ts';

const time = (ms: number | null) => (ms === null ? '?' : new Date(ms).toISOString().slice(11, 19));
const day = (ms: number | null) => (ms === null ? '?' : new Date(ms).toISOString().slice(0, 10));
const span = (a: number | null, b: number | null) =>
  `${time(a)}–${time(b)}${a !== null && b !== null ? ` (${formatDuration(b - a)})` : ''}`;

function who(e: EndpointRow | undefined): string {
  if (!e) return '—';
  const name = e.identity_name ?? e.identity_id ?? (e.kind === 'service' ? 'service' : 'unknown');
  const agent = [e.platform, e.product_family, e.role].filter(Boolean).join(' ');
  const extra = [agent, e.feedback_rating ? `rated ${e.feedback_rating}` : ''].filter(Boolean).join(', ');
  return extra ? `${name} (${extra})` : name;
}

const fixed = (v: number | null, digits: number, unit = '') =>
  v === null ? '–' : `${+v.toFixed(digits)}${unit}`;

function streamLine(s: StreamRow): string {
  const parts: string[] = [
    (s.stream_direction ?? '?').padEnd(14),
    s.media_type.padEnd(5),
    s.quality.padEnd(12),
  ];
  if (s.media_type === 'audio' || s.media_type === 'other') {
    parts.push(
      `jitter ${fixed(s.average_jitter_ms, 1, 'ms')}`,
      `rtt ${fixed(s.average_round_trip_time_ms, 0, 'ms')}`,
      `loss ${fixed(s.average_packet_loss_rate, 3)}`,
      `degr ${fixed(s.average_audio_degradation, 2)}`,
      `conceal ${fixed(s.average_ratio_of_concealed_samples, 3)}`,
    );
  } else {
    parts.push(
      `fps ${fixed(s.average_received_frame_rate ?? s.average_video_frame_rate, 2)}`,
      `frame loss ${fixed(s.average_video_frame_loss_percentage, 1, '%')}`,
      `post-FEC loss ${fixed(s.post_forward_error_correction_packet_loss_rate, 3)}`,
      `rtt ${fixed(s.average_round_trip_time_ms, 0, 'ms')}`,
    );
  }
  const codec = s.audio_codec ?? s.video_codec;
  if (codec) parts.push(codec);
  if (s.poor_reasons) parts.push(`poor: ${s.poor_reasons}`);
  return parts.join('  ');
}

export function callText(rows: CallRows): string {
  const c = rows.call;
  const out: string[] = [];
  out.push(`Call ${c.id}  version ${c.version}  ${c.type ?? ''}  ${c.modalities ?? ''}`.trimEnd());
  out.push(`  ${day(c.start_time)} ${span(c.start_time, c.end_time)} UTC`);
  const org = c.organizer_name ?? c.organizer_id ?? 'unknown';
  out.push(`  organizer: ${org}${c.organizer_tenant_id ? `  tenant ${c.organizer_tenant_id}` : ''}`);
  out.push(`  view: ${c.view}${c.view_tenant_id ? ` (fetched by tenant ${c.view_tenant_id})` : ''}`);
  out.push(
    `  ${c.session_count} session(s), ${c.segment_count} segment(s), ${c.stream_count} stream(s), ${c.poor_stream_count} poor`,
  );
  out.push(
    '',
    `Participants (${rows.participants.length}${c.participants_truncated ? ', more not fetched' : ''})`,
  );
  for (const p of rows.participants)
    out.push(
      `  ${p.is_organizer ? '*' : ' '} ${p.display_name ?? p.identity_id ?? p.participant_id ?? '?'}  ${p.kind ?? ''}${p.tenant_id ? `  tenant ${p.tenant_id}` : ''}`.trimEnd(),
    );
  const endpoints = new Map(rows.endpoints.map((e) => [`${e.session_idx}:${e.segment_idx}:${e.side}`, e]));
  for (const s of rows.sessions) {
    out.push('');
    const failure =
      s.failure_stage || s.failure_reason
        ? `  FAILED ${s.failure_stage ?? ''} ${s.failure_reason ?? ''}`
        : '';
    out.push(
      `Session ${s.session_idx + 1}  ${span(s.start_time, s.end_time)}  ${s.modalities ?? ''}${failure}`,
    );
    const sessionEnds = [
      who(endpoints.get(`${s.session_idx}:-1:caller`)),
      who(endpoints.get(`${s.session_idx}:-1:callee`)),
    ];
    out.push(`  caller: ${sessionEnds[0]}`, `  callee: ${sessionEnds[1]}`);
    for (const g of rows.segments.filter((x) => x.session_idx === s.session_idx)) {
      const gf =
        g.failure_stage || g.failure_reason
          ? `  FAILED ${g.failure_stage ?? ''} ${g.failure_reason ?? ''}`
          : '';
      out.push(`  Segment ${s.session_idx + 1}.${g.segment_idx + 1}  ${span(g.start_time, g.end_time)}${gf}`);
      // A PSTN or conference leg passes through servers (mediation server, gateway): name a segment's ends
      // whenever they are not the session's, so each hop of the call can be read.
      const ends = (['caller', 'callee'] as const).map((side) => {
        const e = endpoints.get(`${s.session_idx}:${g.segment_idx}:${side}`);
        // A segment that names no ends (older records) still has rows; they say nothing worth a line.
        const name = e ? who(e) : undefined;
        return name === 'unknown' ? undefined : name;
      });
      if (ends[0] !== undefined || ends[1] !== undefined) {
        const [caller, callee] = ends.map((e, i) => e ?? sessionEnds[i]);
        if (caller !== sessionEnds[0] || callee !== sessionEnds[1]) out.push(`    ${caller} → ${callee}`);
      }
      for (const m of rows.media.filter(
        (x) => x.session_idx === s.session_idx && x.segment_idx === g.segment_idx,
      )) {
        out.push(`    ${m.label ?? '(no label)'}  ${m.stream_count} stream(s)`);
        for (const st of rows.streams)
          if (
            st.session_idx === s.session_idx &&
            st.segment_idx === g.segment_idx &&
            st.media_idx === m.media_idx
          )
            out.push(`      ${streamLine(st)}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
