// Newline-delimited JSON as Nomad's event stream sends it (nomad/stream/ndjson.go): one JSON value a
// line, `{}` as a heartbeat. Chunks split lines (and UTF-8 sequences) anywhere.

/** A line longer than this is not an event batch but a broken or hostile server. */
export const MAX_NDJSON_LINE_BYTES = 64 * 1024 * 1024;

export class NdjsonError extends Error {}

export class NdjsonDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';

  constructor(private readonly maxLineBytes = MAX_NDJSON_LINE_BYTES) {}

  /** The complete values in this chunk (and the line left over from the one before). */
  push(chunk: Uint8Array | string): unknown[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const values: unknown[] = [];
    let start = 0;
    for (let newline = this.pending.indexOf('\n'); newline >= 0; newline = this.pending.indexOf('\n', start)) {
      const line = this.pending.slice(start, newline).trim();
      start = newline + 1;
      if (line) values.push(parseLine(line));
    }
    this.pending = this.pending.slice(start);
    // Length in UTF-16 units is at most the byte length of the line, so this never refuses a legal line.
    if (this.pending.length > this.maxLineBytes) {
      throw new NdjsonError(`a line of more than ${this.maxLineBytes} bytes with no end`);
    }
    return values;
  }

  /** The stream ended: a last line without its newline still counts. */
  end(): unknown[] {
    const rest = (this.pending + this.decoder.decode()).trim();
    this.pending = '';
    return rest ? [parseLine(rest)] : [];
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new NdjsonError(`a line that is not JSON (${(error as Error).message}): ${JSON.stringify(line.slice(0, 80))}`);
  }
}

/** `{}`: Nomad's heartbeat, sent first and then every 30 s while nothing happens. */
export function isHeartbeat(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
