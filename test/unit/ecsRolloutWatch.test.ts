import * as assert from 'node:assert/strict';
import { AwsCluster, ServiceRollout } from '../../src/core/aws/awsCluster';
import { Backoff } from '../../src/core/live/backoff';
import { AwsSection } from '../../src/core/store/awsSection';
import { until } from '../support/until';

// The ECS rollout follow reads through the store: one DescribeServices at a time, the service's row updated
// as it goes, a growing wait after a failure, and an end that reloads the section once.

const rollout = (state: string | undefined, running: number): ServiceRollout => ({ running, desired: 2, pending: 2 - running, taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/gallery:8', rolloutState: state, deployments: 2 });

function sectionWith(answers: (ServiceRollout | Error)[]) {
  const calls: string[] = [];
  let next = 0;
  const cluster = {
    serviceRollout: async (_cluster: string, service: string) => {
      calls.push(`DescribeServices ${service}`);
      const answer = answers[Math.min(next++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    clusterInstances: async () => [],
    elasticIps: async () => [],
    ecsServices: async () => {
      calls.push('ListServices');
      return [{ name: 'gallery', arn: 'arn', status: 'ACTIVE', desired: 2, running: 0, pending: 2, taskDefinition: 'td', images: [] }];
    },
  } as unknown as AwsCluster;
  const aws = { region: 'eu-west-1', ecsCluster: 'hashistack', clusterTag: undefined } as never;
  const section = new AwsSection(aws, async () => ({ cluster, aws }), { ecsRolloutPollMs: 10, backoff: new Backoff(10, 40) });
  return { section, calls };
}

describe('Following an ECS rollout through the store', () => {
  it('reads until COMPLETED, updating the service row as it goes, then reloads the section once', async () => {
    const { section, calls } = sectionWith([rollout('IN_PROGRESS', 0), rollout('IN_PROGRESS', 1), rollout('COMPLETED', 2)]);
    await section.refresh();
    const rows: number[] = [];
    section.onDidChange(() => rows.push(section.state.data?.services?.[0]?.running ?? -1));
    const watch = section.watchRollout('gallery');
    try {
      await until(() => watch.state.outcome, 'the outcome');
      assert.equal(watch.state.outcome, 'completed');
      assert.ok(rows.includes(1) && rows.includes(2), `the row moved with the rollout: ${rows.join(', ')}`);
      await until(() => calls.filter((call) => call === 'ListServices').length === 2, 'one reload at the end');
      assert.equal(calls.filter((call) => call.startsWith('DescribeServices')).length, 3, 'no read after the end');
    } finally {
      watch.dispose();
      section.dispose();
    }
  });

  it('backs off after a failed read and gives up after a few, saying why', async () => {
    const { section, calls } = sectionWith([new Error('ThrottlingException: Rate exceeded')]);
    await section.refresh();
    const watch = section.watchRollout('gallery');
    try {
      await until(() => watch.state.gaveUp, 'the give-up');
      assert.match(String((watch.state.error as Error).message), /Rate exceeded/);
      assert.equal(calls.filter((call) => call.startsWith('DescribeServices')).length, 3);
    } finally {
      watch.dispose();
      section.dispose();
    }
  });

  it('two follows of one service share one watch, which stops when both are done', async () => {
    const { section, calls } = sectionWith([rollout('IN_PROGRESS', 0)]);
    await section.refresh();
    const first = section.watchRollout('gallery');
    const second = section.watchRollout('gallery');
    await until(() => calls.filter((call) => call.startsWith('DescribeServices')).length >= 2, 'reads');
    first.dispose();
    const during = calls.length;
    await until(() => calls.length > during, 'still read for the second');
    assert.equal(first.state, second.state, 'one watch');
    second.dispose();
    const third = section.watchRollout('gallery');
    assert.notEqual(third.state, first.state, 'the shared watch ended with its last follow: a new one starts afresh');
    third.dispose();
    section.dispose();
  });
});
