// One user: their numbers and daily quality in the period, and their calls (with the call list's filters).
import type { QualityAnswer, UserPage } from '../../../src/server/api-types.ts';
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
    const [found, daily] = await Promise.all([
      get<UserPage>('/users', { ...ctx.range, q: id, limit: 1 }),
      get<QualityAnswer>('/quality', {
        ...ctx.range,
        by: 'day',
        user: id,
        measures: 'streams,poorStreams,poorPercent,calls',
      }),
    ]);
    const u = found.users.find((x) => x.id === id);
    ctx.show(
      h('p', { class: 'crumbs' }, h('a', { href: ctx.link('users') }, '← Users')),
      h('h1', null, u?.displayName ?? id),
      h('p', { class: 'muted' }, [u?.userPrincipalName, id].filter(Boolean).join(' · ')),
      h(
        'div',
        { class: 'tiles' },
        tile(
          'Calls with media',
          int(u?.calls ?? 0),
          u?.calls ?? 0,
          'where their own client sent or received streams',
        ),
        tile('Minutes', int(u?.minutes ?? 0), u?.minutes ?? 0),
        tile('Streams', int(u?.streams ?? 0), u?.streams ?? 0),
        tile(
          'Poor streams',
          pct(u?.poorPercent ?? null),
          u?.poorPercent ?? null,
          `${int(u?.poorStreams ?? 0)} poor`,
        ),
      ),
      card(
        'Daily quality',
        chart({
          id: 'user-daily',
          title: `Poor stream % and calls per day — ${ctx.rangeLabel}`,
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
    ctx.show(await callTable(ctx, `/users/${encodeURIComponent(id)}/calls`, filters, 'Calls of this user'));
  },
};
