import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { code, desiredUpdatesWords, errorPositions, failedPlacementReasons, imageChanges, planExitCode, planSummary, renderParseErrorDocument, renderPlanDocument } from '../../src/core/deploy/planDocument';
import { NomadJobPlanResponse } from '../../src/core/nomad/nomadApi';
import { recordedJson } from '../support/recorded';

const CONTEXT = { jobId: 'example', profileName: 'prod', namespace: 'default', file: 'jobs/example.nomad', at: Date.UTC(2026, 11, 2, 10, 30) };

/** A plan as Nomad sends it for a patch bump of one task's image, with one canary (the structs of diff.go). */
function bumpPlan(canary: number, destructive: number): NomadJobPlanResponse {
  return {
    Index: 0,
    JobModifyIndex: 42,
    Warnings: '',
    FailedTGAllocs: null,
    Annotations: { DesiredTGUpdates: { whoami: { Ignore: 3 - destructive - canary, Place: 0, Migrate: 0, Stop: 0, InPlaceUpdate: 0, DestructiveUpdate: destructive, Canary: canary } } },
    Diff: {
      Type: 'Edited',
      ID: 'whoami',
      Name: '',
      Fields: null,
      Objects: null,
      TaskGroups: [
        {
          Type: 'Edited',
          Name: 'whoami',
          Fields: null,
          Objects: null,
          Updates: { 'create/destroy update': destructive, canary, ignore: 3 - destructive - canary },
          Tasks: [
            {
              Type: 'Edited',
              Name: 'whoami',
              Annotations: ['forces create/destroy update'],
              Fields: null,
              Objects: [
                { Type: 'Edited', Name: 'Config', Objects: null, Fields: [
                  { Type: 'Edited', Name: 'image', Old: 'traefik/whoami:v1.10.3', New: 'traefik/whoami:v1.10.4', Annotations: null },
                  { Type: 'None', Name: 'ports[0]', Old: 'http', New: 'http', Annotations: null },
                ] },
              ],
            },
          ],
        },
      ],
    },
  };
}

