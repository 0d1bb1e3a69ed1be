// "Where is the problem?" for a caller: per-user causes only for investigators (audited), and for a caller who may
// not see small groups, causes holding fewer than privacy.minGroupSize users left out and counted.
import type { CauseQuery, CauseRow, CausesAnswer } from '../analytics/cause-types.ts';
import { findCauses } from '../analytics/find-causes.ts';
import { askedOf, audited, mustFold } from './policy.ts';
import { type Principal, requireIndividuals } from './principal.ts';
import type { Service } from './service.ts';

/** Causes of the scope's poor streams (docs/analytics.md, "Where is the problem?"). */
export async function causesReport(s: Service, who: Principal, q: CauseQuery): Promise<CausesAnswer> {
  if (q.includeUsers || q.filters.user?.length) requireIndividuals(who, 'per-user causes');
  const answer = await findCauses(s.store.reads, q);
  if (q.includeUsers || q.filters.user?.length)
    await audited(
      s,
      who,
      'quality.individuals',
      askedOf({ by: ['causes'], since: q.since, until: q.until, ...q.filters }),
      answer.causes.length,
    );
  if (!mustFold(s, who)) return answer;
  // A cause naming fewer people than the minimum would point at them: left out, not folded (an "other" cause
  // explains nothing).
  const min = s.config.privacy.minGroupSize;
  const small = (r: CauseRow) => r.users < min;
  const causes = answer.causes.filter((r) => !small(r)).map((r, i) => ({ ...r, rank: i + 1 }));
  const explained = answer.explained.filter((r) => !small(r));
  return {
    ...answer,
    causes,
    explained,
    hiddenSmallGroups: answer.causes.length - causes.length + answer.explained.length - explained.length,
  };
}
