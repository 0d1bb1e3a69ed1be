// The OData query options the callRecords API accepts: $filter on startDateTime/participants_v2, $expand, $select.

export interface RecordFilter {
  /** Each bound: startDateTime <op> ms. */
  bounds: Array<{ op: 'ge' | 'gt' | 'le' | 'lt'; ms: number }>;
  participantIds: string[];
}

export interface Expand {
  sessions: boolean;
  segments: boolean;
  participants: boolean;
}

/** Either the parsed value or the message for Graph's 400 answer. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const clause =
  /^\s*(?:startDateTime\s+(ge|gt|le|lt)\s+'?([0-9T:.+\-Z]+)'?|participants_v2\/any\(\s*(\w+)\s*:\s*\3\/id\s+eq\s+'([^']*)'\s*\))\s*$/i;

export function parseFilter(text: string | null): Parsed<RecordFilter> {
  const filter: RecordFilter = { bounds: [], participantIds: [] };
  if (!text) return { ok: true, value: filter };
  for (const part of text.split(/\s+and\s+/i)) {
    const m = clause.exec(part);
    if (!m)
      return {
        ok: false,
        message: `Invalid filter clause: '${part.trim()}'. Only startDateTime (ge, gt, le, lt) and participants_v2/any(p:p/id eq '<id>') are supported.`,
      };
    if (m[1]) {
      const ms = Date.parse(m[2]);
      if (Number.isNaN(ms))
        return { ok: false, message: `The date-time '${m[2]}' in the filter is not valid.` };
      filter.bounds.push({ op: m[1].toLowerCase() as RecordFilter['bounds'][number]['op'], ms });
    } else filter.participantIds.push(m[4]);
  }
  return { ok: true, value: filter };
}

export function matchesBounds(filter: RecordFilter, startMs: number): boolean {
  return filter.bounds.every(({ op, ms }) =>
    op === 'ge' ? startMs >= ms : op === 'gt' ? startMs > ms : op === 'le' ? startMs <= ms : startMs < ms,
  );
}

/** Splits on commas outside parentheses: "sessions($expand=segments),participants_v2". */
function topLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export function parseExpand(text: string | null, allowSegmentsOnly = false): Parsed<Expand> {
  const expand: Expand = { sessions: false, segments: false, participants: false };
  if (!text) return { ok: true, value: expand };
  for (const item of topLevel(text)) {
    const m = /^(\w+)(?:\((.*)\))?$/.exec(item);
    const name = m?.[1];
    const inner = m?.[2]?.trim();
    if (allowSegmentsOnly && name === 'segments' && !inner) expand.segments = true;
    else if (!allowSegmentsOnly && name === 'participants_v2' && !inner) expand.participants = true;
    else if (!allowSegmentsOnly && name === 'sessions' && (!inner || /^\$expand=segments$/.test(inner))) {
      expand.sessions = true;
      expand.segments = !!inner;
    } else
      return {
        ok: false,
        message: `Parsing OData Select and Expand failed: could not find a property named '${item}' to expand.`,
      };
  }
  return { ok: true, value: expand };
}

/** $select: the named properties (plus id, always kept), or null for all. */
export function parseSelect(text: string | null): string[] | null {
  if (!text) return null;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function applySelect(item: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (!select) return item;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    const prop = k.split('@')[0];
    if (prop === 'id' || select.includes(prop)) out[k] = v;
  }
  return out;
}
