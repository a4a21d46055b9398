// Problems a jobspec (or an ecs-*.tf file) shows before the deploy: `traefik.*` tags of its services
// (rule syntax, known keys, entrypoints and middlewares Traefik has), `launcher.*` tags (by the Launcher's
// own parser and rules), and images without a pinned version (the rule of lint:platform).
import type { Node, Tree } from 'web-tree-sitter';
import { parseLauncherTags, LAUNCHER_KEYS } from '../launcher/launcherTags';
import { subDomainProblem } from '../launcher/launcherCards';
import { checkRule } from '../traefik/ruleSyntax';
import { imageProblem } from './imageRules';
import { ImageSite, scanEcsFile, scanJobspec } from './imageScanner';
import { FileKind } from './jobspecDocument';

export interface JobspecDiagnostic {
  /** Offsets in the file. */
  start: number;
  end: number;
  severity: 'error' | 'warning';
  message: string;
  /** Stable ids, so a quick fix can find its diagnostic: `traefik-rule`, `traefik-key`, `launcher`, `image`… */
  code: string;
  fix?: { start: number; end: number; text: string; title: string };
}

/** A tag as written: its value (HCL escapes undone, an interpolation as one character) and where each character is. */
export interface TagSite {
  value: string;
  /** `offsets[i]` is where value character i starts in the file; `offsets[value.length]` is the end. */
  offsets: number[];
  /** The service (or tag list) it belongs to: tags of one owner define one set of routers. */
  owner: number;
}

/** Where a router is named, to find the same name in two places of the workspace. */
export interface RouterDefinition {
  name: string;
  start: number;
  end: number;
  owner: number;
}

export interface TraefikFacts {
  entryPoints: string[];
  /** Qualified names (`auth@file`) of every middleware any provider defines. */
  middlewares: string[];
}

export interface DiagnosticContext {
  /** From the explorer, when it has Traefik's data. */
  traefik?: TraefikFacts;
  /** Routers defined in the workspace's other jobspecs, by name, with where (`nomad/api.nomad:12`). */
  otherRouters?: ReadonlyMap<string, readonly string[]>;
}

const TAG_ATTRIBUTES: Record<FileKind, readonly string[]> = { jobspec: ['tags', 'canary_tags'], ecs: ['consul_service_tags'] };

/** Keys of `traefik.http.routers.<name>.…` (Traefik reads label keys case-insensitively). */
const ROUTER_KEYS = ['rule', 'rulesyntax', 'entrypoints', 'middlewares', 'service', 'priority', 'tls', 'tls.certresolver', 'tls.options', 'observability.accesslogs', 'observability.metrics', 'observability.tracing'];
const ROUTER_KEY_PATTERNS = [/^tls\.domains\[\d+\]\.(main|sans)$/];
/** Keys of `traefik.http.services.<name>.…`. */
const SERVICE_KEYS = ['loadbalancer.server.port', 'loadbalancer.server.scheme', 'loadbalancer.server.url', 'loadbalancer.server.weight', 'loadbalancer.server.preservepath', 'loadbalancer.passhostheader', 'loadbalancer.serverstransport', 'loadbalancer.responseforwarding.flushinterval', 'loadbalancer.sticky.cookie', 'loadbalancer.sticky.cookie.name', 'loadbalancer.sticky.cookie.secure', 'loadbalancer.sticky.cookie.httponly', 'loadbalancer.sticky.cookie.samesite', 'loadbalancer.sticky.cookie.maxage', 'loadbalancer.sticky.cookie.path', 'loadbalancer.sticky.cookie.domain', 'loadbalancer.healthcheck.path', 'loadbalancer.healthcheck.port', 'loadbalancer.healthcheck.interval', 'loadbalancer.healthcheck.unhealthyinterval', 'loadbalancer.healthcheck.timeout', 'loadbalancer.healthcheck.scheme', 'loadbalancer.healthcheck.hostname', 'loadbalancer.healthcheck.followredirects', 'loadbalancer.healthcheck.method', 'loadbalancer.healthcheck.status', 'loadbalancer.healthcheck.mode'];
const SERVICE_KEY_PATTERNS = [/^loadbalancer\.healthcheck\.headers\.[^.]+$/];

