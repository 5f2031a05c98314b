// The webhook token authenticator and webhook authorizer with a fake poster and clock: how long answers are
// cached (kube's TTL flags, 0 for none), which answers are never cached, and the decisions kube derives from a
// review's status. The HTTP side is covered by test/integration/oidc-webhook.test.ts.
import assert from 'node:assert/strict';
import { WebhookTokenAuthenticator } from '../../src/authentication/webhook.js';
import type { Attributes } from '../../src/authorization/index.js';
import { WebhookAuthorizer } from '../../src/authorization/webhook.js';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const attributes = (over: Partial<Attributes> = {}): Attributes => ({
  user: { name: 'wendy', uid: '', groups: ['system:authenticated'] },
  verb: 'get',
  namespace: 'default',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'configmaps',
  subresource: '',
  name: 'cm',
  resourceRequest: true,
  path: '/api/v1/namespaces/default/configmaps/cm',
  ...over,
});

describe('WebhookTokenAuthenticator', () => {
  const creds = (token: string) => ({ authorization: `Bearer ${token}` });

  it('caches answers for the TTL, then asks again; 0 caches nothing', async () => {
    const c = clock();
    let calls = 0;
    const post = async () => {
      calls++;
      return { status: { authenticated: true, user: { username: 'wendy' } } };
    };
    const cached = new WebhookTokenAuthenticator(post, { version: 'v1', cacheTTLMs: 60_000, now: c.now });
    assert.deepEqual(await cached.authenticate(creds('t')), {
      kind: 'authenticated',
      user: { name: 'wendy', uid: '', groups: ['system:authenticated'] },
    });
    await cached.authenticate(creds('t'));
    assert.equal(calls, 1);
    c.advance(60_000);
    await cached.authenticate(creds('t'));
    assert.equal(calls, 2);
    const uncached = new WebhookTokenAuthenticator(post, { version: 'v1', cacheTTLMs: 0, now: c.now });
    await uncached.authenticate(creds('t'));
    await uncached.authenticate(creds('t'));
    assert.equal(calls, 4);
  });

  it('shares one call among concurrent requests with the same token', async () => {
    let calls = 0;
    const post = async () => {
      calls++;
      return { status: { authenticated: true, user: { username: 'wendy' } } };
    };
    const authn = new WebhookTokenAuthenticator(post, { version: 'v1', cacheTTLMs: 0 });
    await Promise.all([authn.authenticate(creds('t')), authn.authenticate(creds('t'))]);
    assert.equal(calls, 1);
  });

  it('does not cache a failed call; rejects it', async () => {
    let calls = 0;
    const post = async () => {
      calls++;
      throw new Error('connection refused');
    };
    const authn = new WebhookTokenAuthenticator(post, { version: 'v1', cacheTTLMs: 60_000 });
    assert.deepEqual(await authn.authenticate(creds('t')), { kind: 'rejected' });
    assert.deepEqual(await authn.authenticate(creds('t')), { kind: 'rejected' });
    assert.equal(calls, 2);
  });

  it('with API audiences, sends them and refuses an answer for other audiences', async () => {
    const sent: any[] = [];
    const post = async (review: any) => {
      sent.push(review);
      return { status: { authenticated: true, audiences: ['other'], user: { username: 'wendy' } } };
    };
    const authn = new WebhookTokenAuthenticator(post, { version: 'v1', cacheTTLMs: 0, audiences: ['https://kgate'] });
    assert.deepEqual(await authn.authenticate(creds('t')), { kind: 'rejected' });
    assert.deepEqual(sent[0].spec, { token: 't', audiences: ['https://kgate'] });
  });

  it('leaves requests without a bearer token to others', () => {
    const authn = new WebhookTokenAuthenticator(async () => ({}), { version: 'v1', cacheTTLMs: 0 });
    assert.deepEqual(authn.authenticate({}), { kind: 'none' });
    assert.deepEqual(authn.authenticate({ authorization: 'Basic abc' }), { kind: 'none' });
  });
});

describe('WebhookAuthorizer', () => {
  it('caches allowed answers for the authorized TTL and others for the unauthorized TTL', async () => {
    const c = clock();
    let calls = 0;
    const post = async (review: any) => {
      calls++;
      return { status: { allowed: review.spec.resourceAttributes.namespace === 'yes' } };
    };
    const authz = new WebhookAuthorizer(post, { version: 'v1', authorizedTTLMs: 300_000, unauthorizedTTLMs: 30_000, now: c.now });
    const yes = attributes({ namespace: 'yes' });
    const no = attributes({ namespace: 'no' });
    assert.equal((await authz.authorize(yes)).decision, 'Allow');
    assert.equal((await authz.authorize(no)).decision, 'NoOpinion');
    c.advance(30_000);
    await authz.authorize(yes);
    await authz.authorize(no);
    assert.equal(calls, 3, 'only the unauthorized answer expired');
    c.advance(270_000);
    await authz.authorize(yes);
    assert.equal(calls, 4);
  });

  it('derives kube’s decisions from the status', async () => {
    const answers: Record<string, object> = {
      allowed: { allowed: true, reason: 'ok' },
      denied: { denied: true, reason: 'no way' },
      both: { allowed: true, denied: true, reason: 'confused' },
      none: { reason: 'not mine' },
    };
    const post = async (review: any) => ({ status: answers[review.spec.resourceAttributes.namespace] });
    const authz = new WebhookAuthorizer(post, { version: 'v1', authorizedTTLMs: 0, unauthorizedTTLMs: 0 });
    assert.deepEqual(await authz.authorize(attributes({ namespace: 'allowed' })), { decision: 'Allow', reason: 'ok' });
    assert.deepEqual(await authz.authorize(attributes({ namespace: 'denied' })), { decision: 'Deny', reason: 'no way' });
    assert.deepEqual(await authz.authorize(attributes({ namespace: 'both' })), {
      decision: 'Deny',
      reason: 'confused',
      error: 'webhook subject access review returned both allow and deny response',
    });
    assert.deepEqual(await authz.authorize(attributes({ namespace: 'none' })), { decision: 'NoOpinion', reason: 'not mine' });
  });

  it('a failed call is no opinion with the error, never cached', async () => {
    let calls = 0;
    const post = async () => {
      calls++;
      throw new Error('boom');
    };
    const authz = new WebhookAuthorizer(post, { version: 'v1', authorizedTTLMs: 60_000, unauthorizedTTLMs: 60_000 });
    assert.deepEqual(await authz.authorize(attributes()), { decision: 'NoOpinion', reason: '', error: 'boom' });
    await authz.authorize(attributes());
    assert.equal(calls, 2);
  });
});
