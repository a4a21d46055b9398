// Allocations' task states (their events), read once per change: an allocation is read again only when its
// ModifyIndex moved in the store — never on a timer. Shared by what needs task events beside the list stubs
// (the cluster's failures as Problems, the rollout timeline).
import { NomadAllocation, NomadTaskState } from './nomadApi';

export type TaskStates = Record<string, NomadTaskState> | null;

export class TaskStateCache {
  private readonly read = new Map<string, { modifyIndex: number; states: TaskStates }>();

  /**
   * The task states of these allocations, by ID; an allocation that cannot be read has none. Undefined when
   * `stillCurrent` turns false during the reads (another cluster's store: its answers are not kept).
   */
  async statesOf(allocations: readonly { ID: string; ModifyIndex: number }[], readAllocation: (id: string) => Promise<NomadAllocation>, stillCurrent: () => boolean): Promise<Map<string, TaskStates> | undefined> {
    const states = new Map<string, TaskStates>();
    for (const allocation of allocations) {
      let known = this.read.get(allocation.ID);
      if (!known || known.modifyIndex !== allocation.ModifyIndex) {
        const full = await readAllocation(allocation.ID).catch(() => undefined);
        if (!stillCurrent()) return undefined;
        known = { modifyIndex: allocation.ModifyIndex, states: full?.TaskStates ?? null };
        this.read.set(allocation.ID, known);
      }
      states.set(allocation.ID, known.states);
    }
    return states;
  }

  /** Forgets the allocations the cluster no longer lists (collected, or another job's): the cache stays bounded. */
  keepOnly(listed: ReadonlySet<string>): void {
    for (const id of this.read.keys()) if (!listed.has(id)) this.read.delete(id);
  }

  clear(): void {
    this.read.clear();
  }
}
