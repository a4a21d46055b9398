import * as vscode from 'vscode';
import { ClusterProfile } from '../core/profiles/clusterProfile';

export type TokenProduct = 'consul' | 'nomad';

interface StoredToken {
  token: string;
  /** The address the token was set for: a profile whose address changed does not send it elsewhere. */
  address: string;
}

/** ACL tokens in VS Code's SecretStorage (the OS keychain), per profile and product. Never in settings. */
export class TokenStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith('hashistack.token/')) {
        this.changed.fire();
      }
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  async get(profile: ClusterProfile, product: TokenProduct): Promise<string | undefined> {
    const raw = await this.secrets.get(key(profile, product));
    if (!raw) {
      return undefined;
    }
    try {
      const stored = JSON.parse(raw) as StoredToken;
      return stored.address === profile[product].address ? stored.token : undefined;
    } catch {
      return undefined;
    }
  }

  async set(profile: ClusterProfile, product: TokenProduct, token: string): Promise<void> {
    const stored: StoredToken = { token, address: profile[product].address };
    await this.secrets.store(key(profile, product), JSON.stringify(stored));
  }

  async delete(profile: ClusterProfile, product: TokenProduct): Promise<void> {
    await this.secrets.delete(key(profile, product));
  }
}

function key(profile: ClusterProfile, product: TokenProduct): string {
  return `hashistack.token/${product}/${profile.name}`;
}
