import { Testing } from 'cdktf';
import { WEIGHTS_NAMED_VALUE_PREFIX } from '../../constructs/gateway/policies';
import type { Experiment } from '../../constructs/gateway/validation';
import { diffOutputs } from '../../lib/plan-diff/diff';
import { EXPERIMENT_WEIGHTS_PREFIX } from '../../lib/plan-diff/rules/index';
import { parseStackConfig, type SynthOutput } from '../../lib/plan-diff/synth-output';
import { buildGateway } from './fixtures';

/** The synth output of a gateway (one failover region) running `experiment`, as plan:diff reads it. */
function output(experiment: Experiment): SynthOutput {
  const { stack } = buildGateway(
    { experiments: { chat: experiment } },
    { secondaryLocations: ['francecentral'] },
  );
  return { stacks: new Map([['dev', parseStackConfig(JSON.parse(Testing.synth(stack, true)), 'dev')]]) };
}

const split = (control: number, candidate: number): Experiment => ({
  variants: {
    control: { deployment: 'chat', weight: control },
    candidate: { deployment: 'chat-v2', promptVersion: 'v7', weight: candidate },
  },
});

describe('rolling back an experiment, as npm run plan:diff sees it', () => {
  test('moving the weights changes one short value in place and blocks nothing', () => {
    // GIVEN a 90/10 experiment on the target branch and its rollback (100/0) in the pull request
    // WHEN plan:diff compares the two synth outputs
    const report = diffOutputs(output(split(90, 10)), output(split(100, 0)));
    // THEN exactly one resource changes, in place: the experiment's weights
    const changes = report.stacks[0]!.changes;
    expect(changes.map((c) => [c.type, c.action])).toEqual([
      ['azurerm_api_management_named_value', 'update'],
    ]);
    expect(changes[0]!.attributes).toEqual([
      {
        path: 'value',
        before: 'control=90;candidate=10',
        after: 'control=100;candidate=0',
        sensitive: false,
      },
    ]);
    expect(report.blocking).toEqual([]);
    // AND the review shows the rollback as notable lines, variant by variant
    expect(report.notable.map((f) => [f.kind, f.message])).toEqual([
      ['gateway-weight', 'experiment `chat` variant `candidate`: weight `10` -> `0`'],
      ['gateway-weight', 'experiment `chat` variant `control`: weight `90` -> `100`'],
    ]);
  });

  test('the weights prefix plan:diff looks for is the one the gateway writes', () => {
    expect(EXPERIMENT_WEIGHTS_PREFIX).toBe(WEIGHTS_NAMED_VALUE_PREFIX);
  });

  test('adding a failover region shows the new pool member as a notable weight line', () => {
    // GIVEN the same gateway gaining a second failover region
    const base = output(split(90, 10));
    const { stack } = buildGateway(
      { experiments: { chat: split(90, 10) } },
      { secondaryLocations: ['francecentral', 'uksouth'] },
    );
    const head: SynthOutput = {
      stacks: new Map([['dev', parseStackConfig(JSON.parse(Testing.synth(stack, true)), 'dev')]]),
    };
    // WHEN diffed
    const report = diffOutputs(base, head);
    // THEN each pool reports the new member and the split of failover traffic, none of it blocking
    const poolChat = report.notable.filter(
      (f) => f.kind === 'gateway-weight' && f.address.includes('pool-chat_'),
    );
    expect(poolChat.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^pool backend `\$\{azurerm_api_management_backend\.Gateway_Backends_chat-francecentral_[0-9A-F]{8}\.id\}`: weight `100` -> `50`$/,
      ),
      expect.stringMatching(
        /^pool backend `\$\{azurerm_api_management_backend\.Gateway_Backends_chat-uksouth_[0-9A-F]{8}\.id\}` added: weight `50`, priority `2`$/,
      ),
    ]);
    expect(report.blocking).toEqual([]);
  });
});
