import { describe, expect, it } from 'vitest';
import { type AddressClass, classifyAddress, classifyHostname } from '../../../core/web/address-class.js';

const table: Array<[string, AddressClass]> = [
  ['93.184.216.34', 'public'],
  ['2606:4700:4700::1111', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', 'public'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'cloud-metadata'],
  ['169.254.10.10', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['100.64.0.1', 'carrier-grade-nat'],
  ['100.127.255.255', 'carrier-grade-nat'],
  ['100.128.0.1', 'public'],
  ['224.0.0.251', 'multicast'],
  ['ff02::1', 'multicast'],
  ['0.0.0.0', 'unspecified'],
  ['::', 'unspecified'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456:789a::1', 'unique-local'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.1.2.3', 'private'],
  ['[::ffff:a9fe:a9fe]', 'cloud-metadata'],
  ['::ffff:192.168.0.1', 'private'],
  ['::ffff:100.64.0.1', 'carrier-grade-nat'],
  ['::ffff:0.0.0.0', 'unspecified'],
  ['::ffff:93.184.216.34', 'public'],
  ['::127.0.0.1', 'loopback'],
  ['64:ff9b::a9fe:a9fe', 'cloud-metadata'],
  ['2002:c0a8:0101::1', 'private'],
  ['example.com', 'not-an-ip'],
];

describe('classifyAddress', () => {
  it.each(table)('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe('classifyHostname', () => {
  it('knows cloud metadata names and localhost', () => {
    expect(classifyHostname('metadata.google.internal')).toBe('cloud-metadata');
    expect(classifyHostname('METADATA.GOOGLE.INTERNAL.')).toBe('cloud-metadata');
    expect(classifyHostname('localhost')).toBe('loopback');
    expect(classifyHostname('app.localhost')).toBe('loopback');
    expect(classifyHostname('example.com')).toBeUndefined();
  });
});
