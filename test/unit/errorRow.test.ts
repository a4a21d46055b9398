import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, ApiErrorKind } from '../../src/core/http/apiError';
import { errorNode, sectionOfRow, staleNode, tooltipText } from '../../src/core/tree/explorerNode';

/** The inline actions package.json gives a tree row, by evaluating each menu entry's `viewItem =~ /…/`. */
function inlineActions(contextValue: string): string[] {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string; group?: string }[]> } };
  return manifest.contributes.menus['view/item/context']!
    .filter((entry) => entry.group?.startsWith('inline'))
    .filter((entry) => {
      const match = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(entry.when ?? '');
      return match ? new RegExp(match[1]!.replace(/\\\\/g, '\\')).test(contextValue) : false;
    })
    .map((entry) => entry.command);
}

const KINDS: ApiErrorKind[] = ['unreachable', 'timeout', 'tls', 'forbidden', 'notFound', 'http', 'malformed'];

describe('The error row (plain Node)', () => {
  for (const kind of KINDS) {
    it(`${kind}: says what and where, the next step in its tooltip, with Retry and Configure`, () => {
      const error = new ApiError({ kind, product: 'Nomad', address: 'http://127.0.0.1:4646', path: '/v1/jobs', status: kind === 'forbidden' ? 403 : undefined, reason: 'the reason' });
      const row = errorNode('nomad', error);
      assert.equal(row.id, 'nomad/error');
      assert.equal(row.label, error.message);
      assert.match(row.label, /Nomad/);
      assert.ok(error.hint.length > 0);
      assert.equal(tooltipText(row), `${error.message}\n\n${error.hint}`);
      assert.equal(row.icon?.id, kind === 'forbidden' ? 'lock' : 'error');
      assert.equal(row.collapsible, 'none');
      assert.deepEqual(row.contextValue.split(' '), ['error', `error-${kind}`, 'section-nomad']);
      assert.deepEqual(inlineActions(row.contextValue).sort(), ['hashistack.configureClusters', 'hashistack.retrySection']);
      assert.equal(sectionOfRow(row.contextValue), 'nomad');
    });
  }

  it('an error that is not an API error still makes a row, of kind unknown', () => {
    const row = errorNode('aws', new Error('No AWS region: set "awsRegion"'));
    assert.equal(row.label, 'No AWS region: set "awsRegion"');
    assert.match(row.contextValue, /\berror-unknown\b/);
    assert.equal(sectionOfRow(row.contextValue), 'aws');
    assert.deepEqual(inlineActions(row.contextValue).sort(), ['hashistack.configureClusters', 'hashistack.retrySection']);
  });

  it('the stale row keeps the actions and the section', () => {
    const error = new ApiError({ kind: 'unreachable', product: 'Consul', address: 'http://127.0.0.1:8500', path: '/v1/catalog/services', reason: 'connection refused' });
    const row = staleNode('consul', error, Date.now());
    assert.equal(sectionOfRow(row.contextValue), 'consul');
    assert.deepEqual(inlineActions(row.contextValue).sort(), ['hashistack.configureClusters', 'hashistack.retrySection']);
    assert.match(tooltipText(row) ?? '', /Cannot reach Consul at http:\/\/127\.0\.0\.1:8500: connection refused/);
  });

  it('rows that are not errors get no Retry', () => {
    assert.deepEqual(inlineActions('nomadJob browsable copyId').includes('hashistack.retrySection'), false);
  });
});
