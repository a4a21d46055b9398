import * as assert from 'node:assert/strict';
import { AwsCluster, loadAwsModules, rolloutOutcome } from '../../src/core/aws/awsCluster';
import { describeAwsError } from '../../src/core/aws/awsErrors';
import { elasticIpTarget } from '../../src/core/tree/aws/awsProperties';
import { planElasticIpPairing } from '../../src/core/aws/eipPairing';
import { recordedJson, recordedText } from '../support/recorded';
import { isolateAwsEnvironment } from '../support/awsEnvironment';
import { RecordedRequest, ReplayResponse, useReplayServer } from '../support/replayServer';

// AWS's own recorded responses, replayed to the real SDK clients (their serializers and deserializers
// run). EC2 is Query/XML routed on the Action form field; ECS is JSON 1.1 routed on X-Amz-Target.
const XML = 'text/xml;charset=UTF-8';
const JSON_11 = 'application/x-amz-json-1.1';

function ec2Action(request: RecordedRequest): string | undefined {
  return new URLSearchParams(request.body).get('Action') ?? undefined;
}

function ecsOperation(request: RecordedRequest): string | undefined {
  return (request.headers['x-amz-target'] as string | undefined)?.split('.').pop();
}

describe('AwsCluster against recorded EC2 and ECS responses, through the real SDK', function () {
  this.timeout(30_000);
  isolateAwsEnvironment();
  const replay = useReplayServer({});
  const cluster = async (region = 'eu-west-1') => new AwsCluster(await loadAwsModules(), { region, endpoint: replay().address, maxAttempts: 1 });
  const answerEc2 = (answers: Record<string, ReplayResponse | ((request: RecordedRequest) => ReplayResponse)>) =>
    replay().use((request) => {
      const answer = answers[ec2Action(request) ?? ''];
      return typeof answer === 'function' ? answer(request) : answer;
    });
  const answerEcs = (answers: Record<string, ReplayResponse | ((request: RecordedRequest) => ReplayResponse)>) =>
    replay().use((request) => {
      const answer = answers[ecsOperation(request) ?? ''];
      return typeof answer === 'function' ? answer(request) : answer;
    });

  it('lists the tagged instances with a tag filter, following NextToken across pages', async () => {
    // The recorded body has no NextToken: the first page gets one, as a paged answer would.
    const first = recordedText('aws/ec2/describe-instances.xml').replace('</DescribeInstancesResponse>', '<nextToken>page-2</nextToken></DescribeInstancesResponse>');
    answerEc2({
      DescribeInstances: (request) => ({ body: new URLSearchParams(request.body).get('NextToken') === 'page-2' ? recordedText('aws/ec2/describe-instances-two-reservations.xml') : first, contentType: XML }),
    });
    const instances = await (await cluster()).clusterInstances('hashistack-cluster', 'hashistack');
    const requests = replay().requests.map((request) => new URLSearchParams(request.body));
    assert.equal(requests.length, 2);
    assert.equal(requests[0]!.get('Filter.1.Name'), 'tag:hashistack-cluster');
    assert.equal(requests[0]!.get('Filter.1.Value.1'), 'hashistack');
    assert.equal(requests[0]!.get('Filter.2.Name'), 'instance-state-name');
    assert.equal(requests[1]!.get('NextToken'), 'page-2');
    const server = instances.find((instance) => instance.instanceId === 'i-1234567890abcdef0')!;
    assert.equal(server.name, 'Server_1');
    assert.equal(server.state, 'running');
    assert.equal(server.privateIp, '192.168.1.88');
    assert.equal(server.publicIp, '54.194.252.215');
    assert.ok(server.launchTime instanceof Date);
    assert.ok(instances.length >= 3, 'both pages are read');
  });

  it('lists Elastic IPs with what they are attached to, and pairs the free ones with nodes', async () => {
    answerEc2({ DescribeAddresses: { file: 'aws/ec2/describe-addresses.xml', contentType: XML } });
    const addresses = await (await cluster()).elasticIps();
    assert.deepEqual(addresses, [
      {
        allocationId: 'eipalloc-08229861',
        publicIp: '203.0.113.41',
        instanceId: 'i-0598c7d356eba48d7',
        associationId: 'eipassoc-f0229899',
        networkInterfaceOwner: undefined,
        networkInterface: { id: 'eni-ef229886', ownerId: '053230519467', privateIp: '10.0.0.228', serviceManaged: undefined },
      },
    ]);
    assert.equal(replay().requests.length, 1, 'an address on an instance needs no interface look-up');
    const plan = planElasticIpPairing([{ instanceId: 'i-0598c7d356eba48d7' }], addresses);
    assert.deepEqual(plan.associate, [], 'the node already has it: nothing to do');
  });

  it('words what each address of the recorded mixed answer is on: EC2-Classic ones are left out, the VPC one is free', async () => {
    answerEc2({ DescribeAddresses: { file: 'aws/ec2/describe-addresses-mixed.xml', contentType: XML } });
    const addresses = await (await cluster()).elasticIps();
    assert.deepEqual(addresses.map((address) => address.publicIp), ['50.112.139.73'], 'standard (EC2-Classic) addresses have no allocation ID');
    assert.equal(elasticIpTarget(addresses[0]!, new Map()), 'free');
  });

  it('names the NAT gateway and the load balancer an address is on, from their interfaces', async () => {
    // DescribeAddresses and DescribeNetworkInterfaces bodies in the API Reference's shapes (fields as documented).
    const item = (ip: string, allocation: string, eni: string, owner: string) =>
      `<item><publicIp>${ip}</publicIp><allocationId>${allocation}</allocationId><domain>vpc</domain><associationId>eipassoc-${allocation.slice(9)}</associationId><networkInterfaceId>${eni}</networkInterfaceId><networkInterfaceOwnerId>${owner}</networkInterfaceOwnerId><privateIpAddress>10.0.0.9</privateIpAddress></item>`;
    const describeAddresses = `<DescribeAddressesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><addressesSet>${item('198.51.100.1', 'eipalloc-0nat', 'eni-0nat', '210987654321')}${item('198.51.100.2', 'eipalloc-0elb', 'eni-0elb', 'amazon-elb')}${item('198.51.100.3', 'eipalloc-0other', 'eni-0other', '210987654321')}</addressesSet></DescribeAddressesResponse>`;
    const eni = (id: string, description: string, type: string) => `<item><networkInterfaceId>${id}</networkInterfaceId><description>${description}</description><interfaceType>${type}</interfaceType><status>in-use</status></item>`;
    const describeInterfaces = `<DescribeNetworkInterfacesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><networkInterfaceSet>${eni('eni-0nat', 'Interface for NAT Gateway nat-0a1b2c3d4e5f60718', 'nat_gateway')}${eni('eni-0elb', 'ELB app/web/50dc6c495c0c9188', 'interface')}</networkInterfaceSet></DescribeNetworkInterfacesResponse>`;
    answerEc2({ DescribeAddresses: { body: describeAddresses, contentType: XML }, DescribeNetworkInterfaces: { body: describeInterfaces, contentType: XML } });
    const addresses = await (await cluster()).elasticIps();
    const words = addresses.map((address) => elasticIpTarget(address, new Map()));
    assert.deepEqual(words, ['NAT gateway nat-0a1b2c3d4e5f60718', 'ELB app/web/50dc6c495c0c9188', 'network interface eni-0other']);
    assert.ok(words.every((word) => !word.includes('210987654321')), 'never the owner account number');
    const form = new URLSearchParams(replay().requests[1]!.body);
    assert.deepEqual([form.get('NetworkInterfaceId.1'), form.get('NetworkInterfaceId.2'), form.get('NetworkInterfaceId.3')], ['eni-0nat', 'eni-0elb', 'eni-0other']);
    assert.ok(addresses.every((address) => address.networkInterfaceOwner), 'none of them is free for the pairing');
  });

  it('without ec2:DescribeNetworkInterfaces, names the interface by its ID', async () => {
    const describeAddresses = `<DescribeAddressesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><addressesSet><item><publicIp>198.51.100.1</publicIp><allocationId>eipalloc-0nat</allocationId><domain>vpc</domain><associationId>eipassoc-1</associationId><networkInterfaceId>eni-0nat</networkInterfaceId><networkInterfaceOwnerId>210987654321</networkInterfaceOwnerId></item></addressesSet></DescribeAddressesResponse>`;
    answerEc2({ DescribeAddresses: { body: describeAddresses, contentType: XML }, DescribeNetworkInterfaces: { status: 403, file: 'aws/ec2/error-unauthorized-operation.xml', contentType: XML } });
    const [address] = await (await cluster()).elasticIps();
    assert.equal(elasticIpTarget(address!, new Map()), 'network interface eni-0nat');
  });

  it('associates an address with AllocationId and InstanceId and returns the association', async () => {
    answerEc2({ AssociateAddress: { file: 'aws/ec2/associate-address.xml', contentType: XML } });
    const association = await (await cluster()).associate('eipalloc-5723d13e', 'i-0598c7d356eba48d7', false);
    assert.equal(association, 'eipassoc-fc5ca095');
    const form = new URLSearchParams(replay().requests[0]!.body);
    assert.equal(form.get('AllocationId'), 'eipalloc-5723d13e');
    assert.equal(form.get('InstanceId'), 'i-0598c7d356eba48d7');
    assert.equal(form.get('AllowReassociation'), 'false');
  });

  it('keeps the AWS words of UnauthorizedOperation and names the action', async () => {
    answerEc2({ AssociateAddress: { status: 403, file: 'aws/ec2/error-unauthorized-operation.xml', contentType: XML } });
    const error = await (await cluster()).associate('eipalloc-5723d13e', 'i-0598c7d356eba48d7', false).then(() => undefined, (e: unknown) => e);
    assert.equal((error as Error).name, 'UnauthorizedOperation');
    const message = describeAwsError(error, { action: 'ec2:AssociateAddress', region: 'eu-west-1' });
    assert.match(message, /^AWS denied ec2:AssociateAddress: You are not authorized to perform this operation\..*The identity's IAM policy needs ec2:AssociateAddress\.$/s);
  });

  it('says the credentials were refused on AuthFailure', async () => {
    answerEc2({ DescribeAddresses: { status: 401, file: 'aws/ec2/error-auth-failure.xml', contentType: XML } });
    const error = await (await cluster()).elasticIps().then(() => undefined, (e: unknown) => e);
    assert.match(describeAwsError(error, { action: 'ec2:DescribeAddresses', region: 'eu-west-1' }), /^AWS did not accept the credentials \(AuthFailure\)/);
  });

  it('lists ECS services page by page, describes them 10 at a time, and reads images from the task definition', async () => {
    const recorded = recordedJson<{ services: Record<string, unknown>[] }>('aws/ecs/describe-services.json').services[0]!;
    const arns = Array.from({ length: 12 }, (_, index) => `arn:aws:ecs:us-west-2:012345678910:service/telemetry/service-${index}`);
    answerEcs({
      ListServices: (request) => {
        const body = JSON.parse(request.body) as { nextToken?: string };
        return body.nextToken ? { body: JSON.stringify({ serviceArns: arns.slice(7) }), contentType: JSON_11 } : { body: JSON.stringify({ serviceArns: arns.slice(0, 7), nextToken: 'next' }), contentType: JSON_11 };
      },
      DescribeServices: (request) => {
        const body = JSON.parse(request.body) as { services: string[] };
        return { body: JSON.stringify({ services: body.services.map((arn) => ({ ...recorded, serviceArn: arn, serviceName: arn.split('/').pop(), taskDefinition: 'arn:aws:ecs:us-east-1:012345678910:task-definition/hello_world:10' })), failures: [] }), contentType: JSON_11 };
      },
      DescribeTaskDefinition: { file: 'aws/ecs/describe-task-definition.json', contentType: JSON_11 },
    });
    const services = await (await cluster('us-west-2')).ecsServices('telemetry');
    const operations = replay().requests.map(ecsOperation);
    assert.deepEqual(operations, ['ListServices', 'ListServices', 'DescribeServices', 'DescribeServices', 'DescribeTaskDefinition']);
    assert.equal(JSON.parse(replay().requests[2]!.body).services.length, 10);
    assert.equal(services.length, 12);
    assert.equal(services[0]!.revision, 'hello_world:10');
    assert.deepEqual(services[0]!.images.map((image) => image.image), ['public.ecr.aws/docker/library/wordpress:latest', 'public.ecr.aws/docker/library/mysql:latest']);
    assert.equal(services[0]!.rollout?.state, 'PRIMARY');
    // The recorded definition's containers declare no logConfiguration: nothing to tail, each named as such.
    assert.deepEqual(services[0]!.logging, { awslogs: [], elsewhere: [{ container: 'wordpress', driver: undefined }, { container: 'mysql', driver: undefined }] });
  });

  it('lists a service tasks with their private address and health', async () => {
    answerEcs({ ListTasks: { file: 'aws/ecs/list-tasks.json', contentType: JSON_11 }, DescribeTasks: { file: 'aws/ecs/describe-tasks.json', contentType: JSON_11 } });
    const tasks = await (await cluster('us-east-1')).ecsTasks('default', 'webserver');
    assert.equal(JSON.parse(replay().requests[0]!.body).serviceName, 'webserver');
    assert.equal(JSON.parse(replay().requests[1]!.body).tasks.length, 4);
    assert.deepEqual({ ...tasks[0], startedAt: tasks[0]!.startedAt instanceof Date }, { arn: 'arn:aws:ecs:us-east-1:123456789012:task/default/154bdb1df5b446b280fe900d12c452a1', id: '154bdb1df5b446b280fe900d12c452a1', lastStatus: 'RUNNING', health: 'HEALTHY', privateIp: '10.0.0.250', startedAt: true, taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/webserver:5' });
  });

  it('follows one service: a missing service is a named error, not an empty answer', async () => {
    answerEcs({ DescribeServices: { body: JSON.stringify({ services: [], failures: [{ arn: 'arn:aws:ecs:us-west-2:012345678910:service/ghost', reason: 'MISSING' }] }), contentType: JSON_11 } });
    const error = await (await cluster('us-west-2')).serviceRollout('test', 'ghost').then(() => undefined, (e: unknown) => e);
    assert.equal((error as Error).name, 'ServiceNotFoundException');
    assert.match((error as Error).message, /"ghost" not found in cluster "test" \(MISSING\)/);
  });

  it('reads a Fargate rollout in progress', async () => {
    answerEcs({ DescribeServices: { file: 'aws/ecs/describe-services-fargate.json', contentType: JSON_11 } });
    const rollout = await (await cluster('us-west-2')).serviceRollout('test', 'my-http-service');
    assert.equal(rollout.rolloutState, 'IN_PROGRESS');
    assert.equal(rolloutOutcome(rollout), 'inProgress');
  });

  it("reads a service's events newest first, with their times, from the recorded Fargate answer", async () => {
    answerEcs({
      ListServices: { body: JSON.stringify({ serviceArns: ['arn:aws:ecs:us-west-2:123456789012:service/test/my-http-service'] }), contentType: JSON_11 },
      DescribeServices: { file: 'aws/ecs/describe-services-fargate.json', contentType: JSON_11 },
      DescribeTaskDefinition: { file: 'aws/ecs/describe-task-definition.json', contentType: JSON_11 },
    });
    const [service] = await (await cluster('us-west-2')).ecsServices('test');
    assert.deepEqual(service!.events.map((event) => event.message), ['(my-http-service) has reached a steady state.', '(my-http-service) has reached a steady state.', '(my-http-service) has reached a steady state.']);
    assert.equal(service!.events[0]!.at?.toISOString(), '2025-02-21T16:31:26.037Z');
    assert.ok(service!.events[0]!.at! > service!.events[2]!.at!, 'newest first');
  });

  it("reads the stopped tasks of a service (desiredStatus STOPPED) with their reason, stop code and containers' exit codes", async () => {
    const recorded = recordedJson<{ tasks: Record<string, unknown>[] }>('aws/ecs/describe-tasks.json').tasks[0]!;
    answerEcs({
      ListTasks: { body: JSON.stringify({ taskArns: [recorded.taskArn] }), contentType: JSON_11 },
      // The recorded task, stopped as the ECS API Reference's Task type says a stopped task is.
      DescribeTasks: { body: JSON.stringify({ tasks: [{ ...recorded, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', stoppedAt: 1740155486.5, containers: [{ name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }] }], failures: [] }), contentType: JSON_11 },
    });
    const [stopped] = await (await cluster('us-east-1')).ecsStoppedTasks('default', 'webserver');
    assert.equal(JSON.parse(replay().requests[0]!.body).desiredStatus, 'STOPPED');
    assert.equal(stopped!.stopCode, 'EssentialContainerExited');
    assert.equal(stopped!.stoppedAt?.toISOString(), '2025-02-21T16:31:26.500Z');
    assert.deepEqual(stopped!.containers, [{ name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage', image: undefined }]);
  });

  it('forces a new deployment with UpdateService forceNewDeployment, and nothing else', async () => {
    answerEcs({ UpdateService: { file: 'aws/ecs/update-service-fargate.json', contentType: JSON_11 } });
    await (await cluster('us-west-2')).forceNewDeployment('test', 'my-http-service');
    assert.deepEqual(JSON.parse(replay().requests[0]!.body), { cluster: 'test', service: 'my-http-service', forceNewDeployment: true });
  });

  it('ECS Exec: DescribeTasks for the container\'s runtime ID, then ExecuteCommand (interactive) — the recorded session comes back; a task without ECS Exec is refused before ExecuteCommand', async () => {
    const recorded = recordedJson<{ tasks: Record<string, unknown>[] }>('aws/ecs/describe-tasks.json').tasks[0]!;
    // The recorded task has ECS Exec off (enableExecuteCommand false), as most tasks do.
    answerEcs({ DescribeTasks: { file: 'aws/ecs/describe-tasks.json', contentType: JSON_11 } });
    await assert.rejects((await cluster('us-east-1')).ecsExecuteCommand('default', recorded.taskArn as string, 'web', '/bin/sh'), (error: Error) => error.name === 'ExecuteCommandNotEnabled');
    assert.deepEqual(replay().requests.map(ecsOperation), ['DescribeTasks'], 'nothing executed');
    replay().reset();
    answerEcs({
      DescribeTasks: { body: JSON.stringify({ tasks: [{ ...recorded, enableExecuteCommand: true }], failures: [] }), contentType: JSON_11 },
      ExecuteCommand: { file: 'aws/ecs/execute-command.json', contentType: JSON_11 },
    });
    const exec = await (await cluster('us-east-1')).ecsExecuteCommand('default', recorded.taskArn as string, 'web', '/bin/sh');
    assert.deepEqual(JSON.parse(replay().requests[1]!.body), { cluster: 'default', task: recorded.taskArn, container: 'web', interactive: true, command: '/bin/sh' });
    assert.equal(exec.runtimeId, '154bdb1df5b446b280fe900d12c452a1-0265927825', "the web container's runtime ID");
    assert.deepEqual(exec.session, recordedJson<{ session: Record<string, string> }>('aws/ecs/execute-command.json').session);
    assert.equal(exec.clusterArn, 'arn:aws:ecs:us-east-1:123456789012:cluster/default');
  });

  it('SSM StartSession on a node: the recorded session; a node without the agent is the recorded TargetNotConnected', async () => {
    const answerSsm = (answer: ReplayResponse) => replay().use((request) => ((request.headers['x-amz-target'] as string | undefined) === 'AmazonSSM.StartSession' ? answer : undefined));
    answerSsm({ file: 'aws/ssm/start-session.json', contentType: JSON_11 });
    const session = await (await cluster('us-east-2')).ssmStartSession('i-02573cafcfEXAMPLE');
    assert.deepEqual(JSON.parse(replay().requests[0]!.body), { Target: 'i-02573cafcfEXAMPLE' });
    assert.deepEqual(session, recordedJson('aws/ssm/start-session.json'));
    replay().reset();
    answerSsm({ status: 400, file: 'aws/ssm/error-target-not-connected.json', contentType: JSON_11 });
    await assert.rejects((await cluster('us-east-2')).ssmStartSession('mi-01064afae0734b12b'), (error: Error) => error.name === 'TargetNotConnected' && error.message === 'mi-01064afae0734b12b is not connected.');
  });

  it('deploys directly: a new task definition revision with the new image, then UpdateService to it', async () => {
    const service = recordedJson<{ services: Record<string, unknown>[] }>('aws/ecs/describe-services.json').services[0]!;
    answerEcs({
      DescribeServices: { body: JSON.stringify({ services: [{ ...service, taskDefinition: 'arn:aws:ecs:us-east-1:012345678910:task-definition/hello_world:10' }], failures: [] }), contentType: JSON_11 },
      DescribeTaskDefinition: { file: 'aws/ecs/describe-task-definition.json', contentType: JSON_11 },
      RegisterTaskDefinition: { file: 'aws/ecs/register-task-definition.json', contentType: JSON_11 },
      UpdateService: { file: 'aws/ecs/update-service.json', contentType: JSON_11 },
    });
    const arn = await (await cluster('us-east-1')).deployImages('default', 'hello_world', { wordpress: 'public.ecr.aws/docker/library/wordpress:6.8.3' });
    assert.equal(arn, recordedJson<{ taskDefinition: { taskDefinitionArn: string } }>('aws/ecs/register-task-definition.json').taskDefinition.taskDefinitionArn);
    const register = JSON.parse(replay().requests.find((request) => ecsOperation(request) === 'RegisterTaskDefinition')!.body) as { family: string; containerDefinitions: { name: string; image: string }[] };
    assert.equal(register.family, 'hello_world');
    assert.deepEqual(register.containerDefinitions.map((container) => [container.name, container.image]), [
      ['wordpress', 'public.ecr.aws/docker/library/wordpress:6.8.3'],
      ['mysql', 'public.ecr.aws/docker/library/mysql:latest'],
    ]);
    const update = JSON.parse(replay().requests.find((request) => ecsOperation(request) === 'UpdateService')!.body) as { service: string; taskDefinition: string };
    assert.deepEqual(update, { cluster: 'default', service: 'hello_world', taskDefinition: arn });
  });

  it('refuses a direct deploy naming a container the task definition does not have', async () => {
    const service = recordedJson<{ services: Record<string, unknown>[] }>('aws/ecs/describe-services.json').services[0]!;
    answerEcs({ DescribeServices: { body: JSON.stringify({ services: [service], failures: [] }), contentType: JSON_11 }, DescribeTaskDefinition: { file: 'aws/ecs/describe-task-definition.json', contentType: JSON_11 } });
    await assert.rejects((await cluster('us-east-1')).deployImages('default', 'hello_world', { web: 'nginx:1' }), /has no container named web/);
    assert.ok(!replay().requests.some((request) => ecsOperation(request) === 'RegisterTaskDefinition'), 'nothing was registered');
  });

  it('says a missing ECS cluster may be the wrong region', async () => {
    answerEcs({ ListServices: { status: 400, file: 'aws/ecs/error-cluster-not-found.json', contentType: JSON_11 } });
    const error = await (await cluster('eu-central-1')).ecsServices('hashistack').then(() => undefined, (e: unknown) => e);
    assert.equal((error as Error).name, 'ClusterNotFoundException');
    assert.equal(describeAwsError(error, { action: 'ecs:ListServices', region: 'eu-central-1' }), 'ECS has no such cluster in eu-central-1: Cluster not found. Check "ecsCluster" and "awsRegion" of the cluster profile.');
  });
  it('reads an ECR repository\'s tags with DescribeImages, following nextToken, from the recorded pages', async () => {
    const server = replay();
    server.use((request) => {
      if (ecsOperation(request) !== 'DescribeImages') return undefined;
      const asked = JSON.parse(request.body) as { nextToken?: string };
      // Page one is the recorded describe-images.json with a nextToken; page two the recorded cluster-autoscaler one.
      return asked.nextToken === 'page-2'
        ? { file: 'aws/ecr/describe-images-cluster-autoscaler.json', contentType: JSON_11 }
        : { body: JSON.stringify({ ...recordedJson<object>('aws/ecr/describe-images.json'), nextToken: 'page-2' }), contentType: JSON_11 };
    });
    const aws = await cluster();
    try {
      const tags = await aws.ecrImageTags('012345678910', 'us-west-2', 'hello-repository');
      assert.deepEqual(tags.map((image) => image.tag), ['tagtest', 'latest', 'v1.13.6']);
      assert.ok(tags[0]!.pushedAt instanceof Date);
      const requests = server.requests.filter((request) => ecsOperation(request) === 'DescribeImages').map((request) => JSON.parse(request.body) as Record<string, unknown>);
      assert.equal(requests.length, 2);
      assert.deepEqual({ registryId: requests[0]!.registryId, repositoryName: requests[0]!.repositoryName, filter: requests[0]!.filter }, { registryId: '012345678910', repositoryName: 'hello-repository', filter: { tagStatus: 'TAGGED' } });
      assert.equal(requests[1]!.nextToken, 'page-2');
      assert.equal(server.requests.at(-1)!.headers['x-amz-target'], 'AmazonEC2ContainerRegistry_V20150921.DescribeImages');
    } finally {
      aws.dispose();
    }
  });

});

describe('ECS rollout outcome', () => {
  const base = { running: 2, desired: 2, pending: 0, taskDefinition: 'td', deployments: 1 };
  it('is done when ECS says COMPLETED, failed when FAILED, going otherwise', () => {
    assert.equal(rolloutOutcome({ ...base, rolloutState: 'COMPLETED' }), 'completed');
    assert.equal(rolloutOutcome({ ...base, rolloutState: 'FAILED' }), 'failed');
    assert.equal(rolloutOutcome({ ...base, rolloutState: 'IN_PROGRESS' }), 'inProgress');
  });
  it('without a rollout state: one deployment at its count is done, two are still rolling', () => {
    assert.equal(rolloutOutcome(base), 'completed');
    assert.equal(rolloutOutcome({ ...base, deployments: 2 }), 'inProgress');
    assert.equal(rolloutOutcome({ ...base, running: 1 }), 'inProgress');
  });
});

describe('AWS error messages', () => {
  it('tells an expired SSO session to log in again, with the profile', () => {
    const error = Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.'), { name: 'CredentialsProviderError' });
    assert.match(describeAwsError(error, { action: 'ec2:DescribeInstances', region: 'eu-west-1', profile: 'prod' }), /^The AWS SSO session has expired: run `aws sso login --profile prod`/);
  });

  it('tells missing credentials and a missing region what to set', () => {
    const missing = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    assert.match(describeAwsError(missing, { action: 'x', region: 'r' }), /No AWS credentials were found: run `aws configure`/);
    assert.equal(describeAwsError(new Error('Region is missing'), { action: 'x', region: '' }), 'No AWS region: set "awsRegion" in the cluster profile.');
  });

  it('says throttling was retried', () => {
    const error = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    assert.match(describeAwsError(error, { action: 'ecs:DescribeServices', region: 'r' }), /throttling ecs:DescribeServices \(retried already\)/);
  });

});
