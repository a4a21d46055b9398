// The Nomad writes and reads that only the demo's stand-in `nomad` CLI makes (the extension itself submits
// jobs through the real CLI, and follows deployments from its store): registering a job with -check-index,
// and reading one deployment while it is monitored. Checked against Nomad's recorded answers like the rest.
import { HttpClient } from '../src/core/http/httpClient';
import { checkObject } from '../src/core/http/shapes';
import { NomadDeployment, NomadJobRegisterResponse } from '../src/core/nomad/nomadApi';
import { ParsedJob } from '../src/core/nomad/nomadClient';

export class NomadCliApi {
  private readonly http: HttpClient;

  constructor(options: { address: string; token?: string; region?: string; timeoutMs: number }) {
    this.http = new HttpClient({ product: 'Nomad', address: options.address, timeoutMs: options.timeoutMs, headers: options.token ? { 'X-Nomad-Token': options.token } : {} });
    this.region = options.region || undefined;
  }

  private readonly region: string | undefined;

  /**
   * `nomad job run [-check-index N]`: `POST /v1/jobs`. With a check index, EnforceIndex is set and Nomad
   * refuses the run when the job's JobModifyIndex is another (index 0: only if the job does not exist yet).
   */
  async registerJob(job: ParsedJob, checkIndex?: number, signal?: AbortSignal): Promise<NomadJobRegisterResponse> {
    const path = '/v1/jobs';
    const body = { Job: job, ...(checkIndex !== undefined ? { EnforceIndex: true, ...(checkIndex > 0 ? { JobModifyIndex: checkIndex } : {}) } : {}) };
    const response = await this.http.requestJson<unknown>(path, { method: 'POST', signal, query: { namespace: job.Namespace || undefined, region: this.region }, body: JSON.stringify(body) });
    return checkObject<NomadJobRegisterResponse>(response.data, { product: 'Nomad', address: this.http.address, path }, { EvalID: 'string', JobModifyIndex: 'number' });
  }

  /** One deployment (`GET /v1/deployment/:id`), as `nomad job run` monitors it. */
  async deployment(id: string, signal?: AbortSignal): Promise<NomadDeployment> {
    const path = `/v1/deployment/${encodeURIComponent(id)}`;
    const response = await this.http.requestJson<unknown>(path, { signal, query: { region: this.region } });
    return checkObject<NomadDeployment>(response.data, { product: 'Nomad', address: this.http.address, path }, { ID: 'string', JobID: 'string', Status: 'string', TaskGroups: 'object' });
  }
}
