import * as assert from 'node:assert/strict';
import { ecrRepository, newestTag } from '../../src/core/aws/ecrImages';
import { parseImageReference } from '../../src/core/jobspec/imageReference';

describe('ECR images and their newest tags', () => {
  it('knows ECR references, and only them', () => {
    const ecr = parseImageReference('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/launcher:0.3.10');
    assert.deepEqual(ecrRepository(ecr.registry, ecr.repository), { registryId: '123456789012', region: 'eu-west-1', repository: 'team/launcher' });
    const china = parseImageReference('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1.0.0');
    assert.equal(ecrRepository(china.registry, china.repository)?.region, 'cn-north-1');
    for (const other of ['traefik/whoami:v1.10.3', 'public.ecr.aws/nginx/nginx:1.25', 'registry.example.com:5000/app:1.0.0', '${var.registry}/launcher:0.3.10']) {
      const reference = parseImageReference(other);
      assert.equal(ecrRepository(reference.registry, reference.repository), undefined, other);
    }
  });

  it('picks the newest tag of the same kind, newer than the current one', () => {
    const recorded = ['tagtest', 'latest', 'v1.13.6']; // describe-images.json and describe-images-cluster-autoscaler.json
    assert.equal(newestTag('v1.13.5', recorded), 'v1.13.6');
    assert.equal(newestTag('v1.13.6', recorded), undefined, 'already the newest');
    assert.equal(newestTag('1.13.5', recorded), undefined, 'no v prefix: another kind of tag');
    const tags = ['0.3.9', '0.3.10', '0.3.11', '0.4.0-rc.1', '0.10.0', 'build-417', '1.0', '0.3.12-alpine'];
    assert.equal(newestTag('0.3.10', tags), '0.10.0', 'numeric order, not text order');
    assert.equal(newestTag('0.3.11-alpine', tags), '0.3.12-alpine', 'the same variant');
    assert.equal(newestTag('0.4.0-rc.0', tags), '0.10.0', 'a pre-release moves on to releases too');
    assert.equal(newestTag('0.3.10', ['0.4.0-rc.1']), undefined, 'a release is not offered a pre-release');
    assert.equal(newestTag('stable', tags), undefined, 'not a version: nothing to compare');
  });
});
