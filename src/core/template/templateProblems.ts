// What a template reads that the active cluster does not have, in words, as consul-template would meet it:
// `key` and `nomadVar` wait for what is missing (the task never starts), a missing item renders "<no value>",
// `keyOrDefault` renders its default, `ls`/`tree`/`service` of nothing render nothing.
import { TemplateAnalysis, TemplateReference } from './templateReferences';

/** One read's state: not read yet (or not readable: no words), missing, or there. */
export type Held<T> = { state: 'unknown' } | { state: 'missing' } | { state: 'present'; value: T };

/** The cluster data a template's problems and hovers are judged on (the store's held reads, or a test's table). */
export interface TemplateData {
  profile: string;
  variable(namespace: string, path: string): Held<{ items?: Record<string, string>; modifyIndex: number }>;
  key(key: string): Held<{ value: string | undefined; bytes: number }>;
  keysUnder(prefix: string): Held<string[]>;
  /** undefined while Consul's catalog is not loaded. */
  consulService(name: string): { known: boolean; passing: number; total: number } | undefined;
  nomadService(namespace: string, name: string): Held<{ address: string; port: number }[]>;
}

export type TemplateProblemCode = 'template-syntax' | 'variable-missing' | 'variable-item-missing' | 'key-missing' | 'key-default' | 'prefix-empty' | 'service-missing' | 'service-unhealthy' | 'nomad-service-missing';

export interface TemplateProblem {
  /** Offsets in the template's source. */
  start: number;
  end: number;
  severity: 'error' | 'warning' | 'information';
  code: TemplateProblemCode;
  message: string;
}

export function templateProblems(analysis: TemplateAnalysis, namespace: string, data: TemplateData): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (analysis.syntaxError) {
    problems.push({ start: analysis.syntaxError.at, end: analysis.syntaxError.at + 2, severity: 'error', code: 'template-syntax', message: `The template does not parse: ${analysis.syntaxError.message} (Nomad fails the task when it renders it).` });
  }
  const on = `on "${data.profile}"`;
  for (const reference of analysis.references) {
    const problem = (severity: TemplateProblem['severity'], code: TemplateProblemCode, message: string) => problems.push({ start: reference.start, end: reference.end, severity, code, message });
    switch (reference.kind) {
      case 'variable': {
        const ns = reference.namespace ?? namespace;
        if (data.variable(ns, reference.path).state === 'missing') problem('error', 'variable-missing', `variable ${reference.path} does not exist in namespace ${ns} ${on}: the template waits for it, and the task does not start.`);
        break;
      }
      case 'variableItem': {
        const ns = reference.namespace ?? namespace;
        const held = data.variable(ns, reference.path);
        if (held.state === 'present' && held.value.items && !Object.hasOwn(held.value.items, reference.item)) {
          const names = Object.keys(held.value.items).sort();
          problem('warning', 'variable-item-missing', `variable ${reference.path} has no item "${reference.item}" ${on}: it renders "<no value>". Its items: ${names.join(', ') || 'none'}.`);
        }
        break;
      }
      case 'key': {
        if (data.key(reference.key).state !== 'missing') break;
        if (reference.orDefault) problem('information', 'key-default', `key ${reference.key} does not exist ${on}: the template renders its default.`);
        else problem('error', 'key-missing', `key ${reference.key} does not exist ${on}: the template waits for it, and the task does not start.`);
        break;
      }
      case 'keyPrefix': {
        const held = data.keysUnder(reference.prefix);
        if (held.state === 'missing' || (held.state === 'present' && held.value.length === 0)) problem('warning', 'prefix-empty', `no key is under ${reference.prefix} ${on}: ${reference.function} renders nothing.`);
        break;
      }
      case 'service': {
        const service = data.consulService(reference.name);
        if (!service) break;
        if (!service.known) problem('warning', 'service-missing', `Consul has no service "${reference.name}" ${on}: service renders nothing until it registers.`);
        else if (service.passing === 0) problem('information', 'service-unhealthy', `service "${reference.name}" has no passing instance ${on} (${service.total} registered): service renders nothing while they fail their checks.`);
        break;
      }
      case 'nomadService': {
        const held = data.nomadService(namespace, reference.name);
        if (held.state === 'present' && held.value.length === 0) problem('warning', 'nomad-service-missing', `Nomad has no registration of service "${reference.name}" in namespace ${namespace} ${on}: nomadService renders nothing.`);
        break;
      }
    }
  }
  return problems;
}

