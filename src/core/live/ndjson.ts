// Newline-delimited JSON as Nomad's event stream sends it (nomad/stream/ndjson.go): one JSON value a
// line, `{}` as a heartbeat. Chunks split lines (and UTF-8 sequences) anywhere.

/** A line longer than this is not an event batch but a broken or hostile server. */
export const MAX_NDJSON_LINE_BYTES = 64 * 1024 * 1024;

export class NdjsonError extends Error {}

export class NdjsonDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  /**
   * The unfinished line, as the pieces it came in: each chunk is searched for a newline once, and the
   * pieces are joined only when the line ends. Re-scanning a growing string on every chunk would be
   * quadratic up to the line limit.
   */
  private pieces: string[] = [];
  private pendingLength = 0;

  constructor(private readonly maxLineBytes = MAX_NDJSON_LINE_BYTES) {}

  /** The complete values in this chunk (and the line left over from the one before). */
  push(chunk: Uint8Array | string): unknown[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const values: unknown[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      const piece = text.slice(start, newline);
      const line = (this.pieces.length > 0 ? this.pieces.join('') + piece : piece).trim();
      this.pieces = [];
      this.pendingLength = 0;
      start = newline + 1;
      if (line) values.push(parseLine(line));
    }
    if (start < text.length) {
      const rest = text.slice(start);
      this.pieces.push(rest);
      this.pendingLength += rest.length;
    }
    // Length in UTF-16 units is at most the byte length of the line, so this never refuses a legal line.
    if (this.pendingLength > this.maxLineBytes) {
      throw new NdjsonError(`a line of more than ${this.maxLineBytes} bytes with no end`);
    }
    return values;
  }

  /** The stream ended: a last line without its newline still counts. */
  end(): unknown[] {
    const rest = (this.pieces.join('') + this.decoder.decode()).trim();
    this.pieces = [];
    this.pendingLength = 0;
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
