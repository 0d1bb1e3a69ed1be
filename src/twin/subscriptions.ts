// Change notifications: subscriptions per tenant, created/updated notifications on new versions, retries, lifecycle.
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { ChangeNotification, LifecycleNotification } from '../graph/odata.ts';
import type { FaultInjector } from './faults.ts';
import { type Notifier, notificationTimeoutMs, validationTimeoutMs } from './notifier.ts';
import { createRng, type Rng } from './prng.ts';
import type { Stats } from './stats.ts';
import {
  checkExpiration,
  checkSubscriptionInput,
  isRefusal,
  type Refusal,
  type SubscriptionInput,
} from './subscription-input.ts';
import { visibleParticipants } from './versions.ts';
import type { MergeEvent, World } from './world.ts';

export interface TwinSubscription {
  id: string;
  tenantId: string;
  applicationId: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationMs: number;
  /** From a resource filter `participants/any(p:p/id eq '...')` (eq, or, in); null: every record. */
  participantIds: string[] | null;
  /** Records already notified on this subscription (a `created` notification goes out once per record). */
  seen: Set<string>;
  reauthTimer?: TimerHandle;
}

/** Graph retries undelivered notifications for up to four hours, then drops them. */
const retryForMs = 4 * 3_600_000;
const maxPerTenant = 100;
const batchSize = 100;
/** reauthorizationRequired goes out this long before expiry (or at half the lifetime, if shorter). */
const reauthLeadMs = 60 * 60_000;

export class Subscriptions {
  private readonly subs = new Map<string, TwinSubscription>();
  private readonly rng: Rng;
  private readonly timers = new Set<TimerHandle>();
  private stopped = false;
  /** Test controls (`twin.control`): Graph silently not delivering, and Graph refusing new subscriptions. */
  private paused = false;
  private refusing = false;

  constructor(
    private readonly world: World,
    private readonly clock: Clock,
    private readonly notifier: Notifier,
    private readonly stats: Stats,
    private readonly faults: FaultInjector,
    seed: number,
  ) {
    this.rng = createRng(seed, 'subscriptions');
    world.onMerge((events) => this.onMerge(events));
  }

  /** Answers the validation handshake: the receiver must echo the token as text/plain within 10 seconds. */
  private async validate(url: URL): Promise<Refusal | null> {
    const token = `Validation: ${this.rng.hex(16)}`;
    const target = new URL(url);
    target.searchParams.set('validationToken', token);
    const res = await this.notifier.post(
      target.toString(),
      '',
      'text/plain; charset=utf-8',
      validationTimeoutMs,
    );
    this.stats.record('validation', res.status);
    if (res.status === 0)
      return {
        status: 400,
        code: 'ValidationError',
        message: `Subscription validation request timed out: ${url.origin} did not answer within 10 seconds.`,
      };
    if (res.status !== 200 || res.body !== token)
      return {
        status: 400,
        code: 'ValidationError',
        message: `Subscription validation request failed. The notification endpoint must answer 200 OK with the decoded validationToken as text/plain (got HTTP ${res.status}).`,
      };
    return null;
  }

  async create(
    tenantId: string,
    applicationId: string,
    input: SubscriptionInput,
  ): Promise<TwinSubscription | Refusal> {
    const checked = checkSubscriptionInput(input, this.clock.now());
    if (isRefusal(checked)) return checked;
    if (this.refusing)
      return {
        status: 400,
        code: 'ValidationError',
        message:
          'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
      };
    if (this.list(tenantId).length >= maxPerTenant)
      return {
        status: 403,
        code: 'ExtensionError',
        message: `Subscription quota reached: at most ${maxPerTenant} subscriptions per tenant.`,
      };
    const lifecycle = checked.lifecycleNotificationUrl;
    const refused =
      (await this.validate(checked.notificationUrl)) ?? (lifecycle ? await this.validate(lifecycle) : null);
    if (refused) return refused;
    const sub: TwinSubscription = {
      id: this.rng.uuid(),
      tenantId,
      applicationId,
      resource: checked.resource,
      changeType: checked.changeType,
      notificationUrl: checked.notificationUrl.toString(),
      lifecycleNotificationUrl: lifecycle ? lifecycle.toString() : null,
      clientState: checked.clientState,
      expirationMs: checked.expirationMs,
      participantIds: checked.participantIds,
      seen: new Set(),
    };
    this.subs.set(sub.id, sub);
    this.scheduleReauth(sub);
    return sub;
  }

  /** Live subscriptions of a tenant (expired ones are gone, as in Graph). */
  list(tenantId: string): TwinSubscription[] {
    const now = this.clock.now();
    return [...this.subs.values()].filter((s) => s.tenantId === tenantId && s.expirationMs > now);
  }

