/** What a service's `launcher.*` tags say about its button. */
export interface LauncherFields {
  name?: string;
  description?: string;
  techDetails?: string;
  subDomain?: string;
}

export interface ParsedLauncherTags {
  /** True when the service has at least one `launcher.*` tag: it gets a card. */
  isLauncher: boolean;
  fields: LauncherFields;
  /** Problems of this service's tags only, in words (shown on its card and in the log). */
  warnings: string[];
}

const KNOWN_KEYS: Record<string, keyof LauncherFields> = {
  name: 'name',
  description: 'description',
  techDetails: 'techDetails',
  subDomain: 'subDomain',
};

/** The keys the Launcher reads (`launcher.<key>=…`); others are ignored. */
export const LAUNCHER_KEYS: readonly string[] = Object.keys(KNOWN_KEYS);

/** Tags are written by whoever can register a service: bound what one may put on a card. */
export const MAX_FIELD_LENGTH = 500;

/**
 * Reads `launcher.<key>=<value>` tags. The value is everything after the first `=` (a description may
 * hold more `=`); unknown keys are ignored; a malformed tag is a warning on this service only.
 */
export function parseLauncherTags(tags: readonly string[] | null | undefined): ParsedLauncherTags {
  const result: ParsedLauncherTags = { isLauncher: false, fields: {}, warnings: [] };
  for (const tag of tags ?? []) {
    if (typeof tag !== 'string' || !tag.startsWith('launcher.')) continue;
    result.isLauncher = true;
    const separator = tag.indexOf('=');
    if (separator < 0) {
      result.warnings.push(`tag "${truncate(tag, 80)}" has no "=": write launcher.<key>=<value>`);
      continue;
    }
    const key = tag.slice('launcher.'.length, separator);
    const field = KNOWN_KEYS[key];
    if (!field) continue;
    let value = tag.slice(separator + 1).trim();
    if (value.length > MAX_FIELD_LENGTH) {
      result.warnings.push(`launcher.${key} is longer than ${MAX_FIELD_LENGTH} characters; it is cut`);
      value = `${value.slice(0, MAX_FIELD_LENGTH)}…`;
    }
    if (result.fields[field] !== undefined && result.fields[field] !== value) {
      result.warnings.push(`launcher.${key} is set twice; the last one is used`);
    }
    result.fields[field] = value;
  }
  return result;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
