// The one CSV writer: RFC 4180 quoting and OWASP formula neutralization, checked cell by cell and read back.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../server/test-browser.ts';
import {
  columnsOf,
  columnsOfRows,
  csvCell,
  csvRow,
  keysOfRows,
  neutralizeFormula,
  toCsv,
  unneutralizeFormula,
} from './csv.ts';
import { formulaPayloads } from './test-formula-payloads.ts';

describe('csvCell', () => {
  it('quotes delimiters, quotes, line breaks and edge whitespace', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(12n)).toBe('12');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(['audio', 'video'])).toBe('audio;video');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvCell(new Uint8Array([1, 2, 3]))).toBe('AQID');
  });

  it('keeps every formula payload as text: a leading quote, whatever else the cell needs', () => {
    for (const p of formulaPayloads) {
      const cell = csvCell(p);
      const [[read]] = parseCsv(`${cell}\r\n`);
      expect(read, JSON.stringify(p)).toBe(`'${p}`);
    }
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    // An array's joined text is one cell too.
    expect(csvCell(['=1+1', 'b'])).toBe("'=1+1;b");
  });

  it('leaves numbers and harmless text alone', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell('+41 44 555')).toBe("'+41 44 555");
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell("'quoted")).toBe("'quoted");
  });
});

describe('neutralize and read back', () => {
  it('undoes exactly its own prefix', () => {
    for (const p of formulaPayloads) expect(unneutralizeFormula(neutralizeFormula(p))).toBe(p);
    expect(unneutralizeFormula("'Tis the season")).toBe("'Tis the season");
  });
});

describe('toCsv', () => {
  it('writes a header and rows, CRLF by default, LF or a BOM when asked', () => {
    const rows = [{ name: '=evil()', n: 2 }];
    const cols = columnsOf<(typeof rows)[number]>(['name', 'n']);
    expect(toCsv(rows, cols)).toBe("name,n\r\n'=evil(),2\r\n");
    expect(toCsv(rows, cols, { eol: '\n', bom: true })).toBe("\uFEFFname,n\n'=evil(),2\n");
    expect(csvRow(['a', null, 1])).toBe('a,,1');
  });

  it('takes the columns of rows whose keys differ from each key as it first appears, blank where a row lacks it', () => {
    const rows: Record<string, unknown>[] = [
      { b: 1, a: 2 },
      { a: 3, c: 'x' },
    ];
    expect(keysOfRows(rows)).toEqual(['b', 'a', 'c']);
    expect(keysOfRows([])).toEqual([]);
    expect(toCsv(rows, columnsOfRows(rows), { eol: '\n' })).toBe('b,a,c\n1,2,\n,3,x\n');
  });
});
