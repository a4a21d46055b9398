import * as vscode from 'vscode';
import { ADDRESS_DEFAULTS, AddressKey, addressAnswerProblem, nameProblem, namespaceProblem, NewProfileAnswers, profileEntry } from '../core/profiles/newProfile';
import { TokenProduct } from '../services/tokenStore';
import { CommandContext } from './commandContext';

type Answers = Partial<NewProfileAnswers> & { nomadToken?: string; consulToken?: string };

const TOTAL_STEPS = 8;
const tokenProblem = (text: string) => (/\s/.test(text.trim()) || /[\r\n]/.test(text) ? 'A token has no spaces or line breaks.' : undefined);

/**
 * Add Cluster…: a guided input (name, the three addresses, namespace and region, TLS, then the tokens into
 * the keychain) that writes a profile to the user's settings and makes it active. Answers passed in (from a
 * walkthrough link or a test) are not asked again. Escape at any step adds nothing.
 */
export function registerAddCluster(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.addCluster', async (given?: Answers) => {
    const preset: Answers = typeof given === 'object' && given !== null ? given : {};
    const taken = context.profiles.all.filter((profile) => profile.source === 'settings').map((profile) => profile.name);
    const ask = async (step: number, key: keyof Answers, options: vscode.InputBoxOptions): Promise<string | undefined> => {
      const value = preset[key];
      if (typeof value === 'string') return value;
      return vscode.window.showInputBox({ ignoreFocusOut: true, ...options, title: `Hashistack: Add Cluster (${step}/${TOTAL_STEPS})${options.title ? ` — ${options.title}` : ''}` });
    };
    const name = await ask(1, 'name', { prompt: 'A name for the cluster (shown in the status bar and Select Cluster)', placeHolder: 'staging', validateInput: (text) => nameProblem(text, taken) });
    if (name === undefined) return undefined;
    const addresses: Partial<Record<AddressKey, string>> = {};
    const products: [AddressKey, string, string][] = [
      ['nomadAddress', 'Nomad', 'NOMAD_ADDR'],
      ['consulAddress', 'Consul', 'CONSUL_HTTP_ADDR'],
      ['traefikAddress', 'Traefik API', "Traefik's API entrypoint (api.insecure or the dashboard's router)"],
    ];
    for (const [index, [key, product, hint]] of products.entries()) {
      const answer = await ask(2 + index, key, { title: product, prompt: `Where ${product} answers (as ${hint}); empty: ${ADDRESS_DEFAULTS[key]}`, placeHolder: ADDRESS_DEFAULTS[key], validateInput: (text) => addressAnswerProblem(key, text) });
      if (answer === undefined) return undefined;
      addresses[key] = answer;
    }
    const namespace = await ask(5, 'nomadNamespace', { title: 'Nomad namespace', prompt: 'The Nomad namespace to show and deploy to (* for every namespace); empty: default', placeHolder: 'default', validateInput: namespaceProblem });
    if (namespace === undefined) return undefined;
    const region = await ask(6, 'nomadRegion', { title: 'Nomad region', prompt: "The Nomad region, for a federated cluster; empty: the agent's own", placeHolder: 'global' });
    if (region === undefined) return undefined;
    const tls = await askTls(preset, Object.values(addresses).some((address) => /^https:/i.test(address ?? '')));
    if (!tls) return undefined;
    let entry: Record<string, string>;
    try {
      entry = profileEntry({ name, nomadAddress: addresses.nomadAddress ?? '', consulAddress: addresses.consulAddress ?? '', traefikAddress: addresses.traefikAddress ?? '', nomadNamespace: namespace, nomadRegion: region, ...tls });
    } catch (error) {
      void vscode.window.showErrorMessage(`Hashistack: the cluster was not added: ${(error as Error).message}`);
      return undefined;
    }
    // The user's settings, never the workspace's: a workspace's profiles are ignored until it is trusted.
    const configuration = vscode.workspace.getConfiguration('hashistack');
    const existing = configuration.inspect<unknown[]>('clusters')?.globalValue;
    await configuration.update('clusters', [...(Array.isArray(existing) ? existing : []), entry], vscode.ConfigurationTarget.Global);
    const profile = context.profiles.all.find((candidate) => candidate.name === entry.name && candidate.source === 'settings');
    if (!profile) {
      void vscode.window.showErrorMessage(`Hashistack: the profile "${entry.name}" was written to your settings but not read back; see Configure Clusters.`);
      return undefined;
    }
    // Tokens go into the keychain for this profile, then it becomes active (with them).
    for (const [product, step] of [['nomad', 7], ['consul', 8]] as [TokenProduct, number][]) {
      const token = await ask(step, `${product}Token`, { title: `${product === 'nomad' ? 'Nomad' : 'Consul'} token`, prompt: `The ${product === 'nomad' ? 'Nomad' : 'Consul'} ACL token's secret ID, kept in the OS keychain and sent only to ${profile[product].address}; empty: none (ACLs off)`, password: true, validateInput: tokenProblem });
      if (token?.trim()) await context.tokens.set(profile, product, token.trim());
    }
    await context.profiles.setActive(profile.name);
    context.log.info(`Cluster profile "${profile.name}" added (Nomad ${profile.nomad.address}, Consul ${profile.consul.address}, Traefik ${profile.traefik.address}) and made active`);
    void vscode.window.showInformationMessage(`Hashistack: "${profile.name}" added to your settings and active. Nomad ${profile.nomad.address} · Consul ${profile.consul.address} · Traefik ${profile.traefik.address}.`);
    return profile.name;
  });
}

/** The TLS step, asked only when an address is https: the system's CAs, or a CA file and server name. */
async function askTls(preset: Answers, https: boolean): Promise<{ caFile?: string; tlsServerName?: string } | undefined> {
  if (preset.caFile !== undefined || preset.tlsServerName !== undefined || !https) return { caFile: preset.caFile, tlsServerName: preset.tlsServerName };
  const system = { label: "The system's certificate authorities", detail: 'The servers have certificates from a public CA, or one your OS trusts.' };
  const custom = { label: 'A CA file of the cluster…', detail: "A PEM file (Consul's and Nomad's consul-agent-ca.pem / nomad-agent-ca.pem)" };
  const picked = await vscode.window.showQuickPick([system, custom], { title: 'Hashistack: Add Cluster — TLS', placeHolder: 'Which CA signed the servers\' certificates? (verification always stays on)', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked === system) return {};
  const [file] = (await vscode.window.showOpenDialog({ title: 'The CA certificate (PEM)', canSelectMany: false, filters: { 'PEM certificates': ['pem', 'crt', 'cer'], 'All files': ['*'] } })) ?? [];
  if (!file) return undefined;
  const serverName = await vscode.window.showInputBox({ title: 'Hashistack: Add Cluster — TLS server name', prompt: 'The name in the servers\' certificates when it is not the address\'s host (e.g. server.global.nomad); empty: the host', ignoreFocusOut: true });
  if (serverName === undefined) return undefined;
  return { caFile: file.fsPath, tlsServerName: serverName };
}
