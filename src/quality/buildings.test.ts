// Building file parsing (good files, each kind of bad line) and building lookup by IP and subnet, VPN rows included.
import { describe, expect, it } from 'vitest';
import { BuildingFileError, createBuildingMap, formatBuildingFile, parseBuildingFile } from './buildings.ts';

const good = [
  '192.168.1.0,USA/Seattle/SEATTLE-SEA-1,26,SEATTLE-SEA-1,Contoso,IT Termination,Engineering,Seattle,98001,US,WA,MSUS,1,0,0',
  '10.10.0.0,HQ,16,HQ,Contoso,Office,,Vienna,1010,AT,,EMEA,1,1,0',
  '10.20.0.0,VPN pool,16,VPN,Contoso,VPN,,,,,,,1,0,1',
  '172.16.4.0,Lab,24,Lab,Contoso,Lab,,Graz,8010,AT,,EMEA,0,0',
].join('\n');

function problemsOf(text: string) {
  try {
    parseBuildingFile(text);
  } catch (err) {
    if (err instanceof BuildingFileError) return err.problems;
    throw err;
  }
  throw new Error('expected a BuildingFileError');
}

describe('parseBuildingFile', () => {
  it('reads CSV rows, empty values and a missing VPN column', () => {
    const { buildings, skippedHeader } = parseBuildingFile(good);
    expect(skippedHeader).toBe(false);
    expect(buildings).toHaveLength(4);
    expect(buildings[0]).toMatchObject({
      networkIp: '192.168.1.0',
      networkRange: 26,
      buildingName: 'SEATTLE-SEA-1',
      city: 'Seattle',
      zipCode: '98001',
      country: 'US',
      state: 'WA',
      region: 'MSUS',
      insideCorp: true,
      expressRoute: false,
      vpn: false,
    });
    expect(buildings[1]).toMatchObject({ buildingOfficeType: '', state: '', expressRoute: true });
    expect(buildings[2].vpn).toBe(true);
    expect(buildings[3]).toMatchObject({ insideCorp: false, vpn: false });
  });

  it('reads TSV, CRLF line ends, a BOM, quoted values and a header row', () => {
    const tsv = `\uFEFFNetworkIP\tNetworkName\tNetworkRange\r\n10.1.2.0\t"Floor, 2"\t24\tB1\t\t\t\tLinz\t\tAT\t\t\t1\t0\t0\r\n`;
    const { buildings, skippedHeader } = parseBuildingFile(tsv);
    expect(skippedHeader).toBe(true);
    expect(buildings).toEqual([
      expect.objectContaining({ networkName: 'Floor, 2', buildingName: 'B1', city: 'Linz' }),
    ]);
    const csv = '10.1.2.0,"Say ""hi""",24,B1,,,,,,,,,1,0,0';
    expect(parseBuildingFile(csv).buildings[0].networkName).toBe('Say "hi"');
  });

  it('reads IPv6 networks', () => {
    const { buildings } = parseBuildingFile('2001:db8:0:1::,V6 floor,64,B6,,,,,,,,,1,0,0');
    expect(buildings[0]).toMatchObject({ networkIp: '2001:db8:0:1::', networkRange: 64 });
  });

  it('names the line and column of each bad value', () => {
    const bad = [
      '10.0.0.0,a,24,A,,,,,,,,,1,0,0',
      '10.0.300.0,b,24,B,,,,,,,,,1,0,0',
      '10.0.2.0,c,30,C,,,,,,,,,1,0,0',
      '10.0.3.0,d,7x,D,,,,,,,,,1,0,0',
      '10.0.4.0,e,24,E,,,,,,,,,yes,0,0',
      '10.0.5.0,f,24,F,,,,,,,,,1,2,0',
      '10.0.6.0,g,24,G,,,,,,,,,1,0,x',
      '10.0.7.0,h,24,H,,,',
      '10.0.8.5,i,24,I,,,,,,,,,1,0,0',
      '10.0.9.0,j,24,,,,,,,,,,1,0,0',
    ].join('\n');
    const problems = problemsOf(bad);
    const at = (line: number) => problems.filter((p) => p.line === line);
    expect(at(1)).toEqual([]);
    expect(at(2)).toEqual([expect.objectContaining({ column: 'NetworkIP' })]);
    expect(at(3)).toEqual([
      expect.objectContaining({ column: 'NetworkRange', message: expect.stringMatching(/8 to 28/) }),
    ]);
    expect(at(4)).toEqual([expect.objectContaining({ column: 'NetworkRange' })]);
    expect(at(5)).toEqual([expect.objectContaining({ column: 'InsideCorp' })]);
    expect(at(6)).toEqual([expect.objectContaining({ column: 'ExpressRoute' })]);
    expect(at(7)).toEqual([expect.objectContaining({ column: 'VPN' })]);
    expect(at(8)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/has 7 values, expected 15/) }),
    ]);
    expect(at(9)).toEqual([
      expect.objectContaining({ column: 'NetworkIP', message: expect.stringMatching(/10\.0\.8\.0/) }),
    ]);
    expect(at(10)).toEqual([expect.objectContaining({ column: 'BuildingName' })]);
  });

  it('refuses overlapping ranges, naming both lines', () => {
    const problems = problemsOf(
      [
        '10.0.0.0,a,16,A,,,,,,,,,1,0,0',
        '10.1.0.0,b,16,B,,,,,,,,,1,0,0',
        '10.0.4.0,c,24,C,,,,,,,,,1,0,0',
      ].join('\n'),
    );
    expect(problems).toEqual([
      {
        line: 3,
        column: 'NetworkIP',
        message: expect.stringMatching(/10\.0\.4\.0\/24 overlaps 10\.0\.0\.0\/16 on line 1/),
      },
    ]);
  });

  it('puts every problem into the error message', () => {
    expect(() => parseBuildingFile('x,y,1,,,,,,,,,,0,0,0')).toThrowError(
      /line 1, NetworkIP.*\n.*line 1, NetworkRange/s,
    );
  });

  it('round-trips through formatBuildingFile', () => {
    const { buildings } = parseBuildingFile(good);
    expect(parseBuildingFile(formatBuildingFile(buildings)).buildings).toEqual(buildings);
  });
});

