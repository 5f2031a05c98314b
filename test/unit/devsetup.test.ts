import { keyIDOf, parsePrivateKeyPEM, parsePublicKeysPEM } from '../../src/authentication/serviceaccount/keys.js';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTokenFile } from '../../src/authentication/tokenfile.js';
import { prepareDevHome } from '../../src/server/devsetup.js';

describe('prepareDevHome (kgate dev-setup)', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'kgate-devsetup-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('creates a PKI, a ServiceAccount signing key, an admin token only the owner can read and a kubeconfig carrying that token', async () => {
    assert.deepEqual(await prepareDevHome(home, 7443), ['ca certificate', 'serving certificate', 'service-account signing key']);
    // kgate's own key readers take the pair, as --service-account-signing-key-file and --service-account-key-file.
    const signing = parsePrivateKeyPEM(await readFile(join(home, 'pki', 'sa.key'), 'utf8'));
    const [verifying] = parsePublicKeysPEM(await readFile(join(home, 'pki', 'sa.pub'), 'utf8'));
    assert.equal(verifying.keyID, keyIDOf(signing));
    assert.equal((await stat(join(home, 'pki', 'sa.key'))).mode & 0o777, 0o600);
    const tokens = parseTokenFile(await readFile(join(home, 'tokens.csv'), 'utf8'));
    assert.equal(tokens.length, 1);
    assert.equal(tokens[0].user, 'kgate-admin');
    assert.deepEqual(tokens[0].groups, ['system:masters']);
    assert.equal((await stat(join(home, 'tokens.csv'))).mode & 0o777, 0o600);
    const kubeconfig = await readFile(join(home, 'kubeconfig'), 'utf8');
    assert.match(kubeconfig, /https:\/\/127\.0\.0\.1:7443/);
    assert.ok(kubeconfig.includes(tokens[0].token));
  });

  it('reuses the certificates and the admin token on a second run, writing the new port', async () => {
    await prepareDevHome(home, 7443);
    const before = await readFile(join(home, 'tokens.csv'), 'utf8');
    assert.deepEqual(await prepareDevHome(home, 8443), []);
    assert.equal(await readFile(join(home, 'tokens.csv'), 'utf8'), before);
    assert.match(await readFile(join(home, 'kubeconfig'), 'utf8'), /https:\/\/127\.0\.0\.1:8443/);
  });

  it('appends an admin to a token file that has none, keeping the lines already there', async () => {
    await writeFile(join(home, 'tokens.csv'), 'other,bob,1\n');
    await prepareDevHome(home, 7443);
    const users = parseTokenFile(await readFile(join(home, 'tokens.csv'), 'utf8')).map((t) => t.user);
    assert.deepEqual(users, ['bob', 'kgate-admin']);
  });
});
