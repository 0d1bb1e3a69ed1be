// The alert lifecycle: fire once when a condition starts, update only when it gets materially worse, resolve (and say
// so) when it clears; mutes and acknowledgements hold messages back, the repeat interval keeps a flapping rule quiet.
import type { AlertFields, AlertMute, AlertWrite, StoredAlert } from '../store/alerts.ts';
import type { Store } from '../store/store.ts';
import { type AlertEventKind, messageOf } from './message.ts';
import type { Observation } from './observation.ts';
import type { Rule } from './rules.ts';

export interface LifecycleContext {
  store: Store;
  now: number;
  /** Channel names the rule's messages go to. */
  channels: readonly string[];
  mutes: readonly AlertMute[];
  /** Firing alerts of this rule by scope key. */
  open: ReadonlyMap<string, StoredAlert>;
}

export interface LifecycleOutcome {
  alertId: number;
  ruleId: string;
  scopeKey: string;
  title: string;
  /** What happened: fired, updated, resolved; `held` when a message was due but muted or too soon. */
  change: 'fired' | 'updated' | 'resolved' | 'held';
}

export function isMuted(mutes: readonly AlertMute[], ruleId: string, scopeKey: string): boolean {
  return mutes.some((m) => m.ruleId === ruleId && (m.scopeKey === '*' || m.scopeKey === scopeKey));
}

/** Materially worse: the value reached `factor` times the value last sent. */
export function worsened(value: number | null, sent: number | null, factor: number): boolean {
  if (value === null || sent === null) return false;
  return sent <= 0 ? value > 0 : value >= sent * factor;
}

type ObservedFields = Pick<
  AlertFields,
  'severity' | 'scopeLabel' | 'value' | 'threshold' | 'unit' | 'title' | 'explanation' | 'url' | 'details'
>;

function fieldsOf(rule: Rule, o: Observation, notBefore: number | null): ObservedFields {
  return {
    severity: rule.severity,
    scopeLabel: o.scopeLabel,
    value: o.value,
    threshold: o.threshold,
    unit: o.unit,
    title: o.title,
    explanation: o.explanation,
    url: o.url,
    details: { figures: o.figures, ...(notBefore !== null ? { notBefore } : {}) },
  };
}

