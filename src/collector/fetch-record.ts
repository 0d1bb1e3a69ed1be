// Fetches one call record whole: sessions with segments (every sessions page) and every participants_v2 page.
import type { GraphClient } from './graph-client.ts';
import { GraphHttpError } from './graph-client.ts';

export type FetchedRecord = Record<string, unknown> & { id: string; version: number };

export type FetchRecordResult =
  | { status: 'found'; record: FetchedRecord; requests: number }
  | { status: 'missing'; requests: number };

/**
 * How participants_v2 is obtained: 'expand' asks for it in the same request as the sessions (one request
 * for most records); 'separate' lists it on its own. 'auto' starts with 'expand' and switches to 'separate'
 * for good if the service refuses the combined $expand or ignores it.
 */
export type ParticipantsMode = 'auto' | 'expand' | 'separate';

const sessionsExpand = 'sessions($expand=segments)';
const unknownEnums = { prefer: 'include-unknown-enum-members' };

/** The docs' sample links point into $metadata (a documentation artefact); turn such a link into a request URL. */
export function requestableLink(link: string): string {
  if (!link.includes('$metadata#')) return link;
  return link.replace('$metadata#', '').replace(/callRecords\('([^']+)'\)/, 'callRecords/$1');
}

export class RecordFetcher {
  private mode: ParticipantsMode;

  constructor(
    private readonly client: GraphClient,
    mode: ParticipantsMode = 'auto',
  ) {
    this.mode = mode;
  }

  get participantsMode(): ParticipantsMode {
    return this.mode;
  }

  /** The record with everything expanded, or 'missing' when Graph answers 404 (not yet, or no longer, there). */
  async fetch(id: string): Promise<FetchRecordResult> {
    const base = `/communications/callRecords/${encodeURIComponent(id)}`;
    let requests = 0;
    const combined = this.mode !== 'separate';
    const expand = combined ? `${sessionsExpand},participants_v2` : sessionsExpand;
    let res = await this.client.request<Record<string, unknown>>('record', `${base}?$expand=${expand}`, {
      headers: unknownEnums,
    });
    requests++;
    if (res.status === 400 && combined && this.mode === 'auto') {
      this.mode = 'separate';
      res = await this.client.request<Record<string, unknown>>(
        'record',
        `${base}?$expand=${sessionsExpand}`,
        {
          headers: unknownEnums,
        },
      );
      requests++;
    }
    if (res.status === 404) return { status: 'missing', requests };
    if (res.status < 200 || res.status >= 300 || !res.body || typeof res.body !== 'object')
      throw new GraphHttpError(res.status, '', 'GET', base);
    const record = res.body as FetchedRecord;
    try {
      requests += await this.completeSessions(record);
      requests += await this.completeParticipants(record, base, combined);
    } catch (err) {
      // The record went away between pages (retention): treat like a 404 on the record itself.
      if (err instanceof GraphHttpError && err.status === 404) return { status: 'missing', requests };
      throw err;
    }
    return { status: 'found', record, requests };
  }

  private async completeSessions(record: FetchedRecord): Promise<number> {
    let requests = 0;
    const sessions = Array.isArray(record.sessions) ? [...(record.sessions as unknown[])] : [];
    let next = record['sessions@odata.nextLink'] as string | undefined;
    while (next) {
      const page = await this.client.json<{ value?: unknown[]; '@odata.nextLink'?: string }>(
        'sessions',
        requestableLink(next),
        { headers: unknownEnums },
      );
      requests++;
      sessions.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    if (requests > 0 || 'sessions@odata.nextLink' in record) {
      record.sessions = sessions;
      delete record['sessions@odata.nextLink'];
    }
    return requests;
  }

  private async completeParticipants(
    record: FetchedRecord,
    base: string,
    combined: boolean,
  ): Promise<number> {
    let requests = 0;
    let participants: unknown[];
    let next: string | undefined;
    if (combined && Array.isArray(record.participants_v2)) {
      participants = [...(record.participants_v2 as unknown[])];
      next = record['participants_v2@odata.nextLink'] as string | undefined;
    } else {
      if (combined && this.mode === 'auto') this.mode = 'separate';
      participants = [];
      next = `${base}/participants_v2`;
    }
    while (next) {
      const page = await this.client.json<{ value?: unknown[]; '@odata.nextLink'?: string }>(
        'participants',
        requestableLink(next),
      );
      requests++;
      participants.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    record.participants_v2 = participants;
    delete record['participants_v2@odata.nextLink'];
    return requests;
  }
}
