import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The demo cluster at benchmark scale in its own process (so its work is not counted as ours), with its addresses. */
export async function startScaledDemo(): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'demo', 'cli.js'), '--scale', '--json', '--consul-port', '0', '--nomad-port', '0', '--traefik-port', '0', '--control-port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.includes('\n')) resolve(buffer.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`demo exited with ${code}`)));
  });
  return { child, env: JSON.parse(line) as Record<string, string> };
}
