// The extension-host tests drive the demo cluster's faults through its control port, whose address the
// runner passes in HASHISTACK_DEMO_CONTROL (the runner owns the demo; the extension host is another process).

export type Fault = 'refused' | 'slow' | 'forbidden' | 'error' | 'invalidJson' | 'truncated';

function control(): string {
  const address = process.env.HASHISTACK_DEMO_CONTROL;
  if (!address) {
    throw new Error('HASHISTACK_DEMO_CONTROL is not set: run these tests through npm run test:e2e or test:desktop');
  }
  return address;
}

export async function setFault(product: 'consul' | 'nomad' | 'traefik', kind: Fault): Promise<void> {
  const response = await fetch(`${control()}/faults/${product}`, { method: 'PUT', body: JSON.stringify({ kind }) });
  if (!response.ok) throw new Error(await response.text());
}

export async function clearFaults(): Promise<void> {
  await fetch(`${control()}/faults`, { method: 'DELETE' });
}

export interface SeenRequest {
  product: string;
  path: string;
  query: string;
  tokenSent: boolean;
}

export async function requests(): Promise<SeenRequest[]> {
  return (await (await fetch(`${control()}/requests`)).json()) as SeenRequest[];
}

export async function resetRequests(): Promise<void> {
  await fetch(`${control()}/requests`, { method: 'DELETE' });
}

/** Puts the demo cluster's scenario back as it started (after tests that changed it). */
export async function resetScenario(): Promise<void> {
  await fetch(`${control()}/reset`, { method: 'POST' });
}

/** Changes the demo cluster as a real one would change (`POST /changes`): a new job, a failed allocation … */
export async function change(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${control()}/changes`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(await response.text());
}

/** Someone else writes a Nomad variable on the demo (its index moves). */
export async function writeVariableElsewhere(namespace: string, path: string, items: Record<string, string>): Promise<void> {
  const response = await fetch(`${control()}/variables/${encodeURIComponent(namespace)}/${path}`, { method: 'PUT', body: JSON.stringify(items) });
  if (!response.ok) throw new Error(await response.text());
}

/** Someone else writes a Consul key on the demo. */
export async function writeKeyElsewhere(key: string, value: string): Promise<void> {
  const response = await fetch(`${control()}/kv/${key}`, { method: 'PUT', body: value });
  if (!response.ok) throw new Error(await response.text());
}

/** Turns the demo cluster's ACLs on or off (as a cluster bootstrapped, or not). */
export async function setAcl(enabled: boolean): Promise<void> {
  const response = await fetch(`${control()}/acl`, { method: enabled ? 'PUT' : 'DELETE' });
  if (!response.ok) throw new Error(await response.text());
}