function child(node: Node, type: string): Node | undefined {
  return node.namedChildren.find((candidate) => candidate?.type === type) ?? undefined;
}

/** A one-line string of HCL as its value, with an offset for every character (escapes undone). */
function stringSite(template: Node, text: string, owner: number): TagSite | undefined {
  if (template.startPosition.row !== template.endPosition.row || template.hasError) return undefined;
  const open = template.firstChild;
  const close = template.lastChild;
  if (open?.type !== 'quoted_template_start' || close?.type !== 'quoted_template_end') return undefined;
  let value = '';
  const offsets: number[] = [];
  for (let index = open.endIndex; index < close.startIndex; ) {
    if (text.startsWith('$${', index) || text.startsWith('%%{', index)) {
      // An escaped template start is the literal `${` / `%{`.
      offsets.push(index, index + 2);
      value += `${text[index]}{`;
      index += 3;
    } else if (text.startsWith('${', index) || text.startsWith('%{', index)) {
      // An interpolation stands for one unknown character: it keeps the rule's shape and its offsets.
      const end = text.indexOf('}', index);
      offsets.push(index);
      value += '\u0001';
      index = end < 0 ? close.startIndex : end + 1;
    } else if (text[index] === '\\' && index + 1 < close.startIndex) {
      const escaped = text[index + 1]!;
      offsets.push(index);
      value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
      index += 2;
    } else {
      offsets.push(index);
      value += text[index];
      index++;
    }
  }
  offsets.push(close.startIndex);
  return { value, offsets, owner };
}

/** Every tag of the file's services, as written. */
export function tagSites(tree: Tree, text: string, kind: FileKind): TagSite[] {
  const names = TAG_ATTRIBUTES[kind];
  const sites: TagSite[] = [];
  for (const attribute of tree.rootNode.descendantsOfType('attribute')) {
    if (!attribute || !names.includes(child(attribute, 'identifier')?.text ?? '')) continue;
    const service = kind === 'jobspec' ? serviceBlockOf(attribute) : attribute;
    if (!service) continue;
    const tuple = attribute.descendantsOfType('tuple')[0];
    if (!tuple) continue;
    for (const element of tuple.namedChildren) {
      if (element?.type !== 'expression') continue;
      const template = element.descendantsOfType(['string_lit', 'quoted_template'])[0];
      const site = template ? stringSite(template, text, service.startIndex) : undefined;
      if (site) sites.push(site);
    }
  }
  return sites;
}

function serviceBlockOf(attribute: Node): Node | undefined {
  const block = attribute.parent?.parent;
  return block?.type === 'block' && child(block, 'identifier')?.text === 'service' ? block : undefined;
}

