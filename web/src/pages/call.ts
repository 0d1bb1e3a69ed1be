// One call, laid out like the admin center's call analytics: summary and whose view it is, participants,
// a session timeline, then each session's segments with both ends' details and every stream's metrics.
import type { CallDetail, JsonObject } from '../../../src/analytics/call-views.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { append, card, duration, h, when } from '../ui/dom.ts';
import { modalitiesText } from '../ui/modalities.ts';
import { arr, endsTable, obj, str, streamTable } from './call-parts.ts';
import { isOtherTenant } from './call-tenant.ts';

const t = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);

function who(e: JsonObject | null): string {
  const identity = obj(e?.associatedIdentity);
  const ua = obj(e?.userAgent);
  return (
    str(identity?.displayName) ??
    str(identity?.userPrincipalName) ??
    (str(ua?.role) ? `service (${str(ua?.role)})` : null) ??
    (str(e?.['@odata.type'])?.includes('service') ? 'service' : 'unknown')
  );
}

function streamsOf(session: JsonObject): JsonObject[] {
  return arr(session.segments).flatMap((g) => arr(g.media).flatMap((m) => arr(m.streams)));
}

function viewText(call: CallDetail, dataLocation: string | null): HTMLElement {
  const where = dataLocation ? ` Data location of this tenant: ${dataLocation}.` : '';
  const text =
    call.view === 'organizer'
      ? `Organizer tenant's full view: every participant's telemetry is in this record.${where}`
      : call.view === 'participant'
        ? `Participant tenant's partial view (tenant ${call.viewTenantId ?? 'unknown'}): the meeting was organized by another organization, which holds the full record; only this tenant's users' telemetry is here.${where}`
        : `Whose view this record is (the organizer tenant's or a participant tenant's) is not known: it was imported without --tenant.${where}`;
  return h('p', { class: `view-note ${call.view}`, 'data-view': call.view }, text);
}

/** How many participants are listed before the rest fold away: a 300-person meeting must not push the call down. */
const peopleShown = 24;

function participantsCard(call: CallDetail): HTMLElement {
  const people = arr(call.participants_v2).map((p) => {
    // An identitySet names one member (user, guest, phone, ...); the others are null.
    const [kind, identity] = Object.entries(obj(p.identity) ?? {}).find(([, v]) => obj(v) !== null) ?? [
      '',
      null,
    ];
    const i = obj(identity ?? null);
    return h(
      'li',
      null,
      `${str(i?.displayName) ?? str(p.id) ?? 'unknown'}`,
      h(
        'span',
        { class: 'muted' },
        ` ${kind}${isOtherTenant(str(i?.tenantId), call.viewTenantId) ? ' · other tenant' : ''}`,
      ),
    );
  });
  const rest = people.slice(peopleShown);
  return card(
    `Participants (${people.length})`,
    h('ul', { class: 'people' }, people.slice(0, peopleShown)),
    rest.length
      ? h(
          'details',
          { class: 'more-people' },
          h('summary', null, `${rest.length} more`),
          h('ul', { class: 'people' }, rest),
        )
      : null,
  );
}

function timeline(call: CallDetail): HTMLElement {
  const start = t(call.startDateTime);
  const span = Math.max(1, t(call.endDateTime) - start);
  const sessions = arr(call.sessions);
  return h(
    'ol',
    { class: 'timeline', 'aria-label': 'Session timeline' },
    sessions.map((s, i) => {
      const from = Math.max(0, (t(str(s.startDateTime)) - start) / span) * 100;
      const to = Math.min(100, Math.max(from + 0.5, ((t(str(s.endDateTime)) - start) / span) * 100));
      const poor = streamsOf(s).some((x) => x.quality === 'poor');
      const failed = obj(s.failureInfo) !== null;
      const label = `${who(obj(s.caller))} → ${who(obj(s.callee))}`;
      return h(
        'li',
        null,
        h(
          'button',
          {
            type: 'button',
            class: 'timeline-label',
            onclick: () => document.getElementById(`session-${i}`)?.scrollIntoView({ block: 'start' }),
          },
          label,
        ),
        h(
          'span',
          { class: 'timeline-track' },
          h('span', {
            class: `timeline-bar${poor ? ' poor' : ''}${failed ? ' failed' : ''}`,
            style: `left:${from.toFixed(2)}%;width:${(to - from).toFixed(2)}%`,
            title: `${when(str(s.startDateTime))} – ${when(str(s.endDateTime))}${poor ? ' · poor streams' : ''}${failed ? ' · failed' : ''}`,
          }),
        ),
      );
    }),
  );
}

/** The media whose ends describe the segment's devices and network best: audio first, then any with network data. */
function describingMedia(media: JsonObject[]): JsonObject | undefined {
  const withNetwork = media.filter((m) => obj(m.callerNetwork) || obj(m.calleeNetwork));
  return withNetwork.find((m) => str(m.label)?.includes('audio')) ?? withNetwork[0] ?? media[0];
}

