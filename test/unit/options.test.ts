import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_OPTIONS,
  flagNames,
  helpText,
  loadConfig,
  parseOptions,
  type KgateOptions,
  type ParseResult,
} from '../../src/server/options/index.js';
import { loadOIDCConfig } from '../../src/server/options/authentication.js';

const ETCD = '--etcd-servers=http://127.0.0.1:2379';

/** The --oidc-* and webhook flags' defaults (tested on their own below). */
const OIDC_AND_WEBHOOK_DEFAULTS = {
  oidcIssuerURL: '',
  oidcClientID: '',
  oidcCAFile: '',
  oidcUsernameClaim: 'sub',
  oidcUsernamePrefix: '',
  oidcGroupsClaim: '',
  oidcGroupsPrefix: '',
  oidcSigningAlgs: ['RS256'],
  oidcRequiredClaims: {},
  oidcFlagsSet: false,
  authenticationTokenWebhookConfigFile: '',
  authenticationTokenWebhookVersion: 'v1beta1',
  authenticationTokenWebhookCacheTTLMs: 120_000,
  authorizationWebhookConfigFile: '',
  authorizationWebhookVersion: 'v1beta1',
  authorizationWebhookCacheAuthorizedTTLMs: 300_000,
  authorizationWebhookCacheUnauthorizedTTLMs: 30_000,
  enableAdmissionPlugins: [],
  disableAdmissionPlugins: [],
};

function optionsOf(result: ParseResult): KgateOptions {
  assert.equal(result.kind, 'options', result.kind === 'error' ? result.message : 'expected options');
  return (result as { kind: 'options'; options: KgateOptions }).options;
}

function errorOf(result: ParseResult): string {
  assert.equal(result.kind, 'error');
  return (result as { kind: 'error'; message: string }).message;
}

