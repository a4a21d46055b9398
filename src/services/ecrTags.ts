import * as vscode from 'vscode';
import { ecrRepository, EcrRepository, newestTag } from '../core/aws/ecrImages';
import { ImageSite } from '../core/jobspec/imageScanner';
import { ClusterStoreHost } from './clusterStoreHost';

/** A repository's tags are read again after this long (a lens or hover asks; nothing polls). */
const ECR_TAGS_TTL_MS = 10 * 60_000;
/** After a failed read, the repository is not asked again for this long. */
const ECR_FAILURE_TTL_MS = 2 * 60_000;

interface Entry {
  at: number;
  tags?: string[];
  loading?: Promise<void>;
  error?: string;
}

/**
 * The version tags of the ECR repositories that the open files' images come from, through the profile's
 * AWS connection (`DescribeImages`, paged; the SDK loads on first use). A profile without AWS makes no call.
 */
export class EcrTags implements vscode.Disposable {
  private readonly cache = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** A repository's tags arrived: lenses and hovers may say more now. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = host.profiles.onDidChangeActive(() => this.cache.clear());
  }

  /** The ECR repository of an image site, when it is an ECR image with a literal tag. */
  static repositoryOf(site: ImageSite): EcrRepository | undefined {
    if (!site.tag || site.reference.digest) return undefined;
    return ecrRepository(site.reference.registry, site.reference.repository);
  }

  /**
   * The newest tag newer than the site's, if its repository's tags are known; starts reading them when they
   * are not (and `onDidChange` fires when they arrive). Never waits on the network.
   */
  newerTag(site: ImageSite): string | undefined {
    const repository = EcrTags.repositoryOf(site);
    // In Restricted Mode an image named by the workspace's files is not looked up with the user's AWS identity.
    if (!repository || !site.tag || !this.host.activeProfile.aws || !vscode.workspace.isTrusted) return undefined;
    const key = `${repository.registryId}/${repository.region}/${repository.repository}`;
    const entry = this.cache.get(key);
    const fresh = entry && Date.now() - entry.at < (entry.error ? ECR_FAILURE_TTL_MS : ECR_TAGS_TTL_MS);
    if (!fresh && !entry?.loading) this.load(key, repository);
    return entry?.tags ? newestTag(site.tag.text, entry.tags) : undefined;
  }

  /** Reads the tags now (the Bump command waits for them). */
  async tagsOf(site: ImageSite): Promise<string[] | undefined> {
    const repository = EcrTags.repositoryOf(site);
    if (!repository || !this.host.activeProfile.aws || !vscode.workspace.isTrusted) return undefined;
    const key = `${repository.registryId}/${repository.region}/${repository.repository}`;
    if (!this.cache.get(key)?.tags || this.cache.get(key)!.loading) await (this.cache.get(key)?.loading ?? this.load(key, repository));
    return this.cache.get(key)?.tags;
  }

  private load(key: string, repository: EcrRepository): Promise<void> {
    const entry: Entry = { at: Date.now(), tags: this.cache.get(key)?.tags };
    entry.loading = (async () => {
      try {
        const aws = (await this.host.ready()).aws;
        if (!aws) return;
        const { cluster } = await aws.connection();
        entry.tags = (await cluster.ecrImageTags(repository.registryId, repository.region, repository.repository)).map((image) => image.tag);
        entry.error = undefined;
        this.changed.fire();
      } catch (error) {
        entry.error = error instanceof Error ? error.message : String(error);
        this.log.warn(`ECR tags of ${repository.repository} (${repository.region}): ${entry.error}`);
      } finally {
        entry.at = Date.now();
        entry.loading = undefined;
      }
    })();
    this.cache.set(key, entry);
    return entry.loading;
  }

  dispose(): void {
    this.changed.dispose();
    this.subscription.dispose();
  }
}
