import * as vscode from 'vscode';
import { ClusterProfile, resolveProfiles } from '../core/profiles/clusterProfile';

const ACTIVE_PROFILE_KEY = 'hashistack.activeCluster';

/**
 * The cluster profiles from settings (or the environment) and which one is active.
 * The active profile's name is kept in global state, so switching does not write settings.
 */
export class ProfileStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterProfile>();
  readonly onDidChangeActive = this.changed.event;
  private profiles: ClusterProfile[] = [];
  private problems: string[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly state: vscode.Memento, private readonly log: vscode.LogOutputChannel) {
    this.reload();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('hashistack.clusters')) {
          this.reload();
          this.changed.fire(this.active);
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.reload();
        this.changed.fire(this.active);
      }),
    );
  }

  get all(): readonly ClusterProfile[] {
    return this.profiles;
  }

  get configurationProblems(): readonly string[] {
    return this.problems;
  }

  get active(): ClusterProfile {
    const name = this.state.get<string>(ACTIVE_PROFILE_KEY);
    return this.profiles.find((profile) => profile.name === name) ?? this.profiles[0]!;
  }

  async setActive(name: string): Promise<void> {
    if (!this.profiles.some((profile) => profile.name === name)) {
      throw new Error(`There is no cluster profile named "${name}".`);
    }
    await this.state.update(ACTIVE_PROFILE_KEY, name);
    this.changed.fire(this.active);
  }

  private reload(): void {
    const setting = vscode.workspace.getConfiguration('hashistack').get<unknown>('clusters');
    const result = resolveProfiles(setting, process.env);
    this.profiles = result.profiles;
    this.problems = result.problems;
    for (const problem of result.problems) {
      this.log.warn(problem);
    }
    if (result.problems.length > 0) {
      void vscode.window.showWarningMessage(`Hashistack: ${result.problems[0]}${result.problems.length > 1 ? ` (and ${result.problems.length - 1} more; see the log)` : ''}`, 'Open Settings').then((choice) => {
        if (choice) {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'hashistack.clusters');
        }
      });
    }
  }

  dispose(): void {
    this.changed.dispose();
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}