describe('parseOptions', () => {
  it("uses kube-apiserver's defaults", () => {
    const options = optionsOf(parseOptions([ETCD]));
    assert.deepEqual(options, {
      etcdServers: ['http://127.0.0.1:2379'],
      etcdPrefix: '/registry',
      etcdCafile: '',
      etcdCertfile: '',
      etcdKeyfile: '',
      etcdCompactionIntervalMs: 300_000,
      bindAddress: '0.0.0.0',
      securePort: 6443,
      tlsCertFile: '',
      tlsPrivateKeyFile: '',
      certDir: '/var/run/kubernetes',
      tokenAuthFile: '',
      clientCAFile: '',
      anonymousAuth: true,
      apiAudiences: [],
      serviceAccountKeyFiles: [],
      serviceAccountSigningKeyFile: '',
      serviceAccountIssuers: [],
      serviceAccountJWKSURI: '',
      serviceAccountMaxTokenExpirationMs: 0,
      serviceAccountExtendTokenExpiration: true,
      serviceAccountLookup: true,
      // kgate is deny-by-default (kube-apiserver's own default is AlwaysAllow).
      authorizationModes: ['RBAC'],
      watchCache: true,
      eventTTLMs: 3_600_000,
      workers: 1,
      verbosity: 0,
      // kube's --service-cluster-ip-range default (10.0.0.0/24) applies when the flag is empty.
      serviceClusterIPRanges: '',
      serviceNodePortRange: { base: 30000, size: 2768 },
      admissionControlConfigFile: '',
      advertiseAddress: '',
      ...OIDC_AND_WEBHOOK_DEFAULTS,
    });
  });

  it('reads every flag in --flag=value form', () => {
    const options = optionsOf(
      parseOptions([
        '--etcd-servers=https://a:2379,https://b:2379',
        '--etcd-prefix=/kgate',
        '--etcd-cafile=/p/ca.crt',
        '--etcd-certfile=/p/etcd.crt',
        '--etcd-keyfile=/p/etcd.key',
        '--etcd-compaction-interval=30s',
        '--bind-address=127.0.0.1',
        '--secure-port=8443',
        '--tls-cert-file=/p/tls.crt',
        '--tls-private-key-file=/p/tls.key',
        '--cert-dir=/p/certs',
        '--token-auth-file=/p/tokens.csv',
        '--client-ca-file=/p/client-ca.crt',
        '--anonymous-auth=false',
        '--api-audiences=api,other',
        '--service-account-key-file=/p/sa.pub',
        '--service-account-key-file=/p/old,sa.pub',
        '--service-account-signing-key-file=/p/sa.key',
        '--service-account-issuer=https://issuer.example',
        '--service-account-issuer=https://old.example',
        '--service-account-jwks-uri=https://issuer.example/keys',
        '--service-account-max-token-expiration=2h',
        '--service-account-extend-token-expiration=false',
        '--service-account-lookup=false',
        '--authorization-mode=AlwaysAllow,RBAC',
        '--watch-cache=false',
        '--event-ttl=30m',
        '--workers=2',
        '--v=4',
        '--service-cluster-ip-range=10.96.0.0/12,fd00::/108',
        '--service-node-port-range=30000+100',
        '--admission-control-config-file=/etc/kgate/admission.yaml',
        '--advertise-address=10.0.0.10',
      ]),
    );
    assert.deepEqual(options, {
      etcdServers: ['https://a:2379', 'https://b:2379'],
      etcdPrefix: '/kgate',
      etcdCafile: '/p/ca.crt',
      etcdCertfile: '/p/etcd.crt',
      etcdKeyfile: '/p/etcd.key',
      etcdCompactionIntervalMs: 30_000,
      bindAddress: '127.0.0.1',
      securePort: 8443,
      tlsCertFile: '/p/tls.crt',
      tlsPrivateKeyFile: '/p/tls.key',
      certDir: '/p/certs',
      tokenAuthFile: '/p/tokens.csv',
      clientCAFile: '/p/client-ca.crt',
      anonymousAuth: false,
      apiAudiences: ['api', 'other'],
      serviceAccountKeyFiles: ['/p/sa.pub', '/p/old,sa.pub'],
      serviceAccountSigningKeyFile: '/p/sa.key',
      serviceAccountIssuers: ['https://issuer.example', 'https://old.example'],
      serviceAccountJWKSURI: 'https://issuer.example/keys',
      serviceAccountMaxTokenExpirationMs: 7_200_000,
      serviceAccountExtendTokenExpiration: false,
      serviceAccountLookup: false,
      authorizationModes: ['AlwaysAllow', 'RBAC'],
      watchCache: false,
      eventTTLMs: 1_800_000,
      workers: 2,
      verbosity: 4,
      serviceClusterIPRanges: '10.96.0.0/12,fd00::/108',
      serviceNodePortRange: { base: 30000, size: 101 },
      admissionControlConfigFile: '/etc/kgate/admission.yaml',
      advertiseAddress: '10.0.0.10',
      ...OIDC_AND_WEBHOOK_DEFAULTS,
    });
  });

  it('reads --flag value form and the -v shorthand forms', () => {
    const options = optionsOf(parseOptions(['--etcd-servers', 'http://e:2379', '--secure-port', '0', '--bind-address', '::1', '-v', '3']));
    assert.deepEqual(options.etcdServers, ['http://e:2379']);
    assert.equal(options.securePort, 0);
    assert.equal(options.bindAddress, '::1');
    assert.equal(options.verbosity, 3);
    assert.equal(optionsOf(parseOptions([ETCD, '-v5'])).verbosity, 5);
    assert.equal(optionsOf(parseOptions([ETCD, '-v=6'])).verbosity, 6);
  });

  it('appends repeated --etcd-servers and lets other repeated flags take the last value', () => {
    const options = optionsOf(
      parseOptions(['--etcd-servers=http://a:1', '--etcd-servers=http://b:2,http://c:3', '--secure-port=1', '--secure-port=2']),
    );
    assert.deepEqual(options.etcdServers, ['http://a:1', 'http://b:2', 'http://c:3']);
    assert.equal(options.securePort, 2);
  });

  it('accepts Go integer prefixes for --secure-port as pflag does', () => {
    assert.equal(optionsOf(parseOptions([ETCD, '--secure-port=0x1F90'])).securePort, 8080);
  });

  it('takes the caller default for --etcd-servers only when the flag is absent', () => {
    assert.deepEqual(optionsOf(parseOptions([], { defaultEtcdServers: ['http://d:1'] })).etcdServers, ['http://d:1']);
    assert.deepEqual(optionsOf(parseOptions([ETCD], { defaultEtcdServers: ['http://d:1'] })).etcdServers, ['http://127.0.0.1:2379']);
  });

  it("requires --etcd-servers with kube-apiserver's message", () => {
    assert.equal(errorOf(parseOptions([])), '--etcd-servers must be specified');
  });

  it('rejects unknown flags like pflag', () => {
    assert.equal(errorOf(parseOptions([ETCD, '--foo'])), 'unknown flag: --foo');
    assert.equal(errorOf(parseOptions([ETCD, '--foo=bar'])), 'unknown flag: --foo');
    assert.equal(errorOf(parseOptions([ETCD, '-x'])), "unknown shorthand flag: 'x' in -x");
    assert.equal(errorOf(parseOptions([ETCD, '---x'])), 'bad flag syntax: ---x');
  });

  it('rejects malformed values with pflag and Go messages', () => {
    assert.equal(
      errorOf(parseOptions([ETCD, '--secure-port=abc'])),
      'invalid argument "abc" for "--secure-port" flag: strconv.ParseInt: parsing "abc": invalid syntax',
    );
    assert.equal(
      errorOf(parseOptions([ETCD, '--bind-address=not-an-ip'])),
      'invalid argument "not-an-ip" for "--bind-address" flag: failed to parse IP: "not-an-ip"',
    );
    assert.equal(
      errorOf(parseOptions([ETCD, '--etcd-compaction-interval=abc'])),
      'invalid argument "abc" for "--etcd-compaction-interval" flag: time: invalid duration "abc"',
    );
    assert.equal(
      errorOf(parseOptions([ETCD, '--v=high'])),
      'invalid argument "high" for "-v, --v" flag: strconv.ParseInt: parsing "high": invalid syntax',
    );
    assert.equal(
      errorOf(parseOptions([ETCD, '--help=maybe'])),
      'invalid argument "maybe" for "-h, --help" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    );
    assert.equal(errorOf(parseOptions([ETCD, '--secure-port'])), 'flag needs an argument: --secure-port');
    assert.equal(errorOf(parseOptions([ETCD, '-v'])), "flag needs an argument: 'v' in -v");
  });

  it('rejects out-of-range ports and half a TLS pair', () => {
    assert.equal(
      errorOf(parseOptions([ETCD, '--secure-port=70000'])),
      '--secure-port 70000 must be between 0 and 65535, inclusive. 0 picks a free port',
    );
    assert.equal(
      errorOf(parseOptions([ETCD, '--tls-cert-file=/a.crt'])),
      '--tls-cert-file and --tls-private-key-file must be specified together',
    );
  });

  it('reports several validation problems at once as kube does', () => {
    assert.equal(
      errorOf(parseOptions(['--secure-port=-1'])),
      '[--etcd-servers must be specified, --secure-port -1 must be between 0 and 65535, inclusive. 0 picks a free port]',
    );
  });

  it('refuses authorization modes kube does not know, repeated modes and those kgate does not implement yet', () => {
    assert.equal(errorOf(parseOptions([ETCD, '--authorization-mode=Magic'])), 'authorization-mode "Magic" is not a valid mode');
    assert.equal(
      errorOf(parseOptions([ETCD, '--authorization-mode=RBAC,RBAC'])),
      'authorization-mode ["RBAC" "RBAC"] has mode specified more than once',
    );
    assert.equal(
      errorOf(parseOptions([ETCD, '--authorization-mode=ABAC,RBAC'])),
      'authorization-mode "ABAC" is not implemented by kgate yet',
    );
    assert.deepEqual(optionsOf(parseOptions([ETCD, '--authorization-mode=Node,RBAC'])).authorizationModes, ['Node', 'RBAC']);
    assert.equal(errorOf(parseOptions([ETCD, '--authorization-mode='])), 'at least one authorization-mode must be passed');
  });

  it("reads the admission plugin lists, refusing unknown names and overlaps with kube's messages", () => {
    const options = optionsOf(
      parseOptions([ETCD, '--enable-admission-plugins=NodeRestriction', '--disable-admission-plugins=NamespaceLifecycle,Priority']),
    );
    assert.deepEqual(options.enableAdmissionPlugins, ['NodeRestriction']);
    assert.deepEqual(options.disableAdmissionPlugins, ['NamespaceLifecycle', 'Priority']);
    assert.equal(errorOf(parseOptions([ETCD, '--enable-admission-plugins=Magic'])), 'enable-admission-plugins plugin "Magic" is unknown');
    assert.equal(errorOf(parseOptions([ETCD, '--disable-admission-plugins=Magic'])), 'disable-admission-plugins plugin "Magic" is unknown');
    assert.equal(
      errorOf(
        parseOptions([
          ETCD,
          '--enable-admission-plugins=NodeRestriction,AlwaysDeny',
          '--disable-admission-plugins=AlwaysDeny,NodeRestriction',
        ]),
      ),
      '[AlwaysDeny NodeRestriction] in enable-admission-plugins and disable-admission-plugins overlapped',
    );
    assert.equal(
      errorOf(parseOptions([ETCD, '--enable-admission-plugins=ImagePolicyWebhook'])),
      'enable-admission-plugins plugin "ImagePolicyWebhook" is not implemented by kgate yet',
    );
  });

  it('rejects positional arguments like kube-apiserver', () => {
    assert.equal(errorOf(parseOptions([ETCD, 'serve'])), '"kgate" does not take any arguments, got ["serve"]');
    assert.equal(errorOf(parseOptions([ETCD, '--', '--secure-port=1'])), '"kgate" does not take any arguments, got ["--secure-port=1"]');
  });

  it('answers --help and -h with help even when required flags are missing', () => {
    for (const argv of [['--help'], ['-h'], ['--secure-port=1', '--help=true']]) {
      const result = parseOptions(argv);
      assert.equal(result.kind, 'help', argv.join(' '));
    }
    assert.equal(optionsOf(parseOptions([ETCD, '--help=false'])).securePort, 6443);
  });
});

describe('OIDC and webhook flags', () => {
  const ISSUER = '--oidc-issuer-url=https://issuer.example.com';
  const oidcOf = (argv: string[]) => loadOIDCConfig(optionsOf(parseOptions([ETCD, ISSUER, '--oidc-client-id=kgate', ...argv])));

  it('defaults as kube-apiserver: sub, RS256, webhook versions v1beta1, TTLs 2m / 5m / 30s', () => {
    const options = optionsOf(parseOptions([ETCD]));
    assert.equal(options.oidcUsernameClaim, 'sub');
    assert.deepEqual(options.oidcSigningAlgs, ['RS256']);
    assert.equal(options.authenticationTokenWebhookVersion, 'v1beta1');
    assert.equal(options.authenticationTokenWebhookCacheTTLMs, 120_000);
    assert.equal(options.authorizationWebhookVersion, 'v1beta1');
    assert.equal(options.authorizationWebhookCacheAuthorizedTTLMs, 300_000);
    assert.equal(options.authorizationWebhookCacheUnauthorizedTTLMs, 30_000);
  });

  it('prefixes non-email usernames with the issuer URL and "#" unless a prefix is given; "-" means none', async () => {
    assert.equal((await oidcOf([]))?.usernamePrefix, 'https://issuer.example.com#');
    assert.equal((await oidcOf(['--oidc-username-claim=email']))?.usernamePrefix, '');
    assert.equal((await oidcOf(['--oidc-username-claim=email', '--oidc-username-prefix=mail:']))?.usernamePrefix, 'mail:');
    assert.equal((await oidcOf(['--oidc-username-prefix=-']))?.usernamePrefix, '');
    assert.equal((await oidcOf(['--oidc-username-prefix=corp:']))?.usernamePrefix, 'corp:');
  });

  it('reads --oidc-required-claim as repeated key=value pairs and --oidc-signing-algs as a list', async () => {
    const config = await oidcOf([
      '--oidc-required-claim=tenant=blue',
      '--oidc-required-claim',
      ' tier = a=b ',
      '--oidc-signing-algs=ES256,RS256',
    ]);
    assert.deepEqual(config?.requiredClaims, { tenant: 'blue', tier: 'a=b' });
    assert.deepEqual(config?.signingAlgs, ['ES256', 'RS256']);
    assert.equal(
      errorOf(parseOptions([ETCD, '--oidc-required-claim=tenant'])),
      'invalid argument "tenant" for "--oidc-required-claim" flag: malformed pair, expect string=string',
    );
  });

  it('wants --oidc-issuer-url and --oidc-client-id together once any --oidc-* flag is set', async () => {
    const message = 'oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set';
    assert.equal(errorOf(parseOptions([ETCD, '--oidc-username-claim=sub'])), message);
    assert.equal(errorOf(parseOptions([ETCD, ISSUER])), message);
    assert.equal(await loadOIDCConfig(optionsOf(parseOptions([ETCD]))), undefined);
  });
});

describe('helpText', () => {
  const text = helpText();

  it('lists every flag with its type', () => {
    assert.deepEqual(flagNames().sort(), [
      'admission-control-config-file',
      'advertise-address',
      'anonymous-auth',
      'api-audiences',
      'authentication-token-webhook-cache-ttl',
      'authentication-token-webhook-config-file',
      'authentication-token-webhook-version',
      'authorization-mode',
      'authorization-webhook-cache-authorized-ttl',
      'authorization-webhook-cache-unauthorized-ttl',
      'authorization-webhook-config-file',
      'authorization-webhook-version',
      'bind-address',
      'cert-dir',
      'client-ca-file',
      'disable-admission-plugins',
      'enable-admission-plugins',
      'etcd-cafile',
      'etcd-certfile',
      'etcd-compaction-interval',
      'etcd-keyfile',
      'etcd-prefix',
      'etcd-servers',
      'event-ttl',
      'help',
      'oidc-ca-file',
      'oidc-client-id',
      'oidc-groups-claim',
      'oidc-groups-prefix',
      'oidc-issuer-url',
      'oidc-required-claim',
      'oidc-signing-algs',
      'oidc-username-claim',
      'oidc-username-prefix',
      'secure-port',
      'service-account-extend-token-expiration',
      'service-account-issuer',
      'service-account-jwks-uri',
      'service-account-key-file',
      'service-account-lookup',
      'service-account-max-token-expiration',
      'service-account-signing-key-file',
      'service-cluster-ip-range',
      'service-node-port-range',
      'tls-cert-file',
      'tls-private-key-file',
      'token-auth-file',
      'v',
      'watch-cache',
      'workers',
    ]);
    for (const name of flagNames()) assert.match(text, new RegExp(`--${name}\\b`), name);
    assert.match(text, /^ {6}--etcd-servers strings {2,}List of etcd servers/m);
    assert.match(text, /^ {6}--etcd-compaction-interval duration {2,}\S/m);
    assert.match(text, /^ {6}--event-ttl duration {2,}Amount of time to retain events\. \(default 1h0m0s\)$/m);
    assert.match(text, /^ {6}--watch-cache {2,}Enable watch caching in the apiserver \(default true\)$/m);
    assert.match(text, /^ {6}--workers int {2,}Number of serving processes/m);
    assert.match(text, /^ {2}-v, --v Level {2,}number for the log level verbosity$/m);
    assert.match(text, /^ {2}-h, --help {2,}help for kgate$/m);
    assert.match(text, /^ {6}--service-node-port-range portRange {2,}A port range .*\(default 30000-32767\)$/m);
    assert.match(text, /^ {6}--advertise-address ip {2,}The IP address on which to advertise/m);
  });

  it('shows defaults the way pflag prints them', () => {
    assert.match(text, /--etcd-prefix string .*\(default "\/registry"\)$/m);
    assert.match(text, /--etcd-compaction-interval duration .*\(default 5m0s\)$/m);
    assert.match(text, /--secure-port int .*\(default 6443\)$/m);
    assert.match(text, /--bind-address ip .*\(default 0\.0\.0\.0\)$/m);
    assert.match(text, /--cert-dir string .*\(default "\/var\/run\/kubernetes"\)$/m);
    assert.doesNotMatch(text, /--token-auth-file string .*\(default/);
  });
});

describe('duration flags', () => {
  it('stores durations in milliseconds, fractions and compound units included', () => {
    const options = optionsOf(parseOptions([ETCD, '--event-ttl=1h30m', '--etcd-compaction-interval=1.5s']));
    assert.equal(options.eventTTLMs, 5_400_000);
    assert.equal(options.etcdCompactionIntervalMs, 1500);
  });

  it('disables compaction with 0 and rejects negative intervals', () => {
    assert.equal(optionsOf(parseOptions([ETCD, '--etcd-compaction-interval=0'])).etcdCompactionIntervalMs, 0);
    assert.equal(
      errorOf(parseOptions([ETCD, '--etcd-compaction-interval=-1m'])),
      '--etcd-compaction-interval must be greater than or equal to 0',
    );
  });
});

describe('loadConfig', () => {
  let dir: string;
  const warnings: string[] = [];
  const log = { info: () => undefined, warn: (message: string) => warnings.push(message) };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kgate-options-'));
    warnings.length = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates a CA-signed serving certificate in --cert-dir and reuses it', async () => {
    const certDir = join(dir, 'certs');
    const options = { ...DEFAULT_OPTIONS, etcdServers: ['http://e:1'], certDir, bindAddress: '127.0.0.2' };
    const first = await loadConfig(options, log);
    const leaf = new X509Certificate(first.serving.cert);
    const ca = new X509Certificate(await readFile(join(certDir, 'ca.crt'), 'utf8'));
    assert.equal(leaf.verify(ca.publicKey), true);
    assert.equal(ca.subject, 'CN=kgate-ca');
    for (const ip of ['127.0.0.1', '::1', '127.0.0.2']) assert.ok(leaf.checkIP(ip), ip);
    assert.ok(leaf.checkHost('localhost'));
    assert.equal((await stat(join(certDir, 'apiserver.key'))).mode & 0o777, 0o600);

    const second = await loadConfig(options, log);
    assert.deepEqual(second.serving.cert, first.serving.cert);
    assert.deepEqual(second.serving.key, first.serving.key);
  });

  it('reads the TLS pair, etcd TLS files and the token file it is given', async () => {
    await writeFile(join(dir, 'tls.crt'), 'CERT');
    await writeFile(join(dir, 'tls.key'), 'KEY');
    await writeFile(join(dir, 'etcd-ca.crt'), 'ETCDCA');
    await writeFile(join(dir, 'tokens.csv'), 't1,alice,1,"a,b"\nt1,bob,2\n');
    const config = await loadConfig(
      {
        ...DEFAULT_OPTIONS,
        etcdServers: ['http://e:1'],
        etcdCafile: join(dir, 'etcd-ca.crt'),
        tlsCertFile: join(dir, 'tls.crt'),
        tlsPrivateKeyFile: join(dir, 'tls.key'),
        tokenAuthFile: join(dir, 'tokens.csv'),
        securePort: 0,
        verbosity: 2,
      },
      log,
    );
    assert.equal(config.serving.cert.toString(), 'CERT');
    assert.equal(config.serving.key.toString(), 'KEY');
    assert.equal(config.serving.securePort, 0);
    assert.equal(config.etcd.ca?.toString(), 'ETCDCA');
    assert.equal(config.etcd.cert, undefined);
    assert.deepEqual(config.authentication.tokens, [{ token: 't1', user: 'bob', uid: '2', groups: [] }]);
    assert.deepEqual(warnings, [`duplicate token has been found in token file '${join(dir, 'tokens.csv')}', record number '2'`]);
    assert.equal(config.verbosity, 2);
  });
});

