/** The words for a feature that Restricted Mode turns off. */
export function restrictedModeMessage(what: string): string {
  return `Hashistack: ${what} is disabled in Restricted Mode: this workspace is not trusted, and its settings choose the cluster and what runs. Trust the workspace to use it.`;
}