/** What the cluster has for a reference, in a few lines of plain text (values of variables masked). */
export function referenceSummary(reference: TemplateReference, namespace: string, data: TemplateData, maskedValue: string, maxValueChars: number): string[] {
  const on = `on "${data.profile}"`;
  switch (reference.kind) {
    case 'variable':
    case 'variableItem': {
      const ns = reference.namespace ?? namespace;
      const held = data.variable(ns, reference.path);
      if (held.state === 'unknown') return [`variable ${reference.path} (namespace ${ns}): not read ${on} yet`];
      if (held.state === 'missing') return [`variable ${reference.path}: none in namespace ${ns} ${on}`];
      const items = held.value.items;
      if (!items) return [`variable ${reference.path} (namespace ${ns}, index ${held.value.modifyIndex}): its items are not readable with this token`];
      const lines = [`variable ${reference.path} (namespace ${ns}, index ${held.value.modifyIndex}) ${on}:`];
      for (const name of Object.keys(items).sort()) lines.push(`${reference.kind === 'variableItem' && name === reference.item ? '→ ' : '  '}${name} = ${maskedValue}`);
      if (reference.kind === 'variableItem' && !Object.hasOwn(items, reference.item)) lines.push(`no item "${reference.item}"`);
      return lines;
    }
    case 'key': {
      const held = data.key(reference.key);
      if (held.state === 'unknown') return [`key ${reference.key}: not read ${on} yet`];
      if (held.state === 'missing') return [`key ${reference.key}: none ${on}${reference.orDefault ? ' (the default renders)' : ''}`];
      if (held.value.value === undefined) return [`key ${reference.key} ${on}: ${held.value.bytes} bytes that are not text`];
      const shown = held.value.value.length > maxValueChars ? `${held.value.value.slice(0, maxValueChars)}… (${held.value.bytes} bytes)` : held.value.value;
      return [`key ${reference.key} ${on}:`, shown];
    }
    case 'keyPrefix': {
      const held = data.keysUnder(reference.prefix);
      if (held.state !== 'present') return [`${reference.function} ${reference.prefix}: ${held.state === 'missing' ? 'nothing' : 'not read yet'} ${on}`];
      const shown = held.value.slice(0, 10);
      return [`${held.value.length} key(s) under ${reference.prefix} ${on}:`, ...shown.map((key) => `  ${key}`), ...(held.value.length > shown.length ? [`  … and ${held.value.length - shown.length} more`] : [])];
    }
    case 'service': {
      const service = data.consulService(reference.name);
      if (!service) return [`service ${reference.name}: Consul's catalog is not loaded`];
      return service.known ? [`service ${reference.name} ${on}: ${service.passing} of ${service.total} instance(s) passing${reference.tag ? ` (the template asks for tag "${reference.tag}")` : ''}`] : [`service ${reference.name}: not in Consul's catalog ${on}`];
    }
    case 'nomadService': {
      const held = data.nomadService(namespace, reference.name);
      if (held.state !== 'present') return [`Nomad service ${reference.name}: not read ${on} yet`];
      return [`Nomad service ${reference.name} (namespace ${namespace}) ${on}: ${held.value.length} registration(s)`, ...held.value.slice(0, 10).map((registration) => `  ${registration.address}:${registration.port}`)];
    }
  }
}
