// Addresses truncated to their subnet as Microsoft shows pseudonymized IPs; anything else is not an address.
import { describe, expect, it } from 'vitest';
import { truncateIp } from './pseudonymize.ts';

describe('truncateIp', () => {
  it('keeps an IPv4 /24 and an IPv6 /48, treating IPv4-mapped IPv6 as IPv4', () => {
    expect(truncateIp('86.220.163.17')).toBe('86.220.163.x');
    expect(truncateIp(' 10.0.0.1 ')).toBe('10.0.0.x');
    expect(truncateIp('::ffff:10.1.2.3')).toBe('10.1.2.x');
    expect(truncateIp('2001:db8:12:34::1')).toBe('2001:db8:12::x');
    expect(truncateIp('2001:0DB8:0012:0034:0:0:0:1')).toBe('2001:db8:12::x');
    expect(truncateIp('fe80::1%eth0')).toBe('fe80:0:0::x');
  });

  it('leaves an already truncated address as it is and refuses what is not an address', () => {
    expect(truncateIp('86.220.163.x')).toBe('86.220.163.x');
    expect(truncateIp('2001:db8:12::x')).toBe('2001:db8:12::x');
    for (const bad of ['300.1.1.1', 'host-name', '1.2.3', '2001:db8::12::1', 'gggg::1', ''])
      expect(truncateIp(bad), bad).toBeUndefined();
  });
});
