// One user: who they are (tenant, guest), the calls they took part in, their own streams' quality (the streams
// whose client end is that user) day by day, and their calls with their own stream counts.
import type { QualityAnswer, UserProfileAnswer } from '../../../src/server/api-types.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { chart, palette } from '../ui/charts.ts';
import { card, h, int, pct, tile } from '../ui/dom.ts';
import { callTable } from './calls.ts';

export const userPage: Page = {
  title: 'User',
  individuals: true,
  async render(ctx) {
    const id = ctx.params[0];
    // An unknown id is a 404 here, which the shell shows as "Not found" rather than an empty profile.
    const u = await get<UserProfileAnswer>(`/users/${encodeURIComponent(id)}`, ctx.period);
    const daily = await get<QualityAnswer>('/quality', {
      ...ctx.range,
      by: 'day',
      user: id,
      measures: 'streams,poorStreams,poorPercent,calls',
    });
    ctx.show(
      h('p', { class: 'crumbs' }, h('a', { href: ctx.link('users') }, '← Users')),
      h('h1', null, u.displayName ?? id),
      h(
        'p',
        { class: 'muted' },
        [
          u.userPrincipalName,
          id,
          u.guest
            ? u.tenantId
              ? `guest from tenant ${u.tenantId}`
              : 'anonymous guest (no tenant)'
            : 'this organization',
        ]
          .filter(Boolean)
          .join(' · '),
      ),
      h(
        'p',
        { class: 'note', 'data-note': 'own-streams' },
        "Streams, poor streams and minutes are this user's own: the streams whose client end is this user, as CQD counts a user (a stream between two clients counts at the end CQD reports). The call list shows every call they took part in, with their own streams per call.",
      ),
      h(
        'div',
        { class: 'tiles' },
        tile('Calls', int(u.callsTakenPart), u.callsTakenPart, `taken part in — ${ctx.rangeLabel}`),
        tile('Calls with own streams', int(u.calls), u.calls, 'where their own client end had streams'),
        tile('Minutes', int(u.minutes), u.minutes, 'of the calls with own streams'),
        tile('Own streams', int(u.streams), u.streams),
        tile(
          'Poor own streams',
          pct(u.poorPercent),
          u.poorPercent,
          `${int(u.poorStreams)} poor of ${int(u.classifiedStreams)} classified`,
        ),
      ),
      card(
        'Daily quality',
        chart({
          id: 'user-daily',
          title: `Poor own stream % and calls per day — ${ctx.rangeLabel}`,
          labels: daily.rows.map((r) => String(r.day)),
          series: [
            {
              label: 'Calls',
              data: daily.rows.map((r) => (r.calls as number) ?? null),
              kind: 'bar',
              color: palette.grey,
            },
            {
              label: 'Poor %',
              data: daily.rows.map((r) => (r.poorPercent as number) ?? null),
              axis: 'right',
              color: palette.red,
              format: pct,
            },
          ],
          rightTitle: 'poor %',
          height: 200,
        }),
      ),
    );
    const filters = { poor: ctx.query.get('poor') ?? undefined };
    ctx.show(
      await callTable(ctx, `/users/${encodeURIComponent(id)}/calls`, filters, 'Calls of this user', true),
    );
  },
};
