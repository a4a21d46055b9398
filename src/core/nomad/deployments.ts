// A deployment's progress as the explorer, the lens and the rollout follow read it.
import { NomadDeployment } from './nomadApi';

/** Statuses of a deployment that has not ended. */
export const ACTIVE_DEPLOYMENT_STATUSES: readonly string[] = ['running', 'pending', 'paused', 'blocked', 'unblocking', 'initializing'];

export interface GroupProgress {
  group: string;
  placed: number;
  healthy: number;
  unhealthy: number;
  desired: number;
  desiredCanaries: number;
  placedCanaries: number;
  promoted: boolean;
  autoPromote: boolean;
}

export function groupProgress(deployment: NomadDeployment): GroupProgress[] {
  return Object.entries(deployment.TaskGroups ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, state]) => ({
      group,
      placed: state.PlacedAllocs,
      healthy: state.HealthyAllocs,
      unhealthy: state.UnhealthyAllocs,
      desired: state.DesiredTotal,
      desiredCanaries: state.DesiredCanaries,
      placedCanaries: (state.PlacedCanaries ?? []).length,
      promoted: state.Promoted,
      autoPromote: Boolean(state.AutoPromote),
    }));
}

/** Canaries placed and healthy, not promoted, and Nomad will not promote them itself. */
export function awaitingPromotion(deployment: NomadDeployment): boolean {
  if (!ACTIVE_DEPLOYMENT_STATUSES.includes(deployment.Status)) return false;
  if (/requires manual promotion/i.test(deployment.StatusDescription)) return true;
  return groupProgress(deployment).some((group) => group.desiredCanaries > 0 && !group.promoted && !group.autoPromote && group.placedCanaries >= group.desiredCanaries && group.healthy >= group.desiredCanaries);
}

