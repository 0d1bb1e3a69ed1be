// The access-point and endpoint files: layouts read, every bad line and column named, lookups by any spelling.
import { describe, expect, it } from 'vitest';
import {
  AssetFileError,
  createAssetMap,
  formatAccessPointFile,
  formatEndpointFile,
  normalizeBssid,
  parseAccessPointFile,
  parseEndpointFile,
} from './asset-files.ts';
import { registeredDomain } from './registered-domain.ts';

function problems(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AssetFileError);
    return (err as AssetFileError).problems;
  }
  throw new Error('expected an AssetFileError');
}

describe('BSSIDs', () => {
  it('are compared case- and separator-insensitively', () => {
    for (const s of ['00-11-22-AA-BB-CC', '00:11:22:aa:bb:cc', '001122AABBCC', '0011.22aa.bbcc'])
      expect(normalizeBssid(s)).toBe('00:11:22:aa:bb:cc');
    expect(normalizeBssid('00:11:22:aa:bb')).toBeUndefined();
    expect(normalizeBssid('zz:11:22:aa:bb:cc')).toBeUndefined();
    expect(normalizeBssid(null)).toBeUndefined();
  });
});

describe('parseAccessPointFile', () => {
  it('reads CSV with a header, TSV, a missing floor and quoted values', () => {
    const f = parseAccessPointFile(
      'BSSID,APName,BuildingName,Floor\n00-11-22-AA-BB-CC,AP-1,"HQ, North",3\r\n00:11:22:aa:bb:cd\tAP-2\tHQ\t\n001122aabbce,AP-3,HQ\n',
    );
    expect(f.skippedHeader).toBe(true);
    expect(f.accessPoints).toEqual([
      { bssid: '00:11:22:aa:bb:cc', name: 'AP-1', building: 'HQ, North', floor: '3' },
      { bssid: '00:11:22:aa:bb:cd', name: 'AP-2', building: 'HQ', floor: '' },
      { bssid: '00:11:22:aa:bb:ce', name: 'AP-3', building: 'HQ', floor: '' },
    ]);
    expect(parseAccessPointFile(formatAccessPointFile(f.accessPoints)).accessPoints).toEqual(f.accessPoints);
  });

  it('names the line and column of each problem', () => {
    expect(
      problems(() =>
        parseAccessPointFile('nothex,AP-1,HQ,1\n00:11:22:aa:bb:cc,,HQ,1\n00:11:22:aa:bb:cc,AP,HQ,1,extra\n'),
      ),
    ).toEqual([
      { line: 1, column: 'BSSID', message: expect.stringContaining('is not a BSSID') },
      { line: 2, column: 'APName', message: expect.stringContaining('is empty') },
      { line: 3, message: expect.stringContaining('has 5 values, expected 4') },
    ]);
    expect(
      problems(() => parseAccessPointFile('00:11:22:aa:bb:cc,AP-1,HQ,1\n00-11-22-AA-BB-CC,AP-2,HQ,1\n')),
    ).toEqual([{ line: 2, column: 'BSSID', message: expect.stringContaining('line 1') }]);
  });
});

describe('parseEndpointFile', () => {
  it("reads CQD's tab-separated layout, commas, and trailing labels left off", () => {
    const f = parseEndpointFile(
      '1409W3534\tFabrikam Model 123\tLaptop\tIT designated 2018 Laptop\tAsset Tag 5678\tPurchase 2018\nROOM-1,Teams Room Pro,Teams Room\n',
    );
    expect(f.skippedHeader).toBe(false);
    expect(f.endpoints).toEqual([
      {
        name: '1409W3534',
        model: 'Fabrikam Model 123',
        type: 'Laptop',
        label1: 'IT designated 2018 Laptop',
        label2: 'Asset Tag 5678',
        label3: 'Purchase 2018',
      },
      { name: 'ROOM-1', model: 'Teams Room Pro', type: 'Teams Room', label1: '', label2: '', label3: '' },
    ]);
    expect(parseEndpointFile(formatEndpointFile(f.endpoints)).endpoints).toEqual(f.endpoints);
  });

  it('names the line and column of each problem', () => {
    expect(problems(() => parseEndpointFile('A,m\n,m,t\nB,m,t\nb,m2,t2\n'))).toEqual([
      { line: 1, message: expect.stringContaining('has 2 values, expected 6') },
      { line: 2, column: 'EndpointName', message: expect.stringContaining('is empty') },
      { line: 4, column: 'EndpointName', message: expect.stringContaining('line 3') },
    ]);
  });
});

describe('createAssetMap', () => {
  it('finds an access point by any BSSID spelling and an endpoint by name in any case', () => {
    const map = createAssetMap(
      [{ bssid: '00:11:22:aa:bb:cc', name: 'AP-1', building: 'HQ', floor: '3' }],
      [{ name: 'ROOM-1', model: 'M', type: 'T', label1: '', label2: '', label3: '' }],
    );
    expect(map.accessPoint('00-11-22-AA-BB-CC')?.name).toBe('AP-1');
    expect(map.accessPoint('00:11:22:aa:bb:cd')).toBeUndefined();
    expect(map.accessPoint(null)).toBeUndefined();
    expect(map.endpoint('room-1')?.model).toBe('M');
    expect(map.endpoint('ROOM-2')).toBeUndefined();
  });
});

describe('registeredDomain', () => {
  it('keeps the registered domain of a DNS suffix, lowercased', () => {
    expect(registeredDomain('home.comcast.net')).toBe('comcast.net');
    expect(registeredDomain('x.y.co.uk')).toBe('y.co.uk');
    expect(registeredDomain('Cable.Virginm.NET.')).toBe('virginm.net');
    expect(registeredDomain('dsl.bigpond.com.au')).toBe('bigpond.com.au');
    expect(registeredDomain('corp.contoso.com')).toBe('contoso.com');
    expect(registeredDomain('fritz.box')).toBe('fritz.box');
    for (const none of ['', null, 'local', 'co.uk', '10.0.0.1', 'bad_name.com'])
      expect(registeredDomain(none)).toBe('');
  });
});
