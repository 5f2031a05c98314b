// The PKCS#10 and certificate PEM reader (src/apimachinery/pkcs10.ts) on requests made by test/support/csr.ts and
// by hand: what kube's CSR validation and admission read, and Go's error text where the reader refuses.
import assert from 'node:assert/strict';
import selfsigned from 'selfsigned';
import { certificatePEMError, checkSignature, parseCSR, pemDecode } from '../../src/apimachinery/pkcs10.js';
import { makeCSR } from '../support/csr.js';

const wrap = (type: string, body: Buffer, headers = '') =>
  `-----BEGIN ${type}-----\n${headers}${body.toString('base64')}\n-----END ${type}-----\n`;

describe('PKCS#10 certificate requests', () => {
  for (const keyType of ['rsa', 'ec'] as const) {
    it(`an ${keyType} request parses, names its subject and verifies`, () => {
      const { pem } = makeCSR({ commonName: 'alice', organizations: ['devs', 'system:masters'], keyType });
      const csr = parseCSR(pem);
      assert.deepEqual(csr.subject, { commonName: 'alice', organizations: ['devs', 'system:masters'] });
      assert.doesNotThrow(() => checkSignature(csr));
    });
  }

  it('a signature that does not verify is Go’s verification error', () => {
    assert.throws(() => checkSignature(parseCSR(makeCSR({ commonName: 'x', corruptSignature: true }).pem)), {
      message: 'x509: ECDSA verification failure',
    });
    assert.throws(() => checkSignature(parseCSR(makeCSR({ commonName: 'x', keyType: 'rsa', corruptSignature: true }).pem)), {
      message: 'crypto/rsa: verification error',
    });
  });

  it('refuses what is not a CERTIFICATE REQUEST block, and malformed DER with asn1’s text', () => {
    const der = Buffer.from(makeCSR({ commonName: 'x' }).pem.split('-----')[2]!.replace(/\s/g, ''), 'base64');
    assert.throws(() => parseCSR('not a pem'), { message: 'PEM block type must be CERTIFICATE REQUEST' });
    assert.throws(() => parseCSR(wrap('CERTIFICATE', der)), { message: 'PEM block type must be CERTIFICATE REQUEST' });
    assert.throws(() => parseCSR(wrap('CERTIFICATE REQUEST', der.subarray(0, 40))), { message: 'asn1: syntax error: data truncated' });
    assert.throws(() => parseCSR(wrap('CERTIFICATE REQUEST', Buffer.concat([der, Buffer.from([0])]))), {
      message: 'asn1: syntax error: trailing data',
    });
    assert.throws(() => parseCSR(wrap('CERTIFICATE REQUEST', Buffer.from('hello world'))), {
      message: /^asn1: structure error: tags don't match \(16 vs \{class:1 tag:8 length:101 isCompound:true\}\) .* certificateRequest @2$/,
    });
  });

  it('pemDecode skips text around a block and returns what follows it', () => {
    const decoded = pemDecode(`junk\n${wrap('X', Buffer.from('abc'), 'K: v\n')}rest`);
    assert.deepEqual(decoded?.block, { type: 'X', headers: { K: 'v' }, bytes: Buffer.from('abc') });
    assert.equal(decoded?.rest, 'rest');
    assert.equal(pemDecode('-----BEGIN X-----\nYWJj\n-----END Y-----\n'), undefined);
  });
});

describe('certificate PEM in status.certificate', () => {
  it('accepts empty and real certificates, one or several blocks', async () => {
    const { cert } = await selfsigned.generate([{ name: 'commonName', value: 'a' }], { keySize: 2048 });
    assert.equal(certificatePEMError(''), undefined);
    assert.equal(certificatePEMError(cert), undefined);
    assert.equal(certificatePEMError(`${cert}\n${cert}\n`), undefined);
  });

  it('refuses other blocks, headers, unparseable certificates and text without a block', () => {
    assert.equal(certificatePEMError('junk'), 'must contain at least one CERTIFICATE PEM block');
    assert.equal(
      certificatePEMError(wrap('CERTIFICATE REQUEST', Buffer.from('x'))),
      'only CERTIFICATE PEM blocks are allowed, found "CERTIFICATE REQUEST"',
    );
    assert.equal(certificatePEMError(wrap('CERTIFICATE', Buffer.from('x'), 'Proc-Type: 4\n\n')), 'no PEM block headers are permitted');
    assert.equal(certificatePEMError(wrap('CERTIFICATE', Buffer.from('hello world'))), 'x509: malformed certificate');
  });
});
