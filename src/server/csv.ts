// CSV for every table the API serves (`?format=csv`): RFC 4180 quoting, CRLF, a BOM so Excel reads UTF-8.

export type CsvValue = string | number | boolean | null | undefined | readonly unknown[] | object;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

/** Columns named after the keys of plain rows, in the order given. */
export function columnsOf<T extends object>(keys: readonly string[]): CsvColumn<T>[] {
  return keys.map((k) => ({ header: k, value: (row: T) => (row as Record<string, unknown>)[k] as CsvValue }));
}

function cell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (typeof v === 'number') s = Number.isFinite(v) ? String(v) : '';
  else if (typeof v === 'boolean') s = v ? 'true' : 'false';
  else if (Array.isArray(v)) s = v.join(';');
  else if (typeof v === 'object') s = JSON.stringify(v);
  else {
    s = String(v);
    // Text from call records (device names, feedback) must not run as a spreadsheet formula.
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const lines = [columns.map((c) => cell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A CSV download response named `<name>.csv`. */
export function csvResponse(body: string, name: string): Response {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-');
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${safe}.csv"`,
    },
  });
}