describe('The plan document', () => {
  const recorded = recordedJson<NomadJobPlanResponse>('nomad/job-plan.json');

  it('renders the recorded plan: a new job, grouped by job, group and task, with what the scheduler would do', () => {
    const text = renderPlanDocument(recorded, CONTEXT);
    assert.match(text, /^# Plan: job "example" on "prod"/);
    assert.match(text, /### \+ Job "example" — Added/);
    assert.match(text, /- \+ Added `Datacenters`/);
    assert.match(text, /### \+ Task group "cache" — Added \(1 create\)/);
    assert.match(text, /- \+ Added task `redis` \(forces create\)\n {2}- \+ Added `Driver`: `docker`\n {2}- \+ Added `KillTimeout`: `5000000000`/);
    assert.match(text, /- Task group `cache`: 11 to place\n {2}- place 11 · in-place update 0 · destructive update 0 · canary 0 · stop 0 · migrate 0 · ignore 0/);
    assert.match(text, /Job Modify Index: \*\*0\*\* \(the job does not exist yet\)/);
    assert.match(text, /`nomad job run -check-index 0 jobs\/example.nomad`/);
  });

  it('explains the recorded failed placements, and counts the doc\'s elided "..." entries instead of reading them', () => {
    const text = renderPlanDocument(recorded, CONTEXT);
    assert.match(text, /### Failed placements\n\n- Task group `cache` failed to place 4 allocations:\n {2}- resources exhausted on 1 node: cpu on 1 node\n {2}- 3 more allocations of the group failed the same way/);
    assert.match(text, /\(1 entry the server sent without detail\)/);
    assert.ok(!text.includes('All tasks successfully allocated'));
  });

  it('says nomad job plan\'s exit code the way getExitCode does', () => {
    assert.equal(planExitCode(recorded), 1, 'Place 11: allocations created');
    assert.equal(planExitCode(bumpPlan(1, 0)), 1, 'a canary is created');
    const inPlace = bumpPlan(0, 0);
    inPlace.Annotations!.DesiredTGUpdates!.whoami!.InPlaceUpdate = 3;
    inPlace.Annotations!.DesiredTGUpdates!.whoami!.Ignore = 0;
    assert.equal(planExitCode(inPlace), 0, 'only in place: exit 0');
    assert.equal(planExitCode({ ...bumpPlan(0, 3), Diff: { ...bumpPlan(0, 3).Diff!, Type: 'None' } }), 0, 'Diff None: exit 0 whatever the counts');
  });

  it('summarises a plan in one line for the confirmation', () => {
    assert.equal(planSummary(bumpPlan(0, 3), 'whoami', 'prod'), 'whoami on "prod": 3 destructive updates, image v1.10.3 → v1.10.4');
    assert.equal(planSummary(bumpPlan(1, 0), 'whoami', 'prod'), 'whoami on "prod": 1 canary, image v1.10.3 → v1.10.4');
    assert.equal(planSummary(recorded, 'example', 'prod'), 'example on "prod": new job, 11 to place, 4 placements would fail');
    assert.equal(planSummary({ ...bumpPlan(0, 3), Diff: { ...bumpPlan(0, 3).Diff!, Type: 'None' } }, 'whoami', 'prod'), 'whoami on "prod": no changes');
  });

  it('shows edits as old → new, hides unchanged fields, and names the image change with the whole reference when the repository changes', () => {
    const text = renderPlanDocument(bumpPlan(1, 0), { ...CONTEXT, jobId: 'whoami' });
    assert.match(text, /- ~ Edited task `whoami` \(forces create\/destroy update\)\n {2}- ~ Edited `Config`\n {4}- ~ Edited `image`: `traefik\/whoami:v1.10.3` → `traefik\/whoami:v1.10.4`/);
    assert.ok(!text.includes('ports[0]'), 'a None field is context, not a change');
    assert.match(text, /Job Modify Index: \*\*42\*\*/);
    assert.match(text, /All tasks successfully allocated\./);
    const moved = bumpPlan(0, 3);
    const field = moved.Diff!.TaskGroups![0]!.Tasks![0]!.Objects![0]!.Fields![0]!;
    field.New = 'ghcr.io/traefik/whoami:v1.10.4';
    assert.deepEqual(imageChanges(moved), ['image traefik/whoami:v1.10.3 → ghcr.io/traefik/whoami:v1.10.4']);
  });

  it('keeps cluster text from becoming Markdown: names and values stay inert', () => {
    const plan = bumpPlan(0, 3);
    plan.Diff!.TaskGroups![0]!.Name = '[click](command:hashistack.deployJob) <img src=x>';
    plan.Diff!.TaskGroups![0]!.Tasks![0]!.Objects![0]!.Fields![0]!.New = 'a`b` [x](javascript:alert(1))';
    plan.Warnings = 'Group "[x](http://evil)" has warnings\n<script>';
    const text = renderPlanDocument(plan, { ...CONTEXT, jobId: 'whoami' });
    assert.ok(!/[^\\]\[click\]\(command:/.test(text), 'no link is formed in a heading');
    assert.match(text, /\\\[click\\\]\(command:hashistack\.deployJob\) \\<img src=x\\>/);
    assert.match(text, /``a`b` \[x\]\(javascript:alert\(1\)\)``/, 'a value with a backtick gets a longer code fence');
    assert.match(text, /## Warnings\n\n- Group "\\\[x\\\]\(http:\/\/evil\)" has warnings\n- \\<script\\>/);
  });

  it('no run of backticks in a value breaks out of its code span or code block (read by a CommonMark parser)', () => {
    const markdown = new MarkdownIt({ html: true, linkify: false });
    for (const value of ['a``b [x](command:y)', '``', '`', '```` <img src=x>', 'x ` y `` z ``` w', ' `lead', 'trail` ', '``` \n[x](command:a)']) {
      const spans: string[] = [];
      const walk = (tokens: ReturnType<MarkdownIt['parseInline']>) => {
        for (const token of tokens) {
          if (token.type === 'code_inline') spans.push(token.content);
          if (token.type === 'link_open' || token.type === 'html_inline') throw new Error(`a ${token.type} formed from ${JSON.stringify(value)}`);
          if (token.children) walk(token.children);
        }
      };
      walk(markdown.parseInline(`- ${code(value)}`, {}));
      assert.deepEqual(spans, [value.replace(/\n/g, '⏎')], `one code span holding exactly ${JSON.stringify(value)}`);
    }
    const message = 'input.hcl:3,5-9: Unsupported argument\n````\n# [click](command:hashistack.deployJob)\n<script>x</script>\n```';
    const tokens = markdown.parse(renderParseErrorDocument(message, CONTEXT), {});
    const fences = tokens.filter((token) => token.type === 'fence');
    assert.equal(fences.length, 1);
    assert.equal(fences[0]!.content, `${message}\n`, 'the whole message, verbatim, in one block');
    assert.ok(!tokens.some((token) => token.type === 'html_block'), 'no HTML escapes the block');
  });

  it('words the scheduler\'s counts, and placement failures of every kind', () => {
    assert.deepEqual(desiredUpdatesWords({ Ignore: 2, Place: 1, Migrate: 0, Stop: 1, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 1 }, true), ['1 to place', '1 canary', '1 to stop', '2 unchanged']);
    const blocked = recordedJson<{ FailedTGAllocs: Record<string, Parameters<typeof failedPlacementReasons>[0]> }>('nomad/evaluation.json');
    assert.deepEqual(failedPlacementReasons(blocked.FailedTGAllocs.cache!), ['no node is available in "dc1"']);
    assert.deepEqual(failedPlacementReasons({ NodesEvaluated: 3, NodesFiltered: 3, NodesAvailable: { dc1: 3 }, ClassFiltered: null, ConstraintFiltered: { '${attr.kernel.name} = windows': 3 }, NodesExhausted: 0, ClassExhausted: null, DimensionExhausted: null, CoalescedFailures: 0 }), ['constraint ${attr.kernel.name} = windows filtered 3 nodes']);
  });

  it('finds the positions in a parse error as HCL writes them, and links them in the error document', () => {
    const message = 'input.hcl:12,5-9: Unsupported argument; An argument named "imgae" is not expected here., and 1 other diagnostic(s)';
    assert.deepEqual(errorPositions(message).map(({ line, column }) => [line, column]), [[12, 5]]);
    assert.deepEqual(errorPositions('input.hcl:3,1-4,2: Unclosed configuration block').map(({ line, column }) => [line, column]), [[3, 1]]);
    assert.deepEqual(errorPositions('no position here'), []);
    const text = renderParseErrorDocument(message, CONTEXT);
    assert.match(text, /```text\ninput.hcl:12,5-9: Unsupported argument/);
    assert.match(text, /- jobs\/example.nomad:12:5/);
  });
});
