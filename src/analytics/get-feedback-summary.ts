// Rate My Call: the rating distribution, the problem tokens users ticked, and how ratings track stream quality.
import type { ReadDb, SqlValue } from '../store/db.ts';
import { periodBounds } from './period-bounds.ts';
import type { ReportWindow } from './quality-query.ts';

const ratingScore: Record<string, number> = { bad: 1, poor: 2, fair: 3, good: 4, excellent: 5 };

export interface FeedbackSummary {
  /** Rated session endpoints (notRated answers are counted in `ratings` but not in the averages). */
  responses: number;
  /** Mean of bad=1 ... excellent=5. */
  averageRating: number | null;
  /** Per rating: how many, and the audio poor % of the sessions they rated. */
  ratings: {
    rating: string;
    count: number;
    audioClassifiedStreams: number;
    audioPoorStreams: number;
    audioPoorPercent: number | null;
  }[];
  /** Tokens (NoSound, Echo, ...) with how often they were ticked, most first. */
  tokens: { token: string; count: number }[];
  /** The mean rating of sessions whose audio had a poor stream, and of sessions whose audio was all good. */
  averageRatingWithPoorAudio: number | null;
  averageRatingWithGoodAudio: number | null;
}

export async function getFeedbackSummary(
  db: ReadDb,
  w: Pick<ReportWindow, 'since' | 'until'> = {},
): Promise<FeedbackSummary> {
  const DAY = 86_400_000;
  const conds: string[] = [];
  const params: SqlValue[] = [];
  if (w.since !== undefined) {
    conds.push('day >= ?');
    params.push(Math.floor(w.since / DAY) * DAY);
  }
  if (w.until !== undefined) {
    conds.push('day <= ?');
    params.push(Math.floor((w.until - 1) / DAY) * DAY);
  }
  // Feedback rows are kept by day; a period that is not whole days keeps the calls that started inside it.
  const partial = [w.since, w.until].some((t) => t !== undefined && t % DAY !== 0);
  if (partial) {
    const bounds = periodBounds('start_time', w);
    params.push(...bounds.params);
    conds.push(`call_id IN (SELECT id FROM calls WHERE ${bounds.conds.join(' AND ')})`);
  }
  const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  const byRating = await db.all<{
    rating: string;
    n: number;
    classified: number;
    poor: number;
    with_poor: number;
    all_good: number;
  }>(
    `SELECT rating, COUNT(*) AS n, SUM(audio_classified) AS classified, SUM(audio_poor) AS poor, SUM(CASE WHEN audio_poor > 0 THEN 1 ELSE 0 END) AS with_poor, SUM(CASE WHEN audio_poor = 0 AND audio_classified > 0 THEN 1 ELSE 0 END) AS all_good FROM feedback_facts${where} GROUP BY rating`,
    params,
  );
  const tokenRows = await db.all<{ tokens: string; n: number }>(
    `SELECT tokens, COUNT(*) AS n FROM feedback_facts${where}${where ? ' AND' : ' WHERE'} tokens <> '' GROUP BY tokens`,
    params,
  );
  const tokens = new Map<string, number>();
  for (const r of tokenRows)
    for (const t of r.tokens.split(',')) tokens.set(t, (tokens.get(t) ?? 0) + Number(r.n));
  let scored = 0;
  let sum = 0;
  const poorSide = { n: 0, sum: 0 };
  const goodSide = { n: 0, sum: 0 };
  for (const r of byRating) {
    const score = ratingScore[r.rating];
    if (!score) continue;
    scored += Number(r.n);
    sum += score * Number(r.n);
    poorSide.n += Number(r.with_poor);
    poorSide.sum += score * Number(r.with_poor);
    goodSide.n += Number(r.all_good);
    goodSide.sum += score * Number(r.all_good);
  }
  const order = ['bad', 'poor', 'fair', 'good', 'excellent'];
  const rank = (r: string) => (order.includes(r) ? order.indexOf(r) : order.length);
  return {
    responses: byRating.reduce((a, r) => a + Number(r.n), 0),
    averageRating: scored ? sum / scored : null,
    ratings: byRating
      .map((r) => ({
        rating: r.rating,
        count: Number(r.n),
        audioClassifiedStreams: Number(r.classified),
        audioPoorStreams: Number(r.poor),
        audioPoorPercent: Number(r.classified) > 0 ? (Number(r.poor) / Number(r.classified)) * 100 : null,
      }))
      .sort((a, b) => rank(a.rating) - rank(b.rating) || a.rating.localeCompare(b.rating)),
    tokens: [...tokens]
      .map(([token, count]) => ({ token, count }))
      .sort((a, b) => b.count - a.count || a.token.localeCompare(b.token)),
    averageRatingWithPoorAudio: poorSide.n ? poorSide.sum / poorSide.n : null,
    averageRatingWithGoodAudio: goodSide.n ? goodSide.sum / goodSide.n : null,
  };
}