  get(tenantId: string, id: string): TwinSubscription | null {
    return this.list(tenantId).find((s) => s.id === id) ?? null;
  }

  renew(sub: TwinSubscription, expirationDateTime: unknown): TwinSubscription | Refusal {
    const ms = checkExpiration(expirationDateTime, this.clock.now());
    if (isRefusal(ms)) return ms;
    sub.expirationMs = ms;
    this.scheduleReauth(sub);
    return sub;
  }

  remove(id: string): void {
    const sub = this.subs.get(id);
    if (sub) this.clock.clearTimeout(sub.reauthTimer);
    this.subs.delete(id);
  }

  private later(ms: number, fn: () => void): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  private scheduleReauth(sub: TwinSubscription): void {
    this.clock.clearTimeout(sub.reauthTimer);
    const now = this.clock.now();
    const lead = Math.min(reauthLeadMs, (sub.expirationMs - now) / 2);
    sub.reauthTimer = this.later(sub.expirationMs - lead - now, () => {
      if (!this.subs.has(sub.id) || sub.expirationMs <= this.clock.now()) return;
      const note: LifecycleNotification = {
        subscriptionId: sub.id,
        subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
        tenantId: sub.tenantId,
        clientState: sub.clientState,
        lifecycleEvent: 'reauthorizationRequired',
      };
      void this.deliver(
        sub,
        sub.lifecycleNotificationUrl ?? sub.notificationUrl,
        [note],
        'lifecycle',
        this.clock.now(),
      );
    });
  }

  /** Test controls: pause delivery (notifications are lost, as in an outage), refuse or remove subscriptions. */
  control(c: {
    notifications?: boolean;
    refuseSubscriptions?: boolean;
    removeSubscriptions?: boolean;
  }): void {
    if (c.notifications !== undefined) this.paused = !c.notifications;
    if (c.refuseSubscriptions !== undefined) this.refusing = c.refuseSubscriptions;
    if (c.removeSubscriptions) for (const id of [...this.subs.keys()]) this.remove(id);
  }

  private onMerge(events: MergeEvent[]): void {
    const now = this.clock.now();
    if (this.paused) return;
    for (const sub of [...this.subs.values()]) {
      if (sub.expirationMs <= now) continue;
      if (this.faults.removesSubscription()) {
        // An outage: the subscription vanishes without a lifecycle notification.
        this.remove(sub.id);
        continue;
      }
      const wantsCreated = sub.changeType.includes('created');
      const wantsUpdated = sub.changeType.includes('updated');
      const items: ChangeNotification[] = [];
      for (const e of events) {
        if (e.tenantId !== sub.tenantId) continue;
        const call = this.world.byId.get(e.callId);
        if (!call) continue;
        if (
          sub.participantIds &&
          !visibleParticipants(call, sub.tenantId).some((p) => sub.participantIds!.includes(p.id))
        )
          continue;
        const first = !sub.seen.has(e.callId);
        sub.seen.add(e.callId);
        const changeType = first && wantsCreated ? 'created' : wantsUpdated ? 'updated' : null;
        if (!changeType) continue;
        this.faults.noteNotified(e.callId, e.tenantId, e.version, now);
        items.push({
          subscriptionId: sub.id,
          clientState: sub.clientState,
          changeType,
          resource: `communications/callRecords/${e.callId}`,
          subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
          resourceData: {
            '@odata.type': '#Microsoft.Graph.callRecord',
            '@odata.id': `communications/callRecords/${e.callId}`,
            id: e.callId,
          },
          tenantId: sub.tenantId,
        });
      }
      for (const batch of this.faults.shapeBatches(items, batchSize)) {
        const send = () =>
          void this.deliver(sub, sub.notificationUrl, batch.items, 'notification', this.clock.now());
        if (batch.delayMs > 0) this.later(batch.delayMs, send);
        else send();
      }
    }
  }

  /** POSTs one batch; on no answer or a non-2xx, tries again with backoff for up to four hours. */
  private async deliver(
    sub: TwinSubscription,
    url: string,
    value: Array<ChangeNotification | LifecycleNotification>,
    kind: 'notification' | 'lifecycle',
    firstAt: number,
    attempt = 0,
  ): Promise<void> {
    if (this.stopped || !this.subs.has(sub.id) || sub.expirationMs <= this.clock.now()) return;
    const res = await this.notifier.post(
      url,
      JSON.stringify({ value }),
      'application/json; charset=utf-8',
      notificationTimeoutMs,
    );
    this.stats.record(kind, res.status);
    if (res.status >= 200 && res.status < 300) return;
    const wait = Math.min(30 * 60_000, 30_000 * 2 ** attempt);
    if (this.clock.now() + wait - firstAt > retryForMs) return;
    this.later(wait, () => void this.deliver(sub, url, value, kind, firstAt, attempt + 1));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
  }
}
