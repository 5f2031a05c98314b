// Which admission plugins run, in which order: kube's default-on set and the two flags (enabledPluginNames).
import assert from 'node:assert/strict';
import { ALL_ORDERED_PLUGINS, DEFAULT_ON_PLUGINS, enabledPluginNames } from '../../src/admission/plugins.js';
import { AdmissionChain, type AdmissionAttributes, type AdmissionPlugin } from '../../src/admission/index.js';

describe('admission plugins', () => {
  it("enables kube's default-on set in kube's order when no flag is given", () => {
    const names = enabledPluginNames([], []);
    assert.deepEqual(
      names,
      ALL_ORDERED_PLUGINS.filter((n) => DEFAULT_ON_PLUGINS.has(n)),
    );
    assert.equal(names[0], 'NamespaceLifecycle');
    assert.deepEqual(names.slice(-5), [
      'MutatingAdmissionPolicy',
      'MutatingAdmissionWebhook',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionWebhook',
      'ResourceQuota',
    ]);
    assert.ok(!names.includes('NodeRestriction'));
  });

  it('adds enabled plugins in their place and drops disabled ones, whatever the flag order', () => {
    const names = enabledPluginNames(['AlwaysDeny', 'NodeRestriction'], ['ResourceQuota', 'LimitRanger']);
    assert.ok(names.indexOf('NodeRestriction') > names.indexOf('ServiceAccount'));
    assert.ok(names.indexOf('NodeRestriction') < names.indexOf('TaintNodesByCondition'));
    assert.equal(names.at(-1), 'AlwaysDeny');
    assert.ok(!names.includes('ResourceQuota') && !names.includes('LimitRanger'));
  });
});

describe('AdmissionChain', () => {
  it('runs every mutating plugin before any validating one, each phase in order, and reports a change', async () => {
    const seen: string[] = [];
    const plugin = (name: string, mutates: boolean): AdmissionPlugin => ({
      name,
      admit: () => {
        seen.push(`admit ${name}`);
        return mutates;
      },
      validate: () => {
        seen.push(`validate ${name}`);
      },
    });
    const chain = new AdmissionChain([plugin('a', false), plugin('b', true), { name: 'c', validate: () => void seen.push('validate c') }]);
    const a = {} as AdmissionAttributes;
    assert.equal(await chain.admit(a), true);
    await chain.validate(a);
    assert.deepEqual(seen, ['admit a', 'admit b', 'validate a', 'validate b', 'validate c']);
    assert.equal(await new AdmissionChain([plugin('a', false)]).admit(a), false);
  });
});
