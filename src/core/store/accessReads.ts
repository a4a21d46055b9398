// The active profile's tokens as the products know them: read once a product's section has data (the token works
// there), again on Refresh and after a refusal, never on a timer. Each change is a data change of the product's
// section: rows (their action markers), lenses and the status bar are drawn again.
import type { Parser } from 'web-tree-sitter';
import type { ConsulClient } from '../consul/consulClient';
import type { NomadClient } from '../nomad/nomadClient';
import type { ProfileAccess } from '../acl/rowAccess';
import { AccessProduct, loadConsulAccess, loadNomadAccess, TokenAccess } from '../acl/tokenAccess';

/** A refusal reads the token again at most this often (a view of many refused rows is one read). */
const REFUSAL_RELOAD_MIN_MS = 30_000;
/**
 * A token that could not be read (the product was down, a proxy failed) is read again with the section's next
 * data, at most this often: the section's data moves with every event, the token's record does not.
 */
const UNKNOWN_RETRY_MS = 60_000;

export class AccessReads {
  private readonly state: ProfileAccess = {};
  private readonly lastRefusalReload = new Map<AccessProduct, number>();
  private readonly readAt = new Map<AccessProduct, number>();
  private readonly loading = new Map<AccessProduct, Promise<TokenAccess>>();
  private readonly controller = new AbortController();

  constructor(
    private readonly clients: { nomad: NomadClient; consul: ConsulClient },
    private readonly parser: () => Promise<Parser>,
    private readonly changed: (product: AccessProduct) => void,
    /** The named policies below, unless a test shortens them. */
    private readonly timing: { unknownRetryMs?: number; refusalReloadMinMs?: number } = {},
  ) {}

  /** What is known now (a product not read yet has no entry: its actions are offered and tried). */
  get current(): ProfileAccess {
    return this.state;
  }

  /** Reads the product's token once (the first data of its section calls this). */
  ensure(product: AccessProduct): void {
    if (this.loading.has(product)) return;
    const state = this.state[product];
    if (state === undefined || (state.kind === 'unknown' && Date.now() - (this.readAt.get(product) ?? 0) >= (this.timing.unknownRetryMs ?? UNKNOWN_RETRY_MS))) void this.reload(product);
  }

  /** Reads it again now (Refresh, or an action that met a 403: the token or its policies may have changed). */
  reload(product: AccessProduct): Promise<TokenAccess> {
    const running = this.loading.get(product);
    if (running) return running;
    this.readAt.set(product, Date.now());
    const read = (async () => {
      const parser = await this.parser();
      const signal = this.controller.signal;
      return product === 'nomad' ? loadNomadAccess(this.clients.nomad, parser, signal) : loadConsulAccess(this.clients.consul, parser, signal);
    })();
    this.loading.set(product, read);
    void read.then(
      (access) => {
        this.loading.delete(product);
        if (this.controller.signal.aborted) return;
        this.state[product] = access;
        this.changed(product);
      },
      () => this.loading.delete(product),
    );
    return read;
  }

  /** A request was refused (403): the token or its policies may have changed since they were read. */
  noteRefusal(product: AccessProduct, path: string): void {
    // The ACL reads themselves are not news (a token that cannot read a policy is normal).
    if (path.startsWith('/v1/acl/') || this.state[product] === undefined) return;
    const last = this.lastRefusalReload.get(product) ?? 0;
    if (Date.now() - last < (this.timing.refusalReloadMinMs ?? REFUSAL_RELOAD_MIN_MS)) return;
    this.lastRefusalReload.set(product, Date.now());
    void this.reload(product);
  }

  dispose(): void {
    this.controller.abort();
  }
}