describe('ServiceAccount token flags', () => {
  let dir: string;
  const log = { info: () => undefined, warn: () => undefined };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kgate-sa-options-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are optional, but once one is given kube-apiserver’s required-together checks apply', () => {
    assert.equal(parseOptions([ETCD]).kind, 'options');
    assert.equal(
      errorOf(parseOptions([ETCD, '--service-account-issuer=https://a'])),
      '[either `--service-account-key-file` or `--service-account-signing-endpoint` must be set, ' +
        '--service-account-signing-key-file, --service-account-issuer, and --api-audiences should be specified together]',
    );
    assert.equal(
      errorOf(parseOptions([ETCD, '--service-account-key-file=/k', '--service-account-signing-key-file=/k'])),
      '[service-account-issuer is a required flag, ' +
        '--service-account-signing-key-file, --service-account-issuer, and --api-audiences should be specified together]',
    );
    const base = [ETCD, '--service-account-key-file=/k', '--service-account-signing-key-file=/k'];
    assert.equal(
      errorOf(parseOptions([...base, '--service-account-issuer=https://a', '--service-account-issuer=https://a'])),
      'service-account-issuer "https://a" is already specified',
    );
    assert.equal(optionsOf(parseOptions([...base, '--service-account-issuer=https://a'])).serviceAccountIssuers[0], 'https://a');
  });

  it('refuse to start on a key file without keys, naming the file as kube does', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = join(dir, 'sa.key');
    const bad = join(dir, 'bad.pem');
    await writeFile(key, pair.privateKey.export({ type: 'sec1', format: 'pem' }));
    await writeFile(bad, 'not a key\n');
    const options = (extra: Partial<KgateOptions>): KgateOptions => ({
      ...DEFAULT_OPTIONS,
      etcdServers: ['http://e:1'],
      certDir: join(dir, 'certs'),
      serviceAccountIssuers: ['https://issuer.example'],
      serviceAccountKeyFiles: [key],
      serviceAccountSigningKeyFile: key,
      ...extra,
    });
    await assert.rejects(loadConfig(options({ serviceAccountKeyFiles: [key, bad] }), log), {
      message: `error reading public key file ${bad}: data does not contain any valid RSA or ECDSA public keys`,
    });
    await assert.rejects(loadConfig(options({ serviceAccountSigningKeyFile: bad }), log), {
      message: `failed to parse service-account-issuer-key-file: error reading private key file ${bad}: data does not contain a valid RSA or ECDSA private key`,
    });
    await assert.rejects(loadConfig(options({ serviceAccountKeyFiles: [join(dir, 'missing.pem')] }), log), {
      message: `open ${join(dir, 'missing.pem')}: no such file or directory`,
    });
    await assert.rejects(loadConfig(options({ serviceAccountMaxTokenExpirationMs: 60_000 }), log), {
      message: 'the service-account-max-token-expiration must be between 1 hour and 2^32 seconds',
    });
    const config = await loadConfig(options({}), log);
    assert.deepEqual(config.serviceAccounts?.apiAudiences, ['https://issuer.example']);
    assert.equal(config.serviceAccounts?.publicKeys[0].algorithm, 'ES256');
  });
});
