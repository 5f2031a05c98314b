// IP and CIDR parsing as Go's net / netip and k8s.io/utils/net parse them, and apimachinery's IP field checks
// (pkg/util/validation/ip_test.go's cases where they apply).
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../src/apimachinery/errors.js';
import {
  ipString,
  isValidCIDR,
  isValidCIDRForLegacyField,
  isValidIP,
  isValidIPForLegacyField,
  parseIPSloppy,
  validateNonSpecialIP,
} from '../../src/apimachinery/ip.js';

const BAD_IP = 'f: Invalid value: "%s": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const BAD_CIDR = 'f: Invalid value: "%s": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function messages(errs: ReturnType<typeof isValidIP>): string[] {
  return errs.map((e) => fieldErrorMessage(e));
}

describe('IP parsing (Go net.IP semantics)', () => {
  const canonical: [string, string][] = [
    ['1.2.3.4', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['FE80::1', 'fe80::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
    ['::', '::'],
    ['010.001.002.003', '10.1.2.3'],
    ['::1.2.3.4', '::102:304'],
  ];
  for (const [input, want] of canonical) {
    it(`${input} prints as ${want}`, () => assert.equal(ipString(parseIPSloppy(input)!), want));
  }
  for (const bad of [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1::2::3',
    ':1',
    '1:',
    '1.2.3.4%x',
    'fe80::1%eth0',
    '1:2:3:4:5:6:7:8:9',
    'x::1',
    '::1.2.3',
  ]) {
    it(`"${bad}" is not an IP`, () => assert.equal(parseIPSloppy(bad), null));
  }
});

describe('IP field checks (apimachinery validation/ip.go)', () => {
  it('IsValidIP refuses leading zeros, IPv4-mapped IPv6 and non-canonical IPv6', () => {
    assert.deepEqual(messages(isValidIP('f', '010.1.2.3')), ['f: Invalid value: "010.1.2.3": must not have leading 0s']);
    assert.deepEqual(messages(isValidIP('f', '::ffff:1.2.3.4')), [
      'f: Invalid value: "::ffff:1.2.3.4": must not be an IPv4-mapped IPv6 address',
    ]);
    assert.deepEqual(messages(isValidIP('f', 'FE80::1')), ['f: Invalid value: "FE80::1": must be in canonical form ("fe80::1")']);
    assert.deepEqual(messages(isValidIP('f', 'nope')), [BAD_IP.replace('%s', 'nope')]);
    assert.deepEqual(isValidIP('f', '2001:db8::1'), []);
  });
  it('the legacy check accepts leading zeros unless strict, and old values always', () => {
    assert.deepEqual(isValidIPForLegacyField('f', '010.1.2.3'), []);
    assert.deepEqual(messages(isValidIPForLegacyField('f', '010.1.2.3', true)), [
      'f: Invalid value: "010.1.2.3": must not have leading 0s',
    ]);
    assert.deepEqual(isValidIPForLegacyField('f', 'bad', true, ['bad']), []);
  });
  it('IsValidCIDR refuses host bits, leading zeros and non-canonical forms', () => {
    assert.deepEqual(messages(isValidCIDR('f', '10.0.0.1/8')), [
      'f: Invalid value: "10.0.0.1/8": must not have bits set beyond the prefix length',
    ]);
    assert.deepEqual(messages(isValidCIDR('f', '10.0.0.0/08')), [
      'f: Invalid value: "10.0.0.0/08": must not have leading 0s in IP or prefix length',
    ]);
    assert.deepEqual(messages(isValidCIDR('f', '2001:DB8::/64')), [
      'f: Invalid value: "2001:DB8::/64": must be in canonical form ("2001:db8::/64")',
    ]);
    assert.deepEqual(messages(isValidCIDR('f', '1.2.3.4/33')), [BAD_CIDR.replace('%s', '1.2.3.4/33')]);
    assert.deepEqual(isValidCIDR('f', '10.0.0.0/8'), []);
  });
  it('the legacy CIDR check (what Service loadBalancerSourceRanges get) accepts host bits and leading zeros', () => {
    assert.deepEqual(isValidCIDRForLegacyField('f', '10.0.0.1/8'), []);
    assert.deepEqual(isValidCIDRForLegacyField('f', '010.0.0.0/08'), []);
    assert.deepEqual(messages(isValidCIDRForLegacyField('f', 'x')), [BAD_CIDR.replace('%s', 'x')]);
  });
  it('ValidateNonSpecialIP names each special range', () => {
    assert.deepEqual(messages(validateNonSpecialIP('0.0.0.0', 'f')), ['f: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']);
    assert.deepEqual(messages(validateNonSpecialIP('::1', 'f')), [
      'f: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]);
    assert.deepEqual(messages(validateNonSpecialIP('169.254.1.1', 'f')), [
      'f: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ]);
    assert.deepEqual(messages(validateNonSpecialIP('ff02::1', 'f')), [
      'f: Invalid value: "ff02::1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ]);
    assert.deepEqual(validateNonSpecialIP('8.8.8.8', 'f'), []);
  });
});
