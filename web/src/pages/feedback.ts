// Rate My Call: how users rated their calls, the problems they ticked, and how ratings track measured audio quality.
import type { FeedbackSummary } from '../../../src/analytics/get-feedback-summary.ts';
import { get } from '../api.ts';
import type { Page } from '../page.ts';
import { chart, palette } from '../ui/charts.ts';
import { card, h, int, num1, pct, tile } from '../ui/dom.ts';
import { periodOnlyNotice } from '../ui/drill.ts';
import { table } from '../ui/table.ts';

/** Teams' Rate My Call token names in words. */
const tokenNames: Record<string, string> = {
  NoSound: 'No sound',
  Echo: 'Echo',
  DistortedSpeech: 'Distorted speech',
  Interruptions: 'Interruptions',
  LowVolume: 'Low volume',
  NoiseOnCall: 'Noise on the call',
  FrozenVideo: 'Frozen video',
  PixelatedVideo: 'Pixelated video',
};

export const feedbackPage: Page = {
  title: 'Feedback',
  async render(ctx) {
    const f = await get<FeedbackSummary>('/feedback', ctx.period);
    ctx.show(
      h('h1', null, 'Rate My Call feedback ', h('span', { class: 'muted' }, `· ${ctx.rangeLabel}`)),
      periodOnlyNotice(ctx, 'Rate My Call responses'),
      h(
        'div',
        { class: 'tiles' },
        tile('Responses', int(f.responses), f.responses),
        tile('Average rating', num1(f.averageRating, '/ 5'), f.averageRating, '1 = bad … 5 = excellent'),
        tile(
          'With poor audio',
          num1(f.averageRatingWithPoorAudio, '/ 5'),
          f.averageRatingWithPoorAudio,
          'sessions with a poor audio stream',
        ),
        tile(
          'With good audio',
          num1(f.averageRatingWithGoodAudio, '/ 5'),
          f.averageRatingWithGoodAudio,
          'sessions whose audio was all good',
        ),
      ),
      h(
        'div',
        { class: 'grid-2' },
        card(
          'Ratings and measured audio quality',
          chart({
            id: 'ratings',
            title: 'Responses per rating, and the audio poor % of the rated sessions',
            kind: 'bar',
            labels: f.ratings.map((r) => r.rating),
            series: [
              {
                label: 'Responses',
                data: f.ratings.map((r) => r.count),
                color: palette.blue,
                format: (v) => int(v),
              },
              {
                label: 'Audio poor %',
                data: f.ratings.map((r) => r.audioPoorPercent),
                kind: 'line',
                axis: 'right',
                color: palette.red,
                format: pct,
              },
            ],
            leftTitle: 'responses',
            rightTitle: 'audio poor %',
          }),
        ),
        card(
          'Problems users reported',
          chart({
            id: 'tokens',
            title: 'Problem tokens ticked',
            kind: 'bar',
            horizontal: true,
            labels: f.tokens.map((t) => tokenNames[t.token] ?? t.token),
            series: [
              {
                label: 'Times ticked',
                data: f.tokens.map((t) => t.count),
                color: palette.amber,
                format: (v) => int(v),
              },
            ],
            height: Math.max(160, 28 * f.tokens.length + 60),
          }),
        ),
      ),
      h(
        'div',
        { class: 'grid-2' },
        table({
          id: 'ratings',
          caption: 'Ratings',
          columns: [
            { label: 'Rating', value: (r) => r.rating },
            { label: 'Responses', value: (r) => int(r.count), numeric: true },
            { label: 'Audio streams', value: (r) => int(r.audioClassifiedStreams), numeric: true },
            { label: 'Poor audio', value: (r) => int(r.audioPoorStreams), numeric: true },
            { label: 'Audio poor %', value: (r) => pct(r.audioPoorPercent), numeric: true },
          ],
          rows: f.ratings,
          csv: {
            path: '/feedback',
            params: { ...ctx.period, table: 'ratings' },
            filename: 'feedback-ratings.csv',
          },
          empty: 'No Rate My Call answers in this period.',
        }),
        table({
          id: 'tokens',
          caption: 'Problem tokens',
          columns: [
            { label: 'Problem', value: (t) => tokenNames[t.token] ?? t.token },
            { label: 'Times', value: (t) => int(t.count), numeric: true },
          ],
          rows: f.tokens,
          csv: {
            path: '/feedback',
            params: { ...ctx.period, table: 'tokens' },
            filename: 'feedback-tokens.csv',
          },
          empty: 'No problems ticked in this period.',
        }),
      ),
    );
  },
};
