// A plan's failed placements (`FailedTGAllocs`) as Problems on the jobspec lines that govern them, in the
// scheduler's own terms: the constraint that filtered the nodes, the `cpu` / `memory` the nodes lacked, the
// `datacenters` with no node. Pure: the editor shows them until the file is planned again or the job moves on.
import type { Tree } from 'web-tree-sitter';
import { NomadAllocMetric } from '../nomad/nomadApi';
import { JobspecPlace, placementPlaces } from '../jobspec/jobspecPlaces';
import { nodes } from './planDocument';

export interface PlacementProblem {
  place: JobspecPlace;
  message: string;
}

export function placementProblems(tree: Tree, jobId: string, failed: Record<string, NomadAllocMetric> | null | undefined): PlacementProblem[] {
  const problems: PlacementProblem[] = [];
  for (const [group, metric] of Object.entries(failed ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const places = placementPlaces(tree, jobId, group);
    if (!places) continue;
    const lead = `group "${group}" cannot be placed (${metric.CoalescedFailures + 1} allocation${metric.CoalescedFailures > 0 ? 's' : ''})`;
    const available = Object.entries(metric.NodesAvailable ?? {});
    if (metric.NodesEvaluated === 0 && available.every(([, count]) => count === 0)) {
      problems.push({ place: places.datacenters(), message: `${lead}: no node is available in ${available.length ? available.map(([dc]) => `"${dc}"`).join(', ') : 'the datacenters the job names'}` });
    }
    for (const [constraint, count] of Object.entries(metric.ConstraintFiltered ?? {})) {
      problems.push({ place: places.constraint(constraint) ?? places.group, message: `${lead}: constraint ${constraint} filtered ${nodes(count)} of ${metric.NodesEvaluated} evaluated` });
    }
    if (metric.NodesExhausted > 0) {
      const dimensions = Object.entries(metric.DimensionExhausted ?? {});
      if (dimensions.length === 0) problems.push({ place: places.group, message: `${lead}: resources exhausted on ${nodes(metric.NodesExhausted)}` });
      for (const [dimension, count] of dimensions) {
        for (const place of places.dimension(dimension)) problems.push({ place, message: `${lead}: ${dimension} exhausted on ${nodes(count)} of ${metric.NodesEvaluated} evaluated` });
      }
    }
    for (const [klass, count] of Object.entries(metric.ClassFiltered ?? {})) problems.push({ place: places.nodePool(), message: `${lead}: node class "${klass}" filtered ${nodes(count)}` });
    for (const quota of metric.QuotaExhausted ?? []) problems.push({ place: places.group, message: `${lead}: quota exhausted: ${quota}` });
    if (!problems.some((problem) => problem.message.startsWith(lead))) problems.push({ place: places.group, message: `${lead}: no node fits (${metric.NodesEvaluated} evaluated, ${metric.NodesFiltered} filtered)` });
  }
  return problems;
}
