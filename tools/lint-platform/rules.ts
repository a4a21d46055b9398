// Project rules over the platform's files, on their parsed form (tree-sitter for positions, HashiCorp's
// HCL parser through @cdktn/hcl2json for structure and syntax errors). Pure: files in, findings out.
import { parse } from '@cdktn/hcl2json';
import type { Parser } from 'web-tree-sitter';
import { parseHcl } from '../../src/core/jobspec/hclParser';
import { scanEcsFile, scanJobspec } from '../../src/core/jobspec/imageScanner';
import { imageProblem } from '../../src/core/jobspec/imageRules';
import { fileKind } from '../../src/core/jobspec/jobspecDocument';

export interface Finding {
  file: string;
  line: number;
  message: string;
}

export interface PlatformFile {
  /** Path relative to the repository, as findings print it. */
  path: string;
  text: string;
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}: ${finding.message}`;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, Math.max(0, offset)).split('\n').length;
}

function lineOfText(text: string, needle: string): number {
  const index = text.indexOf(needle);
  return index < 0 ? 1 : lineOf(text, index);
}

/** HCL syntax, with HashiCorp's own parser: "file:line,col-col: summary; detail". */
export async function syntaxFindings(file: PlatformFile): Promise<Finding[]> {
  try {
    await parse(file.path, file.text);
    return [];
  } catch (error) {
    const message = (error as Error).message.replace(/^parse config: \[|\]$/g, '');
    const line = Number(/:(\d+),\d+/.exec(message)?.[1] ?? 1);
    return [{ file: file.path, line, message: `HCL syntax: ${message}` }];
  }
}

/** Every container image has a literal, pinned version tag. */
export function imageFindings(file: PlatformFile, parser: Parser): Finding[] {
  const kind = fileKind(file.path);
  if (!kind) return [];
  const tree = parseHcl(parser, file.text);
  try {
    const images = kind === 'jobspec' ? scanJobspec(tree, file.text).images : scanEcsFile(tree, file.text).images;
    return images.filter((image) => imageProblem(image)).map((image) => ({ file: file.path, line: lineOf(file.text, image.start), message: `image "${image.text}" (${image.owner}) ${imageProblem(image)}` }));
  } finally {
    tree.delete();
  }
}

/** Walks parsed HCL (hcl2json's shape) and calls `visit` on every object. */
function walk(value: unknown, visit: (object: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item) => walk(item, visit));
  } else if (value && typeof value === 'object') {
    visit(value as Record<string, unknown>);
    Object.values(value).forEach((item) => walk(item, visit));
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A service with launcher.* tags is reachable: it also has a Traefik router rule. */
export async function launcherFindings(file: PlatformFile): Promise<Finding[]> {
  if (!/\.(nomad|tf)$/.test(file.path)) return [];
  let parsed: Record<string, unknown>;
  try {
    parsed = await parse(file.path, file.text);
  } catch {
    return []; // Reported by syntaxFindings.
  }
  const findings: Finding[] = [];
  walk(parsed, (object) => {
    for (const key of ['tags', 'consul_service_tags']) {
      const tags = stringList(object[key]);
      const launcher = tags.find((tag) => tag.startsWith('launcher.'));
      if (!launcher) continue;
      const hasRouter = tags.some((tag) => /^traefik\.http\.routers\.[^.=]+\.rule=/.test(tag));
      const enabled = tags.includes('traefik.enable=true');
      if (!hasRouter || !enabled) {
        findings.push({
          file: file.path,
          line: lineOfText(file.text, launcher),
          message: `a service with launcher.* tags needs ${!enabled ? '"traefik.enable=true" and ' : ''}a Traefik router rule ("traefik.http.routers.<name>.rule=Host(\`…\`)"), or its launcher button leads nowhere`,
        });
      }
    }
  });
  return findings;
}

const PASSWORD_ATTRIBUTE = /^\s*(password|registry_password|docker_password)\s*=\s*"[^"$]+"/gm;

/** No registry password (or any literal password) in the platform's files. */
export function passwordFindings(file: PlatformFile): Finding[] {
  const findings: Finding[] = [];
  for (const match of file.text.matchAll(PASSWORD_ATTRIBUTE)) {
    findings.push({ file: file.path, line: lineOf(file.text, match.index!), message: `a literal ${match[1]} is in the file; registry credentials come from the ECR credential helper on the nodes (platform/packer), never from a file` });
  }
  for (const match of file.text.matchAll(/docker\s+login\b[^\n]*(-p|--password)\b/g)) {
    findings.push({ file: file.path, line: lineOf(file.text, match.index!), message: 'docker login with a password on the command line; use the ECR credential helper' });
  }
  return findings;
}

/** Every service or system job says how it updates and how its health is checked. */
export async function jobFindings(file: PlatformFile, parser: Parser): Promise<Finding[]> {
  if (fileKind(file.path) !== 'jobspec') return [];
  let parsed: Record<string, unknown>;
  try {
    parsed = await parse(file.path, file.text);
  } catch {
    return [];
  }
  const tree = parseHcl(parser, file.text);
  const lines = new Map(scanJobspec(tree, file.text).jobs.map((job) => [job.id, job.line + 1]));
  tree.delete();
  const findings: Finding[] = [];
  const jobs = (parsed.job ?? {}) as Record<string, Record<string, unknown>[]>;
  for (const [id, bodies] of Object.entries(jobs)) {
    const job = bodies[0] ?? {};
    const line = lines.get(id) ?? 1;
    const type = typeof job.type === 'string' ? job.type : 'service';
    if (type === 'batch' || type === 'sysbatch') continue;
    const groups = Object.values((job.group ?? {}) as Record<string, Record<string, unknown>[]>).map((g) => g[0] ?? {});
    const hasUpdate = job.update !== undefined || (groups.length > 0 && groups.every((group) => group.update !== undefined));
    if (!hasUpdate) {
      findings.push({ file: file.path, line, message: `job "${id}" has no update block: say how it rolls out (max_parallel, health_check, auto_revert)` });
    }
    for (const group of groups) {
      const services = (group.service ?? []) as Record<string, unknown>[];
      const checked = services.length > 0 && services.every((service) => Array.isArray(service.check) && service.check.length > 0);
      if (!checked) {
        findings.push({ file: file.path, line, message: `job "${id}": every group needs a service with a health check, so deploys wait for healthy allocations` });
        break;
      }
    }
  }
  return findings;
}

/** Every project rule over one file. */
export async function ruleFindings(file: PlatformFile, parser: Parser): Promise<Finding[]> {
  const syntax = await syntaxFindings(file);
  if (syntax.length > 0) return syntax;
  return [...imageFindings(file, parser), ...(await launcherFindings(file)), ...passwordFindings(file), ...(await jobFindings(file, parser))];
}
