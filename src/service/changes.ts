// "What changed" for a caller: a user filter only for investigators (audited), and for a caller who may not see small
// groups, explaining values of fewer than privacy.minGroupSize users left out and counted.
import type { ChangeQuery, ChangesAnswer } from '../analytics/cause-types.ts';
import { findChanges } from '../analytics/find-changes.ts';
import { askedOf, audited, mustFold } from './policy.ts';
import { type Principal, requireIndividuals } from './principal.ts';
import type { Service } from './service.ts';

/** Metrics worse than their baseline and what explains them (docs/analytics.md, "What changed"). */
export async function changesReport(s: Service, who: Principal, q: ChangeQuery): Promise<ChangesAnswer> {
  const individual = (q.filters.user?.length ?? 0) > 0;
  if (individual) requireIndividuals(who, 'per-user changes');
  const answer = await findChanges(s.store.reads, q);
  if (individual)
    await audited(
      s,
      who,
      'quality.individuals',
      askedOf({ by: ['changes'], since: q.since, until: q.until, ...q.filters }),
      answer.changes.length,
    );
  if (!mustFold(s, who)) return answer;
  const min = s.config.privacy.minGroupSize;
  let hidden = 0;
  const changes = answer.changes.map((c) => {
    const drivers = c.drivers.filter((d) => d.users >= min).map((d, i) => ({ ...d, rank: i + 1 }));
    const explained = c.explained.filter((d) => d.users >= min);
    hidden += c.drivers.length - drivers.length + c.explained.length - explained.length;
    return { ...c, drivers, explained };
  });
  return { ...answer, changes, hiddenSmallGroups: hidden };
}
