/**
 * Changes that arrive closer together than this are drawn once: at a hundred Nomad events a second the
 * tree is rebuilt ten times a second, not a hundred, and a change still shows well within a second.
 */
export const RENDER_COALESCE_MS = 100;
