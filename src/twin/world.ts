// The twin's state over time: the organization, every call generated so far, and the merges still to come.
import type { Clock, TimerHandle } from '../clock/clock.ts';
import { generateHour, hourMs, type TwinCall } from './call-generator.ts';
import { buildCallModel, type CallModel } from './call-model.ts';
import { type CausePlan, createCausePlan } from './cause-plan.ts';
import { createOrganization, type Organization } from './organization.ts';
import type { View } from './record-view.ts';
import { retentionMs, type ViewVersion, versionAt, viewTenants, viewTimeline } from './versions.ts';

export interface WorldOptions {
  seed: number;
  users: number;
  days: number;
  clock: Clock;
  homeTenantId: string;
  traceRoute: boolean;
}

/** A tenant view of a call reached a new version at `at` (clock time). */
export interface MergeEvent {
  at: number;
  callId: string;
  tenantId: string;
  version: number;
}

/** Calls are generated this far ahead of the clock, so a call's future merges are known before they happen. */
const lookaheadHours = 2;
const modelCacheSize = 64;

export class World {
  readonly org: Organization;
  /** Which values carry this seed's planted causes (the rollout is dated from the twin's start). */
  readonly plan: CausePlan;
  readonly calls: TwinCall[] = [];
  readonly byId = new Map<string, TwinCall>();
  private readonly timelines = new Map<string, Map<string, number[]>>();
  private readonly models = new Map<string, CallModel>();
  private readonly pending: MergeEvent[] = [];
  private readonly listeners: Array<(events: MergeEvent[]) => void> = [];
  private nextHour: number;
  private genTimer?: TimerHandle;
  private mergeTimer?: TimerHandle;
  private mergeTimerAt = Number.POSITIVE_INFINITY;
  private stopped = false;
  /** Merges at or before this time happened before anyone could subscribe; they are history, not events. */
  private readonly createdAt: number;

  constructor(private readonly options: WorldOptions) {
    const now = options.clock.now();
    this.plan = createCausePlan(options.seed, now);
    this.org = createOrganization(options.seed, options.users, options.homeTenantId, this.plan);
    this.createdAt = now;
    this.nextHour = Math.floor((now - options.days * 86_400_000) / hourMs) * hourMs;
    this.generateUntil(now);
    this.scheduleGeneration();
    this.scheduleMerges();
  }

  private generateUntil(now: number): void {
    const until = Math.floor(now / hourMs) * hourMs + lookaheadHours * hourMs;
    while (this.nextHour <= until) {
      for (const call of generateHour(this.org, this.options.seed, this.nextHour)) this.add(call);
      this.nextHour += hourMs;
    }
  }

  /** A long-running twin forgets calls a day past retention (kept a little longer for PSTN log queries). */
  private prune(now: number): void {
    let n = 0;
    while (n < this.calls.length && this.calls[n].startMs + retentionMs + 86_400_000 < now) n++;
    for (const call of this.calls.splice(0, n)) {
      this.byId.delete(call.id);
      this.timelines.delete(call.id);
      this.models.delete(call.id);
    }
  }

  private add(call: TwinCall): void {
    this.calls.push(call);
    this.byId.set(call.id, call);
    const perTenant = new Map<string, number[]>();
    for (const tenantId of viewTenants(call)) {
      const times = viewTimeline(call, tenantId);
      perTenant.set(tenantId, times);
      times.forEach((at, i) => {
        if (at > this.createdAt) this.pending.push({ at, callId: call.id, tenantId, version: i + 1 });
      });
    }
    this.timelines.set(call.id, perTenant);
  }

  private scheduleGeneration(): void {
    if (this.stopped) return;
    const now = this.options.clock.now();
    const nextBoundary = Math.floor(now / hourMs) * hourMs + hourMs;
    this.genTimer = this.options.clock.setTimeout(() => {
      this.generateUntil(this.options.clock.now());
      this.prune(this.options.clock.now());
      this.scheduleMerges();
      this.scheduleGeneration();
    }, nextBoundary - now);
  }

  private scheduleMerges(): void {
    if (this.stopped || this.pending.length === 0) return;
    this.pending.sort((a, b) => a.at - b.at || (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0));
    const first = this.pending[0].at;
    if (first >= this.mergeTimerAt) return;
    this.options.clock.clearTimeout(this.mergeTimer);
    this.mergeTimerAt = first;
    this.mergeTimer = this.options.clock.setTimeout(
      () => this.fireMerges(),
      Math.max(0, first - this.options.clock.now()),
    );
  }

  private fireMerges(): void {
    this.mergeTimerAt = Number.POSITIVE_INFINITY;
    const now = this.options.clock.now();
    let n = 0;
    while (n < this.pending.length && this.pending[n].at <= now) n++;
    const due = this.pending.splice(0, n);
    if (due.length) for (const listener of this.listeners) listener(due);
    this.scheduleMerges();
  }

  /** Called with every batch of merges as the clock reaches them (subscriptions turn them into notifications). */
  onMerge(listener: (events: MergeEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** Tenant ids that have a view of the call. */
  tenantsOf(callId: string): string[] {
    return [...(this.timelines.get(callId)?.keys() ?? [])];
  }

  /** The call as the tenant sees it now, or null when it has no record for the tenant (yet, or any more). */
  view(call: TwinCall, tenantId: string, now = this.options.clock.now()): View | null {
    const version = this.versionOf(call, tenantId, now);
    if (!version) return null;
    return { model: this.model(call), tenantId, version };
  }

  /** The version a tenant sees now without building the record (cheap: for lists and truth). */
  versionOf(call: TwinCall, tenantId: string, now = this.options.clock.now()): ViewVersion | null {
    const timeline = this.timelines.get(call.id)?.get(tenantId);
    return timeline ? versionAt(call, timeline, now) : null;
  }

  model(call: TwinCall): CallModel {
    let model = this.models.get(call.id);
    if (model) {
      this.models.delete(call.id);
    } else {
      model = buildCallModel(call, this.options.seed, this.plan, this.options.traceRoute);
      if (this.models.size >= modelCacheSize) this.models.delete(this.models.keys().next().value as string);
    }
    this.models.set(call.id, model);
    return model;
  }

  stop(): void {
    this.stopped = true;
    this.options.clock.clearTimeout(this.genTimer);
    this.options.clock.clearTimeout(this.mergeTimer);
  }
}