describe('createBuildingMap', () => {
  const map = createBuildingMap(
    parseBuildingFile(`${good}\n2001:db8:0:1::,V6,64,B6,,,,,,,,,1,0,0`).buildings,
  );

  it('finds the building whose range contains the subnet', () => {
    expect(map.lookup('192.168.1.17', '192.168.1.0')?.buildingName).toBe('SEATTLE-SEA-1');
    expect(map.lookup('192.168.1.63', '192.168.1.0')?.buildingName).toBe('SEATTLE-SEA-1');
    expect(map.lookup(null, '10.10.200.0')?.buildingName).toBe('HQ');
    expect(map.lookup('10.10.3.4', null)?.buildingName).toBe('HQ');
    expect(map.lookup('2001:db8:0:1:aa::5', '2001:db8:0:1::')?.buildingName).toBe('B6');
  });

  it('leaves unknown subnets unknown', () => {
    expect(map.lookup('192.168.1.70', '192.168.1.64')).toBeUndefined();
    expect(map.lookup('8.8.8.8', '8.8.8.0')).toBeUndefined();
    expect(map.lookup(null, null)).toBeUndefined();
    expect(map.lookup('not-an-ip', 'nope')).toBeUndefined();
    expect(map.lookup('2001:db8:0:2::1', '2001:db8:0:2::')).toBeUndefined();
  });

  it('maps each address of a VPN range by itself, whatever subnet the client reports', () => {
    // A VPN client reports a subnet outside any building (or another building's), but its address is in the pool.
    expect(map.lookup('10.20.5.9', '10.20.5.9')?.buildingName).toBe('VPN');
    expect(map.lookup('10.20.5.9', '192.168.1.0')?.buildingName).toBe('VPN');
    expect(map.lookup('10.20.5.9', '255.255.255.255')?.buildingName).toBe('VPN');
  });
});
