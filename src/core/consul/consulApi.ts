// Types of the Consul HTTP API responses the extension reads (the fields it uses, as Consul names them).
// Reference: https://developer.hashicorp.com/consul/api-docs (catalog, health).

export type ConsulCheckStatus = 'passing' | 'warning' | 'critical' | 'maintenance';

/** `GET /v1/catalog/services`: service name → tags (union over instances). */
export type ConsulCatalogServices = Record<string, string[]>;

/** One element of `GET /v1/health/state/:state` and of `ServiceEntry.Checks`. */
export interface ConsulHealthCheck {
  Node: string;
  CheckID: string;
  Name: string;
  Status: ConsulCheckStatus | string;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[] | null;
  Namespace?: string;
}

/** One element of `GET /v1/catalog/nodes`. */
export interface ConsulNode {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string> | null;
  Meta: Record<string, string> | null;
}

/** One element of `GET /v1/health/service/:service`. */
export interface ConsulServiceEntry {
  Node: ConsulNode;
  Service: {
    ID: string;
    Service: string;
    Tags: string[] | null;
    Address: string;
    Port: number;
    Meta: Record<string, string> | null;
    Namespace?: string;
  };
  Checks: ConsulHealthCheck[];
}

/** Response metadata of a blocking-capable endpoint. */
export interface ConsulQueryMeta {
  /** `X-Consul-Index`; used for blocking queries. */
  index: number | undefined;
  knownLeader: boolean | undefined;
}
