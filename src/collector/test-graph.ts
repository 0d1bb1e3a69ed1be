// Test support: a small in-memory Graph (records with versions, list, subscriptions, notifications) for collector tests.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Clock } from '../clock/clock.ts';
import type { FetchLike } from './http-fetch.ts';
import { fakeAuthority } from './test-fakes.ts';

const { 'sessions@odata.nextLink': _docsLink, ...sample } = JSON.parse(
  readFileSync(
    new URL('./testdata/v1.0_callRecord_get_expand_sessions_segments.response.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>;

interface Rec {
  id: string;
  version: number;
  start: number;
  end: number;
  modified: number;
}

interface Sub {
  id: string;
  notificationUrl: string;
  clientState: string;
  expiresAt: number;
}

export interface MiniGraphOptions {
  clock: Clock;
  secret?: string;
  /** Delivers a notification POST (tests route it into the collector's webhook). */
  notify: (url: string, init: RequestInit) => Promise<Response>;
  /** Drops this share of change notifications (deterministic: every n-th). */
  dropEvery?: number;
}

const iso = (t: number) => new Date(t).toISOString();
const json = (body: unknown, status = 200) => Response.json(body, { status });
const notFound = () => json({ error: { code: 'NotFound', message: 'not found' } }, 404);

export class MiniGraph {
  readonly records = new Map<string, Rec>();
  readonly subscriptions = new Map<string, Sub>();
  readonly authority;
  readonly requests: Record<string, number> = {};
  private sent = 0;

  constructor(private readonly o: MiniGraphOptions) {
    this.authority = fakeAuthority(o.secret ?? 'right-secret');
  }

  truth(): Record<string, number> {
    return Object.fromEntries([...this.records.values()].map((r) => [r.id, r.version]));
  }

  /** A new record (v1) or a new version of one; subscribers are told, as Graph does. */
  async put(id: string, start: number, end: number): Promise<void> {
    const now = this.o.clock.now();
    const prev = this.records.get(id);
    const rec = { id, start, end, version: (prev?.version ?? 0) + 1, modified: now };
    this.records.set(id, rec);
    for (const sub of this.subscriptions.values()) {
      this.sent++;
      if (this.o.dropEvery && this.sent % this.o.dropEvery === 0) continue;
      const n = {
        subscriptionId: sub.id,
        clientState: sub.clientState,
        changeType: prev ? 'updated' : 'created',
        resource: `communications/callRecords/${id}`,
        subscriptionExpirationDateTime: iso(sub.expiresAt),
        resourceData: {
          '@odata.type': '#Microsoft.Graph.callRecord',
          '@odata.id': `communications/callRecords/${id}`,
          id,
        },
        tenantId: 'tenant-1',
      };
      await this.o.notify(sub.notificationUrl, {
        method: 'POST',
        body: JSON.stringify({ value: [n] }),
        headers: { 'content-type': 'application/json' },
      });
    }
  }

  /** The record as a GET with every $expand returns it (tests cut parts off to make an incomplete copy). */
  recordJson(id: string): Record<string, unknown> {
    return structuredClone(this.view(this.records.get(id)!));
  }

  private view(r: Rec): Record<string, unknown> {
    // The sample's sessions and segments moved into the record's own time (a real record's are inside it).
    const inside = (o: Record<string, unknown>) => ({
      ...o,
      startDateTime: iso(r.start),
      endDateTime: iso(r.end),
    });
    const sessions = ((sample.sessions as Record<string, unknown>[] | undefined) ?? []).map((s) => ({
      ...inside(s),
      segments: ((s.segments as Record<string, unknown>[] | undefined) ?? []).map(inside),
    }));
    return {
      ...sample,
      sessions,
      id: r.id,
      version: r.version,
      startDateTime: iso(r.start),
      endDateTime: iso(r.end),
      lastModifiedDateTime: iso(r.modified),
    };
  }

  private count(kind: string): void {
    this.requests[kind] = (this.requests[kind] ?? 0) + 1;
  }

  readonly fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    if (!u.pathname.startsWith('/v1.0/')) {
      this.count('token');
      return this.authority.fetch(url, init);
    }
    const path = u.pathname.slice('/v1.0'.length);
    const method = init.method ?? 'GET';
    const record = path.match(/^\/communications\/callRecords\/([^/]+)$/);
    if (record && method === 'GET') {
      this.count('record');
      const r = this.records.get(decodeURIComponent(record[1]));
      if (!r) return notFound();
      const body = this.view(r);
      if ((u.searchParams.get('$expand') ?? '').includes('participants_v2'))
        body.participants_v2 = [{ id: '821809f5-0000-0000-0000-3b5136c0e777', identity: {} }];
      return json(body);
    }
    if (path === '/communications/callRecords' && method === 'GET') {
      this.count('list');
      const f = u.searchParams.get('$filter') ?? '';
      const ge = f.match(/startDateTime ge (\S+)/)?.[1];
      const lt = f.match(/startDateTime lt (\S+)/)?.[1];
      const value = [...this.records.values()]
        .filter((r) => (!ge || r.start >= Date.parse(ge)) && (!lt || r.start < Date.parse(lt)))
        .sort((a, b) => a.start - b.start)
        .map((r) => {
          const { sessions: _s, ...rest } = this.view(r);
          return rest;
        });
      const skip = Number(u.searchParams.get('$skip') ?? 0);
      const page = value.slice(skip, skip + 60);
      const next = skip + 60 < value.length ? new URL(url) : undefined;
      next?.searchParams.set('$skip', String(skip + 60));
      return json({ value: page, ...(next ? { '@odata.nextLink': next.toString() } : {}) });
    }
    if (path === '/subscriptions' && method === 'POST') {
      this.count('subscription');
      const body = JSON.parse(String(init.body)) as {
        notificationUrl: string;
        clientState: string;
        expirationDateTime: string;
      };
      const token = `validation-${randomUUID()}`;
      const check = await this.o
        .notify(`${body.notificationUrl}?validationToken=${encodeURIComponent(token)}`, { method: 'POST' })
        .catch(() => undefined);
      if (check?.status !== 200 || (await check.text()) !== token)
        return json(
          {
            error: {
              code: 'InvalidRequest',
              message:
                'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
            },
          },
          400,
        );
      const sub = {
        id: randomUUID(),
        notificationUrl: body.notificationUrl,
        clientState: body.clientState,
        expiresAt: Date.parse(body.expirationDateTime),
      };
      this.subscriptions.set(sub.id, sub);
      return json(
        { ...body, id: sub.id, resource: '/communications/callRecords', changeType: 'created,updated' },
        201,
      );
    }
    const subPath = path.match(/^\/subscriptions\/([^/]+)$/);
    if (subPath) {
      this.count('subscription');
      const sub = this.subscriptions.get(subPath[1]);
      if (!sub) return notFound();
      if (method === 'DELETE') {
        this.subscriptions.delete(sub.id);
        return new Response(null, { status: 204 });
      }
      if (method === 'PATCH')
        sub.expiresAt = Date.parse(
          (JSON.parse(String(init.body)) as { expirationDateTime: string }).expirationDateTime,
        );
      return json({
        id: sub.id,
        notificationUrl: sub.notificationUrl,
        expirationDateTime: iso(sub.expiresAt),
        resource: '/communications/callRecords',
        changeType: 'created,updated',
      });
    }
    if (path.includes('getPstnCalls') || path.includes('getDirectRoutingCalls')) {
      this.count('pstn');
      return json({ value: [] });
    }
    return notFound();
  };
}
