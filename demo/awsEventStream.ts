// AWS's event stream framing (`application/vnd.amazon.eventstream`), the encoding side, for the demo's and
// the tests' StartLiveTail answers: each message is a prelude (total length, headers length, the prelude's
// CRC32), headers (name, type 7 = string, value), the payload, and the message's CRC32 — as AWS documents it
// ("Event stream encoding", Amazon Transcribe and S3 Select guides). The SDK's decoder checks every CRC.

const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

function crc32(bytes: Uint8Array, seed = 0): number {
  let crc = ~seed >>> 0;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** One event stream message with string headers. */
export function eventStreamMessage(headers: Record<string, string>, payload: Uint8Array | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const nameBytes = Buffer.from(name, 'utf8');
      const valueBytes = Buffer.from(value, 'utf8');
      const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
      header.writeUInt8(nameBytes.length, 0);
      nameBytes.copy(header, 1);
      header.writeUInt8(7, 1 + nameBytes.length);
      header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
      valueBytes.copy(header, 4 + nameBytes.length);
      return header;
    }),
  );
  const total = 12 + headerBytes.length + body.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  body.copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** An `event` message of a JSON protocol's stream: its type, and its member as JSON. */
export function jsonEvent(eventType: string, member: unknown): Buffer {
  return eventStreamMessage({ ':message-type': 'event', ':event-type': eventType, ':content-type': 'application/json' }, JSON.stringify(member));
}

/** An `exception` message of a stream (SessionTimeoutException, SessionStreamingException). */
export function jsonException(exceptionType: string, message: string): Buffer {
  return eventStreamMessage({ ':message-type': 'exception', ':exception-type': exceptionType, ':content-type': 'application/json' }, JSON.stringify({ message }));
}
