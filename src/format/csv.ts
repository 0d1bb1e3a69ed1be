// THE CSV writer for every CSV calltrove writes (CLI, API, export, building file): RFC 4180 quoting, and text
// cells that would run as a spreadsheet formula (OWASP: leading = + - @ tab CR) kept as text with a leading quote.

/** A cell as the tables hold it; arrays are joined with `;`, other objects written as JSON. */
export type CsvValue = unknown;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

export interface CsvOptions {
  /** Line ending: `\r\n` (RFC 4180, the default) or `\n`. */
  eol?: '\r\n' | '\n';
  /** Start with a UTF-8 byte order mark, so Excel reads accents right. */
  bom?: boolean;
}

// Excel, LibreOffice and Google Sheets start a formula at = + - @; a leading tab, CR, LF or NUL is dropped by some
// of them, which brings the next character to the front. Whitespace before a trigger is treated the same way.
const formulaStart = /^[\s\0]*[=+\-@]|^[\t\r\n\0]/;
const plainNumber = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Text that a spreadsheet would read as a formula, made inert: `'=HYPERLINK(...)` shows as typed. */
export function neutralizeFormula(text: string): string {
  return formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text;
}

/** The inverse for files calltrove reads back (a building file it wrote): `'=x` is the text `=x`. */
export function unneutralizeFormula(text: string): string {
  return text.startsWith("'") && formulaStart.test(text.slice(1)) ? text.slice(1) : text;
}

function textOf(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return neutralizeFormula(v.map((x) => (x === null ? '' : String(x))).join(';'));
  if (typeof v === 'object') return JSON.stringify(v);
  return neutralizeFormula(String(v));
}

/** One cell: neutralized, then quoted when it holds a quote, comma, line break or edge whitespace. */
export function csvCell(v: CsvValue): string {
  const s = textOf(v);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One line of cells, without its line ending. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}

/** Columns named after the keys of plain rows, in the order given. */
export function columnsOf<T extends object>(keys: readonly string[]): CsvColumn<T>[] {
  return keys.map((k) => ({ header: k, value: (row: T) => (row as Record<string, unknown>)[k] }));
}

/** A whole table: the header line, then one line per row, each ended by `eol`. */
/** Every key any of the rows has, in the order the keys first appear. */
export function keysOfRows(rows: readonly object[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r)))];
}

/** A column per key any of the rows has (keysOfRows). */
export function columnsOfRows<T extends object>(rows: readonly T[]): CsvColumn<T>[] {
  return columnsOf(keysOfRows(rows));
}

export function toCsv<T>(
  rows: readonly T[],
  columns: readonly CsvColumn<T>[],
  options: CsvOptions = {},
): string {
  const eol = options.eol ?? '\r\n';
  const lines = [csvRow(columns.map((c) => c.header))];
  for (const row of rows) lines.push(csvRow(columns.map((c) => c.value(row))));
  return `${options.bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
}
