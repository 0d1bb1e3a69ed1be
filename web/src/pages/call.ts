// One call, laid out like the admin center's call analytics: summary and whose view it is, who had the problem
// (a per-participant quality summary), participants, a session timeline on a time axis, then each session's
// segments with both ends in the Advanced groups and the streams per media type. Long meetings are searched by
// participant and paged.
import type { ParticipantQuality } from '../../../src/analytics/annotate-call.ts';
import type { CallDetail, JsonObject } from '../../../src/analytics/call-views.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { append, card, clear, duration, h, int, when } from '../ui/dom.ts';
import { modalitiesText } from '../ui/modalities.ts';
import { table } from '../ui/table.ts';
import { endsTable } from './call-ends.ts';
import { reasonLabels, streamTables } from './call-streams.ts';
import { isOtherTenant } from './call-tenant.ts';
import { streamsOf, timeline } from './call-timeline.ts';
import { arr, fmt, obj, str } from './call-values.ts';

const t = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);
/** Sessions and summary rows shown per page: a 300-person meeting must not become one endless page. */
const pageSize = 25;

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

/** How many participants are listed before the rest fold away. */
const peopleShown = 24;

function participantsCard(call: CallDetail, matches: (name: string) => boolean): HTMLElement {
  const people = arr(call.participants_v2).flatMap((p) => {
    // An identitySet names one member (user, guest, phone, ...); the others are null.
    const [kind, identity] = Object.entries(obj(p.identity) ?? {}).find(([, v]) => obj(v) !== null) ?? [
      '',
      null,
    ];
    const i = obj(identity ?? null);
    const name = str(i?.displayName) ?? str(p.id) ?? 'unknown';
    if (!matches(name)) return [];
    return [
      h(
        'li',
        null,
        name,
        h(
          'span',
          { class: 'muted' },
          ` ${kind}${isOtherTenant(str(i?.tenantId), call.viewTenantId) ? ' · other tenant' : ''}`,
        ),
      ),
    ];
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

function qualityCard(people: ParticipantQuality[], offset: number, onPage: (o: number) => void): HTMLElement {
  return card(
    'Who had the problem',
    h(
      'p',
      { class: 'muted' },
      'Per participant, worst first: the streams their end received (Graph measures a stream at its receiver) and the poor streams they sent.',
    ),
    table<ParticipantQuality>({
      id: 'participant-quality',
      caption: 'Quality per participant',
      columns: [
        { label: 'Participant', value: (p) => p.displayName ?? p.key },
        { label: 'Building', value: (p) => p.building ?? '–' },
        { label: 'Network', value: (p) => p.connectionType ?? '–' },
        {
          label: 'Inside',
          value: (p) => (p.insideCorp === null ? '–' : p.insideCorp ? 'inside' : 'outside'),
        },
        { label: 'Sessions', value: (p) => int(p.sessions), numeric: true },
        { label: 'Failed', value: (p) => int(p.failedSessions), numeric: true },
        { label: 'Received', value: (p) => int(p.receivedStreams), numeric: true },
        { label: 'Poor received', value: (p) => int(p.receivedPoor), numeric: true },
        { label: 'Poor sent', value: (p) => int(p.sentPoor), numeric: true },
        { label: 'Worst jitter', value: (p) => fmt.ms(p.worstJitterMs) ?? '–', numeric: true },
        { label: 'Worst loss', value: (p) => fmt.ratio(p.worstPacketLossRate) ?? '–', numeric: true },
        { label: 'Worst round trip', value: (p) => fmt.ms(p.worstRoundTripMs) ?? '–', numeric: true },
        { label: 'Poor because', value: (p) => p.poorReasons.map((r) => reasonLabels[r] ?? r).join('; ') },
      ],
      rows: people.slice(offset, offset + pageSize),
      rowClass: (p) => (p.receivedPoor > 0 || p.failedSessions > 0 ? 'poor' : undefined),
      pager: { total: people.length, offset, limit: pageSize, onPage },
      empty: 'No participant matches.',
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
            streamTables(media, `session ${i + 1}${count > 1 ? ` segment ${j + 1}` : ''}`),
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
    const people = (Array.isArray(call.participantQuality)
      ? call.participantQuality
      : []) as unknown as ParticipantQuality[];
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
    );
    const state = { q: '', people: 0, sessions: 0 };
    const search = h('input', { id: 'call-q', type: 'search', placeholder: 'name', autocomplete: 'off' });
    const body = h('div', { class: 'call-body' });
    const draw = () => {
      clear(body);
      const q = state.q.toLowerCase();
      const matches = (name: string) => q === '' || name.toLowerCase().includes(q);
      const shownPeople = people.filter((p) => matches(p.displayName ?? p.key));
      const shownSessions = sessions
        .map((session, index) => ({ session, index }))
        .filter(({ session }) => matches(who(obj(session.caller))) || matches(who(obj(session.callee))));
      const page = shownSessions.slice(state.sessions, state.sessions + pageSize);
      append(body, [
        people.length
          ? qualityCard(shownPeople, state.people, (o) => {
              state.people = o;
              draw();
            })
          : null,
        participantsCard(call, matches),
        card(
          `Timeline${shownSessions.length > pageSize ? ` (sessions ${state.sessions + 1}–${state.sessions + page.length} of ${shownSessions.length})` : ''}`,
          timeline(call, page, who),
          shownSessions.length > pageSize
            ? h(
                'div',
                { class: 'pager', role: 'navigation', 'aria-label': 'Session pages' },
                h(
                  'button',
                  {
                    type: 'button',
                    disabled: state.sessions === 0,
                    onclick: () => {
                      state.sessions = Math.max(0, state.sessions - pageSize);
                      draw();
                    },
                  },
                  '← Previous sessions',
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    disabled: state.sessions + pageSize >= shownSessions.length,
                    onclick: () => {
                      state.sessions += pageSize;
                      draw();
                    },
                  },
                  'Next sessions →',
                ),
              )
            : null,
        ),
        page.map(({ session, index }) => sessionCard(session, index, sessions.length)),
      ]);
    };
    search.addEventListener('input', () => {
      state.q = search.value.trim();
      state.people = 0;
      state.sessions = 0;
      draw();
    });
    ctx.show(
      h(
        'form',
        {
          class: 'filters',
          role: 'search',
          'aria-label': 'Find a participant',
          onsubmit: (e: Event) => e.preventDefault(),
        },
        h('label', { for: 'call-q' }, 'Find a participant'),
        search,
      ),
      body,
    );
    draw();
  },
};
