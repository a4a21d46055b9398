import { createConnection } from 'node:net';

/** Sends `text` to 127.0.0.1:`port` and resolves with the first answer (a forwarded port's round trip). */
export function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.destroy();
      resolve(chunk.toString());
    });
    socket.write(text);
  });
}