/** The routers the tags name (one per name and owner), for the workspace's duplicate check. */
export function routerDefinitions(sites: readonly TagSite[]): RouterDefinition[] {
  const seen = new Set<string>();
  const routers: RouterDefinition[] = [];
  for (const site of sites) {
    const match = /^traefik\.http\.routers\.([^.=]+)\./i.exec(site.value);
    if (!match) continue;
    const key = `${site.owner}\u0000${match[1]!.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const start = 'traefik.http.routers.'.length;
    routers.push({ name: match[1]!, start: site.offsets[start]!, end: site.offsets[start + match[1]!.length]!, owner: site.owner });
  }
  return routers;
}

function at(site: TagSite, from: number, to: number): { start: number; end: number } {
  return { start: site.offsets[Math.max(0, Math.min(from, site.value.length))]!, end: site.offsets[Math.max(0, Math.min(to, site.value.length))]! };
}

/** The names of a comma-separated value (`web,websecure`) with where each starts; interpolated ones are skipped. */
function listItems(value: string, offset: number): { name: string; start: number }[] {
  const items: { name: string; start: number }[] = [];
  let cursor = offset;
  for (const part of value.split(',')) {
    const name = part.trim();
    if (name && !name.includes('\u0001')) items.push({ name, start: cursor + part.indexOf(name) });
    cursor += part.length + 1;
  }
  return items;
}

function traefikTagDiagnostics(site: TagSite, text: string, context: DiagnosticContext, localMiddlewares: ReadonlySet<string>): JobspecDiagnostic[] {
  const diagnostics: JobspecDiagnostic[] = [];
  const equals = site.value.indexOf('=');
  const key = equals < 0 ? site.value : site.value.slice(0, equals);
  const value = equals < 0 ? '' : site.value.slice(equals + 1);
  const router = /^traefik\.http\.routers\.([^.=]+)\.(.+)$/i.exec(key);
  const service = /^traefik\.http\.services\.([^.=]+)\.(.+)$/i.exec(key);
  if (equals < 0 && !/^traefik\.enable$/i.test(key)) {
    diagnostics.push({ ...at(site, 0, site.value.length), severity: 'error', code: 'traefik-key', message: `"${key}" has no "=": Traefik reads traefik.<key>=<value>` });
    return diagnostics;
  }
  if (router) {
    const sub = router[2]!.toLowerCase();
    if (!ROUTER_KEYS.includes(sub) && !ROUTER_KEY_PATTERNS.some((pattern) => pattern.test(sub))) {
      diagnostics.push({ ...at(site, key.length - router[2]!.length, key.length), severity: 'warning', code: 'traefik-key', message: `"${router[2]}" is not a key of a Traefik router (${ROUTER_KEYS.join(', ')}, tls.domains[n].main|sans)` });
    }
    if (sub === 'rule') {
      for (const problem of checkRule(value)) {
        const offset = equals + 1;
        diagnostics.push({ ...at(site, offset + problem.start, offset + problem.end), severity: problem.severity ?? 'error', code: 'traefik-rule', message: `Traefik rule: ${problem.message}`, fix: problem.fix ? sourceFix(site, text, offset, problem.fix) : undefined });
      }
    }
    if (sub === 'entrypoints' && context.traefik) {
      for (const { name, start } of listItems(value, equals + 1)) {
        if (!context.traefik.entryPoints.includes(name)) {
          diagnostics.push({ ...at(site, start, start + name.length), severity: 'warning', code: 'traefik-entrypoint', message: `Traefik has no entrypoint "${name}" (it has ${context.traefik.entryPoints.join(', ') || 'none'})` });
        }
      }
    }
    if (sub === 'middlewares' && context.traefik) {
      for (const { name, start } of listItems(value, equals + 1)) {
        // A name without @provider is this provider's (consulCatalog's), or one of these tags'.
        const qualified = name.includes('@') ? name : `${name}@consulcatalog`;
        if (!localMiddlewares.has(name.toLowerCase()) && !context.traefik.middlewares.some((candidate) => candidate.toLowerCase() === qualified.toLowerCase())) {
          diagnostics.push({ ...at(site, start, start + name.length), severity: 'warning', code: 'traefik-middleware', message: `no provider defines the middleware "${name}" (Traefik has ${context.traefik.middlewares.slice(0, 8).join(', ') || 'none'})` });
        }
      }
    }
  }
  if (service) {
    const sub = service[2]!.toLowerCase();
    if (!SERVICE_KEYS.includes(sub) && !SERVICE_KEY_PATTERNS.some((pattern) => pattern.test(sub))) {
      diagnostics.push({ ...at(site, key.length - service[2]!.length, key.length), severity: 'warning', code: 'traefik-key', message: `"${service[2]}" is not a key of a Traefik service (loadbalancer.server.port, loadbalancer.server.scheme, loadbalancer.healthcheck.*, loadbalancer.sticky.cookie.*, …)` });
    }
  }
  return diagnostics;
}

/**
 * A fix of the rule's value as a fix of the file: the replaced range in source offsets, and its text rebuilt
 * from the source where the value had an interpolation (kept as written) — quotes swapped, the rest as is.
 */
function sourceFix(site: TagSite, text: string, offset: number, fix: { start: number; end: number; text: string; title: string }): JobspecDiagnostic['fix'] {
  const range = at(site, offset + fix.start, offset + fix.end);
  if (!fix.text.includes('\u0001')) return { ...range, text: fix.text, title: fix.title };
  const written = text.slice(range.start, range.end);
  const replaced = `\`${written.slice(1, -1)}\``;
  return { ...range, text: replaced, title: `Use backticks: ${replaced}` };
}

function launcherTagDiagnostics(site: TagSite): JobspecDiagnostic[] {
  // The Launcher's own parser decides, so the editor and the Launcher never disagree.
  const parsed = parseLauncherTags([site.value]);
  const diagnostics: JobspecDiagnostic[] = parsed.warnings.map((warning) => ({ ...at(site, 0, site.value.length), severity: 'warning' as const, code: 'launcher', message: `Launcher: ${warning}` }));
  const equals = site.value.indexOf('=');
  if (equals < 0) return diagnostics;
  const key = site.value.slice('launcher.'.length, equals);
  if (!LAUNCHER_KEYS.includes(key)) {
    diagnostics.push({ ...at(site, 'launcher.'.length, equals), severity: 'warning', code: 'launcher', message: `Launcher: "${key}" is not a launcher key (${LAUNCHER_KEYS.join(', ')}): the Launcher ignores it` });
  }
  const sub = parsed.fields.subDomain;
  const problem = key === 'subDomain' && sub !== undefined && !sub.includes('\u0001') ? subDomainProblem(sub) : undefined;
  if (problem) diagnostics.push({ ...at(site, equals + 1, site.value.length), severity: 'warning', code: 'launcher', message: `Launcher: ${problem}` });
  return diagnostics;
}

function imageDiagnostics(images: readonly ImageSite[]): JobspecDiagnostic[] {
  const diagnostics: JobspecDiagnostic[] = [];
  for (const image of images) {
    const problem = imageProblem(image);
    if (problem) diagnostics.push({ start: image.start, end: image.end, severity: 'warning', code: 'image', message: `image "${image.text}" ${problem}` });
  }
  return diagnostics;
}

/** Every problem of the file, in offset order, and the routers it defines. */
/** `images`: the file's image sites when a scan already has them (the editor's index keeps one per version). */
export function jobspecDiagnostics(tree: Tree, text: string, kind: FileKind, context: DiagnosticContext = {}, images?: readonly ImageSite[]): { diagnostics: JobspecDiagnostic[]; routers: RouterDefinition[] } {
  const sites = tagSites(tree, text, kind);
  const diagnostics: JobspecDiagnostic[] = [];
  const localMiddlewares = new Map<number, Set<string>>();
  for (const site of sites) {
    const middleware = /^traefik\.http\.middlewares\.([^.=]+)\./i.exec(site.value);
    if (middleware) {
      if (!localMiddlewares.has(site.owner)) localMiddlewares.set(site.owner, new Set());
      localMiddlewares.get(site.owner)!.add(middleware[1]!.toLowerCase());
    }
  }
  for (const site of sites) {
    if (/^traefik\./i.test(site.value)) diagnostics.push(...traefikTagDiagnostics(site, text, context, localMiddlewares.get(site.owner) ?? new Set()));
    else if (site.value.startsWith('launcher.')) diagnostics.push(...launcherTagDiagnostics(site));
  }
  const routers = routerDefinitions(sites);
  const byName = new Map<string, RouterDefinition[]>();
  for (const router of routers) byName.set(router.name.toLowerCase(), [...(byName.get(router.name.toLowerCase()) ?? []), router]);
  for (const router of routers) {
    const here = byName.get(router.name.toLowerCase())!.filter((other) => other !== router);
    const elsewhere = context.otherRouters?.get(router.name.toLowerCase()) ?? [];
    if (here.length + elsewhere.length > 0) {
      const where = [...(here.length ? [`another service of this file`] : []), ...elsewhere].join(', ');
      diagnostics.push({ start: router.start, end: router.end, severity: 'warning', code: 'traefik-router-duplicate', message: `router "${router.name}" is also defined by ${where}: Traefik reports the router in error when two services define it` });
    }
  }
  diagnostics.push(...imageDiagnostics(images ?? (kind === 'jobspec' ? scanJobspec(tree, text).images : scanEcsFile(tree, text).images)));
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end);
  return { diagnostics, routers };
}