function sessionCard(session: JsonObject, i: number, count: number): HTMLElement {
  const failure = obj(session.failureInfo);
  const segments = arr(session.segments);
  const streams = streamsOf(session);
  const poor = streams.filter((s) => s.quality === 'poor').length;
  const failed = failure !== null || segments.some((g) => obj(g.failureInfo) !== null);
  // Long meetings have hundreds of sessions: open the ones worth a look, keep the rest one line each.
  const open = count <= 3 || poor > 0 || failed;
  const box = h(
    'details',
    { class: 'card session', id: `session-${i}`, open },
    h(
      'summary',
      null,
      h('h2', null, `Session ${i + 1}: ${who(obj(session.caller))} → ${who(obj(session.callee))}`),
      h('span', { class: 'muted' }, ` ${streams.length} streams`),
      poor ? h('span', { class: 'badge poor' }, `${poor} poor`) : null,
      failed ? h('span', { class: 'badge poor' }, 'failed') : null,
    ),
    h(
      'p',
      { class: 'meta' },
      [
        `${when(str(session.startDateTime))} – ${when(str(session.endDateTime))}`,
        modalitiesText(session.modalities),
      ]
        .filter(Boolean)
        .join(' · '),
      failure ? ` · failed at ${str(failure.stage) ?? '?'}: ${str(failure.reason) ?? '?'}` : null,
    ),
  );
  // A closed session's tables are built when it is first opened: a 300-person meeting stays light.
  const fill = () => {
    if (box.dataset.filled) return;
    box.dataset.filled = 'true';
    append(
      box,
      segments.length
        ? segments.map((g, j) => segmentBlock(session, g, i, j, segments.length))
        : // Graph may send a session without segments (not expanded, or none reported): say so, not blank.
          [h('p', { class: 'muted', 'data-empty': 'segments' }, 'No segments reported for this session.')],
    );
  };
  if (open) fill();
  else box.addEventListener('toggle', fill);
  return box;
}

function segmentBlock(session: JsonObject, g: JsonObject, i: number, j: number, count: number): HTMLElement {
  const media = arr(g.media);
  const described = describingMedia(media);
  const gf = obj(g.failureInfo);
  return h(
    'div',
    { class: 'segment' },
    count > 1
      ? h('h3', null, `Segment ${j + 1} · ${when(str(g.startDateTime))} – ${when(str(g.endDateTime))}`)
      : null,
    gf ? h('p', { class: 'badge poor' }, `Segment failed at ${str(gf.stage)}: ${str(gf.reason)}`) : null,
    h(
      'div',
      { class: 'media-grid' },
      described
        ? endsTable(obj(g.caller) ?? obj(session.caller), obj(g.callee) ?? obj(session.callee), described)
        : null,
      media.length
        ? h(
            'div',
            { class: 'table-scroll' },
            streamTable(media, `session ${i + 1}${count > 1 ? ` segment ${j + 1}` : ''}`),
          )
        : h('p', { class: 'muted' }, 'No media reported for this segment.'),
    ),
  );
}

export const callPage: Page = {
  title: 'Call',
  individuals: true,
  async render(ctx) {
    const id = ctx.params[0];
    const call = await get<CallDetail>(`/calls/${encodeURIComponent(id)}`);
    const sessions = arr(call.sessions);
    const streams = sessions.flatMap(streamsOf);
    const poor = streams.filter((s) => s.quality === 'poor').length;
    const organizer = obj(call.organizer_v2);
    const organizerIdentity = obj(Object.values(obj(organizer?.identity) ?? {}).find((v) => obj(v) !== null));
    const ms = t(call.endDateTime) - t(call.startDateTime);
    ctx.show(
      h('p', { class: 'crumbs' }, h('a', { href: ctx.link('calls') }, '← Calls')),
      h('h1', null, `${call.type ?? 'Call'} · ${when(call.startDateTime)} UTC`),
      viewText(call, ctx.me.privacy.dataLocation),
      h(
        'dl',
        { class: 'facts' },
        [
          ['Call id', call.id],
          ['Duration', duration(Number.isFinite(ms) ? ms : null)],
          ['Media', modalitiesText(call.modalities)],
          ['Organizer', str(organizerIdentity?.displayName) ?? str(organizer?.id) ?? '–'],
          ['Record version', String(call.version)],
          ['Streams', `${streams.length} (${poor} poor)`],
        ].map(([k, v]) => h('div', null, h('dt', null, k), h('dd', { 'data-fact': k }, v))),
      ),
      participantsCard(call),
      card('Timeline', timeline(call)),
      sessions.map((x, i) => sessionCard(x, i, sessions.length)),
    );
  },
};
