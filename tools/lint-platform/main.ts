// `npm run lint:platform`: checks platform/ offline. HCL syntax of every *.tf, *.nomad and *.pkr.hcl
// (not *.tpl templates); packer validate + packer fmt -check; shellcheck on every script; terraform fmt
// where terraform is installed; and the project's rules. Prints "file:line: reason"; exits 1 on any finding.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHclParser } from '../../src/core/jobspec/hclParser';
import { Finding, formatFinding, ruleFindings } from './rules';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === '.terraform' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out.sort();
}

function available(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function run(tool: string, args: string[], cwd: string): { status: number; output: string } {
  const result = spawnSync(tool, args, { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', PACKER_CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' } });
  return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

export interface LintReport {
  findings: Finding[];
  /** Checks that ran, and ones skipped because their tool is missing (said, never silent). */
  ran: string[];
  skipped: string[];
}

export async function lintPlatform(root: string, repositoryRoot: string = join(root, '..')): Promise<LintReport> {
  const report: LintReport = { findings: [], ran: [], skipped: [] };
  const files = filesUnder(root);
  const parser = await createHclParser();
  const rel = (path: string) => relative(repositoryRoot, path);

  const hclFiles = files.filter((file) => /\.(tf|nomad|pkr\.hcl)$/.test(file));
  for (const file of hclFiles) {
    report.findings.push(...(await ruleFindings({ path: rel(file), text: readFileSync(file, 'utf8') }, parser)));
  }
  report.ran.push(`HCL syntax and project rules (${hclFiles.length} files)`);

  const scripts = files.filter((file) => file.endsWith('.sh'));
  if (available('shellcheck')) {
    for (const script of scripts) {
      const result = run('shellcheck', ['--format=gcc', script], repositoryRoot);
      if (result.status !== 0) {
        for (const line of result.output.split('\n').filter(Boolean)) {
          const match = /^(.*?):(\d+):\d+: (.*)$/.exec(line);
          report.findings.push(match ? { file: rel(match[1]!), line: Number(match[2]), message: `shellcheck: ${match[3]}` } : { file: rel(script), line: 1, message: `shellcheck: ${line}` });
        }
      }
    }
    report.ran.push(`shellcheck (${scripts.length} scripts)`);
  } else {
    report.skipped.push('shellcheck (not installed: apt-get install shellcheck)');
  }

  const packerDir = join(root, 'packer');
  if (existsSync(packerDir) && available('packer')) {
    // Packer 1.6 predates `packer { required_plugins }`: validate a copy without that file.
    const copy = mkdtempSync(join(tmpdir(), 'hashistack-packer-'));
    try {
      cpSync(packerDir, copy, { recursive: true });
      rmSync(join(copy, 'plugins.pkr.hcl'), { force: true });
      const validate = run('packer', ['validate', '.'], copy);
      if (validate.status !== 0) report.findings.push({ file: rel(packerDir), line: 1, message: `packer validate: ${validate.output}` });
      const format = run('packer', ['fmt', '-check', '.'], packerDir);
      if (format.status !== 0) {
        const unformatted = format.output.split('\n').filter((line) => /\.pkr\.hcl$/.test(line.trim()));
        for (const file of unformatted.length ? unformatted : ['.']) {
          report.findings.push({ file: rel(join(packerDir, file.trim())), line: 1, message: `packer fmt -check: not formatted (run packer fmt)${unformatted.length ? '' : `: ${format.output}`}` });
        }
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    report.ran.push('packer validate, packer fmt -check');
  } else if (existsSync(packerDir)) {
    report.skipped.push('packer validate (packer not installed: apt-get install packer)');
  }

  const terraformDir = join(root, 'terraform');
  if (existsSync(terraformDir) && available('terraform')) {
    const format = run('terraform', ['fmt', '-check', '-recursive', '.'], terraformDir);
    if (format.status !== 0) {
      const unformatted = format.output.split('\n').filter((line) => /\.tf$/.test(line.trim()));
      for (const file of unformatted.length ? unformatted : ['.']) {
        report.findings.push({ file: rel(join(terraformDir, file.trim())), line: 1, message: 'terraform fmt -check: not formatted (run terraform fmt -recursive)' });
      }
    }
    report.ran.push('terraform fmt -check');
  } else if (existsSync(terraformDir)) {
    report.skipped.push('terraform fmt (terraform not installed)');
  }
  return report;
}

async function main(): Promise<void> {
  const root = process.argv[2] ?? join(__dirname, '..', '..', '..', 'platform');
  const report = await lintPlatform(root);
  for (const finding of report.findings) console.log(formatFinding(finding));
  console.log(`lint:platform ran ${report.ran.join('; ')}${report.skipped.length ? `; skipped ${report.skipped.join('; ')}` : ''}.`);
  console.log(report.findings.length === 0 ? 'lint:platform: no problems.' : `lint:platform: ${report.findings.length} problem(s).`);
  process.exitCode = report.findings.length === 0 ? 0 : 1;
}

if (require.main === module) {
  void main();
}
