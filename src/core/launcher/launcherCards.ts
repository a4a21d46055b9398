import { ConsulCatalogServices } from '../consul/consulApi';
import { NomadJobListStub } from '../nomad/nomadApi';
import { TraefikHttpRouter } from '../traefik/traefikApi';
import { formatHealthSummary, HealthSummary } from '../tree/consul/consulProperties';
import { isWebUrl, PublicPorts, routerPublicUrl } from '../tree/links';
import { parseLauncherTags } from './launcherTags';

/** One button of the Launcher. Every string here is text for textContent; `url` is built by the extension. */
export interface LauncherCard {
  /** The Consul service name: what the webview sends back to open or reveal it. */
  id: string;
  name: string;
  description: string;
  techDetails: string;
  health: { text: string; state: 'passing' | 'warning' | 'critical' | 'unknown' };
  runsOn: string;
  url?: string;
  /** Where the URL came from: a Traefik router's rule, or launcher.subDomain + the domain setting. */
  urlSource?: 'router' | 'subDomain';
  warnings: string[];
}

export interface LauncherInputs {
  services: ConsulCatalogServices;
  health: Map<string, HealthSummary>;
  /** Undefined when Traefik did not answer: the subDomain fallback is used. */
  routers?: TraefikHttpRouter[];
  nomadJobs?: NomadJobListStub[];
  /** The cluster's domain (setting); empty: no fallback URL. */
  domain: string;
  /** Where users reach Traefik's entry points (setting hashistack.traefik.publicPorts), for the routers' URLs. */
  publicPorts?: PublicPorts;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** The router that sends traffic to a Consul service: by its service name (Traefik's consulCatalog names it after the service). */
function routerFor(service: string, routers: TraefikHttpRouter[]): TraefikHttpRouter | undefined {
  const matches = routers.filter((router) => {
    const target = router.service.split('@')[0];
    return target === service && router.status !== 'disabled';
  });
  return matches.find((router) => routerPublicUrl(router)) ?? matches[0];
}

/** Why a `launcher.subDomain` value cannot be a subdomain (one rule for the cards and the editor). */
export function subDomainProblem(sub: string): string | undefined {
  return sub === '' || sub.split('.').every((label) => LABEL.test(label)) ? undefined : `launcher.subDomain "${sub.slice(0, 60)}" is not a DNS name; no link is made from it`;
}

export function buildLauncherCards(inputs: LauncherInputs): LauncherCard[] {
  const cards: LauncherCard[] = [];
  const nomadJobs = new Set((inputs.nomadJobs ?? []).map((job) => job.ID));
  for (const [service, tags] of Object.entries(inputs.services)) {
    const parsed = parseLauncherTags(tags);
    if (!parsed.isLauncher) continue;
    const warnings = [...parsed.warnings];
    const summary = inputs.health.get(service);
    const healthText = summary ? `${summary.passing}/${summary.passing + summary.warning + summary.critical} passing` : 'no checks';
    const state = !summary ? 'unknown' : summary.critical > 0 ? 'critical' : summary.warning > 0 ? 'warning' : 'passing';
    let url: string | undefined;
    let urlSource: LauncherCard['urlSource'];
    const router = inputs.routers ? routerFor(service, inputs.routers) : undefined;
    if (router) {
      url = routerPublicUrl(router, inputs.publicPorts);
      if (url) urlSource = 'router';
    }
    if (!url && parsed.fields.subDomain !== undefined && inputs.domain) {
      const sub = parsed.fields.subDomain;
      if (!subDomainProblem(sub)) {
        url = `https://${sub ? `${sub}.` : ''}${inputs.domain}`;
        urlSource = 'subDomain';
      } else {
        warnings.push(subDomainProblem(sub)!);
      }
    }
    if (url && !isWebUrl(url)) {
      url = undefined;
      urlSource = undefined;
    }
    if (!url) {
      warnings.push(inputs.domain ? 'no Traefik router rule or launcher.subDomain gives this service a web address' : 'no Traefik router rule gives this service a web address (set "hashistack.launcher.domain" to use launcher.subDomain)');
    }
    cards.push({
      id: service,
      name: parsed.fields.name || service,
      description: parsed.fields.description ?? '',
      techDetails: parsed.fields.techDetails ?? '',
      health: { text: summary ? healthText : formatHealthSummary(undefined), state },
      runsOn: nomadJobs.has(service) ? `Nomad job ${service}` : 'outside Nomad (e.g. ECS)',
      url,
      urlSource,
      warnings,
    });
  }
  return cards.sort((a, b) => a.name.localeCompare(b.name));
}

/** A message from the webview, checked: only these two, with a known service id. */
export type LauncherRequest = { type: 'open' | 'reveal'; id: string };

export function validateLauncherMessage(message: unknown, cards: readonly LauncherCard[]): LauncherRequest | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, id } = message as { type?: unknown; id?: unknown };
  if ((type !== 'open' && type !== 'reveal') || typeof id !== 'string' || id.length > 1000) return undefined;
  if (!cards.some((card) => card.id === id)) return undefined;
  return { type, id };
}

/**
 * The log lines the Launcher's card warnings deserve, once each: the cards are rebuilt on every change of
 * the cluster, and before Traefik has answered every service lacks a router, which is not worth a warning.
 */
export function cardWarningsToLog(cards: readonly LauncherCard[], traefikAnswered: boolean, logged: Set<string>): string[] {
  const lines: string[] = [];
  for (const card of cards) {
    for (const warning of card.warnings) {
      if (!traefikAnswered && /Traefik router rule/.test(warning)) continue;
      const line = `Launcher: service "${card.id}": ${warning}`;
      if (logged.has(line)) continue;
      logged.add(line);
      lines.push(line);
    }
  }
  return lines;
}
