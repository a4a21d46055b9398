import * as assert from 'node:assert/strict';
import { ecsExecTarget, pluginReadsEnvironment, serviceEndpoint, SESSION_ENV_NAME, sessionInvocation } from '../../src/core/aws/sessionPlugin';

describe('session-manager-plugin, started as the AWS CLI starts it (awscli/customizations/ecs/executecommand.py)', () => {
  it('gives the session in the environment to plugins after 1.2.497.0, in the arguments to older ones', () => {
    assert.equal(pluginReadsEnvironment('1.2.707.0'), true);
    assert.equal(pluginReadsEnvironment('1.2.497.1'), true);
    assert.equal(pluginReadsEnvironment('1.2.497.0'), false, 'the last version without it');
    assert.equal(pluginReadsEnvironment('1.1.61.0'), false);
    assert.equal(pluginReadsEnvironment(''), false, 'a version that cannot be read: the argument, which every plugin takes');
    const session = { sessionId: 'ecs-execute-command-1', streamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/x', tokenValue: 'secret-token' };
    const modern = sessionInvocation({ session, region: 'eu-west-1', profile: 'prod-sso', target: 'ecs:hashistack_abc_def', endpoint: 'https://ecs.eu-west-1.amazonaws.com', pluginVersion: '1.2.707.0' });
    assert.deepEqual(modern.args, [SESSION_ENV_NAME, 'eu-west-1', 'StartSession', 'prod-sso', '{"Target":"ecs:hashistack_abc_def"}', 'https://ecs.eu-west-1.amazonaws.com']);
    assert.ok(!modern.args.join(' ').includes('secret-token'), 'the token is not in the arguments (a process list would show it)');
    assert.deepEqual(JSON.parse(modern.env[SESSION_ENV_NAME]!), session);
    const old = sessionInvocation({ session, region: 'eu-west-1', target: 'i-0abc', endpoint: 'https://ssm.eu-west-1.amazonaws.com', pluginVersion: '1.2.295.0' });
    assert.deepEqual(JSON.parse(old.args[0]!), session);
    assert.equal(old.args[3], '', 'no profile: an empty argument, as the CLI passes');
    assert.deepEqual(old.env, {});
  });

  it('names the ECS Exec target and the endpoints as the CLI does', () => {
    assert.equal(ecsExecTarget('arn:aws:ecs:eu-west-1:123456789012:cluster/hashistack', 'arn:aws:ecs:eu-west-1:123456789012:task/hashistack/5f1c', '5f1c-2531612879'), 'ecs:hashistack_5f1c_5f1c-2531612879');
    assert.equal(serviceEndpoint('ssm', 'eu-west-1', undefined), 'https://ssm.eu-west-1.amazonaws.com');
    assert.equal(serviceEndpoint('ecs', 'eu-west-1', 'http://127.0.0.1:4566'), 'http://127.0.0.1:4566');
  });
});