/** Decides and saves what each observation means for its alert; returns what changed. */
export async function applyObservations(
  rule: Rule,
  observations: readonly Observation[],
  ctx: LifecycleContext,
): Promise<LifecycleOutcome[]> {
  const out: LifecycleOutcome[] = [];
  const { now, store } = ctx;
  const save = async (
    write: AlertWrite,
    base: Omit<StoredAlert, 'id' | 'updatedAt'>,
    kind: AlertEventKind | null,
  ) => {
    const deliveries =
      kind && ctx.channels.length > 0
        ? {
            channels: ctx.channels,
            message: (id: number) => JSON.stringify(messageOf(base, id, kind, rule.name)),
          }
        : undefined;
    return store.alerts.save({ ...write, ...(deliveries ? { deliveries } : {}) }, now);
  };
  for (const o of observations) {
    const open = ctx.open.get(o.scopeKey);
    const muted = isMuted(ctx.mutes, rule.id, o.scopeKey);
    if (o.status === 'firing' && !open) {
      // A new episode. Its first message waits while muted, or until the repeat interval since the last message
      // about the same rule and scope has passed (a condition that flaps is not sent every few minutes).
      const prev = await store.alerts.latest(rule.id, o.scopeKey);
      const notBefore = prev?.notifiedAt != null ? prev.notifiedAt + rule.repeatEvery : null;
      const send = !muted && (notBefore === null || now >= notBefore);
      const fields: Omit<StoredAlert, 'id' | 'updatedAt'> = {
        ruleId: rule.id,
        scopeKey: o.scopeKey,
        state: 'firing',
        startedAt: now,
        resolvedAt: null,
        peakValue: o.value,
        notifiedAt: send ? now : null,
        notifiedValue: send ? o.value : null,
        ackedAt: null,
        ackedBy: null,
        ...fieldsOf(rule, o, send ? null : notBefore),
      };
      const note = send ? null : muted ? 'not sent: muted' : 'not sent yet: too soon after the last message';
      const { alertId } = await save(
        { fields, event: { kind: 'fired', value: o.value, note } },
        fields,
        send ? 'fired' : null,
      );
      out.push({
        alertId,
        ruleId: rule.id,
        scopeKey: o.scopeKey,
        title: o.title,
        change: send ? 'fired' : 'held',
      });
      continue;
    }
    if (!open) continue;
    if (o.status === 'firing') {
      const notBefore = (open.details?.notBefore as number | undefined) ?? null;
      const base = {
        ...open,
        ...fieldsOf(rule, o, null),
        peakValue: Math.max(open.peakValue ?? o.value ?? 0, o.value ?? 0),
      } as StoredAlert;
      if (open.notifiedAt === null) {
        // Held so far: send the first message once nothing holds it back any more.
        if (muted || (notBefore !== null && now < notBefore)) {
          await save(
            { alertId: open.id, fields: { ...fieldsOf(rule, o, notBefore), peakValue: base.peakValue } },
            base,
            null,
          );
          continue;
        }
        const fields = {
          ...fieldsOf(rule, o, null),
          peakValue: base.peakValue,
          notifiedAt: now,
          notifiedValue: o.value,
        };
        await save(
          { alertId: open.id, fields, event: { kind: 'fired', value: o.value, note: 'sent late' } },
          { ...base, ...fields },
          'fired',
        );
        out.push({
          alertId: open.id,
          ruleId: rule.id,
          scopeKey: o.scopeKey,
          title: o.title,
          change: 'fired',
        });
        continue;
      }
      const worse =
        worsened(o.value, open.notifiedValue, rule.worsenFactor) && now - open.notifiedAt >= rule.repeatEvery;
      if (worse && !muted && open.ackedAt === null) {
        const fields = {
          ...fieldsOf(rule, o, null),
          peakValue: base.peakValue,
          notifiedAt: now,
          notifiedValue: o.value,
        };
        await save(
          { alertId: open.id, fields, event: { kind: 'updated', value: o.value } },
          { ...base, ...fields },
          'updated',
        );
        out.push({
          alertId: open.id,
          ruleId: rule.id,
          scopeKey: o.scopeKey,
          title: o.title,
          change: 'updated',
        });
      } else
        await save(
          { alertId: open.id, fields: { ...fieldsOf(rule, o, null), peakValue: base.peakValue } },
          base,
          null,
        );
      continue;
    }
    if (o.status === 'clear') out.push(await resolve(rule, open, ctx, { value: o.value, note: null }));
  }
  return out;
}

/**
 * Resolves an open alert. The channels hear of it whenever they heard it fire (a mute holds back news, not the
 * all-clear that closes an incident in the receiver).
 */
export async function resolve(
  rule: Rule,
  open: StoredAlert,
  ctx: LifecycleContext,
  o: { value: number | null; note: string | null },
): Promise<LifecycleOutcome> {
  const fields: Partial<AlertFields> = {
    state: 'resolved',
    resolvedAt: ctx.now,
    value: o.value ?? open.value,
  };
  const told = open.notifiedAt !== null;
  if (told) fields.notifiedAt = ctx.now;
  const base = { ...open, ...fields } as StoredAlert;
  const deliveries =
    told && ctx.channels.length > 0
      ? {
          channels: ctx.channels,
          message: (id: number) => JSON.stringify(messageOf(base, id, 'resolved', rule.name)),
        }
      : undefined;
  await ctx.store.alerts.save(
    {
      alertId: open.id,
      fields,
      event: { kind: 'resolved', value: fields.value ?? null, note: o.note },
      ...(deliveries ? { deliveries } : {}),
    },
    ctx.now,
  );
  return {
    alertId: open.id,
    ruleId: rule.id,
    scopeKey: open.scopeKey,
    title: open.title,
    change: 'resolved',
  };
}
